#ifndef GHB_EPUB_XHTML_H
#define GHB_EPUB_XHTML_H
#include "../book/book.h"
#include "../util/buf.h"

/* Makes a complete, well-formed XHTML content document from the HTML of a body:
   libxml2's HTML parser repairs raw HTML, then elements, attributes, ids, links
   and image sources are checked against what EPUB 3 allows. ch is the chapter
   whose images raw HTML may name (-1 for none). The document goes to out. */
/* ch for the cover page: its image may be the drawn cover */
#define EPUB_COVER_DOC (-2)
/* fonts_css: the document also links the style sheet of embedded fonts */
void epub_xhtml(const book_t *b, int ch, const char *title, const char *body_html, size_t len,
                bool fonts_css, buf_t *out);

#endif
