/* The math path of the typesetter: see mathset.h. */
#include "mathset.h"
#include "../book/mathmd.h"
#include "../math/mbox.h"
#include "../util/xalloc.h"
#include <hb-ot.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Latin Modern's x-height is smaller than the body serif's: math is set a
   little larger so that its letters match the text around them. */
#define MATH_SCALE 1.1f

/* An inline formula may be cut into pieces where a line may break (after a
   top-level relation or binary operator); each piece is one paragraph object. */
typedef struct {
    mbox_t box; /* its glyphs and rules, x from the piece's left */
    int form;   /* index into forms */
    bool first; /* the formula's first piece (its text layer holds the TeX) */
} piece_t;

typedef struct {
    char *tex; /* for the text layer (ActualText) */
    char *alt; /* readable text, for the Formula element's /Alt */
    int node;  /* its Formula structure node, -1 until a line shows it */
} form_t;

struct mathset {
    const book_t *b;
    fontset_t *fs;
    stree_t *tree; /* Formula structure nodes go here (NULL: untagged) */
    int font;      /* the math font */
    mfonts_t mf;
    piece_t *pieces; /* inline objects, by id */
    size_t n, cap;
    form_t *forms;
    size_t nf, capf;
    strmap_t laid; /* "math size" -> index into boxes: inline layouts made before;
                      "alt math" -> index into forms: alternate texts made before */
    mbox_t *boxes;
    size_t nb, capb;
    float measure; /* the paragraph's measure, for inline formulas (0: unknown) */
};

static int text_font(void *ctx, uint32_t cp, hb_font_t **hb) {
    mathset_t *ms = ctx;
    int f = fontset_pick(ms->fs, ROLE_BODY, cp);
    *hb = f >= 0 ? fontset_hb_font(ms->fs, f) : NULL;
    return f;
}

static const char *ref_number(void *ctx, const char *key) {
    mathset_t *ms = ctx;
    return book_math_ref(ms->b, key, NULL, NULL);
}

static long ref_link(void *ctx, const char *key) {
    mathset_t *ms = ctx;
    return book_math_ref_link(ms->b, key);
}

mathset_t *mathset_new(const book_t *b, fontset_t *fs, stree_t *tree) {
    int f = fontset_pick(fs, ROLE_MATH, 0x222B);
    if (f < 0 || !hb_ot_math_has_data(fontset_hb_face(fs, f))) return NULL;
    mathset_t *ms = xcalloc(1, sizeof *ms);
    ms->b = b;
    ms->fs = fs;
    ms->tree = tree;
    ms->font = f;
    ms->mf = (mfonts_t){fontset_hb_font(fs, f), f, text_font, ref_number, ms, NULL, ref_link};
    strmap_init(&ms->laid);
    return ms;
}

void mathset_free(mathset_t *ms) {
    if (!ms) return;
    for (size_t i = 0; i < ms->n; i++)
        mbox_free(&ms->pieces[i].box);
    for (size_t i = 0; i < ms->nf; i++)
        free(ms->forms[i].tex), free(ms->forms[i].alt);
    free(ms->pieces);
    free(ms->forms);
    for (size_t i = 0; i < ms->nb; i++)
        mbox_free(&ms->boxes[i]);
    free(ms->boxes);
    strmap_free(&ms->laid);
    mbox_fonts_release(&ms->mf);
    free(ms);
}

static void lay(mathset_t *ms, cmark_node *n, float size, bool display, mbox_t *out) {
    mbox_layout(book_math_of(ms->b, n)->math, &ms->mf, size, display,
                out); /* parsed by the loader */
}

/* The text layer of a formula is its TeX between $ (in a line) or $$ (on its
   own), as KaTeX's copy-tex gives it: copied into Markdown it is the formula
   again, and a search for the source finds it. */
static int add_form(mathset_t *ms, cmark_node *n, bool display) {
    const mathinfo_t *mi = book_math_of(ms->b, n);
    XGROW(ms->forms, ms->capf, ms->nf);
    form_t *f = &ms->forms[ms->nf];
    const char *tex = book_math_tex(mi), *d = display ? "$$" : "$";
    size_t len = strlen(tex ? tex : "") + 2 * strlen(d) + 1;
    f->tex = xmalloc(len);
    snprintf(f->tex, len, "%s%s%s", d, tex ? tex : "", d);
    /* a repeated formula (the same parse) has the same alternate text */
    char key[32];
    snprintf(key, sizeof key, "alt %p", (void *)mi->math);
    long same = strmap_get(&ms->laid, key);
    f->alt = same >= 0 ? xstrdup(ms->forms[same].alt) : math_linear(mi->math, ref_number, ms);
    if (same < 0) strmap_put(&ms->laid, key, (long)ms->nf);
    f->node = -1;
    return (int)ms->nf++;
}

/* The glyphs and rules of bx with x in [x0, x1), moved left by x0; the first
   piece (first) and the last (last) also take what lies before or after them. */
static void slice(const mbox_t *bx, float x0, float x1, bool first, bool last, mbox_t *out) {
    memset(out, 0, sizeof *out);
    out->h = bx->h, out->d = bx->d, out->w = x1 - x0;
    float lo = first ? -INFINITY : x0 - 0.01f, hi = last ? INFINITY : x1 - 0.01f;
    for (size_t i = 0; i < bx->ng; i++) {
        if (bx->g[i].x < lo || bx->g[i].x >= hi) continue;
        XGROW(out->g, out->capg, out->ng);
        out->g[out->ng] = bx->g[i];
        out->g[out->ng++].x -= x0;
    }
    for (size_t i = 0; i < bx->nr; i++) {
        if (bx->r[i].x < lo || bx->r[i].x >= hi) continue;
        XGROW(out->r, out->capr, out->nr);
        out->r[out->nr] = bx->r[i];
        out->r[out->nr++].x -= x0;
    }
}

/* \eqref{key} or \ref{key} alone: the equation's number as linked text. */
static bool ref_text(mathset_t *ms, para_t *p, const mathinfo_t *mi, pstyle_t st) {
    const mnode_t *r = mi->math->root;
    while (r && r->kind == MK_ROW && r->n_kids == 1)
        r = r->kids[0];
    if (!r || r->kind != MK_REF) return false;
    const char *num = book_math_ref(ms->b, r->text, NULL, NULL);
    char t[96];
    snprintf(t, sizeof t, r->paren ? "(%s)" : "%s", num ? num : "?");
    if (mi->link >= 0) st.link = (int)mi->link;
    para_text(p, t, strlen(t), st);
    return true;
}

static void *copy(const void *src, size_t n, size_t size) {
    if (!n) return NULL;
    void *d = xmalloc(n * size);
    memcpy(d, src, n * size);
    return d;
}

/* A formula's layout at size: a formula repeated (the same parse, as books
   repeat $x$ and their displays) is laid out once and copied. */
static void laid_box(mathset_t *ms, const mathinfo_t *mi, cmark_node *n, float size, bool display,
                     mbox_t *out) {
    char key[48];
    snprintf(key, sizeof key, "%p %ld %d", (void *)mi->math, lroundf(size * 1000), display);
    long k = strmap_get(&ms->laid, key);
    if (k < 0) {
        XGROW(ms->boxes, ms->capb, ms->nb);
        lay(ms, n, size, display, &ms->boxes[ms->nb]);
        strmap_put(&ms->laid, key, k = (long)ms->nb++);
    }
    const mbox_t *c = &ms->boxes[k];
    *out = *c;
    out->g = copy(c->g, c->ng, sizeof *c->g), out->capg = c->ng;
    out->r = copy(c->r, c->nr, sizeof *c->r), out->capr = c->nr;
    out->cut = copy(c->cut, c->ncut, sizeof *c->cut);
    out->rowy = copy(c->rowy, (size_t)c->nrowy, sizeof *c->rowy);
}

void mathset_measure(mathset_t *ms, float w) {
    if (ms) ms->measure = w;
}

bool mathset_inline(mathset_t *ms, para_t *p, cmark_node *n, pstyle_t st) {
    const mathinfo_t *mi = ms ? book_math_of(ms->b, n) : NULL;
    if (!mi) return false;
    if (ref_text(ms, p, mi, st)) return true;
    mbox_t bx;
    laid_box(ms, mi, n, st.size * MATH_SCALE, false, &bx);
    /* a piece no line can hold (no relation or operator to break at within the
       measure) is set smaller until it fits, as a display is: past the margin
       it would be cut off */
    float widest = 0, from = 0;
    for (size_t k = 0; k <= bx.ncut; k++) {
        float to = k < bx.ncut ? bx.cut[k].end : bx.w;
        widest = fmaxf(widest, to - from);
        if (k < bx.ncut) from = bx.cut[k].start;
    }
    if (ms->measure > 0 && widest > ms->measure) {
        float k = ms->measure / widest * 0.98f;
        mbox_free(&bx);
        laid_box(ms, mi, n, st.size * MATH_SCALE * k, false, &bx);
    }
    int form = add_form(ms, n, mi->display);
    /* piece k runs from the start of its first atom to the end of its operator */
    float x0 = 0, gap = 0;
    bool rel = false;
    for (size_t k = 0; k <= bx.ncut; k++) {
        float x1 = k < bx.ncut ? bx.cut[k].end : bx.w;
        XGROW(ms->pieces, ms->cap, ms->n);
        piece_t *pc = &ms->pieces[ms->n];
        if (bx.ncut == 0) {
            pc->box = bx; /* whole: no copy */
            memset(&bx, 0, sizeof bx);
        } else {
            slice(&bx, x0, x1, k == 0, k == bx.ncut, &pc->box);
        }
        pc->form = form;
        pc->first = k == 0;
        if (pc->first)
            para_object(p, pc->box.w, (int)ms->n, st);
        else
            para_object_after(p, pc->box.w, gap, rel, (int)ms->n, st);
        ms->n++;
        if (k < bx.ncut)
            x0 = bx.cut[k].start, gap = bx.cut[k].start - bx.cut[k].end, rel = bx.cut[k].rel;
    }
    mbox_free(&bx);
    return true;
}

/* Appends the box's glyphs to line ln at (x, baseline + rise) in the style of g. */
static void put_glyphs(mathset_t *ms, line_t *ln, size_t *cap, const mbox_t *bx, float x,
                       float rise, int link) {
    for (size_t i = 0; i < bx->ng; i++) {
        const mglyph_t *m = &bx->g[i];
        uint32_t cp = m->cp;
        fontset_use_glyph(ms->fs, m->font, m->gid, &cp, cp ? 1 : 0);
        XGROW(ln->g, *cap, ln->n);
        float adv = (float)fontset_glyph_advance(ms->fs, m->font, m->gid) * m->size;
        ln->g[ln->n++] = (glyph_t){.cp = cp ? cp : 0xFFFC,
                                   .font = m->font,
                                   .size = m->size,
                                   .rise = rise + m->y,
                                   .x = x + m->x,
                                   .adv = adv,
                                   .link = m->link1 ? m->link1 - 1 : link,
                                   .note = -1,
                                   .gid = m->gid,
                                   .nchars = cp ? 1 : 0,
                                   .color = m->color & 0xFFFFFF};
    }
}

/* Glyphs of one baseline, size and font side by side: the PDF writes each such
   run with one text matrix (the text layer is the formula's ActualText, so
   their order does not matter to a reader). */
static int by_run(const void *pa, const void *pb) {
    const glyph_t *a = pa, *b = pb;
    if (a->rise != b->rise) return a->rise < b->rise ? -1 : 1;
    if (a->size != b->size) return a->size < b->size ? -1 : 1;
    if (a->font != b->font) return a->font - b->font;
    return (a->x > b->x) - (a->x < b->x);
}

/* Fraction bars and radical rules: drawn as decoration (the Formula's /Alt reads them). */
static void put_rules(vbox_t *b, const mbox_t *bx, float x, float baseline) {
    for (size_t i = 0; i < bx->nr; i++) {
        const mrule_t *r = &bx->r[i];
        op_t *o = vbox_op(b, OP_RECT, x + r->x, baseline - (r->y + r->h));
        o->w = r->w;
        o->h = r->h;
        o->gray = 0;
        o->color = r->color & 0xFFFFFF;
    }
}

/* The Formula structure node of form f (made the first time one of its pieces
   is set), under parent (an op's tag); 0 when untagged. */
static int form_tag(mathset_t *ms, int f, int parent, bool block) {
    form_t *fm = &ms->forms[f];
    if (!ms->tree) return 0;
    if (fm->node < 0) {
        fm->node = stree_add(ms->tree, parent > 0 ? parent - 1 : 0, S_FORMULA, fm->alt);
        ms->tree->v[fm->node].attr = block ? 0 : 1;
    }
    return TAG_OF(fm->node);
}

void mathset_relink(op_t *prev, const op_t *cur) {
    if (prev && prev->line.word_continues)
        prev->line.next = cur->line.g, prev->line.n_next = cur->line.n;
}

void mathset_line(mathset_t *ms, vbox_t *b, size_t op) {
    if (!ms) return;
    line_t *ln = &b->ops[op].line;
    size_t nobj = 0;
    for (size_t i = 0; i < ln->n; i++)
        nobj += glyph_object(&ln->g[i]) >= 0 && (size_t)glyph_object(&ln->g[i]) < ms->n;
    if (!nobj) return;
    /* the text keeps its op; each formula's pieces on the line get one of their own
       (its own text layer and structure element) */
    line_t text = *ln, *forms = xcalloc(nobj, sizeof *forms);
    int *fid = xcalloc(nobj, sizeof *fid);
    bool *first = xcalloc(nobj, sizeof *first);
    size_t **pcs = xcalloc(nobj, sizeof *pcs), *npcs = xcalloc(nobj, sizeof *npcs);
    float **pxs = xcalloc(nobj, sizeof *pxs);
    text.g = NULL, text.n = 0;
    size_t cap = 0, k = 0, fcap = 0;
    for (size_t i = 0; i < ln->n; i++) {
        const glyph_t *g = &ln->g[i];
        long obj = glyph_object(g);
        if (obj < 0 || (size_t)obj >= ms->n) {
            XGROW(text.g, cap, text.n);
            text.g[text.n++] = *g;
            continue;
        }
        const piece_t *pc = &ms->pieces[obj];
        if (!k || fid[k - 1] != pc->form) { /* a new formula on this line */
            forms[k].width = ln->width;
            fid[k++] = pc->form;
            fcap = 0;
        }
        line_t *f = &forms[k - 1];
        put_glyphs(ms, f, &fcap, &pc->box, g->x, g->rise, g->link);
        f->natural = g->x + g->adv;
        first[k - 1] |= pc->first;
        pcs[k - 1] = xrealloc(pcs[k - 1], (npcs[k - 1] + 1) * sizeof **pcs);
        pxs[k - 1] = xrealloc(pxs[k - 1], (npcs[k - 1] + 1) * sizeof **pxs);
        pxs[k - 1][npcs[k - 1]] = g->x;
        pcs[k - 1][npcs[k - 1]++] = (size_t)obj;
    }
    float ox = b->ops[op].x, oy = b->ops[op].y;
    int parent = b->ops[op].tag;
    free(ln->g);
    *ln = text;
    for (size_t j = 0; j < k; j++) { /* vbox_op may move the ops: no pointer into them is kept */
        if (forms[j].n) qsort(forms[j].g, forms[j].n, sizeof *forms[j].g, by_run);
        int tag = form_tag(ms, fid[j], parent, false);
        op_t *o = vbox_op(b, OP_GLYPHS, ox, oy);
        o->line = forms[j];
        /* a formula broken across lines: its first line carries the TeX */
        o->actual = xstrdup(first[j] ? ms->forms[fid[j]].tex : "");
        o->tag = tag;
        for (size_t q = 0; q < npcs[j]; q++)
            put_rules(b, &ms->pieces[pcs[j][q]].box, ox + pxs[j][q], oy);
        free(pcs[j]), free(pxs[j]);
    }
    free(forms), free(fid), free(first), free(pcs), free(npcs), free(pxs);
}

/* "(2.3)" in the body font, as a line of glyphs. */
static line_t number_line(mathset_t *ms, const char *num, float size, float *w) {
    para_t *p = para_new(ms->fs, size);
    char t[96];
    snprintf(t, sizeof t, "(%s)", num);
    para_text(p, t, strlen(t), (pstyle_t){ROLE_BODY, size, 0, -1, -1, false});
    para_set_ragged(p, true);
    lines_t ls;
    para_layout(p, 1e5f, 0, &ls, NULL, NULL);
    para_free(p);
    line_t ln = {0};
    if (ls.n) {
        ln = ls.lines[0];
        ls.lines[0].g = NULL;
    }
    lines_free(&ls);
    *w = ln.natural;
    return ln;
}

bool mathset_display(mathset_t *ms, vlist_t *body, cmark_node *para, int parent, float x, float w,
                     float pitch, float size, int chapter) {
    if (!ms) return false;
    cmark_node *n = mathmd_display_of(ms->b, para);
    if (!n) return false;
    const mathinfo_t *mi = book_math_of(ms->b, n);
    float numw = 0;
    line_t num = {0};
    if (mi->number && !mi->n_rows) num = number_line(ms, mi->number, size, &numw);
    for (int r = 0; r < mi->n_rows; r++) /* rows' numbers: room for the widest */
        if (mi->rows[r].number) {
            float rw;
            line_t rl = number_line(ms, mi->rows[r].number, size, &rw);
            free(rl.g);
            numw = fmaxf(numw, rw);
        }
    float msize = size * MATH_SCALE, room = w - (numw > 0 ? 2 * (numw + size) : 0);
    mbox_t bx;
    laid_box(ms, mi, n, msize, true, &bx);
    /* too wide: smaller until it fits (a display is not broken into lines yet;
       standing out into the margin it would be cut off on a trimmed page) */
    if (bx.w > room && bx.w > 0) {
        float k = room / bx.w;
        mbox_free(&bx);
        laid_box(ms, mi, n, msize * k, true, &bx);
    }
    /* whole lines of the grid, half a line of air above and below at least */
    float need = bx.h + bx.d + pitch;
    float lines = ceilf(need / pitch - 0.001f);
    /* the anchors of rows after the first: empty boxes kept with the display */
    for (int r = 0; r < mi->n_rows; r++)
        if (mi->rows[r].anchor >= 0 && mi->rows[r].anchor != mi->anchor) {
            vbox_t *a = vlist_add(body, 0);
            a->chapter = chapter;
            a->anchor = (int)mi->rows[r].anchor;
            a->keep_with_next = true;
        }
    vbox_t *b = vlist_add(body, lines * pitch);
    b->chapter = chapter;
    b->src = para; /* the EPUB's page list finds the page a block starts on through it */
    if (mi->anchor >= 0) b->anchor = (int)mi->anchor; /* \eqref links land here */
    int form = add_form(ms, n, true);
    int tag = form_tag(ms, form, TAG_OF(parent), true);
    float baseline = (lines * pitch - (bx.h + bx.d)) / 2 + bx.h;
    float left = x + (w - bx.w) / 2;
    if (left + bx.w > x + w - (numw > 0 ? numw + size : 0)) left = x;
    op_t *o = vbox_op(b, OP_GLYPHS, 0, baseline);
    size_t cap = 0;
    put_glyphs(ms, &o->line, &cap, &bx, left, 0, -1);
    if (o->line.n) /* an empty display ("$$" alone before a blank line) has none */
        qsort(o->line.g, o->line.n, sizeof *o->line.g, by_run);
    o->line.width = w;
    o->line.natural = left + bx.w;
    o->actual = xstrdup(ms->forms[form].tex);
    o->tag = tag;
    put_rules(b, &bx, left, baseline);
    if (num.n) {
        op_t *no = vbox_op(b, OP_GLYPHS, x + w - numw, baseline);
        no->line = num;
        /* the number is read after the formula, as a label of its own */
        if (ms->tree) no->tag = TAG_OF(stree_add(ms->tree, parent, S_LBL, NULL));
    }
    /* align, gather: each numbered row's number level with its row */
    for (int r = 0; mi->n_rows && bx.nrowy == mi->n_rows && r < mi->n_rows; r++) {
        if (!mi->rows[r].number) continue;
        float rw;
        line_t rl = number_line(ms, mi->rows[r].number, size, &rw);
        op_t *no = vbox_op(b, OP_GLYPHS, x + w - rw, baseline - bx.rowy[r]);
        no->line = rl;
        if (ms->tree) no->tag = TAG_OF(stree_add(ms->tree, parent, S_LBL, NULL));
    }
    mbox_free(&bx);
    return true;
}
