#ifndef GHB_PRESS_H
#define GHB_PRESS_H
/* Press output (ghb-book pdf --press): trim and bleed boxes, crop marks,
   PDF/X-1a:2001 or PDF/X-4 with a CMYK output intent, grey or CMYK images with
   transparency flattened onto white, and the checks a printer would make. */
#include "../book/book.h"
#include "../layout/style.h"
#include <hpdf.h>

/* Warnings for text under 7 pt and lines under 0.25 pt, each at the style key
   responsible (in root's print.yaml when it sets the key; root may be NULL). */
void press_check_style(const print_t *ps, const char *root, diags_t *d);
/* The inner margin a book of this many pages needs: at least margin, at least
   the gutter table's entry for the count. */
float press_inner_margin(const print_t *ps, size_t pages, float margin);
/* Sizes a new page to the trim plus bleed (and a slug for crop marks), adds
   BleedBox and TrimBox, draws the crop marks, and moves the origin to the
   trim's lower left corner, so the drawing that follows is unchanged. */
void press_page(const print_t *ps, HPDF_Page pg);
/* Where the trim's lower left corner lies in a press page's default space:
   the offset of everything drawn, destinations included. */
float press_origin(const print_t *ps);
/* An image as the press wants it: grey (or CMYK), transparency flattened onto
   white. NULL when it cannot be read. */
HPDF_Image press_load_image(HPDF_Doc pdf, const print_t *ps, const char *path,
                            const char *media_type);
/* The same for RGBA pixels in memory, w x h (a colour emoji's bitmap). */
HPDF_Image press_image_rgba(HPDF_Doc pdf, const print_t *ps, const unsigned char *rgba, int w,
                            int h);
/* False, with the reason in why, when lcms2 cannot be loaded: press_load_image
   then converts by luminance alone, without the ICC profiles. */
bool press_colour_available(char *why, size_t whylen);
/* The output intent, GTS_PDFXVersion, Trapped, the file ID and the version.
   Returns -1 (with a diagnostic) when the ICC profile cannot be read. */
int press_finish(HPDF_Doc pdf, const print_t *ps, const book_t *b, diags_t *d);
/* XMP properties the standard needs (for tags_finish). */
const char *press_xmp(const print_t *ps);

#endif
