#ifndef GHB_FONTS_CFF_H
#define GHB_FONTS_CFF_H
/* Reading and subsetting a font's CFF table (Adobe TN #5176, charstrings
   TN #5177). The PDF embeds the bare table; the CJK fonts are CID-keyed CFF,
   and subsetting them is the one job here that hb-subset did slowly: its plan
   and desubroutinizer took 8-12 ms for the handbook's thousand Serif CJK
   glyphs, the tail of the PDF's critical path (#14). */
#include "../util/buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The CID of each of the n glyphs of a CID-keyed table (from its charset);
   of any other, the glyph ids. False when the table cannot be read. *keyed
   (when given) says whether the table is CID-keyed. */
bool cff_cids(const unsigned char *d, size_t len, unsigned n, uint32_t *cid, bool *keyed);

/* Whether cff_subset can take this table: CID-keyed, Type 2 charstrings, and
   its INDEXes, dictionaries and FDSelect read. */
bool cff_subsettable(const unsigned char *d, size_t len);

/* Appends to out a CID-keyed CFF table with the n glyphs of d listed in glyphs
   (ascending original glyph ids; glyph 0 is added when missing), in that
   order, each keeping its CID. Subroutines are inlined and hints dropped, as
   hb-subset does with DESUBROUTINIZE and NO_HINTING: a PDF reader needs the
   outlines, and Flate compresses the inlined ones better than the
   subroutines' own. Only the Font DICTs the glyphs use are kept. False, out
   unchanged, when the table or one of the glyphs' charstrings cannot be read
   (an arithmetic operator, a subroutine nested too deep, a bad index). */
bool cff_subset(const unsigned char *d, size_t len, const uint32_t *glyphs, size_t n, buf_t *out);

#endif
