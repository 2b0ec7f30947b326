#ifndef GHB_PDF_FRONT_H
#define GHB_PDF_FRONT_H
/* Front matter set with the same engine as the body: the title page, the
   copyright page and the table of contents. Free of libharu. */
#include "../book/book.h"
#include "../layout/typeset.h"

/* A link that is not one of the book's: a URL on the copyright page, or a TOC
   entry's destination in the body. */
typedef struct {
    const char *uri; /* borrowed; NULL for a destination */
    int page;        /* body page index */
    float y;         /* baseline height on that page (pt from the bottom), or 0 */
} xlink_t;

/* Glyph link ids at or below this refer to xlinks: id = XLINK_BASE - index. */
#define XLINK_BASE (-2)

typedef struct {
    int level; /* 1 = chapter */
    const char *title;
    int page; /* body page index */
    float y;
    bool plain; /* #10: an entry of a list of figures or tables: body font, no indent */
} toc_item_t;

/* #10: a list of figures or tables after the contents (book.yaml lists:). */
typedef struct {
    const char *title; /* "List of Figures" */
    const toc_item_t *items;
    size_t n;
} front_list_t;

typedef struct {
    vlist_t *pages; /* each page's boxes, top down */
    size_t n;
    size_t toc_first; /* the index of the first TOC page */
    xlink_t *links;
    size_t n_links, cap_links;
} front_t;

/* Title page, copyright page, then the TOC (from a right-hand page), padded to
   an even count so the body starts on a right-hand page. What they say is the
   book's front-matter model (src/book/front.h); toc is its contents list placed
   on the body's pages. */
void front_build(front_t *f, const book_t *b, fontset_t *fs, const print_t *ps,
                 const toc_item_t *toc, size_t n_toc);
/* The same, with lists of figures and tables set after the contents, each from a new page. */
void front_build_lists(front_t *f, const book_t *b, fontset_t *fs, const print_t *ps,
                       const toc_item_t *toc, size_t n_toc, const front_list_t *lists,
                       size_t n_lists);
void front_free(front_t *f);

#endif
