#include "callout.h"
#include <string.h>

#define SHADE 0.965f
#define BAR 0.35f
#define QUOTE_BAR 0.7f

/* Frame ops go first, under whatever the box already draws (code shading). */
static void op_first(vbox_t *b, op_kind kind, float x, float w, float h, float gray) {
    vbox_op(b, kind, x, 0);
    op_t o = b->ops[b->n_ops - 1];
    memmove(b->ops + 1, b->ops, (b->n_ops - 1) * sizeof *b->ops);
    o.w = w, o.h = h, o.gray = gray;
    b->ops[0] = o;
}

void callout_frame(vlist_t *l, size_t first, size_t last, float x, float w) {
    for (size_t i = first; i < last; i++) {
        vbox_t *b = &l->v[i];
        float bar = 2.2f;
        op_first(b, OP_RECT, x, bar, b->height, BAR);
        op_first(b, OP_RECT, x, w, b->height, SHADE);
        b->discardable = false; /* its space is part of the box */
    }
}

void callout_icon(vbox_t *b, int kind, float x, float y, float d) {
    op_t *o = vbox_op(b, OP_BULLET, x, y);
    o->w = o->h = d;
    o->image = CALLOUT_ICON_BASE + kind;
}

void callout_bar(vlist_t *l, size_t first, size_t last, float x, float w) {
    for (size_t i = first; i < last; i++)
        if (l->v[i].height > 0) op_first(&l->v[i], OP_RECT, x, w, l->v[i].height, QUOTE_BAR);
}
