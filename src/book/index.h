#ifndef GHB_INDEX_H
#define GHB_INDEX_H
#include "book.h"

/* GitHub's heading slug: lower-case, punctuation dropped, spaces to '-'. Caller frees. */
char *anchor_slug(const char *text);
/* An XML name (NCName) for a slug: unsafe characters dropped, a leading
   non-letter prefixed. Caller frees. */
char *anchor_xml_id(const char *key);

/* Pass 1, per chapter: headings, anchors (headings and raw HTML ids) and images. */
void index_chapter(book_t *b, int ch);
/* Pass 2, once every chapter has its anchors: links resolved, notes numbered. */
void index_links(book_t *b, int ch);
/* Registers an anchor with no heading (an equation's, #11) as add_anchor does
   for raw HTML ids: a key taken is reported and numbered. Returns its index. */
size_t index_add_anchor(book_t *b, int ch, const char *key, int line, int bytecol);
/* Registers an image file (relative to the book folder); returns its index or -1. */
long index_add_image(book_t *b, int ch, int line, int bytecol, const char *ref, bool from_root);

#endif
