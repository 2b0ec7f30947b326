#ifndef GHB_LAYOUT_CALLOUT_H
#define GHB_LAYOUT_CALLOUT_H
/* A callout's frame: a light shade and a grey bar down its left edge on every
   box it spans, and its icon (drawn paths, not a glyph) beside the label. */
#include "vlist.h"

/* The icon shapes (op_t.image of an OP_BULLET): bullet_shape values after
   BULLET_CHECKED, one per callout kind. */
#define CALLOUT_ICON_BASE (BULLET_CHECKED + 1)

/* Puts the frame under boxes [first, last) of l, from x, w wide. */
void callout_frame(vlist_t *l, size_t first, size_t last, float x, float w);
/* Puts the icon of kind on box b at (x, y), size d. */
void callout_icon(vbox_t *b, int kind, float x, float y, float d);

/* A block quote's rule: a bar w wide at x down boxes first..last-1 of l
   (a piece in each box, so it breaks with the quote across pages). */
void callout_bar(vlist_t *l, size_t first, size_t last, float x, float w);

#endif
