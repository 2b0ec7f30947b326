/* The math path of the typesetter: see mathset.h. */
#include "mathset.h"
#include "../book/mathmd.h"
#include "../math/mbox.h"
#include "../util/xalloc.h"
#include <hb-ot.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Latin Modern's x-height is smaller than the body serif's: math is set a
   little larger so that its letters match the text around them. */
#define MATH_SCALE 1.1f

/* A display wider than the measure is set smaller until it fits, down to this
   share of its size; past it, it is hard to read, so it is broken into lines
   after its operators instead (DECISIONS.md), and the book is told. */
#define DISPLAY_FLOOR 0.6f

/* A formula's layout at one size, made once: a formula repeated (the same
   parse, as books repeat $x$ and their displays) and its pieces share it. */
typedef struct {
    mbox_t box;
    float *adv; /* each glyph's advance in em (fontset_glyph_advance) */
    bool used;  /* its glyphs are recorded in the fontset (for the PDF's subsets) */
} laid_t;

/* An inline formula may be cut into pieces where a line may break (after a
   top-level relation or binary operator); each piece is one paragraph object:
   the glyphs and rules of its layout with x in [lo, hi), moved left by x0. */
typedef struct {
    int laid; /* index into laid */
    float x0, lo, hi;
    size_t ng;  /* how many glyphs that is */
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
    strmap_t keys; /* "L math size display" -> index into laid: layouts made before;
                      "A math" -> index into forms: alternate texts made before */
    laid_t *laid;
    size_t nl, capl;
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
    strmap_init(&ms->keys);
    return ms;
}

void mathset_free(mathset_t *ms) {
    if (!ms) return;
    for (size_t i = 0; i < ms->nf; i++)
        free(ms->forms[i].tex), free(ms->forms[i].alt);
    free(ms->pieces);
    free(ms->forms);
    for (size_t i = 0; i < ms->nl; i++)
        mbox_free(&ms->laid[i].box), free(ms->laid[i].adv);
    free(ms->laid);
    strmap_free(&ms->keys);
    mbox_fonts_release(&ms->mf);
    free(ms);
}

/* A map key: tag, then the pointer and two numbers in hex (printf is slow for
   a key made at every formula). k holds 64 bytes. */
static const char *key_of(char *k, char tag, const void *ptr, unsigned long a, unsigned long b) {
    static const char hex[] = "0123456789abcdef";
    char *w = k;
    *w++ = tag;
    unsigned long v[3] = {(unsigned long)(uintptr_t)ptr, a, b};
    for (int i = 0; i < 3; i++) {
        *w++ = ' ';
        for (int sh = 60; sh >= 0; sh -= 4)
            if (v[i] >> sh || !sh) *w++ = hex[v[i] >> sh & 15];
    }
    *w = '\0';
    return k;
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
    size_t tl = strlen(tex), dl = strlen(d);
    f->tex = xmalloc(tl + 2 * dl + 1);
    memcpy(f->tex, d, dl);
    memcpy(f->tex + dl, tex, tl);
    memcpy(f->tex + dl + tl, d, dl + 1);
    /* a repeated formula (the same parse) has the same alternate text */
    char key[64];
    key_of(key, 'A', mi->math, 0, 0);
    long same = strmap_get(&ms->keys, key);
    f->alt = same >= 0 ? xstrdup(ms->forms[same].alt) : math_linear(mi->math, ref_number, ms);
    if (same < 0) strmap_put(&ms->keys, key, (long)ms->nf);
    f->node = -1;
    return (int)ms->nf++;
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

/* A formula's layout at size (see laid_t), made the first time it is asked for. */
static int laid_box(mathset_t *ms, const mathinfo_t *mi, cmark_node *n, float size, bool display) {
    char key[64];
    key_of(key, 'L', mi->math, (unsigned long)lroundf(size * 1000), display);
    long k = strmap_get(&ms->keys, key);
    if (k >= 0) return (int)k;
    XGROW(ms->laid, ms->capl, ms->nl);
    laid_t *l = &ms->laid[ms->nl];
    lay(ms, n, size, display, &l->box);
    l->adv = xmalloc((l->box.ng ? l->box.ng : 1) * sizeof *l->adv);
    for (size_t i = 0; i < l->box.ng; i++)
        l->adv[i] = (float)fontset_glyph_advance(ms->fs, l->box.g[i].font, l->box.g[i].gid);
    l->used = false;
    strmap_put(&ms->keys, key, (long)ms->nl);
    return (int)ms->nl++;
}

void mathset_measure(mathset_t *ms, float w) {
    if (ms) ms->measure = w;
}

bool mathset_inline(mathset_t *ms, para_t *p, cmark_node *n, pstyle_t st) {
    const mathinfo_t *mi = ms ? book_math_of(ms->b, n) : NULL;
    if (!mi) return false;
    if (ref_text(ms, p, mi, st)) return true;
    int li = laid_box(ms, mi, n, st.size * MATH_SCALE, false);
    /* a piece no line can hold (no relation or operator to break at within the
       measure) is set smaller until it fits, as a display is: past the margin
       it would be cut off */
    const mbox_t *bx = &ms->laid[li].box;
    float widest = 0, from = 0;
    for (size_t k = 0; k <= bx->ncut; k++) {
        float to = k < bx->ncut ? bx->cut[k].end : bx->w;
        widest = fmaxf(widest, to - from);
        if (k < bx->ncut) from = bx->cut[k].start;
    }
    if (ms->measure > 0 && widest > ms->measure) {
        float k = ms->measure / widest * 0.98f;
        li = laid_box(ms, mi, n, st.size * MATH_SCALE * k, false);
        bx = &ms->laid[li].box;
    }
    int form = add_form(ms, n, mi->display);
    /* piece k runs from the start of its first atom to the end of its operator;
       the first and the last also take what lies before or after them */
    float x0 = 0, gap = 0;
    bool rel = false;
    for (size_t k = 0; k <= bx->ncut; k++) {
        float x1 = k < bx->ncut ? bx->cut[k].end : bx->w;
        XGROW(ms->pieces, ms->cap, ms->n);
        piece_t *pc = &ms->pieces[ms->n];
        *pc = (piece_t){.laid = li, .form = form, .first = k == 0, .ng = bx->ng};
        pc->lo = k == 0 ? -INFINITY : x0 - 0.01f;
        pc->hi = k == bx->ncut ? INFINITY : x1 - 0.01f;
        pc->x0 = bx->ncut ? x0 : 0;
        if (bx->ncut) {
            pc->ng = 0;
            for (size_t i = 0; i < bx->ng; i++)
                pc->ng += bx->g[i].x >= pc->lo && bx->g[i].x < pc->hi;
        }
        if (pc->first)
            para_object(p, bx->ncut ? x1 - x0 : bx->w, (int)ms->n, st);
        else
            para_object_after(p, x1 - x0, gap, rel, (int)ms->n, st);
        ms->n++;
        if (k < bx->ncut)
            x0 = bx->cut[k].start, gap = bx->cut[k].start - bx->cut[k].end, rel = bx->cut[k].rel;
    }
    return true;
}

/* Records the glyphs of layout l in the fontset (the PDF subsets its fonts to
   what is recorded) the first time one of its pieces is set. */
static void use_glyphs(mathset_t *ms, laid_t *l) {
    if (l->used) return;
    l->used = true;
    for (size_t i = 0; i < l->box.ng; i++) {
        const mglyph_t *m = &l->box.g[i];
        uint32_t cp = m->cp;
        fontset_use_glyph(ms->fs, m->font, m->gid, &cp, cp ? 1 : 0);
    }
}

/* Appends the glyphs of layout l with x in [lo, hi), moved left by x0, to line
   ln at (x, baseline + rise) (room for them is there). */
static void put_glyphs(mathset_t *ms, line_t *ln, laid_t *l, float x0, float lo, float hi, float x,
                       float rise, int link) {
    use_glyphs(ms, l);
    for (size_t i = 0; i < l->box.ng; i++) {
        const mglyph_t *m = &l->box.g[i];
        if (m->x < lo || m->x >= hi) continue;
        uint32_t cp = m->cp;
        ln->g[ln->n++] = (glyph_t){.cp = cp ? cp : 0xFFFC,
                                   .font = m->font,
                                   .size = m->size,
                                   .rise = rise + m->y,
                                   .x = x + (m->x - x0),
                                   .adv = l->adv[i] * m->size,
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
static int by_run(const glyph_t *a, const glyph_t *b) {
    if (a->rise != b->rise) return a->rise < b->rise ? -1 : 1;
    if (a->size != b->size) return a->size < b->size ? -1 : 1;
    if (a->font != b->font) return a->font - b->font;
    return (a->x > b->x) - (a->x < b->x);
}

static int by_run_q(const void *a, const void *b) {
    return by_run(a, b);
}

/* Sorts a formula's glyphs by run, stably (as qsort's merge sort does): laid
   out left to right they are nearly in order already, which insertion sort
   takes in one pass; a long one that is not goes to qsort. */
static void sort_runs(glyph_t *g, size_t n) {
    size_t moved = 0;
    for (size_t i = 1; i < n; i++) {
        if (by_run(&g[i - 1], &g[i]) <= 0) continue;
        if ((moved += i) > 4 * n + 64) { /* far from sorted */
            qsort(g, n, sizeof *g, by_run_q);
            return;
        }
        glyph_t t = g[i];
        size_t j = i;
        for (; j > 0 && by_run(&g[j - 1], &t) > 0; j--)
            g[j] = g[j - 1];
        g[j] = t;
    }
}

/* The rules of layout bx with x in [lo, hi), moved left by x0, at (x, baseline):
   fraction bars and radical rules, drawn as decoration (the Formula's /Alt reads them). */
static void put_rules(vbox_t *b, const mbox_t *bx, float x0, float lo, float hi, float x,
                      float baseline) {
    for (size_t i = 0; i < bx->nr; i++) {
        const mrule_t *r = &bx->r[i];
        if (r->x < lo || r->x >= hi) continue;
        op_t *o = vbox_op(b, OP_RECT, x + (r->x - x0), baseline - (r->y + r->h));
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

bool mathset_extent(const mathset_t *ms, const line_t *ln, float *h, float *d) {
    bool any = false;
    *h = *d = 0;
    for (size_t i = 0; ms && i < ln->n; i++) {
        long obj = glyph_object(&ln->g[i]);
        if (obj < 0 || (size_t)obj >= ms->n) continue;
        const mbox_t *box = &ms->laid[ms->pieces[obj].laid].box;
        if (box->h + ln->g[i].rise > *h) *h = box->h + ln->g[i].rise;
        if (box->d - ln->g[i].rise > *d) *d = box->d - ln->g[i].rise;
        any = true;
    }
    return any;
}

void mathset_line(mathset_t *ms, vbox_t *b, size_t op) {
    if (!ms) return;
    line_t *ln = &b->ops[op].line;
    size_t nobj = 0;
    for (size_t i = 0; i < ln->n; i++)
        nobj += glyph_object(&ln->g[i]) >= 0 && (size_t)glyph_object(&ln->g[i]) < ms->n;
    if (!nobj) return;
    /* the text keeps its op; each formula's pieces on the line get one of their own
       (its own text layer and structure element): set[] holds the line's pieces in
       order, the pieces of formula j from set[from[j]] to set[from[j + 1]] */
    struct set {
        const glyph_t *at; /* the piece's object placeholder */
        size_t piece;
    } *set = xmalloc(nobj * sizeof *set);
    size_t *from = xmalloc((nobj + 1) * sizeof *from), k = 0, ns = 0;
    line_t text = *ln;
    text.g = ln->n > nobj ? xmalloc((ln->n - nobj) * sizeof *text.g) : NULL, text.n = 0;
    for (size_t i = 0; i < ln->n; i++) {
        const glyph_t *g = &ln->g[i];
        long obj = glyph_object(g);
        if (obj < 0 || (size_t)obj >= ms->n) {
            text.g[text.n++] = *g;
            continue;
        }
        if (!k || ms->pieces[set[from[k - 1]].piece].form != ms->pieces[obj].form)
            from[k++] = ns; /* a new formula on this line */
        set[ns++] = (struct set){g, (size_t)obj};
    }
    from[k] = ns;
    float ox = b->ops[op].x, oy = b->ops[op].y;
    int parent = b->ops[op].tag;
    glyph_t *old = ln->g;
    *ln = text;
    for (size_t j = 0; j < k; j++) { /* vbox_op may move the ops: no pointer into them is kept */
        line_t f = {.width = text.width};
        size_t ng = 0;
        bool first = false;
        for (size_t q = from[j]; q < from[j + 1]; q++)
            ng += ms->pieces[set[q].piece].ng;
        f.g = ng ? xmalloc(ng * sizeof *f.g) : NULL;
        for (size_t q = from[j]; q < from[j + 1]; q++) {
            const piece_t *pc = &ms->pieces[set[q].piece];
            const glyph_t *g = set[q].at;
            put_glyphs(ms, &f, &ms->laid[pc->laid], pc->x0, pc->lo, pc->hi, g->x, g->rise, g->link);
            f.natural = g->x + g->adv;
            first |= pc->first;
        }
        sort_runs(f.g, f.n);
        int fid = ms->pieces[set[from[j]].piece].form;
        int tag = form_tag(ms, fid, parent, false);
        op_t *o = vbox_op(b, OP_GLYPHS, ox, oy);
        o->line = f;
        /* a formula broken across lines: its first line carries the TeX */
        o->actual = xstrdup(first ? ms->forms[fid].tex : "");
        o->tag = tag;
        for (size_t q = from[j]; q < from[j + 1]; q++) {
            const piece_t *pc = &ms->pieces[set[q].piece];
            put_rules(b, &ms->laid[pc->laid].box, pc->x0, pc->lo, pc->hi, ox + set[q].at->x, oy);
        }
    }
    free(old), free(set), free(from);
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

/* The lines a display too wide for the measure is set in: line j holds its
   glyphs with x in [lo, hi), moved left by x0 (as an inline formula's pieces). */
typedef struct {
    float x0, lo, hi, w;
} dline_t;

/* Breaks box bx after its top-level operators (mbox's cuts), each line as full
   as room allows: how many lines went to out (at most ncut + 1), and in *widest
   the widest (a stretch between two cuts may be wider than room). */
static int break_display(const mbox_t *bx, float room, dline_t *out, float *widest) {
    int n = 0;
    float from = 0, end = 0; /* the current line's start and its end so far */
    *widest = 0;
    for (size_t k = 0; k <= bx->ncut; k++) {
        float st = k ? bx->cut[k - 1].start : 0; /* stretch k: from st to to */
        float to = k < bx->ncut ? bx->cut[k].end : bx->w;
        if (k == 0 || to - from > room) { /* it starts a line */
            if (n) out[n - 1].hi = end - 0.01f, out[n - 1].w = end - from;
            from = st;
            out[n++] = (dline_t){st, k ? st - 0.01f : -INFINITY, INFINITY, 0};
        }
        end = to;
    }
    out[n - 1].w = end - from;
    for (int j = 0; j < n; j++)
        *widest = fmaxf(*widest, out[j].w);
    return n;
}

/* A display's layout and lines: at size when it fits room; else smaller, down
   to DISPLAY_FLOOR of size; past that, at size again broken into lines after
   its top-level operators (the stretch between two of them set smaller if it
   is wider than room), or, with none to break at, smaller still. Either way a
   warning at the formula says so. */
static int fitted_display(mathset_t *ms, const mathinfo_t *mi, cmark_node *n, float size,
                          float room, dline_t **lines, int *nlines) {
    int li = laid_box(ms, mi, n, size, true);
    const mbox_t *bx = &ms->laid[li].box;
    float w = bx->w, k = room > 0 && w > 0 ? room / w : 1, widest;
    *lines = xmalloc((bx->ncut + 1) * sizeof **lines);
    *nlines = 1;
    (*lines)[0] = (dline_t){0, -INFINITY, INFINITY, w};
    if (k >= 1) return li;
    if (k >= DISPLAY_FLOOR || !bx->ncut) {
        if (k < DISPLAY_FLOOR)
            book_math_warn(ms->b, mi,
                           "display formula too wide: set at %.0f %% of its size to fit the "
                           "measure (%.0f pt for %.0f pt); break it into lines (aligned, multline)",
                           floorf(k * 100), w, room);
        li = laid_box(ms, mi, n, size * k, true);
        (*lines)[0].w = ms->laid[li].box.w;
        return li;
    }
    *nlines = break_display(bx, room, *lines, &widest);
    float kk = widest > room ? room / widest : 1;
    if (kk < 1) { /* a stretch wider than room: all of it smaller, broken again */
        li = laid_box(ms, mi, n, size * kk, true);
        *nlines = break_display(&ms->laid[li].box, room, *lines, &widest);
    }
    book_math_warn(ms->b, mi,
                   "display formula too wide (%.0f pt for %.0f pt): broken into %d lines after "
                   "its operators%s",
                   w, room, *nlines, kk < DISPLAY_FLOOR ? ", and set smaller" : "");
    return li;
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
    dline_t *dl;
    int ndl;
    int li = fitted_display(ms, mi, n, msize, room, &dl, &ndl);
    laid_t *l = &ms->laid[li];
    const mbox_t bx = l->box;
    /* lines of a broken display a little more than the formula's height apart */
    float step = ndl > 1 ? fmaxf(pitch, bx.h + bx.d + 0.25f * size) : 0;
    float tall = bx.h + bx.d + (float)(ndl - 1) * step;
    /* whole lines of the grid, half a line of air above and below at least */
    float need = tall + pitch;
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
    float baseline = (lines * pitch - tall) / 2 + bx.h;
    for (int j = 0; j < ndl; j++) {
        const dline_t *d = &dl[j];
        /* one line: centred; broken, as multline sets it: the first line flush
           left, the last flush right, those between centred */
        float left = x + (w - d->w) / 2;
        if (ndl > 1) left = j == 0 ? x : j == ndl - 1 ? x + room - d->w : x + (room - d->w) / 2;
        if (left + d->w > x + w - (numw > 0 ? numw + size : 0)) left = x;
        float y = baseline + (float)j * step;
        op_t *o = vbox_op(b, OP_GLYPHS, 0, y);
        /* an empty display ("$$" alone before a blank line) has no glyphs */
        o->line.g = bx.ng ? xmalloc(bx.ng * sizeof *o->line.g) : NULL;
        put_glyphs(ms, &o->line, l, d->x0, d->lo, d->hi, left, 0, -1);
        sort_runs(o->line.g, o->line.n);
        o->line.width = w;
        o->line.natural = left + d->w;
        /* the first line carries the TeX, as an inline formula's first piece */
        o->actual = xstrdup(j == 0 ? ms->forms[form].tex : "");
        o->tag = tag;
        put_rules(b, &bx, d->x0, d->lo, d->hi, left, y);
    }
    float last = baseline + (float)(ndl - 1) * step; /* the number stands by the last line */
    free(dl);
    if (num.n) {
        op_t *no = vbox_op(b, OP_GLYPHS, x + w - numw, last);
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
    return true;
}
