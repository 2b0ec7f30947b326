/* Notes: URL notes and footnotes, each set once (on its first reference) as
   note lines the paginator puts at the foot of the page that refers to it. */
#include "tsctx.h"
#include "../util/xalloc.h"
#include <string.h>

/* The other notes a note's line refers to (not its own number). */
static void note_refs(vbox_t *b, const line_t *ln, int self) {
    for (size_t i = 0; i < ln->n; i++) {
        if (ln->g[i].note < 0 || ln->g[i].note == self) continue;
        b->notes = xrealloc(b->notes, (b->n_notes + 1) * sizeof *b->notes);
        b->notes[b->n_notes++] = ln->g[i].note;
    }
}

int ts_note_for(ts_t *t, size_t k) {
    if (t->out->note_of[k] >= 0) return t->out->note_of[k];
    typeset_t *o = t->out;
    XGROW(o->notes, o->cap_notes, o->n_notes);
    int id = (int)o->n_notes++;
    memset(&o->notes[id], 0, sizeof o->notes[id]);
    o->note_of[k] = id;
    const note_t *n = &t->b->notes[k];
    int note = stree_add(&o->tree, t->sect, S_NOTE, NULL);
    o->tree.v[note].attr = id;
    float size = t->ps->note_size, pitch = t->ps->note_pitch;
    /* the lines after the first align with the text after the number */
    int f = fontset_pick(t->fs, ROLE_BODY, 0x2460);
    float hang =
        f < 0 ? 0
              : (float)(fontset_advance(t->fs, f, 0x2460) + fontset_advance(t->fs, f, ' ')) * size;
    pspec_t s = {.style = {ROLE_BODY, size, 0, -1, -1, false},
                 .w = t->ps->measure - hang,
                 .indent = -hang,
                 .ragged = true,
                 .note_mark = true,
                 .note_id = id};
    if (n->kind == NOTE_URL) {
        o->notes[id].key = n->url;
        s.text = n->url;
    } else {
        s.node = n->def;
    }
    lines_t ls;
    /* a footnote's own links set their URL notes (ts_note_for again): o->notes
       may move, so the note is found by its id after this */
    ts_para_lines(t, &s, &ls);
    pnote_t *pn = &o->notes[id];
    for (size_t i = 0; i < ls.n; i++) {
        vbox_t *b = vlist_add(&pn->lines, pitch);
        op_t *op = vbox_op(b, OP_GLYPHS, hang, ts_ascent(pitch, size));
        op->line = ls.lines[i];
        op->tag = TAG_OF(note);
        note_refs(b, &ls.lines[i], id); /* the notes of its links follow it (paginate.c) */
        ls.lines[i].g = NULL;
        mathset_line(t->ms, b, b->n_ops - 1);
        if (i) mathset_relink(&pn->lines.v[pn->lines.n - 2].ops[0], &b->ops[0]);
    }
    lines_free(&ls);
    return id;
}
