#ifndef GHB_PDF_IMAGE_H
#define GHB_PDF_IMAGE_H
#include <hpdf.h>

/* Loads a PNG (decoded with libpng: any bit depth, palette, interlace, alpha as a
   soft mask) or a JPEG into the document. NULL when the file is damaged. */
HPDF_Image pdf_load_image(HPDF_Doc pdf, const char *path, const char *media_type);

#endif
