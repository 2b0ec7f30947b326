#ifndef GHB_PAGEMAP_H
#define GHB_PAGEMAP_H
/* Where each printed page of the body starts, in terms of the book model: the
   EPUB marks those places so that readers can cite the print edition's pages. */
#include "../book/book.h"
#include "vlist.h"

typedef struct {
    int chapter; /* the chapter the page belongs to */
    struct cmark_node
        *node; /* the block holding the page's first line, or NULL: the chapter's start */
    int folio; /* its page number (the PDF labels body pages 1, 2, ...) */
} pagestart_t;

typedef struct {
    pagestart_t *v;
    size_t n, cap;
} pagemap_t;

/* One entry per body page, blank pages included (they start where the next page
   does). Block granularity: a page that starts inside a paragraph or table is
   given that block. */
void pagemap_from(const book_t *b, const vlist_t *body, const pages_t *pages, pagemap_t *out);
void pagemap_free(pagemap_t *m);

#endif
