#ifndef GHB_EPUB_MATHOUT_H
#define GHB_EPUB_MATHOUT_H
/* Math in the EPUB (mathout.c): MathML for math nodes, numbered display blocks,
   equation links, and the sanitizer's rule for <math>. */
#include "../book/book.h"
#include "../util/buf.h"
#include <libxml/tree.h>
#include <stdbool.h>

/* Renders a math node, or a paragraph that is one display, for html.c's tree
   walk; returns true when it handled the event (children are then skipped). */
bool epub_math_event(const book_t *b, int ch, cmark_node *n, bool entering, buf_t *out);
/* Whether chapter ch's document holds MathML (the manifest's "mathml" property). */
bool epub_chapter_has_math(const book_t *b, int ch);
/* Whether n is a formula's placeholder (what epub_math_event writes): the
   sanitizer keeps it, and the CJK spacing pass takes it as a formula, which
   ends a run of text as <math> does. */
bool epub_math_placeholder(xmlNodePtr n);
/* Copies serialized XHTML to out with each formula's placeholder (what
   epub_math_event wrote, through the sanitizer untouched) replaced by its MathML:
   libxml2's HTML parser need not read, nor the sanitizer walk, thousands of
   MathML elements that are ours and well-formed. */
void epub_math_splice(const book_t *b, const char *xhtml, size_t len, buf_t *out);
/* For the XHTML sanitizer: keeps a <math> element with only MathML inside and
   its namespace; returns false for any other element. */
bool epub_math_sanitize(xmlNodePtr el);

#endif
