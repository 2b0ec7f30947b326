#ifndef GHB_HTMLIMG_H
#define GHB_HTMLIMG_H
/* The <img> tags of a raw-HTML fragment (a block, or an inline tag in a table
   cell): each one's source, alt text and the width and height it asks for in
   CSS pixels, and the book's image it names. */
#include "../book/book.h"
#include <stddef.h>

typedef struct {
    size_t off;      /* the tag's offset in the fragment */
    char *src, *alt; /* owned; NULL when absent */
    float w, h;      /* asked size in px, 0 when not given, -N for N% */
} htmlimg_t;

typedef struct {
    htmlimg_t *v;
    size_t n, cap;
} htmlimgs_t;

void htmlimgs_scan(const char *html, htmlimgs_t *out);
void htmlimgs_free(htmlimgs_t *c);
/* The book's image a tag of chapter ch names (local, or a fetched remote one), or
   NULL (the loader has warned). */
const image_t *htmlimg_find(const book_t *b, int ch, const char *src);
/* The size in pt to draw a picture of pw x ph pixels that asked for w x h px
   (either may be 0: the other keeps the proportions; both 0: its own size; a
   width of -N is N % of room pt, happy-llm's and ml-interviews' width="30%"). */
void htmlimg_size(float w, float h, float room, int pw, int ph, float *out_w, float *out_h);

#endif
