#ifndef GHB_EPUB_TOC_H
#define GHB_EPUB_TOC_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"

/* One entry of the table of contents, in reading order. */
typedef struct {
    int level; /* 0 = top; each entry is at most one deeper than the one before */
    char *label;
    char *href; /* "ch03.xhtml#id" */
} toc_entry_t;

typedef struct {
    toc_entry_t *v;
    size_t n, cap;
    int max_level;
} toc_t;

/* The book's contents list (src/book/front.h) down to max_heading, as links
   into the package's documents. */
void toc_build(const book_t *b, int max_heading, toc_t *t);
void toc_free(toc_t *t);

/* nav.xhtml: the nested toc, the landmarks and, with pages, the page list. */
/* fonts_css: link the style sheet of embedded fonts too */
void epub_nav(const book_t *b, const toc_t *t, const pagemap_t *pages, bool cover, bool fonts_css,
              buf_t *out);
/* toc.ncx for EPUB 2 readers, with a pageList when there are pages. */
void epub_ncx(const book_t *b, const toc_t *t, const pagemap_t *pages, buf_t *out);

#endif
