/* Math layout from the OpenType MATH table, following the rules of TeX's
   Appendix G as MathML Core restates them for OpenType fonts: styles (display,
   text, script, scriptscript; cramped), inter-atom spacing, scripts, limits,
   fractions, radicals, stretchy delimiters and accents, tables. Every length
   comes from the font's MATH constants or glyph data, at the style's size. */
#include "mbox.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <hb-ot.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { ST_D, ST_T, ST_S, ST_SS } style;

/* Glyph data of the math font: CFF extents cost a charstring run each, and the
   same few glyphs come back in every formula. */
typedef struct {
    float yb, h, adv,
        italic; /* y bearing, (negative) height, advance, italic correction: font units */
    bool known;
} gdata_t;

/* cp -> glyph of the math font, open addressing: a formula looks up the same
   few letters again and again */
#define CMAP_SLOTS 1024

struct mcache {
    hb_font_t *font;
    gdata_t *g;
    unsigned n;
    int32_t konst[HB_OT_MATH_CONSTANT_RADICAL_DEGREE_BOTTOM_RAISE_PERCENT + 1];
    bool kknown[HB_OT_MATH_CONSTANT_RADICAL_DEGREE_BOTTOM_RAISE_PERCENT + 1];
    struct {
        uint32_t cp, gid; /* cp 0: empty; gid 0: the font has none */
    } cmap[CMAP_SLOTS];
};

static struct mcache *cache_of(mfonts_t *f) {
    if (!f->cache || f->cache->font != f->math) {
        mbox_fonts_release(f);
        f->cache = xcalloc(1, sizeof *f->cache);
        f->cache->font = f->math;
        f->cache->n = hb_face_get_glyph_count(hb_font_get_face(f->math));
        f->cache->g = xcalloc(f->cache->n ? f->cache->n : 1, sizeof *f->cache->g);
    }
    return f->cache;
}

static const gdata_t *gd(mfonts_t *f, uint32_t gid) {
    static const gdata_t none = {0, 0, 0, 0, true};
    struct mcache *mc = cache_of(f);
    if (gid >= mc->n) return &none;
    gdata_t *d = &mc->g[gid];
    if (!d->known) {
        hb_glyph_extents_t e = {0};
        hb_font_get_glyph_extents(f->math, gid, &e);
        d->yb = (float)e.y_bearing;
        d->h = (float)e.height;
        d->adv = (float)hb_font_get_glyph_h_advance(f->math, gid);
        d->italic = (float)hb_ot_math_get_glyph_italics_correction(f->math, gid);
        d->known = true;
    }
    return d;
}

/* A MATH constant in font units, read once. */
static float konst(mfonts_t *f, hb_ot_math_constant_t k) {
    struct mcache *mc = cache_of(f);
    if ((size_t)k >= sizeof mc->konst / sizeof *mc->konst)
        return (float)hb_ot_math_get_constant(f->math, k);
    if (!mc->kknown[k]) mc->konst[k] = hb_ot_math_get_constant(f->math, k), mc->kknown[k] = true;
    return (float)mc->konst[k];
}

/* The math font's glyph for cp (0: none), remembered. */
static uint32_t nominal(mfonts_t *f, uint32_t cp) {
    struct mcache *mc = cache_of(f);
    if (!cp) return 0;
    for (unsigned i = (cp * 2654435761u) % CMAP_SLOTS, n = 0; n < CMAP_SLOTS;
         i = (i + 1) % CMAP_SLOTS, n++) {
        if (mc->cmap[i].cp == cp) return mc->cmap[i].gid;
        if (mc->cmap[i].cp) continue;
        hb_codepoint_t g = 0;
        if (!hb_font_get_nominal_glyph(f->math, cp, &g)) g = 0;
        mc->cmap[i].cp = cp, mc->cmap[i].gid = g;
        return g;
    }
    hb_codepoint_t g = 0; /* full: ask the font */
    return hb_font_get_nominal_glyph(f->math, cp, &g) ? g : 0;
}

void mbox_fonts_release(mfonts_t *f) {
    if (!f->cache) return;
    free(f->cache->g);
    free(f->cache);
    f->cache = NULL;
}

typedef struct {
    mfonts_t *f;
    float base;  /* pt */
    float size0; /* the formula's own size, pt: \small and the like scale it */
    float upem;
    float script_scale, sscript_scale;
    float stretch; /* target size for \middle delimiters inside a \left…\right (0: none) */
    bool lead_ord; /* the next row starts after an (empty) ordinary atom: aligned's right cells */
    bool top;      /* the next row is the formula's own: it records where lines may break */
    const mnode_t *rows_of; /* the table whose row baselines the result reports, or NULL */
    int depth;
} lctx;

typedef struct {
    style st;
    bool cramped;
} sty;

static float size_of(const lctx *c, style s) {
    return s <= ST_T ? c->base : s == ST_S ? c->base * c->script_scale : c->base * c->sscript_scale;
}

/* a font-unit length in pt at style s */
static float pt(const lctx *c, style s, float units) {
    return units * size_of(c, s) / c->upem;
}

static float K(const lctx *c, style s, hb_ot_math_constant_t k) {
    return pt(c, s, konst(c->f, k));
}

float mbox_constant(const mfonts_t *f, hb_ot_math_constant_t k, float size) {
    return (float)hb_ot_math_get_constant(f->math, k) * size /
           (float)hb_face_get_upem(hb_font_get_face(f->math));
}

static style sup_style(style s) {
    return s <= ST_T ? ST_S : ST_SS;
}
static style frac_style(style s) {
    return s == ST_D ? ST_T : s == ST_T ? ST_S : ST_SS;
}

/* ---------------------------------------------------------------- boxes */

static void put_glyph(mbox_t *b, int font, uint32_t gid, uint32_t cp, float x, float y,
                      float size) {
    XGROW(b->g, b->capg, b->ng);
    b->g[b->ng++] = (mglyph_t){font, gid, cp, x, y, size, 0};
}

static void put_rule(mbox_t *b, float x, float y, float w, float h) {
    XGROW(b->r, b->capr, b->nr);
    b->r[b->nr++] = (mrule_t){x, y, w, h, 0};
}

/* Copies child's contents into b at (dx, dy) and frees child's arrays. */
static void place(mbox_t *b, mbox_t *child, float dx, float dy) {
    if (!b->ng && !b->nr) { /* the first thing in b (a row's first atom): take its arrays */
        free(b->g), free(b->r);
        b->g = child->g, b->ng = child->ng, b->capg = child->capg;
        b->r = child->r, b->nr = child->nr, b->capr = child->capr;
        child->g = NULL, child->r = NULL, child->ng = child->nr = 0;
        for (size_t i = 0; i < b->ng; i++)
            b->g[i].x += dx, b->g[i].y += dy;
        for (size_t i = 0; i < b->nr; i++)
            b->r[i].x += dx, b->r[i].y += dy;
        mbox_free(child);
        return;
    }
    if (b->ng + child->ng > b->capg) {
        size_t cap = b->capg ? 2 * b->capg : 16;
        while (cap < b->ng + child->ng)
            cap *= 2;
        b->g = xrealloc(b->g, cap * sizeof *b->g);
        b->capg = cap;
    }
    for (size_t i = 0; i < child->ng; i++) {
        mglyph_t g = child->g[i];
        g.x += dx, g.y += dy;
        b->g[b->ng++] = g;
    }
    for (size_t i = 0; i < child->nr; i++) {
        mrule_t r = child->r[i];
        r.x += dx, r.y += dy;
        XGROW(b->r, b->capr, b->nr);
        b->r[b->nr++] = r;
    }
    mbox_free(child);
}

void mbox_free(mbox_t *b) {
    free(b->g);
    free(b->r);
    free(b->cut);
    free(b->rowy);
    b->g = NULL, b->r = NULL, b->cut = NULL, b->rowy = NULL;
    b->ng = b->capg = b->nr = b->capr = b->ncut = 0;
    b->nrowy = 0;
}

static void empty(mbox_t *b, mclass cls) {
    memset(b, 0, sizeof *b);
    b->cls = cls;
}

/* A glyph of the math font as a box. */
static void glyph_box(const lctx *c, style s, uint32_t gid, uint32_t cp, mbox_t *b) {
    empty(b, MC_ORD);
    const gdata_t *g = gd(c->f, gid);
    b->w = pt(c, s, g->adv);
    b->h = pt(c, s, g->yb);
    b->d = pt(c, s, -(g->yb + g->h));
    if (b->h < 0) b->h = 0;
    if (b->d < 0) b->d = 0;
    b->italic = pt(c, s, g->italic);
    b->single = true;
    b->gid = gid;
    put_glyph(b, c->f->math_font, gid, cp, 0, 0, size_of(c, s));
}

static bool math_gid(const lctx *c, uint32_t cp, uint32_t *gid) {
    *gid = nominal(c->f, cp);
    return *gid != 0;
}

static bool is_prime(uint32_t cp) {
    return (cp >= 0x2032 && cp <= 0x2037) || cp == 0x2057;
}

/* A prime's glyph in a script: the font's ssty variant. U+2032 is drawn raised,
   to stand on the baseline after a letter; scaled down and shifted up as the
   superscript f' is, it floated far above and right of the letter. The
   variant is drawn for that place (KaTeX's \prime is too). Other characters
   keep their glyph: their variants only retouch the drawing. */
static uint32_t script_form(const lctx *c, style s, uint32_t cp, uint32_t gid) {
    if (s < ST_S || !is_prime(cp)) return gid;
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_codepoints(buf, &cp, 1, 0, 1);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, HB_SCRIPT_MATH);
    hb_feature_t ssty = {HB_TAG('s', 's', 't', 'y'), s == ST_S ? 1 : 2, 0, (unsigned)-1};
    hb_shape(c->f->math, buf, &ssty, 1);
    unsigned n = 0;
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(buf, &n);
    uint32_t v = n == 1 && gi[0].codepoint ? gi[0].codepoint : gid;
    hb_buffer_destroy(buf);
    return v;
}

/* A character: the math font's glyph, else a text font's, else a visible '?'. */
static void char_box(const lctx *c, style s, uint32_t cp, mbox_t *b) {
    uint32_t gid;
    if (math_gid(c, cp, &gid)) {
        glyph_box(c, s, script_form(c, s, cp, gid), cp, b);
        return;
    }
    hb_font_t *hb = NULL;
    int font = c->f->text_font ? c->f->text_font(c->f->ctx, cp, &hb) : -1;
    hb_codepoint_t g = 0;
    if (font >= 0 && hb && hb_font_get_nominal_glyph(hb, cp, &g)) {
        empty(b, MC_ORD);
        float up = (float)hb_face_get_upem(hb_font_get_face(hb)), sz = size_of(c, s);
        hb_glyph_extents_t e = {0};
        hb_font_get_glyph_extents(hb, g, &e);
        b->w = (float)hb_font_get_glyph_h_advance(hb, g) * sz / up;
        b->h = fmaxf(0, (float)e.y_bearing * sz / up);
        b->d = fmaxf(0, -(float)(e.y_bearing + e.height) * sz / up);
        put_glyph(b, font, g, cp, 0, 0, sz);
        return;
    }
    if (math_gid(c, '?', &gid))
        glyph_box(c, s, gid, '?', b);
    else
        empty(b, MC_ORD);
}

/* Appends box k to the right of b (a horizontal list). */
static void hcat(mbox_t *b, mbox_t *k, float gap) {
    float x = b->w + gap;
    b->h = fmaxf(b->h, k->h);
    b->d = fmaxf(b->d, k->d);
    b->w = x + k->w;
    place(b, k, x, 0);
}

/* ---------------------------------------------------------------- stretchy glyphs */

/* A glyph of the math font for cp at least `target` long (pt) in direction dir:
   the first size variant that is long enough, else the glyph assembly. The box
   has the glyph at its natural baseline (vertical) or left edge (horizontal). */
static void stretch(const lctx *c, style s, uint32_t cp, hb_direction_t dir, float target,
                    mbox_t *b) {
    uint32_t gid;
    if (!math_gid(c, cp, &gid)) {
        char_box(c, s, cp, b);
        return;
    }
    float sz = size_of(c, s), k = sz / c->upem;
    hb_ot_math_glyph_variant_t v[32];
    unsigned n = 32;
    hb_ot_math_get_glyph_variants(c->f->math, gid, dir, 0, &n, v);
    for (unsigned i = 0; i < n; i++) {
        if ((float)v[i].advance * k >= target || i + 1 == n) {
            bool last = i + 1 == n;
            /* the largest variant may still be short: an assembly does better */
            if (!last || (float)v[i].advance * k >= target) {
                glyph_box(c, s, v[i].glyph, cp, b);
                return;
            }
        }
    }
    hb_ot_math_glyph_part_t parts[16];
    unsigned np = 16;
    hb_position_t ital;
    hb_ot_math_get_glyph_assembly(c->f->math, gid, dir, 0, &np, parts, &ital);
    if (np == 0 || np > 16) {
        if (n)
            glyph_box(c, s, v[n - 1].glyph, cp, b);
        else
            glyph_box(c, s, gid, cp, b);
        return;
    }
    float overlap = (float)hb_ot_math_get_min_connector_overlap(c->f->math, dir) * k;
    /* the smallest number of extender repeats that reaches the target */
    int reps = 0;
    float total = 0;
    for (reps = 0; reps < 200; reps++) {
        total = 0;
        int count = 0;
        for (unsigned i = 0; i < np; i++) {
            int times = (parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER) ? reps : 1;
            total += (float)parts[i].full_advance * k * (float)times;
            count += times;
        }
        total -= overlap * (float)(count > 0 ? count - 1 : 0);
        if (total >= target) break;
    }
    int count = 0;
    for (unsigned i = 0; i < np; i++)
        count += (parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER) ? reps : 1;
    /* spread what is too long over the joints, as far as the connectors allow */
    float extra = count > 1 ? (total - target) / (float)(count - 1) : 0;
    empty(b, MC_ORD);
    float pos = 0;
    hb_codepoint_t prev_end = 0;
    bool first = true;
    for (unsigned i = 0; i < np; i++) {
        int times = (parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER) ? reps : 1;
        for (int t = 0; t < times; t++) {
            if (!first) {
                float conn = fminf((float)prev_end, (float)parts[i].start_connector_length) * k;
                float ov = fminf(overlap + extra, fmaxf(conn, overlap));
                pos -= ov;
            }
            if (dir == HB_DIRECTION_BTT)
                put_glyph(b, c->f->math_font, parts[i].glyph, first ? cp : 0, 0, pos, sz);
            else
                put_glyph(b, c->f->math_font, parts[i].glyph, first ? cp : 0, pos, 0, sz);
            pos += (float)parts[i].full_advance * k;
            prev_end = (hb_codepoint_t)parts[i].end_connector_length;
            first = false;
        }
    }
    if (dir == HB_DIRECTION_BTT) {
        /* parts stack up from y = 0; the caller centres the result */
        const gdata_t *g0 = gd(c->f, parts[0].glyph);
        float below = -(g0->yb + g0->h) * k; /* the bottom part's depth */
        for (size_t i = 0; i < b->ng; i++)
            b->g[i].y += below;
        b->h = pos;
        b->d = 0;
        b->w = 0;
        for (unsigned i = 0; i < np; i++)
            b->w = fmaxf(b->w, gd(c->f, parts[i].glyph)->adv * k);
    } else {
        const gdata_t *g0 = gd(c->f, parts[0].glyph);
        b->w = pos;
        b->h = g0->yb * k;
        b->d = fmaxf(0, -(g0->yb + g0->h) * k);
    }
}

/* A vertical delimiter of total size `target`, centred on the math axis. */
static void delimiter(const lctx *c, style s, uint32_t cp, float target, mbox_t *b) {
    if (!cp) { /* \left. : a null delimiter */
        empty(b, MC_OPEN);
        b->w = 1.2f * size_of(c, s) / 10;
        return;
    }
    stretch(c, s, cp, HB_DIRECTION_BTT, target, b);
    float axis = K(c, s, HB_OT_MATH_CONSTANT_AXIS_HEIGHT);
    float shift = axis - (b->h - b->d) / 2;
    for (size_t i = 0; i < b->ng; i++)
        b->g[i].y += shift;
    b->h += shift;
    b->d -= shift;
    b->single = false;
}

/* ---------------------------------------------------------------- nodes */

static void layout(lctx *c, const mnode_t *x, sty s, mbox_t *b);

static void row(lctx *c, const mnode_t *x, sty s, mbox_t *b);

static void text_run(lctx *c, style s, const char *t, mvariant v, mbox_t *b) {
    empty(b, MC_ORD);
    size_t n = strlen(t);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(t + i, n - i, &cp);
        i += l ? l : 1;
        if (cp == ' ' || cp == 0xA0) {
            b->w += 0.25f * size_of(c, s);
            continue;
        }
        uint32_t mcp = v == MV_NORMAL || v == MV_DEFAULT ? cp : math_variant_cp(cp, v);
        mbox_t g;
        char_box(c, s, mcp, &g);
        hcat(b, &g, 0);
    }
}

static void atom(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    uint32_t cp = 0;
    size_t tl = strlen(x->text);
    size_t l = utf8_decode(x->text, tl, &cp);
    if (x->size > 0) { /* \big( … \Bigg) */
        static const float f[] = {0, 1.2f, 1.8f, 2.4f, 3.0f};
        delimiter(c, s.st, cp, f[x->size > 4 ? 4 : x->size] * size_of(c, s.st), b);
        b->cls = x->cls;
        return;
    }
    if (x->stretchy && c->stretch > 0 && x->cls != MC_OP) {
        delimiter(c, s.st, cp, c->stretch, b);
        b->cls = x->cls;
        return;
    }
    if (x->cls == MC_OP) { /* a big operator: its display size, centred on the axis */
        uint32_t gid;
        if (!math_gid(c, cp, &gid)) {
            char_box(c, s.st, cp, b);
        } else if (s.st == ST_D) {
            float minh = K(c, s.st, HB_OT_MATH_CONSTANT_DISPLAY_OPERATOR_MIN_HEIGHT);
            stretch(c, s.st, cp, HB_DIRECTION_BTT, minh, b);
            if (b->ng == 1) { /* a variant: keep its italic correction */
                b->italic = pt(c, s.st, gd(c->f, b->g[0].gid)->italic);
                b->gid = b->g[0].gid;
            }
        } else {
            glyph_box(c, s.st, gid, cp, b);
        }
        float axis = K(c, s.st, HB_OT_MATH_CONSTANT_AXIS_HEIGHT);
        float shift = axis - (b->h - b->d) / 2;
        for (size_t i = 0; i < b->ng; i++)
            b->g[i].y += shift;
        b->h += shift, b->d -= shift;
        b->single = b->ng == 1;
        b->cls = MC_OP;
        return;
    }
    if (l < tl) { /* several characters (a \not combination) */
        text_run(c, s.st, x->text, MV_NORMAL, b);
        b->cls = x->cls;
        return;
    }
    uint32_t mcp = math_variant_cp(cp, x->variant);
    if (x->variant == MV_NORMAL) mcp = cp;
    char_box(c, s.st, mcp, b);
    b->cls = x->cls;
}

/* superscript and subscript shifts (OpenType MATH, as in MathML Core) */
static void scripts(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    mbox_t base, sub = {0}, sup = {0};
    layout(c, x->kids[0], s, &base);
    bool has_sub = x->kids[1], has_sup = x->kids[2];
    sty ss = {sup_style(s.st), s.cramped}, sb = {sup_style(s.st), true};
    if (has_sub) layout(c, x->kids[1], sb, &sub);
    if (has_sup) layout(c, x->kids[2], ss, &sup);
    style st = s.st;
    float sub_shift = 0, sup_shift = 0;
    if (has_sub) {
        sub_shift = fmaxf(K(c, st, HB_OT_MATH_CONSTANT_SUBSCRIPT_SHIFT_DOWN),
                          sub.h - K(c, st, HB_OT_MATH_CONSTANT_SUBSCRIPT_TOP_MAX));
        if (!base.single)
            sub_shift = fmaxf(sub_shift,
                              base.d + K(c, st, HB_OT_MATH_CONSTANT_SUBSCRIPT_BASELINE_DROP_MIN));
    }
    if (has_sup) {
        sup_shift = fmaxf(s.cramped ? K(c, st, HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP_CRAMPED)
                                    : K(c, st, HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP),
                          sup.d + K(c, st, HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MIN));
        if (!base.single)
            sup_shift = fmaxf(sup_shift,
                              base.h - K(c, st, HB_OT_MATH_CONSTANT_SUPERSCRIPT_BASELINE_DROP_MAX));
    }
    if (has_sub && has_sup) {
        float gap = (sup_shift - sup.d) - (sub.h - sub_shift);
        float min = K(c, st, HB_OT_MATH_CONSTANT_SUB_SUPERSCRIPT_GAP_MIN);
        if (gap < min) {
            float need = min - gap;
            /* raise the superscript as far as its bottom may go, lower the subscript for the rest
             */
            float room = K(c, st, HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MAX_WITH_SUBSCRIPT) -
                         (sup_shift - sup.d);
            float up = room > 0 ? fminf(room, need) : 0;
            sup_shift += up;
            sub_shift += need - up;
        }
    }
    float italic = base.single ? base.italic : 0;
    bool bigop = base.cls == MC_OP;
    float sup_x = base.w + (bigop ? 0 : italic), sub_x = base.w - (bigop ? italic : 0);
    if (base.single && has_sup) {
        sup_x += pt(c, st,
                    (float)hb_ot_math_get_glyph_kerning(
                        c->f->math, base.gid, HB_OT_MATH_KERN_TOP_RIGHT,
                        (hb_position_t)((sup_shift - sup.d) * c->upem / size_of(c, st))));
        if (bigop) sup_x = base.w; /* limits-less integrals: superscript after the glyph */
    }
    if (base.single && has_sub)
        sub_x += pt(c, st,
                    (float)hb_ot_math_get_glyph_kerning(
                        c->f->math, base.gid, HB_OT_MATH_KERN_BOTTOM_RIGHT,
                        (hb_position_t)((sub.h - sub_shift) * c->upem / size_of(c, st))));
    mclass cls = base.cls;
    empty(b, cls);
    b->w = base.w;
    b->h = base.h, b->d = base.d;
    place(b, &base, 0, 0);
    float after = K(c, st, HB_OT_MATH_CONSTANT_SPACE_AFTER_SCRIPT);
    if (has_sup) {
        b->w = fmaxf(b->w, sup_x + sup.w + after);
        b->h = fmaxf(b->h, sup_shift + sup.h);
        b->d = fmaxf(b->d, sup.d - sup_shift);
        place(b, &sup, sup_x, sup_shift);
    }
    if (has_sub) {
        b->w = fmaxf(b->w, sub_x + sub.w + after);
        b->h = fmaxf(b->h, sub.h - sub_shift);
        b->d = fmaxf(b->d, sub_shift + sub.d);
        place(b, &sub, sub_x, -sub_shift);
    }
}

/* limits above and below (big operators in display style, \overset, braces) */
static void limits(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    mbox_t base, under = {0}, over = {0};
    bool has_u = x->kids[1], has_o = x->kids[2];
    sty ls = {sup_style(s.st), s.cramped};
    if (has_u) layout(c, x->kids[1], (sty){ls.st, true}, &under);
    if (has_o) layout(c, x->kids[2], ls, &over);
    const mnode_t *bn = x->kids[0];
    bool arrow = bn->kind == MK_ATOM && bn->stretchy; /* \xrightarrow */
    if (arrow) {
        uint32_t cp;
        utf8_decode(bn->text, strlen(bn->text), &cp);
        float em = size_of(c, s.st);
        float want = fmaxf(fmaxf(under.w, over.w) + 0.6f * em, 1.2f * em);
        stretch(c, s.st, cp, HB_DIRECTION_LTR, want, &base);
        base.cls = MC_REL;
        base.single = false;
    } else {
        layout(c, bn, s, &base);
    }
    style st = s.st;
    bool brace = bn->kind == MK_ACCENT;
    float over_gap = brace ? K(c, st, HB_OT_MATH_CONSTANT_STRETCH_STACK_GAP_BELOW_MIN)
                           : K(c, st, HB_OT_MATH_CONSTANT_UPPER_LIMIT_GAP_MIN);
    float under_gap = brace ? K(c, st, HB_OT_MATH_CONSTANT_STRETCH_STACK_GAP_ABOVE_MIN)
                            : K(c, st, HB_OT_MATH_CONSTANT_LOWER_LIMIT_GAP_MIN);
    float rise = K(c, st, HB_OT_MATH_CONSTANT_UPPER_LIMIT_BASELINE_RISE_MIN);
    float drop = K(c, st, HB_OT_MATH_CONSTANT_LOWER_LIMIT_BASELINE_DROP_MIN);
    if (arrow) over_gap = under_gap = 0.1f * size_of(c, st), rise = drop = 0;
    float w = fmaxf(base.w, fmaxf(under.w, over.w));
    float italic = base.single ? base.italic : 0;
    mclass cls = base.cls;
    empty(b, cls);
    b->w = w;
    b->h = base.h, b->d = base.d;
    float bh = base.h, bd = base.d, bw = base.w;
    place(b, &base, (w - bw) / 2, 0);
    if (has_o) {
        float y = bh + fmaxf(over_gap + over.d, rise);
        b->h = y + over.h;
        place(b, &over, (w - over.w) / 2 + italic / 2, y);
    }
    if (has_u) {
        float y = bd + fmaxf(under_gap + under.h, drop);
        b->d = y + under.d;
        place(b, &under, (w - under.w) / 2 - italic / 2, -y);
    }
}

static void frac(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    style st = x->style == MS_DISPLAY ? ST_D : x->style == MS_TEXT && s.st == ST_D ? ST_T : s.st;
    sty ns = {frac_style(st), s.cramped}, ds = {frac_style(st), true};
    mbox_t num, den;
    layout(c, x->kids[0], ns, &num);
    layout(c, x->kids[1], ds, &den);
    bool D = st == ST_D;
    float axis = K(c, st, HB_OT_MATH_CONSTANT_AXIS_HEIGHT);
    float up, down;
    if (x->rule) {
        float t = K(c, st, HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS);
        up = D ? K(c, st, HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_DISPLAY_STYLE_SHIFT_UP)
               : K(c, st, HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_SHIFT_UP);
        down = D ? K(c, st, HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_DISPLAY_STYLE_SHIFT_DOWN)
                 : K(c, st, HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_SHIFT_DOWN);
        float ng = D ? K(c, st, HB_OT_MATH_CONSTANT_FRACTION_NUM_DISPLAY_STYLE_GAP_MIN)
                     : K(c, st, HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_GAP_MIN);
        float dg = D ? K(c, st, HB_OT_MATH_CONSTANT_FRACTION_DENOM_DISPLAY_STYLE_GAP_MIN)
                     : K(c, st, HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_GAP_MIN);
        up = fmaxf(up, axis + t / 2 + ng + num.d);
        down = fmaxf(down, den.h + dg - (axis - t / 2));
    } else {
        up = D ? K(c, st, HB_OT_MATH_CONSTANT_STACK_TOP_DISPLAY_STYLE_SHIFT_UP)
               : K(c, st, HB_OT_MATH_CONSTANT_STACK_TOP_SHIFT_UP);
        down = D ? K(c, st, HB_OT_MATH_CONSTANT_STACK_BOTTOM_DISPLAY_STYLE_SHIFT_DOWN)
                 : K(c, st, HB_OT_MATH_CONSTANT_STACK_BOTTOM_SHIFT_DOWN);
        float gmin = D ? K(c, st, HB_OT_MATH_CONSTANT_STACK_DISPLAY_STYLE_GAP_MIN)
                       : K(c, st, HB_OT_MATH_CONSTANT_STACK_GAP_MIN);
        float gap = (up - num.d) - (den.h - down);
        if (gap < gmin) up += (gmin - gap) / 2, down += (gmin - gap) / 2;
    }
    float pad = 0.12f * size_of(c, st); /* TeX's nulldelimiterspace on each side */
    float w = fmaxf(num.w, den.w) + 2 * pad;
    mbox_t f;
    empty(&f, MC_INNER);
    f.w = w;
    f.h = up + num.h;
    f.d = down + den.d;
    if (x->rule) {
        float t = K(c, st, HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS);
        put_rule(&f, pad * 0.5f, axis - t / 2, w - pad, t);
    }
    float nw = num.w, dw = den.w;
    place(&f, &num, (w - nw) / 2, up);
    place(&f, &den, (w - dw) / 2, -down);
    if (!x->l && !x->r) {
        *b = f;
        return;
    }
    /* \binom: parentheses around the stack */
    float target = 2 * fmaxf(f.h - axis, f.d + axis);
    empty(b, MC_INNER);
    mbox_t l, r;
    delimiter(c, st, x->l, target, &l);
    delimiter(c, st, x->r, target, &r);
    hcat(b, &l, 0);
    hcat(b, &f, 0);
    hcat(b, &r, 0);
    b->cls = MC_INNER;
}

static void radical(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    mbox_t body;
    layout(c, x->kids[0], (sty){s.st, true}, &body);
    style st = s.st;
    float t = K(c, st, HB_OT_MATH_CONSTANT_RADICAL_RULE_THICKNESS);
    float gap = st == ST_D ? K(c, st, HB_OT_MATH_CONSTANT_RADICAL_DISPLAY_STYLE_VERTICAL_GAP)
                           : K(c, st, HB_OT_MATH_CONSTANT_RADICAL_VERTICAL_GAP);
    float extra = K(c, st, HB_OT_MATH_CONSTANT_RADICAL_EXTRA_ASCENDER);
    mbox_t rad;
    stretch(c, st, 0x221A, HB_DIRECTION_BTT, body.h + body.d + gap + t, &rad);
    float rad_total = rad.h + rad.d;
    /* the glyph's top is the rule's top; any excess of the glyph goes into the gap (half) */
    float excess = rad_total - (body.h + body.d + gap + t);
    if (excess > 0) gap += excess / 2;
    float top = body.h + gap + t; /* where the rule's top is */
    float shift = top - rad.h;    /* move the radical so its top is there */
    empty(b, MC_ORD);
    float x0 = 0;
    if (x->kids[1]) {
        mbox_t deg;
        layout(c, x->kids[1], (sty){ST_SS, false}, &deg);
        float before = K(c, st, HB_OT_MATH_CONSTANT_RADICAL_KERN_BEFORE_DEGREE);
        float after = K(c, st, HB_OT_MATH_CONSTANT_RADICAL_KERN_AFTER_DEGREE);
        float raise = (float)hb_ot_math_get_constant(
                          c->f->math, HB_OT_MATH_CONSTANT_RADICAL_DEGREE_BOTTOM_RAISE_PERCENT) /
                      100.0f * rad_total;
        float dy = -(rad.d - shift) + raise + deg.d;
        b->h = fmaxf(b->h, dy + deg.h);
        float dw = deg.w;
        place(b, &deg, before, dy);
        x0 = fmaxf(0, before + dw + after);
    }
    float rw = rad.w;
    b->h = fmaxf(b->h, top + extra);
    b->d = fmaxf(body.d, rad.d - shift);
    place(b, &rad, x0, shift);
    put_rule(b, x0 + rw, top - t, body.w, t);
    float bw = body.w;
    place(b, &body, x0 + rw, 0);
    b->w = x0 + rw + bw;
}

static void fenced(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    float saved = c->stretch;
    c->stretch = 0;
    mbox_t body;
    row(c, x->kids[0], s, &body); /* first pass: the size of what the delimiters enclose */
    float axis = K(c, s.st, HB_OT_MATH_CONSTANT_AXIS_HEIGHT);
    float half = fmaxf(body.h - axis, body.d + axis);
    float target = fmaxf(2 * half * 0.901f, 2 * half - 0.5f * size_of(c, s.st));
    bool middles = false;
    for (int i = 0; i < x->kids[0]->n_kids; i++)
        middles |= x->kids[0]->kids[i]->kind == MK_ATOM && x->kids[0]->kids[i]->stretchy;
    if (middles) { /* again, with the \middle delimiters at that size */
        mbox_free(&body);
        c->stretch = target;
        row(c, x->kids[0], s, &body);
    }
    c->stretch = saved;
    mbox_t l, r;
    delimiter(c, s.st, x->l, target, &l);
    delimiter(c, s.st, x->r, target, &r);
    empty(b, MC_INNER);
    hcat(b, &l, 0);
    hcat(b, &body, 0);
    hcat(b, &r, 0);
    b->cls = MC_INNER;
}

static bool is_brace(uint32_t cp) {
    return cp == 0x23DE || cp == 0x23DF || cp == 0x23DC || cp == 0x23DD;
}

static void accent(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    mbox_t base;
    layout(c, x->kids[0], (sty){s.st, true}, &base);
    style st = s.st;
    float bw = base.w, bh = base.h, bd = base.d;
    empty(b, MC_ORD);
    b->w = bw, b->h = bh, b->d = bd;
    if (x->l == 0x305 || x->l == 0x332) { /* \overline, \underline: rules */
        bool under = x->l == 0x332;
        float t = K(c, st,
                    under ? HB_OT_MATH_CONSTANT_UNDERBAR_RULE_THICKNESS
                          : HB_OT_MATH_CONSTANT_OVERBAR_RULE_THICKNESS);
        float gap = K(c, st,
                      under ? HB_OT_MATH_CONSTANT_UNDERBAR_VERTICAL_GAP
                            : HB_OT_MATH_CONSTANT_OVERBAR_VERTICAL_GAP);
        float ex = K(c, st,
                     under ? HB_OT_MATH_CONSTANT_UNDERBAR_EXTRA_DESCENDER
                           : HB_OT_MATH_CONSTANT_OVERBAR_EXTRA_ASCENDER);
        if (under) {
            put_rule(b, 0, -(bd + gap + t), bw, t);
            b->d = bd + gap + t + ex;
        } else {
            put_rule(b, 0, bh + gap, bw, t);
            b->h = bh + gap + t + ex;
        }
        place(b, &base, 0, 0);
        return;
    }
    float attach = bw / 2;
    if (base.single)
        attach = pt(c, st, (float)hb_ot_math_get_glyph_top_accent_attachment(c->f->math, base.gid));
    mbox_t a;
    bool wide = x->stretchy || is_brace(x->l) || x->l == 0x2192 || x->l == 0x2190 || x->l == 0x2194;
    if (wide)
        stretch(c, st, x->l, HB_DIRECTION_LTR, bw, &a);
    else
        char_box(c, st, x->l, &a);
    float a_attach = a.w / 2;
    if (a.single)
        a_attach = pt(c, st, (float)hb_ot_math_get_glyph_top_accent_attachment(c->f->math, a.gid));
    bool combining = x->l >= 0x300 && x->l < 0x370;
    if (x->under) {
        float gap = K(c, st,
                      is_brace(x->l) ? HB_OT_MATH_CONSTANT_STRETCH_STACK_GAP_BELOW_MIN
                                     : HB_OT_MATH_CONSTANT_UNDERBAR_VERTICAL_GAP);
        float y = -(bd + gap + a.h);
        b->d = bd + gap + a.h + a.d;
        float ah = a.w;
        place(b, &a, (bw - ah) / 2, y);
        place(b, &base, 0, 0);
        return;
    }
    float y;
    if (combining || x->l == 0x20D7 || x->l == 0x20DB) {
        /* combining accents sit right over an x-height base; taller bases push them up */
        float abh = K(c, st, HB_OT_MATH_CONSTANT_ACCENT_BASE_HEIGHT);
        y = bh > abh ? bh - abh : 0;
    } else {
        float gap = K(c, st,
                      is_brace(x->l) ? HB_OT_MATH_CONSTANT_STRETCH_STACK_GAP_ABOVE_MIN
                                     : HB_OT_MATH_CONSTANT_OVERBAR_VERTICAL_GAP);
        y = bh + gap + a.d;
    }
    float ax = wide ? (bw - a.w) / 2 : attach - a_attach;
    b->h = fmaxf(bh, y + a.h);
    place(b, &a, ax, y);
    place(b, &base, 0, 0);
    if (ax < 0) { /* an accent wider than a narrow base: keep the box around it */
        for (size_t i = 0; i < b->ng; i++)
            b->g[i].x -= ax;
        for (size_t i = 0; i < b->nr; i++)
            b->r[i].x -= ax;
        b->w -= ax;
    }
}

static void table(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    int R = x->nrows, C = x->ncols;
    if (R <= 0 || C <= 0) {
        empty(b, MC_INNER);
        return;
    }
    bool aligned = x->align && C > 1 && x->align[0] == 'r' && x->align[1] == 'l';
    sty cs = {x->size ? ST_S : aligned ? s.st : (s.st == ST_D ? ST_T : s.st), s.cramped};
    mbox_t *cell = xcalloc((size_t)(R * C), sizeof *cell);
    float *cw = xcalloc((size_t)C, sizeof *cw), *rh = xcalloc((size_t)R, sizeof *rh),
          *rd = xcalloc((size_t)R, sizeof *rd);
    float em = size_of(c, cs.st);
    for (int r = 0; r < R; r++) {
        rh[r] = 0.72f * em, rd[r] = 0.3f * em; /* a strut keeps sparse rows apart */
        for (int k = 0; k < C; k++) {
            mbox_t *m = &cell[r * C + k];
            /* TeX sets aligned's right cells as {}=…: a relation there keeps its space */
            c->lead_ord = aligned && k % 2 == 1;
            if (x->kids[r * C + k])
                row(c, x->kids[r * C + k], cs, m);
            else
                empty(m, MC_ORD);
            c->lead_ord = false;
            cw[k] = fmaxf(cw[k], m->w);
            rh[r] = fmaxf(rh[r], m->h);
            rd[r] = fmaxf(rd[r], m->d);
        }
    }
    float colgap = aligned ? 0 : (x->l == '{' && !x->r) ? em : 0.8f * em;
    float rowgap = (aligned ? 0.25f : 0.2f) * em;
    float total = 0;
    for (int r = 0; r < R; r++)
        total += rh[r] + rd[r] + (r ? rowgap : 0);
    float axis = K(c, s.st, HB_OT_MATH_CONSTANT_AXIS_HEIGHT);
    mbox_t t;
    empty(&t, MC_INNER);
    t.h = total / 2 + axis;
    t.d = total / 2 - axis;
    float y = t.h, xw = 0;
    for (int k = 0; k < C; k++)
        xw += cw[k] + (k ? (aligned && k % 2 ? 0 : aligned ? 2 * em : colgap) : 0);
    t.w = xw;
    bool report = x == c->rows_of && !x->l && !x->r;
    if (report) t.rowy = xcalloc((size_t)R, sizeof *t.rowy), t.nrowy = R;
    for (int r = 0; r < R; r++) {
        y -= rh[r];
        if (report) t.rowy[r] = y;
        float cx = 0;
        for (int k = 0; k < C; k++) {
            if (k) cx += aligned && k % 2 ? 0 : aligned ? 2 * em : colgap;
            mbox_t *m = &cell[r * C + k];
            char a = x->align ? x->align[k] : 'c';
            float dx = a == 'l' ? 0 : a == 'r' ? cw[k] - m->w : (cw[k] - m->w) / 2;
            /* an aligned right half starts with its relation: TeX puts a thick space before it */
            place(&t, m, cx + dx, y);
            cx += cw[k];
        }
        y -= rd[r] + rowgap;
    }
    free(cell), free(cw), free(rh), free(rd);
    if (!x->l && !x->r) {
        *b = t;
        return;
    }
    float half = fmaxf(t.h - axis, t.d + axis);
    empty(b, MC_INNER);
    mbox_t l, r;
    delimiter(c, s.st, x->l, 2 * half, &l);
    delimiter(c, s.st, x->r, 2 * half, &r);
    float pad = x->l == '{' && !x->r ? 0.3f * em : 0.1f * em;
    hcat(b, &l, 0);
    hcat(b, &t, pad);
    if (x->r) hcat(b, &r, pad);
    b->cls = MC_INNER;
}

static void boxed(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    mbox_t in;
    layout(c, x->kids[0], s, &in);
    float em = size_of(c, s.st), pad = 0.3f * em, t = 0.04f * em;
    empty(b, MC_ORD);
    float w = in.w + 2 * pad, h = in.h + pad, d = in.d + pad;
    place(b, &in, pad, 0);
    put_rule(b, 0, -d, w, t);
    put_rule(b, 0, h - t, w, t);
    put_rule(b, 0, -d, t, h + d);
    put_rule(b, w - t, -d, t, h + d);
    b->w = w, b->h = h, b->d = d;
}

/* TeX's inter-atom spaces in mu: positive always, negative only outside scripts */
static const signed char spacing[8][8] = {
    /*          ord op  bin rel open close punct inner */
    /* ord */ {0, 3, -4, -5, 0, 0, 0, -3},
    /* op  */ {3, 3, 0, -5, 0, 0, 0, -3},
    /* bin */ {-4, -4, 0, 0, -4, 0, 0, -4},
    /* rel */ {-5, -5, 0, 0, -5, 0, 0, -5},
    /* open*/ {0, 0, 0, 0, 0, 0, 0, 0},
    /* close*/ {0, 3, -4, -5, 0, 0, 0, -3},
    /* punct*/ {-3, -3, 0, -3, -3, -3, -3, -3},
    /* inner*/ {-3, 3, -4, -5, -3, 0, -3, -3}};

static void row(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    empty(b, MC_ORD);
    if (x->kind != MK_ROW || (x->n_kids == 1 && x->kids[0]->kind != MK_SPACE)) {
        /* a group of one keeps its glyph data (italic correction, accent attachment) */
        layout(c, x->kind == MK_ROW ? x->kids[0] : x, s, b);
        return;
    }
    int prev = c->lead_ord ? MC_ORD : -1; /* class of the previous atom, -1 at the start */
    c->lead_ord = false;
    bool top = c->top, after_op = false; /* the last atom was a relation or binary operator */
    c->top = false;
    for (int i = 0; i < x->n_kids; i++) {
        const mnode_t *k = x->kids[i];
        if (k->kind == MK_SPACE) {
            b->w += k->mu * size_of(c, s.st) / 18;
            continue;
        }
        mbox_t kb;
        layout(c, k, s, &kb);
        /* TeX adds a letter's italic correction when no script follows (rule 17):
           V( and f) would otherwise touch */
        if (k->kind == MK_ATOM && kb.single && kb.italic > 0 && k->cls != MC_OP) kb.w += kb.italic;
        int cls = (int)math_next_class(k, &prev);
        float gap = 0;
        if (prev >= 0) {
            int mu = spacing[prev][cls];
            if (mu < 0 && s.st <= ST_T) mu = -mu;
            if (mu > 0) gap = (float)mu * size_of(c, s.st) / 18;
        }
        /* where a line may break: breaks.c (the EPUB cuts its MathML there too) */
        if (top && math_break_before(after_op, (mclass)cls)) {
            b->cut = xrealloc(b->cut, (b->ncut + 1) * sizeof *b->cut);
            b->cut[b->ncut++] = (struct mcut){b->w, b->w + gap, prev == MC_REL};
        }
        after_op = math_break_after(k, (mclass)cls);
        hcat(b, &kb, gap);
        prev = cls;
    }
}

static void layout1(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    switch (x->kind) {
    case MK_ROW:
        row(c, x, s, b);
        return;
    case MK_ATOM:
        atom(c, x, s, b);
        return;
    case MK_NUM:
        text_run(c, s.st, x->text, x->variant == MV_DEFAULT ? MV_NORMAL : x->variant, b);
        if (b->ng == 1) b->single = true, b->gid = b->g[0].gid;
        return;
    case MK_TEXT: /* \textsf, \textit, \texttt as the MathML has them (jolt) */
        text_run(c, s.st, x->text, x->variant == MV_DEFAULT ? MV_NORMAL : x->variant, b);
        return;
    case MK_OPNAME:
        text_run(c, s.st, x->text, MV_NORMAL, b);
        b->cls = MC_OP;
        return;
    case MK_ERROR:
        text_run(c, s.st, x->text, MV_NORMAL, b);
        return;
    case MK_REF: {
        const char *num = c->f->ref ? c->f->ref(c->f->ctx, x->text) : NULL;
        char t[96];
        snprintf(t, sizeof t, x->paren ? "(%s)" : "%s", num ? num : "?");
        text_run(c, s.st, t, MV_NORMAL, b);
        long l = num && c->f->link ? c->f->link(c->f->ctx, x->text) : -1;
        for (size_t i = 0; l >= 0 && i < b->ng; i++)
            b->g[i].link1 = (int)l + 1;
        return;
    }
    case MK_FRAC:
        frac(c, x, s, b);
        return;
    case MK_SQRT:
        radical(c, x, s, b);
        return;
    case MK_SCRIPTS:
        scripts(c, x, s, b);
        return;
    case MK_UNDEROVER: {
        /* movable limits: in text style, \sum_a^b and \lim_x take scripts */
        const mnode_t *bn = x->kids[0];
        bool movable = (bn->kind == MK_ATOM && bn->cls == MC_OP) || bn->kind == MK_OPNAME ||
                       (bn->kind == MK_ROW && bn->cls == MC_OP);
        if (movable && s.st != ST_D && !bn->explicit_limits)
            scripts(c, x, s, b);
        else
            limits(c, x, s, b);
        return;
    }
    case MK_FENCED:
        fenced(c, x, s, b);
        return;
    case MK_ACCENT:
        accent(c, x, s, b);
        return;
    case MK_SPACE:
        empty(b, MC_ORD);
        b->w = x->mu * size_of(c, s.st) / 18;
        return;
    case MK_TABLE:
        table(c, x, s, b);
        return;
    case MK_BOX:
        boxed(c, x, s, b);
        return;
    case MK_COLOR: {
        layout(c, x->kids[0], s, b);
        /* what an inner \color painted keeps its colour */
        long rgb = math_color(x->text); /* an unknown name: black (the parser warned) */
        uint32_t v = rgb < 0 ? 0 : (uint32_t)rgb | MBOX_COLORED;
        for (size_t i = 0; i < b->ng && rgb >= 0; i++)
            if (!(b->g[i].color & MBOX_COLORED)) b->g[i].color = v;
        for (size_t i = 0; i < b->nr && rgb >= 0; i++)
            if (!(b->r[i].color & MBOX_COLORED)) b->r[i].color = v;
        return;
    }
    case MK_SIZE: {
        float around = c->base;
        c->base = c->size0 * x->mu;
        row(c, x->kids[0], s, b);
        c->base = around;
        return;
    }
    case MK_STYLE: {
        style st = x->style == MS_DISPLAY  ? ST_D
                   : x->style == MS_TEXT   ? ST_T
                   : x->style == MS_SCRIPT ? ST_S
                                           : ST_SS;
        row(c, x->kids[0], (sty){st, s.cramped}, b);
        return;
    }
    }
    empty(b, MC_ORD);
}

static void layout(lctx *c, const mnode_t *x, sty s, mbox_t *b) {
    if (!x || c->depth > 200) {
        empty(b, MC_ORD);
        return;
    }
    c->depth++;
    layout1(c, x, s, b);
    c->depth--;
}

void mbox_layout(const math_t *m, mfonts_t *f, float size, bool display, mbox_t *out) {
    lctx c = {.f = f, .base = size, .size0 = size};
    c.upem = (float)hb_face_get_upem(hb_font_get_face(f->math));
    c.script_scale =
        (float)hb_ot_math_get_constant(f->math, HB_OT_MATH_CONSTANT_SCRIPT_PERCENT_SCALE_DOWN) /
        100;
    c.sscript_scale = (float)hb_ot_math_get_constant(
                          f->math, HB_OT_MATH_CONSTANT_SCRIPT_SCRIPT_PERCENT_SCALE_DOWN) /
                      100;
    if (c.script_scale <= 0) c.script_scale = 0.7f;
    if (c.sscript_scale <= 0) c.sscript_scale = 0.5f;
    c.top = true; /* a display too wide for the measure breaks there too */
    const mnode_t *only = m->root;
    while (only && only->kind == MK_ROW && only->n_kids == 1)
        only = only->kids[0];
    if (only && only->kind == MK_TABLE) c.rows_of = only;
    row(&c, m->root, (sty){display ? ST_D : ST_T, false}, out);
}
