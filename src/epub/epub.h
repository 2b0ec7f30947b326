#ifndef GHB_EPUB_H
#define GHB_EPUB_H
#include "../book/book.h"
#include "../util/buf.h"

/* Builds the whole EPUB 3 package of b in memory (out receives the ZIP bytes).
   Returns 0, or -1 with a diagnostic added to b->diags. */
int epub_build(book_t *b, buf_t *out);

#endif
