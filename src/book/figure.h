#ifndef GHB_FIGURE_H
#define GHB_FIGURE_H
/* Numbered figures, tables and listings (#10), one loader pass per chapter.
   Each becomes a custom block <figure class="figure|table|listing"> holding
   the element and a <figcaption> "Figure 2.1 caption" / "图 2-1　caption"
   (above a table or listing, below a figure), numbered per chapter, with an
   <a id> anchor (the pandoc-crossref label, else "figure-2.1") that links and
   [@fig:x] citations reach. Registered in book_t.xrefs.
   - figure: an image alone in a paragraph (caption from its title, else its
     alt text), optionally followed by {#fig:x};
   - table: a GFM table with a "Table: …" / ": …" / "表：…" paragraph right
     after or before it; a raw-HTML table with a <caption>;
   - listing: a code block whose info string carries a caption, title or
     label (```rust {#lst:x caption="…"}, ```{.rust #lst:x}, ```rust title="…"),
     or one wrapped in mdBook's <Listing caption="…" file-name="…">. */
#include "book.h"

void figure_pass(book_t *b, int chapter);
/* After index_chapter: each numbered item's anchor index. */
void figure_anchors(book_t *b, int chapter);
void figure_free(book_t *b);

#endif
