/* The one path from a paragraph's content to the vertical list: a paragraph in
   the book's language (pspec_t), its inline content, its lines, its structure
   node and its boxes; and the small pieces every block uses (boxes, space,
   rules, diagnostics). */
#include "tsctx.h"
#include "htmlnode.h"
#include "../book/mdutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- diagnostics */

/* Where node n stands in t's chapter: its line and column (1:1 when unknown). */
static void where(const ts_t *t, cmark_node *n, int *line, int *col) {
    *line = 1, *col = 1;
    if (t->ch >= 0 && n) book_pos(t->b, t->ch, n, line, col);
}

/* True the first time key is seen in this chapter. */
static bool first_time(ts_t *t, const char *key) {
    char k[96];
    snprintf(k, sizeof k, "%d %s", t->ch, key);
    if (strmap_get(&t->missing, k) >= 0) return false;
    strmap_put(&t->missing, k, 1);
    return true;
}

void ts_warn_once(ts_t *t, cmark_node *at, const char *key, const char *fmt, ...) {
    if (!t->b || !first_time(t, key)) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    where(t, at ? at : t->node, &line, &col);
    if (t->ch >= 0)
        book_diag(t->b, DIAG_WARNING, t->ch, line, col, "%s", msg);
    else
        diag_add(t->b->diags, DIAG_WARNING, "book.yaml", 1, 1, "%s", msg);
}

void ts_missing(void *vctx, uint32_t cp, size_t index) {
    ts_t *t = vctx;
    (void)index;
    char key[24];
    if (cp & PARA_RTL) {
        /* right-to-left scripts are set left to right for now: one warning per chapter */
        ts_warn_once(t, NULL, "rtl",
                     "right-to-left text (from U+%04X) is set left to right: not supported yet",
                     (unsigned)(cp & ~PARA_RTL));
        return;
    }
    char u[5] = {0};
    u[utf8_encode(cp, u)] = 0;
    snprintf(key, sizeof key, "%u", (unsigned)cp);
    ts_warn_once(t, NULL, key, "no glyph for U+%04X '%s'", (unsigned)cp, u);
}

/* ---------------------------------------------------------------- boxes */

float ts_ascent(float pitch, float size) {
    return (pitch - size) / 2 + 0.88f * size;
}

pstyle_t ts_text_style(const ts_t *t) {
    return (pstyle_t){t->role, t->ps->body, 0, -1, -1, false};
}

int ts_snode(ts_t *t, srole_t role, const char *alt) {
    return stree_add(&t->out->tree, t->sn, role, alt);
}

vbox_t *ts_box(ts_t *t, float h) {
    vbox_t *b = vlist_add(&t->out->body, h);
    b->chapter = t->ch;
    b->src = t->node;
    return b;
}

void ts_space(ts_t *t, float h) {
    if (h <= 0) return;
    ts_box(t, h)->discardable = true;
}

void ts_rule(float x, float y, float w, float h, vbox_t *b) {
    op_t *o = vbox_op(b, OP_RULE, x, y);
    o->w = w, o->h = h, o->gray = 0.35f;
}

void ts_note_ids(vbox_t *b, const line_t *ln) {
    for (size_t i = 0; i < ln->n; i++) {
        if (ln->g[i].note < 0) continue;
        b->notes = xrealloc(b->notes, (b->n_notes + 1) * sizeof *b->notes);
        b->notes[b->n_notes++] = ln->g[i].note;
    }
}

void ts_attach_marker(ts_t *t, vbox_t *b, float pitch, float size) {
    op_t *m = vbox_op(b, OP_GLYPHS, t->marker_x, ts_ascent(pitch, size));
    m->line = t->marker;
    m->tag = t->marker_tag;
    t->has_marker = false;
}

/* ---------------------------------------------------------------- paragraphs */

para_t *ts_para_new(ts_t *t, const pspec_t *s) {
    para_t *p = para_new(t->fs, s->style.size);
    mathset_measure(t->ms, s->w - fmaxf(0, s->indent));
    if (t->b) para_set_latin(p, t->latin);
    if (s->hyphenate) para_set_hyphenator(p, t->hyph);
    if (s->ragged) para_set_ragged(p, true);
    if (s->words_only) para_set_words_only(p, true, s->cut_overlong);
    if (s->note_mark) {
        pstyle_t mark = s->style;
        mark.note = s->note_id;
        para_text(p, NOTE_MARK, strlen(NOTE_MARK), mark);
        para_text(p, " ", 1, s->style);
    }
    if (s->text) para_text(p, s->text, strlen(s->text), s->style);
    cmark_node *first = s->node ? cmark_node_first_child(s->node) : NULL;
    if (first && !md_is_inline(first)) {
        /* block content (a footnote's paragraphs): one paragraph, a break between */
        for (cmark_node *c = first; c; c = cmark_node_next(c)) {
            if (c != first) para_break(p);
            ts_inlines(t, p, c, s->style);
        }
    } else if (s->node) {
        ts_inlines(t, p, s->node, s->style);
    }
    return p;
}

void ts_para_lines(ts_t *t, const pspec_t *s, lines_t *ls) {
    para_t *p = ts_para_new(t, s);
    para_layout(p, s->w, s->indent, ls, t->b ? ts_missing : NULL, t);
    para_free(p);
    for (size_t i = 0; i < ls->n; i++) /* #10: ruby objects become base and reading */
        html_ruby_line(&ls->lines[i]);
    for (size_t i = 0; i + 1 < ls->n; i++) /* which may give a line new glyphs */
        if (ls->lines[i].word_continues)
            ls->lines[i].next = ls->lines[i + 1].g, ls->lines[i].n_next = ls->lines[i + 1].n;
}

/* A line holding a formula too tall or too deep for the line pitch (an inline
   matrix, \dfrac) gets the room it needs, as TeX's \lineskip gives it: it
   keeps 1 pt from the ink of the lines above and below (their ascenders
   0.88 em, descenders 0.25 em); every other line stays on the pitch. */
static void open_for_math(ts_t *t, vbox_t *b, const line_t *ln, float pitch, float size) {
    float h, d;
    if (!mathset_extent(t->ms, ln, &h, &d)) return;
    float above = h - (pitch - 0.25f * size - 1), below = d - (pitch - 0.88f * size - 1);
    if (above < 0) above = 0;
    if (below < 0) below = 0;
    if (above == 0 && below == 0) return;
    for (size_t i = 0; i < b->n_ops; i++)
        b->ops[i].y += above;
    b->height += above + below;
}

/* Moves laid-out lines into boxes of height pitch, as one paragraph. */
static size_t emit_lines(ts_t *t, lines_t *ls, float x, float pitch, float size) {
    size_t first = t->out->body.n, prev_op = 0;
    int para = t->para_id++;
    for (size_t i = 0; i < ls->n; i++) {
        vbox_t *b = ts_box(t, pitch);
        b->para = para;
        b->line_no = (int)i;
        b->line_count = (int)ls->n;
        /* the marker first: it is read (and tagged) before the item's text */
        if (i == 0 && t->has_marker) ts_attach_marker(t, b, pitch, size);
        op_t *o = vbox_op(b, OP_GLYPHS, x, ts_ascent(pitch, size));
        o->line = ls->lines[i];
        o->tag = t->tag;
        ts_note_ids(b, &o->line);
        ls->lines[i].g = NULL;
        size_t k = b->n_ops - 1;
        open_for_math(t, b, &b->ops[k].line, pitch, size);
        mathset_line(t->ms, b, k);
        if (i) mathset_relink(&t->out->body.v[t->out->body.n - 2].ops[prev_op], &b->ops[k]);
        prev_op = k;
    }
    lines_free(ls);
    return first;
}

size_t ts_emit(ts_t *t, lines_t *ls, srole_t role, float x, float pitch, float size) {
    /* after the content: its notes' structure nodes come first */
    t->tag = TAG_OF(ts_snode(t, role, NULL));
    return emit_lines(t, ls, x, pitch, size);
}

size_t ts_set_para(ts_t *t, const pspec_t *s, srole_t role, float pitch) {
    lines_t ls;
    ts_para_lines(t, s, &ls);
    return ts_emit(t, &ls, role, t->x, pitch, s->style.size);
}
