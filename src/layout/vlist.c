#include "vlist.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* Boxes and ops grow from one, not from xgrow's eight: most boxes hold one op
   and most notes one line, and a 20x book holds 100,000 of them (#14). */
static void grow(void **v, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return;
    size_t c = *cap ? *cap * 2 : 1;
    *v = xrealloc(*v, c * elem);
    memset((char *)*v + n * elem, 0, (c - n) * elem);
    *cap = c;
}

vbox_t *vlist_add(vlist_t *l, float height) {
    grow((void **)&l->v, &l->cap, l->n, sizeof *l->v);
    vbox_t *b = &l->v[l->n++];
    memset(b, 0, sizeof *b);
    b->height = height;
    b->para = b->heading = b->chapter = b->anchor = -1;
    b->repeat = -1;
    return b;
}

op_t *vbox_op(vbox_t *b, op_kind kind, float x, float y) {
    grow((void **)&b->ops, &b->cap_ops, b->n_ops, sizeof *b->ops);
    op_t *o = &b->ops[b->n_ops++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->x = x;
    o->y = y;
    return o;
}

void vbox_free(vbox_t *b) {
    for (size_t i = 0; i < b->n_ops; i++)
        free(b->ops[i].line.g), free(b->ops[i].actual);
    free(b->ops);
    free(b->notes);
}

void vlist_free(vlist_t *l) {
    for (size_t i = 0; i < l->n; i++)
        vbox_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void pages_free(pages_t *p) {
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].notes);
    free(p->v);
    memset(p, 0, sizeof *p);
}
