#ifndef GHB_EPUB_PALPNG_H
#define GHB_EPUB_PALPNG_H
#include "../util/buf.h"
#include <stdbool.h>

/* An 8-bit palette PNG of w x h indices px (row-major), written into out. Rows
   r with inked[r] false are taken to be all index 0 and are never read: the
   drawn cover (cover.c) is mostly background, and its blank rows are written
   as copies of one deflated run of blank rows instead of being compressed one
   by one (#14). pal holds n_pal RGB triples (1..256). The image is the same
   whichever rows are marked, as long as unmarked rows are blank. Returns 0, or
   -1 (zlib failed, or sizes out of range). */
int palpng_write(const unsigned char *px, int w, int h, const bool *inked, const unsigned char *pal,
                 int n_pal, buf_t *out);

#endif
