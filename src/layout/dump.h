#ifndef GHB_DUMP_H
#define GHB_DUMP_H
/* The typesetter's output as stable text, for golden tests (tests/golden) and
   for looking at what the layout decided without drawing a PDF: every box of
   the vertical list (height and flags), every drawing operation (kind,
   position, size, structure tag), every line's glyph runs (font, size, x range,
   text), the notes' lines, and the structure tree. Lengths are printed to
   0.01 pt; nothing depends on addresses or timing. */
#include "typeset.h"
#include "../util/buf.h"

void vlist_dump(const vlist_t *l, const stree_t *tree, const fontset_t *fs, buf_t *out);
void typeset_dump(const typeset_t *ts, const fontset_t *fs, buf_t *out);

#endif
