#ifndef GHB_EPUB_H
#define GHB_EPUB_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"

/* Builds the whole EPUB 3 package of b in memory (out receives the ZIP bytes).
   Returns 0, or -1 with a diagnostic added to b->diags. */
int epub_build(book_t *b, buf_t *out);
typedef struct {
    /* where the print edition's pages start: page-break markers, a page-list
       nav and an NCX pageList (NULL or empty: none) */
    const pagemap_t *pages;
    /* the bundled fonts, for a typographic cover when the book has no cover
       image (NULL: no cover page then) */
    const char *font_dir;
} epub_opts_t;

/* The same, with options (NULL for none). */
int epub_build_with(book_t *b, const epub_opts_t *o, buf_t *out);

#endif
