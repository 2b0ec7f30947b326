#ifndef GHB_PAGEMAP_H
#define GHB_PAGEMAP_H
/* Where each printed page of the body starts, in terms of the book model: the
   EPUB marks those places so that readers can cite the print edition's pages. */
#include "../book/book.h"
#include "vlist.h"

/* Front-matter pages have these for chapter: the title page, the pages after
   it (copyright), the contents. */
enum { PAGE_TITLE = -101, PAGE_AFTER_TITLE = -102, PAGE_CONTENTS = -103 };

typedef struct {
    int chapter; /* the chapter the page belongs to, or PAGE_TITLE... */
    struct cmark_node
        *node;  /* the block holding the page's first line, or NULL: the chapter's start */
    int folio;  /* its page number (the PDF labels body pages 1, 2, ...) */
    bool front; /* a front-matter page: folio is its roman number (i, ii, ...) */
} pagestart_t;

typedef struct {
    pagestart_t *v;
    size_t n, cap;
} pagemap_t;

/* One entry per body page, blank pages included (they start where the next page
   does). Block granularity: a page that starts inside a paragraph or table is
   given that block. */
void pagemap_from(const book_t *b, const vlist_t *body, const pages_t *pages, pagemap_t *out);
/* Puts the n_front roman-numbered front-matter pages before the body pages:
   the first is the title page, the contents begin at toc_first, the pages
   between (copyright, blank) follow the title page. */
void pagemap_add_front(pagemap_t *m, size_t n_front, size_t toc_first);
/* Lower-case roman numerals for front-matter folios. */
void roman(int n, char *out, size_t size);
/* The page's label as the PDF's /PageLabels give it: "iii", "12". */
void pagemap_label(const pagestart_t *p, char *out, size_t cap);
void pagemap_free(pagemap_t *m);
/* Where anchors set in raw HTML (anchor_t.node: <a id="x"></a> before a
   heading, an id on an inline tag) start: box[i] becomes the first box set
   from the anchor's block or a block after it in reading order, for every
   anchor with a node and box[i] < 0; -1 stays where none is found. */
void pagemap_anchor_boxes(const book_t *b, const vlist_t *body, long *box);

#endif
