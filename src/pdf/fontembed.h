#ifndef GHB_FONTEMBED_H
#define GHB_FONTEMBED_H
/* Our own font embedding: every font the fontset drew is subset with
   hb-subset and written through libharu's object layer as a Type0 font with
   Identity-H encoding (CIDFontType0 + FontFile3/CIDFontType0C for CFF outlines,
   CIDFontType2 + FontFile2 for TrueType), with /W widths from the font and a
   ToUnicode map from the text each glyph was drawn for. Text goes into the
   page content stream as glyph ids. */
#include "../fonts/fontset.h"
#include "../layout/para.h"
#include "../layout/style.h"
#include "output.h"
#include <hpdf.h>
#include <stdbool.h>

typedef struct fontembed fontembed_t;

/* Subsets and writes every font of fs that was used. NULL (with an error in d)
   when a font cannot be subset. Call after all layout is done. With out, a
   CID-keyed CFF font's subset is made on out's deflating thread while the
   pages are drawn (its CIDs are the original font's); without, all now. */
fontembed_t *fontembed_new(HPDF_Doc pdf, pdfout_t *out, fontset_t *fs, diags_t *d);
void fontembed_free(fontembed_t *fe);

/* Writes one line's glyphs, its left baseline at (x, y), into pg's content
   stream: text operators only (Tf, Tm, TJ), so the caller may wrap the run
   (marked content) and must have opened a text object (BT). Glyphs whose
   character is a space are positions only. */
void fontembed_line(fontembed_t *fe, HPDF_Page pg, const line_t *ln, float x, float y);

/* The text glyph i of ln (with the glyphs up to *end) stands for when the
   ToUnicode entries do not give it (a shaped cluster, a colour glyph's
   carrier); its length, 0 when they do. */
size_t fontembed_actual(fontembed_t *fe, const line_t *ln, size_t i, size_t *end,
                        const uint32_t **text);
/* With spans on (the default) fontembed_line wraps such glyphs in
   /Span <</ActualText>> itself; off, the caller has given them a marked-content
   sequence of their own (tags.c: poppler ends an MCID's text at a nested
   span's EMC). */
void fontembed_spans(fontembed_t *fe, bool on);
/* On, fontembed_line writes a run after the first as a relative move (Td) with
   its font only when that changes: a formula is dozens of short runs on
   different baselines, each a full Tf and Tm otherwise. Off for prose, whose
   output stays as it was. */
void fontembed_relative(fontembed_t *fe, bool on);

/* On, coloured text (highlighted code, \color in formulas) is written in
   DeviceGray, its luminance: press output (PDF/X-1a) takes no DeviceRGB. */
void fontembed_gray(fontembed_t *fe, bool on);

/* With a press style, colour emoji are drawn as the press draws pictures: grey
   or CMYK, flattened onto white (no DeviceRGB, no soft mask). NULL: in colour. */
void fontembed_press(fontembed_t *fe, const print_t *ps);

/* Draws the colour glyphs (emoji) of one line as images; outside a text
   object (after ET). Their text is in fontembed_line's run. */
void fontembed_images(fontembed_t *fe, HPDF_Page pg, const line_t *ln, float x, float y);

/* For tests: a font's CID for its original glyph gid (after subsetting), or -1. */
long fontembed_cid(const fontembed_t *fe, int font, uint32_t gid);

#endif
