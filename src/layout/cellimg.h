#ifndef GHB_CELLIMG_H
#define GHB_CELLIMG_H
/* Pictures in table cells (Markdown images and raw <img>): drawn inside their cell, under its text,
   each scaled down to the column (never up); the alt text goes to the structure tree. A cell
   holding nothing but pictures sets no text (as a paragraph of pictures does). */
#include "../book/book.h"
#include "stree.h"
#include "vlist.h"
#include <cmark-gfm.h>
#include <stdbool.h>

#define CELLIMG_GAP 2.0f /* pt between pictures, and between a cell's text and its pictures */

typedef struct {
    int image;  /* index into the book's images */
    float w, h; /* natural size, pt (96 px an inch) */
    char *alt;  /* owned; the file name when the picture has none */
} cellimg_t;

typedef struct {
    cellimg_t *v;
    size_t n, cap;
    bool only; /* the cell holds nothing but pictures */
} cellimgs_t;

/* The Markdown images and raw-HTML <img> tags of a cell of chapter ch, in
   order (undecodable Markdown images are left to the image stage's warning
   and show their alt text). */
void cellimgs_collect(const book_t *b, int ch, cmark_node *cell, cellimgs_t *out);
/* The height the pictures take stacked in a column of inner width w, shrunk
   together to at most max_h (a row does not break across pages). */
float cellimgs_height(const cellimgs_t *c, float w, float max_h);
/* Draws them into box at (x, y) (y down from the box's top), each tagged as a
   Figure under the structure node parent. */
void cellimgs_draw(const cellimgs_t *c, vbox_t *box, float x, float y, float w, float max_h,
                   stree_t *tree, int parent);
void cellimgs_free(cellimgs_t *c);

#endif
