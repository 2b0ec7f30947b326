#ifndef GHB_MATHTEXT_H
#define GHB_MATHTEXT_H
/* The text layer of a formula (mathtext.c): its glyphs are wrapped in marked
   content whose ActualText is the TeX source, so copying or searching the PDF
   gives back what the author wrote. */
#include <hpdf.h>

/* Opens "/Span <</ActualText …>> BDC" in pg's content stream (inside BT … ET). */
void mathtext_begin(HPDF_Page pg, const char *utf8);
/* Closes it ("EMC"). */
void mathtext_end(HPDF_Page pg);

#endif
