#ifndef GHB_EPUB_H
#define GHB_EPUB_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"

/* Builds the whole EPUB 3 package of b in memory (out receives the ZIP bytes).
   Returns 0, or -1 with a diagnostic added to b->diags. */
int epub_build(book_t *b, buf_t *out);
/* The same, with page-break markers where the print edition's pages start, a
   page-list nav and NCX pageList (pages may be NULL or empty: none). */
int epub_build_paged(book_t *b, const pagemap_t *pages, buf_t *out);

#endif
