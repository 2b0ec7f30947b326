#ifndef GHB_EPUB_COVER_H
#define GHB_EPUB_COVER_H
#include "../book/book.h"
#include "../util/buf.h"

/* A typographic cover for a book without a cover image: title, subtitle and
   author set in the book's own fonts (the print style's sans chain, found in
   font_dir), rasterized with FreeType and written as PNG into out. The same
   book gives the same bytes. Returns 0, or -1 (no fonts, no title). */
int epub_cover_png(const book_t *b, const char *font_dir, buf_t *out);
/* Where the drawn cover sits in the package (under EPUB/). */
#define EPUB_COVER_PNG "images/cover.png"

#endif
