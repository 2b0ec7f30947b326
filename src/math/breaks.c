/* Where an inline formula may break across lines: one rule for the PDF's
   layout (mbox.c cuts its top row there) and the EPUB (mathml.c writes each
   part as a <math> of its own, since browsers never break inside one). */
#include "texmath.h"
#include <string.h>

mclass math_box_class(const mnode_t *x) {
    switch (x->kind) {
    case MK_ATOM:
    case MK_OPNAME:
    case MK_UNDEROVER:
    case MK_SCRIPTS:
        return x->cls;
    case MK_FRAC:
    case MK_FENCED:
    case MK_TABLE:
        return MC_INNER;
    case MK_ROW:
        if (x->cls == MC_OP) return MC_OP; /* \mathop{…} */
        return x->n_kids == 1 ? math_box_class(x->kids[0]) : MC_ORD;
    default:
        return MC_ORD;
    }
}

mclass math_next_class(const mnode_t *k, int *prev) {
    mclass cls = math_box_class(k);
    /* a binary operator with nothing to combine on its left is ordinary */
    if (cls == MC_BIN && (*prev < 0 || *prev == MC_BIN || *prev == MC_OP || *prev == MC_REL ||
                          *prev == MC_OPEN || *prev == MC_PUNCT))
        cls = MC_ORD;
    if (*prev == MC_BIN && (cls == MC_REL || cls == MC_CLOSE || cls == MC_PUNCT)) *prev = MC_ORD;
    return cls;
}

/* TeX breaks after a relation or operator, not before another relation,
   punctuation or a closing mark; and here after a comma of a list, so that a
   long set {0.243, 0.245, ...} in running text can break rather than stand out
   of the measure. */
bool math_break_before(bool after_op, mclass cls) {
    return after_op && cls != MC_REL && cls != MC_PUNCT && cls != MC_CLOSE;
}

bool math_break_after(const mnode_t *k, mclass cls) {
    return cls == MC_REL || cls == MC_BIN ||
           (cls == MC_PUNCT && k->kind == MK_ATOM && k->text && strcmp(k->text, ",") == 0);
}

const mnode_t *math_top_row(const math_t *m) {
    const mnode_t *r = m->root;
    while (r && r->kind == MK_ROW && r->n_kids == 1 && r->kids[0]->kind == MK_ROW &&
           r->kids[0]->cls != MC_OP)
        r = r->kids[0];
    return r && r->kind == MK_ROW ? r : NULL;
}

int math_breaks(const mnode_t *row, bool *before) {
    int prev = -1, n = 0;
    bool after_op = false;
    for (int i = 0; i < row->n_kids; i++) {
        const mnode_t *k = row->kids[i];
        before[i] = false;
        if (k->kind == MK_SPACE) continue;
        mclass cls = math_next_class(k, &prev);
        before[i] = math_break_before(after_op, cls);
        n += before[i];
        after_op = math_break_after(k, cls);
        prev = (int)cls;
    }
    return n;
}
