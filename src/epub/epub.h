#ifndef GHB_EPUB_H
#define GHB_EPUB_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"
#include "../util/diag.h"

typedef struct {
    /* where the print edition's pages start: page-break markers, a page-list
       nav and an NCX pageList (NULL or empty: none) */
    const pagemap_t *pages;
    /* the bundled fonts, for a typographic cover when the book has no cover
       image (NULL: no cover page then) */
    const char *font_dir;
    /* With pages NULL, the page map may still be being made (on another
       thread): then what needs no page numbers is written first, and
       wait_pages(wait_arg) is called once for the map (NULL or empty: none).
       The output is the same either way. */
    const pagemap_t *(*wait_pages)(void *arg);
    void *wait_arg;
} epub_opts_t;

/* Builds the whole EPUB 3 package of b in memory (out receives the ZIP bytes);
   o may be NULL for no options. The error contract of a backend: every problem
   goes to d (not to the book's own sink); returns -1 when it reported an error
   (out is then empty), else 0. It writes no file. */
int epub_build(const book_t *b, const epub_opts_t *o, diags_t *d, buf_t *out);

#endif
