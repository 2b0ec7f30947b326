#ifndef GHB_MATHSET_H
#define GHB_MATHSET_H
/* The math path of the typesetter (mathset.c): formulas laid out by the math
   engine (src/math/mbox.c) in the book's math font (ROLE_MATH) become glyph
   runs and filled rules of the vertical list. Inline formulas are objects in
   their paragraph, on its baseline; displays are centred on whole lines of
   the body grid with their number flush right. */
#include "../book/book.h"
#include "../fonts/fontset.h"
#include "para.h"
#include "vlist.h"

typedef struct mathset mathset_t;

/* NULL when the fontset has no font with a MATH table (formulas then stay code).
   Each formula becomes a Formula node of tree (with its readable text as Alt)
   under the node of the line or block it is set in; tree may be NULL. */
mathset_t *mathset_new(const book_t *b, fontset_t *fs, stree_t *tree);
void mathset_free(mathset_t *ms);

/* Adds math node n to paragraph p as objects (one per piece a line may break
   after: TeX's rule, after a top-level relation or binary operator); \eqref
   alone becomes the linked number. False when n is not math or there is no
   math font (the caller sets it as it would otherwise). */
/* The measure the next paragraph is set to: an inline formula wider than it is scaled to fit. */
void mathset_measure(mathset_t *ms, float w);
bool mathset_inline(mathset_t *ms, para_t *p, cmark_node *n, pstyle_t st);
/* Replaces the object placeholders of op i of box b (a laid-out line) by the
   formulas' glyphs, and adds their rules to b. */
void mathset_line(mathset_t *ms, vbox_t *b, size_t op);
/* How far the formulas on a laid-out line (before mathset_line) reach above
   and below its baseline, pt; false when it holds none. */
bool mathset_extent(const mathset_t *ms, const line_t *ln, float *h, float *d);
/* mathset_line gives a line new glyphs: the line before it, broken inside a
   word (word_continues), borrows them as its next (para.h), so callers point it
   at the new ones. prev may be NULL. */
void mathset_relink(op_t *prev, const op_t *cur);
/* When paragraph para is one display formula: sets it centred in [x, x+w] on
   whole lines of pitch (its number flush right) into body, as a Formula node
   under structure node parent; else false. */
bool mathset_display(mathset_t *ms, vlist_t *body, cmark_node *para, int parent, float x, float w,
                     float pitch, float size, int chapter);

#endif
