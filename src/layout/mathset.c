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

struct mathset {
    const book_t *b;
    fontset_t *fs;
    int font; /* the math font */
    mfonts_t mf;
    mbox_t *boxes; /* inline objects, by id */
    char **tex;    /* their TeX, by id */
    size_t n, cap, cap_tex;
};

static int text_font(void *ctx, uint32_t cp, hb_font_t **hb) {
    mathset_t *ms = ctx;
    int f = fontset_pick(ms->fs, ROLE_BODY, cp);
    *hb = f >= 0 ? fontset_hb_font(ms->fs, f) : NULL;
    return f;
}

static const char *ref_number(void *ctx, const char *key) {
    mathset_t *ms = ctx;
    const mathinfo_t *mi = book_math_label(ms->b, key);
    return mi ? mi->number : NULL;
}

mathset_t *mathset_new(const book_t *b, fontset_t *fs) {
    int f = fontset_pick(fs, ROLE_MATH, 0x222B);
    if (f < 0 || !hb_ot_math_has_data(fontset_hb_face(fs, f))) return NULL;
    mathset_t *ms = xcalloc(1, sizeof *ms);
    ms->b = b;
    ms->fs = fs;
    ms->font = f;
    ms->mf = (mfonts_t){fontset_hb_font(fs, f), f, text_font, ref_number, ms, NULL};
    return ms;
}

void mathset_free(mathset_t *ms) {
    if (!ms) return;
    for (size_t i = 0; i < ms->n; i++)
        mbox_free(&ms->boxes[i]), free(ms->tex[i]);
    free(ms->boxes);
    free(ms->tex);
    mbox_fonts_release(&ms->mf);
    free(ms);
}

static void lay(mathset_t *ms, cmark_node *n, float size, bool display, mbox_t *out) {
    mbox_layout(book_math_of(ms->b, n)->math, &ms->mf, size, display,
                out); /* parsed by the loader */
}

bool mathset_inline(mathset_t *ms, para_t *p, cmark_node *n, pstyle_t st) {
    if (!ms || !book_math_of(ms->b, n)) return false;
    XGROW(ms->boxes, ms->cap, ms->n);
    XGROW(ms->tex, ms->cap_tex, ms->n);
    const char *tex = cmark_node_get_literal(n);
    ms->tex[ms->n] = xstrdup(tex ? tex : "");
    mbox_t *bx = &ms->boxes[ms->n];
    lay(ms, n, st.size * MATH_SCALE, false, bx);
    para_object(p, bx->w, (int)ms->n, st);
    ms->n++;
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
                                   .link = link,
                                   .note = -1,
                                   .gid = m->gid,
                                   .nchars = cp ? 1 : 0};
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

static void put_rules(vbox_t *b, const mbox_t *bx, float x, float baseline) {
    for (size_t i = 0; i < bx->nr; i++) {
        const mrule_t *r = &bx->r[i];
        op_t *o = vbox_op(b, OP_RECT, x + r->x, baseline - (r->y + r->h));
        o->w = r->w;
        o->h = r->h;
        o->gray = 0;
    }
}

void mathset_line(mathset_t *ms, vbox_t *b, size_t op) {
    if (!ms) return;
    line_t *ln = &b->ops[op].line;
    size_t nobj = 0;
    for (size_t i = 0; i < ln->n; i++)
        nobj += glyph_object(&ln->g[i]) >= 0 && (size_t)glyph_object(&ln->g[i]) < ms->n;
    if (!nobj) return;
    /* the text keeps its op; each formula gets one of its own (its own text layer) */
    line_t text = *ln, *forms = xcalloc(nobj, sizeof *forms);
    int *ids = xcalloc(nobj, sizeof *ids);
    float *xs = xcalloc(nobj, sizeof *xs);
    text.g = NULL, text.n = 0;
    size_t cap = 0, k = 0;
    for (size_t i = 0; i < ln->n; i++) {
        const glyph_t *g = &ln->g[i];
        long obj = glyph_object(g);
        if (obj < 0 || (size_t)obj >= ms->n) {
            XGROW(text.g, cap, text.n);
            text.g[text.n++] = *g;
            continue;
        }
        size_t fcap = 0;
        forms[k].width = ln->width;
        put_glyphs(ms, &forms[k], &fcap, &ms->boxes[obj], g->x, g->rise, g->link);
        forms[k].natural = g->x + g->adv;
        qsort(forms[k].g, forms[k].n, sizeof *forms[k].g, by_run);
        ids[k] = (int)obj;
        xs[k++] = g->x;
    }
    float ox = b->ops[op].x, oy = b->ops[op].y;
    free(ln->g);
    *ln = text;
    for (k = 0; k < nobj; k++) { /* vbox_op may move the ops: no pointer into them is kept */
        op_t *o = vbox_op(b, OP_GLYPHS, ox, oy);
        o->line = forms[k];
        o->actual = xstrdup(ms->tex[ids[k]]);
        put_rules(b, &ms->boxes[ids[k]], ox + xs[k], oy);
    }
    free(forms), free(ids), free(xs);
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

bool mathset_display(mathset_t *ms, vlist_t *body, cmark_node *para, float x, float w, float pitch,
                     float size, int chapter) {
    if (!ms) return false;
    cmark_node *n = mathmd_display_of(ms->b, para);
    if (!n) return false;
    const mathinfo_t *mi = book_math_of(ms->b, n);
    float numw = 0;
    line_t num = {0};
    if (mi->number) num = number_line(ms, mi->number, size, &numw);
    float msize = size * MATH_SCALE, room = w - (numw > 0 ? 2 * (numw + size) : 0);
    mbox_t bx;
    lay(ms, n, msize, true, &bx);
    if (bx.w > room && bx.w > 0) { /* too wide: smaller, down to 70% */
        float k = fmaxf(0.7f, room / bx.w);
        mbox_free(&bx);
        lay(ms, n, msize * k, true, &bx);
    }
    /* whole lines of the grid, half a line of air above and below at least */
    float need = bx.h + bx.d + pitch;
    float lines = ceilf(need / pitch - 0.001f);
    vbox_t *b = vlist_add(body, lines * pitch);
    b->chapter = chapter;
    b->src = para; /* the EPUB's page list finds the page a block starts on through it */
    float baseline = (lines * pitch - (bx.h + bx.d)) / 2 + bx.h;
    float left = x + (w - bx.w) / 2;
    if (left + bx.w > x + w - (numw > 0 ? numw + size : 0)) left = x;
    op_t *o = vbox_op(b, OP_GLYPHS, 0, baseline);
    size_t cap = 0;
    put_glyphs(ms, &o->line, &cap, &bx, left, 0, -1);
    qsort(o->line.g, o->line.n, sizeof *o->line.g, by_run);
    o->line.width = w;
    o->line.natural = left + bx.w;
    const char *tex = cmark_node_get_literal(n);
    o->actual = xstrdup(tex ? tex : "");
    put_rules(b, &bx, left, baseline);
    if (num.n) {
        op_t *no = vbox_op(b, OP_GLYPHS, x + w - numw, baseline);
        no->line = num;
    }
    mbox_free(&bx);
    return true;
}
