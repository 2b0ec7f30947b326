#ifndef GHB_PDF_EMOJI_H
#define GHB_PDF_EMOJI_H
/* Colour emoji bitmaps (PNG strikes from a CBDT table) as PDF images. */
#include <hpdf.h>
#include <stddef.h>

/* Decodes a PNG in memory to 8-bit RGBA pixels (*w x *h; caller frees); NULL
   when damaged or over 4096 x 4096. */
unsigned char *emoji_rgba(const void *png, size_t len, int *w, int *h);
/* Decodes a PNG in memory to an RGB image with a soft mask; NULL when damaged. */
HPDF_Image emoji_png(HPDF_Doc pdf, const void *png, size_t len);

#endif
