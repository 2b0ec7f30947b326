/* The second typesetting thread's work joined to the first's (#14): see
   tsctx.h. Everything the second half numbered on its own is numbered on from
   the first half's end, so the result is what one thread setting both in turn
   gives, byte for byte in the PDF. */
#include "code.h"
#include "tsctx.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    int para; /* added to a box's paragraph id */
    int node; /* added to a structure node index (the Document, 0, stays) */
    int note; /* added to a note id */
    long box; /* added to a body box index (a repeated table header) */
} shift_t;

static void shift_box(vbox_t *b, const shift_t *s, bool body) {
    if (b->para >= 0) b->para += s->para;
    if (body && b->repeat >= 0) b->repeat += s->box;
    for (size_t i = 0; i < b->n_notes; i++)
        b->notes[i] += s->note;
    for (size_t i = 0; i < b->n_ops; i++) {
        op_t *o = &b->ops[i];
        if (o->tag > 0) o->tag += s->node;
        for (size_t g = 0; g < o->line.n; g++)
            if (o->line.g[g].note >= 0) o->line.g[g].note += s->note;
    }
}

/* Moves the boxes of from onto the end of to (their ops and glyphs stay where
   they are: the code lines waiting for their colours point at them). */
static void move_boxes(vlist_t *to, vlist_t *from, const shift_t *s, bool body) {
    for (size_t i = 0; i < from->n; i++) {
        shift_box(&from->v[i], s, body);
        vbox_t *b = vlist_add(to, 0);
        *b = from->v[i];
    }
    from->n = 0;
}

static void move_tree(stree_t *to, stree_t *from, const shift_t *s) {
    for (size_t j = 1; j < from->n; j++) { /* node 0 is the Document, which to has */
        snode_t x = from->v[j];
        x.parent = x.parent > 0 ? x.parent + s->node : x.parent;
        if (x.role == S_NOTE) x.attr += s->note;
        int k = stree_add(to, x.parent, x.role, NULL);
        to->v[k] = x; /* with its alt, now to's */
        from->v[j].alt = NULL;
    }
}

static void move_notes(typeset_t *to, typeset_t *from, const shift_t *s, size_t n_book_notes) {
    for (size_t i = 0; i < from->n_notes; i++) {
        pnote_t *pn = &from->notes[i];
        XGROW(to->notes, to->cap_notes, to->n_notes);
        pnote_t *dst = &to->notes[to->n_notes++];
        memset(dst, 0, sizeof *dst);
        dst->key = pn->key;
        move_boxes(&dst->lines, &pn->lines, s, false);
    }
    for (size_t k = 0; k < n_book_notes; k++)
        if (from->note_of[k] >= 0) to->note_of[k] = from->note_of[k] + s->note;
}

/* A book note both halves set (a note is set where it is first referenced). */
static bool notes_clash(const typeset_t *a, const typeset_t *b, size_t n_book_notes) {
    for (size_t k = 0; k < n_book_notes; k++)
        if (a->note_of[k] >= 0 && b->note_of[k] >= 0) return true;
    return false;
}

bool ts_half_join(ts_t *t, ts_half_t *h) {
    pthread_join(h->thread, NULL);
    size_t nn = t->b->n_notes;
    bool ok = !fontset_fork_refused(h->t.fs) && !notes_clash(t->out, &h->out, nn);
    if (ok) {
        typeset_t *o = t->out;
        shift_t s = {t->para_id, (int)o->tree.n - 1, (int)o->n_notes, (long)o->body.n};
        move_tree(&o->tree, &h->out.tree, &s);
        move_notes(o, &h->out, &s, nn);
        move_boxes(&o->body, &h->out.body, &s, true);
        t->para_id += h->t.para_id;
        fontset_join(t->fs, h->t.fs);
        code_prep_join(t->code, h->t.code);
        h->t.code = NULL;
        for (size_t i = 0; i < h->d.n; i++) {
            const diag_t *x = &h->d.v[i];
            diag_add(t->b->diags, x->sev, x->file, x->line, x->col, "%s", x->msg);
        }
    }
    ts_half_free(h);
    return ok;
}

void ts_half_free(ts_half_t *h) {
    code_prep_drop(h->t.code);
    fontset_free(h->t.fs);
    typeset_free(&h->out);
    diags_free(&h->d);
    free(h);
}
