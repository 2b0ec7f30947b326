#ifndef GHB_PAGING_H
#define GHB_PAGING_H
/* The book cut into numbered pages, before anything is drawn and free of
   libharu: the passes that settle page numbers (a page reference can move the
   pages it refers to), each page's note numbers, the binding side, the running
   heads and folios, and the contents list the contents pages and the outline
   share. pdf.c draws what this decides. */
#include "front.h"
#include "../book/book.h"
#include "../fonts/fontset.h"
#include "../layout/style.h"
#include "../layout/typeset.h"

typedef struct {
    book_t *b;
    const print_t *ps; /* borrowed: press output widens its inner margin later */
    fontset_t *fs;
    typeset_t ts;
    pages_t pages;
    int *anchor_page; /* anchor index, then n_anchors + chapter -> body page, or -1 */
    float *anchor_y;  /* where on that page, pt from the bottom */
    vlist_t heads;    /* running heads: [0] the book title, [1 + chapter] each chapter */
    vlist_t folios;   /* one folio line per body page, then per front page */
    bool one_thread;  /* the body is set on this thread alone (the EPUB's page
                         list, whose other thread writes the EPUB meanwhile) */
} paging_t;

void paging_init(paging_t *c, book_t *b, const print_t *ps, fontset_t *fs);
void paging_free(paging_t *c);
/* Sets and paginates the body. Page references of internal links need the
   pages, which the references can move: sets it again until nothing moves, at
   most three times (a book without internal links needs one), and warns when
   the numbers have not settled by then. */
void paging_set_body(paging_t *c);
/* Notes are numbered per page, ①②③..., so that a note's number is on its page. */
void paging_renumber_notes(paging_t *c);
/* Lays out the running heads and the folios of every body page and n_front
   front-matter pages (roman), before the fonts are cut. */
void paging_set_heads(paging_t *c, size_t n_front);
float paging_head_size(const paging_t *c);
/* The left edge of the text block on page folio (1-based): margin-inner is the
   binding side, the left of odd (right-hand) pages. */
float paging_text_left(const paging_t *c, size_t folio);
/* The book's contents list (src/book/front.h) down to max_level, placed on the
   pages; an entry not laid out is left out. The caller frees *out. */
size_t paging_toc(const paging_t *c, int max_level, toc_item_t **out);

#endif
