#ifndef GHB_MATHMD_H
#define GHB_MATHMD_H
/* Math in the book model (mathmd.c): the cmark-gfm extension for $…$ and $$…$$,
   and the pass that makes every formula one node kind, numbered per chapter. */
#include "book.h"
#include <cmark-gfm.h>

/* mdbook-katex and KaTeX's auto-render pair $$ with the next $$ in the raw
   text, so a display may hold blank lines, which end every Markdown block.
   Before parsing, each blank line of a $$ display that a later line closes
   (no code fence between) becomes "%" (a TeX comment) after the opening
   line's indentation or quote marks, and a line of a display opened in a
   quote that lacks the quote's ">" gets it; the display's TeX gets its blank
   lines back. Line numbers are kept, and the columns of unchanged lines. Returns a new text (caller
   frees) or NULL when there is none. */
char *mathmd_fill_gaps(const char *text, size_t len, size_t *out_len);
/* Right after parsing: a display closed by a line "$$text" ends at its "$$",
   and the text is a paragraph of its own after it. */
void mathmd_split_tails(cmark_node *doc);
/* Right after parsing: a picture whose address only asks a web service to draw
   TeX (Zhihu's www.zhihu.com/equation?tex=…, latex.codecogs.com/….latex?…,
   GitHub's render/math?math=…) becomes that formula, inline: it is typeset,
   and needs no network. */
void mathmd_equation_images(cmark_node *doc);
/* Attaches the $ math extension to a parser (md_parse does). */
void mathmd_attach(cmark_parser *p);
/* After index_chapter: ```math, \\( \\) \\[ \\] and \eqref in text become math
   nodes; displays are numbered; TeX problems reported. */
void mathmd_chapter(book_t *b, int ch);
/* After every chapter: \ref/\eqref keys that name no equation are reported. */
void mathmd_check_refs(book_t *b);
/* After mathmd_check_refs: a heading or a figure's or table's caption with a
   formula reads in its linear form (math_linear), not TeX, wherever its text
   stands alone: the contents and the lists of figures and tables, the PDF
   outline, the EPUB nav and NCX, cross-reference names. A heading's anchor
   keeps the slug of the source text, as GitHub makes it. */
void mathmd_plain_titles(book_t *b);
void mathmd_free(book_t *b);
/* True for a math node (before or after the pass). */
bool mathmd_is(cmark_node *n);
/* The math node that is a paragraph's only content when it is a display, else NULL. */
cmark_node *mathmd_display_of(const book_t *b, cmark_node *para);
/* A warning at the formula's place in its chapter (where its TeX starts), for
   what a backend finds (a display too wide for the measure). */
void book_math_warn(const book_t *b, const mathinfo_t *mi, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The link (index in links) of a \ref/\eqref key used inside a larger formula, or -1. */
long book_math_ref_link(const book_t *b, const char *key);
/* The text of n's inlines, as md_plain_text, with each formula in its readable
   linear form (math_linear) instead of TeX: for alternate texts (an image's alt,
   a figure's /Alt) that a reader speaks. Caller frees. */
char *book_plain_text(const book_t *b, cmark_node *n);

#endif
