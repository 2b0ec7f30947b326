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
/* The same for a chapter written with n_slots page slots (pageslot.h), without
   the fonts style sheet: the slots stay. Returns false when filling them would
   not give what epub_xhtml gives for the chapter written with its markers
   (then out is to be dropped and the chapter written again). */
bool epub_xhtml_slots(const book_t *b, int ch, const char *title, const char *body_html, size_t len,
                      size_t n_slots, buf_t *out);

#endif
