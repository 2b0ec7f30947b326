#ifndef GHB_CROSSREF_H
#define GHB_CROSSREF_H
/* pandoc-crossref citations (#10): [@fig:x], [@tbl:x; @lst:y], [-@fig:x]
   (the number alone) and a bare @fig:x in text become internal links whose
   text is the item's name ("Figure 2.1" / "图 2-1"; a section's heading text),
   so both backends draw them as links and the PDF adds the page. Prefixes
   fig, tbl, lst (src/book/figure.c), sec (a heading's {#sec:x}) and eq (a
   numbered display's label, src/book/mathmd.c). An unknown label is a
   warning and stays visible as "¿fig:x?" (pandoc-crossref's mark). Runs once
   every chapter's anchors are known, before links are resolved. */
#include "book.h"

void crossref_links(book_t *b, int chapter);
/* Before the math pass: [@eq:x] and @eq:x become \eqref{eq:x}, so an equation
   labelled \label{eq:x} is cited the way the math pass links \eqref. */
void crossref_equations(cmark_node *doc);

#endif
