#ifndef GHB_PDF_ICON_H
#define GHB_PDF_ICON_H
#include <hpdf.h>

/* Draws callout icon kind (callout_kind) as paths in a d-wide square whose top
   left is (x, y): note ⓘ, tip a lamp's diamond, important a box with !,
   warning a triangle with !, caution an octagon with !. */
void icon_draw(HPDF_Page pg, int kind, float x, float y, float d);

#endif
