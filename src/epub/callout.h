#ifndef GHB_EPUB_CALLOUT_H
#define GHB_EPUB_CALLOUT_H
/* A callout node (src/book/callout.h) as <aside class="callout callout-KIND"
   role="note"> with its label, in the book's language, as the first line. */
#include "../book/book.h"
#include "../util/buf.h"

void epub_callout(buf_t *out, const book_t *b, cmark_node *n, bool entering);

#endif
