#ifndef GHB_PDF_IMAGE_H
#define GHB_PDF_IMAGE_H
#include "../image/image.h"
#include <hpdf.h>

/* Loads a picture into the document: JPEG as it is; PNG, GIF (first frame),
   WebP and SVG (rasterised at 300 dpi for at most max_w points) decoded by the image stage
   and scaled down to 300 dpi at max_w points when wider, with alpha as a soft mask. NULL when the
   file is damaged. */
HPDF_Image pdf_load_image(HPDF_Doc pdf, const char *path, const char *media_type, float max_w);
/* RGBA pixels as RGB with the alpha as a soft mask (none when opaque): the
   pictures above, and colour emoji's bitmaps (emoji.c). */
HPDF_Image pdf_image_raster(HPDF_Doc pdf, const raster_t *r);

#endif
