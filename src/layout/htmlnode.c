#include "htmlnode.h"
#include "../book/rawhtml.h"
#include "../book/htmlscan.h"
#include "../book/mdutil.h"
#include "../math/texmath.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A CSS colour: a name or #hex (math_color's table), or rgb(r, g, b). */
static long css_color(const char *v) {
    unsigned r, g, b;
    if (sscanf(v, " rgb%*1[a](%u ,%u ,%u", &r, &g, &b) == 3 ||
        sscanf(v, " rgb(%u ,%u ,%u", &r, &g, &b) == 3)
        return r > 255 || g > 255 || b > 255 ? -1 : (long)(r << 16 | g << 8 | b);
    return math_color(v);
}

typedef struct {
    char style[256], color[32];
} inline_attrs_t;

static void on_attr(void *ctx, const char *tag, const char *attr, const char *value, size_t off) {
    (void)tag, (void)off;
    inline_attrs_t *a = ctx;
    if (!value) return;
    if (!strcmp(attr, "style")) snprintf(a->style, sizeof a->style, "%s", value);
    if (!strcmp(attr, "color")) snprintf(a->color, sizeof a->color, "%s", value);
}

/* The declarations of a <span style> (or <font color>) that print can show.
   A colour too light to read on white paper (white text meant for a dark
   background the page does not have) is left black. */
static int inline_css(cmark_node *n, pstyle_t *st) {
    inline_attrs_t a = {"", ""};
    const char *enter = cmark_node_get_on_enter(n);
    if (enter) html_scan_attrs(enter, on_attr, &a);
    int flags = 0;
    long color = a.color[0] ? css_color(a.color) : -1;
    for (char *save = NULL, *d = strtok_r(a.style, ";", &save); d; d = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(d, ':');
        if (!colon) continue;
        *colon = '\0';
        char prop[32] = "", *v = colon + 1;
        sscanf(d, " %31[a-zA-Z-]", prop);
        for (char *q = prop; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        while (*v == ' ')
            v++;
        if (!strcmp(prop, "color")) color = css_color(v);
        if (!strcmp(prop, "font-weight") && (strstr(v, "bold") || atoi(v) >= 600))
            flags |= HTML_BOLD;
        if (!strcmp(prop, "font-style") && (strstr(v, "italic") || strstr(v, "oblique")))
            flags |= HTML_ITALIC;
        if (!strncmp(prop, "text-decoration", 15)) {
            if (strstr(v, "underline")) st->under = true;
            if (strstr(v, "line-through")) st->strike = true;
        }
    }
    if (color >= 0 && color_luminance((uint32_t)color) < 0.85) st->color = (uint32_t)color;
    return flags;
}

int html_inline_style(cmark_node *n, pstyle_t *st) {
    char tag[16];
    rawhtml_tag(n, tag, sizeof tag);
    float size = st->size;
    if (!strcmp(tag, "span") || !strcmp(tag, "font")) return inline_css(n, st);
    if (!strcmp(tag, "sub")) {
        st->size = size * 0.7f, st->rise -= size * 0.18f;
    } else if (!strcmp(tag, "sup")) {
        st->size = size * 0.7f, st->rise += size * 0.38f;
    } else if (!strcmp(tag, "kbd") || !strcmp(tag, "samp") || !strcmp(tag, "var")) {
        st->role = ROLE_MONO, st->size = size * 0.9f;
    } else if (!strcmp(tag, "s") || !strcmp(tag, "del") || !strcmp(tag, "strike")) {
        st->strike = true;
    } else if (!strcmp(tag, "u") || !strcmp(tag, "ins")) {
        st->under = true; /* the Mina book's "<u>any</u>" is emphasis the reader must see */
    } else if (!strcmp(tag, "small")) {
        st->size = size * 0.85f;
    } else if (!strcmp(tag, "big")) {
        st->size = size * 1.15f;
    } else if (!strcmp(tag, "mark")) {
        st->mark = true; /* drawn on a highlighter's band (pdf.c), as browsers show it */
    } else if (!strcmp(tag, "rt")) {
        /* a reading outside a ruby (html_ruby sets those inside one above their base) */
        st->size = size * 0.5f, st->rise += size * 0.7f;
    }
    return 0;
}

html_block_kind html_block_kind_of(cmark_node *n) {
    char tag[16];
    rawhtml_tag(n, tag, sizeof tag);
    const char *e = cmark_node_get_on_enter(n);
    if (!strcmp(tag, "div") && e && strstr(e, "center")) return HB_CENTER;
    if (!strcmp(tag, "dt") || !strcmp(tag, "summary")) return HB_TERM;
    if (!strcmp(tag, "dd")) return HB_DEFINITION;
    if (!strcmp(tag, "figcaption")) return HB_CAPTION;
    if (!strcmp(tag, "figure")) return HB_FIGURE;
    return HB_PLAIN;
}

/* ---------------------------------------------------------------- ruby */

typedef struct {
    glyph_t *g;
    size_t n;
    float w;
} run_t;

typedef struct {
    run_t base, rt;
    float lift; /* the reading's baseline above the base's, pt */
    float over; /* how far a reading wider than its base starts before the object, pt */
} ruby_t;

/* each typesetting thread's own (#14), released by html_ruby_release */
static _Thread_local ruby_t *rubies;
static _Thread_local size_t n_rubies, cap_rubies;

/* Text set on one line at its natural width: its glyphs from x = 0. */
static run_t set_run(fontset_t *fs, const char *s, pstyle_t st, bool latin) {
    run_t r = {NULL, 0, 0};
    para_t *p = para_new(fs, st.size);
    para_set_latin(p, latin);
    para_set_ragged(p, true);
    para_set_words_only(p, true, false);
    para_text(p, s, strlen(s), st);
    lines_t ls;
    para_layout(p, 1e6f, 0, &ls, NULL, NULL);
    para_free(p);
    if (ls.n) {
        r.g = ls.lines[0].g, r.n = ls.lines[0].n, r.w = ls.lines[0].natural;
        ls.lines[0].g = NULL;
    }
    lines_free(&ls);
    return r;
}

/* Kana and Han: a reading may overhang them (JLREQ 3.3, clreq). */
static bool takes_overhang(uint32_t cp) {
    return (cp >= 0x3041 && cp <= 0x30FA) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3134F);
}

/* A reading wider than its base is centred over it and overhangs each
   neighbour that is kana or Han by up to half a reading character (left, right:
   the neighbours, 0 for none); only what is left widens the object. */
static void add_pair(para_t *p, fontset_t *fs, buf_t *base, buf_t *rt, pstyle_t st, bool latin,
                     uint32_t left, uint32_t right) {
    if (!base->len && !rt->len) return;
    pstyle_t small = st;
    small.size = st.size * 0.5f;
    XGROW(rubies, cap_rubies, n_rubies);
    ruby_t *r = &rubies[n_rubies];
    r->base = set_run(fs, base->len ? base->data : "", st, latin);
    r->rt = set_run(fs, rt->len ? rt->data : "", small, latin);
    r->lift = st.size * 0.95f;
    float excess = r->rt.w - r->base.w, half = 0.5f * small.size;
    float ol = 0, orr = 0;
    if (excess > 0) {
        ol = takes_overhang(left) ? fminf(half, excess / 2) : 0;
        orr = takes_overhang(right) ? fminf(half, excess / 2) : 0;
    }
    r->over = ol;
    float w = excess > 0 ? r->base.w + excess - ol - orr : r->base.w;
    /* a Han base sits in Han text without the Han–Latin space */
    uint32_t cp = 0;
    if (base->len) utf8_decode(base->data, base->len, &cp);
    if (cp_is_cjk_wide(cp))
        para_object_han(p, w, HTML_RUBY_ID0 + (int)n_rubies, st);
    else
        para_object(p, w, HTML_RUBY_ID0 + (int)n_rubies, st);
    n_rubies++;
    base->len = rt->len = 0;
    if (base->data) base->data[0] = 0;
    if (rt->data) rt->data[0] = 0;
}

bool html_is_table(cmark_node *n) {
    char tag[16];
    return !strcmp(rawhtml_tag(n, tag, sizeof tag), "table");
}

bool html_is_ruby(cmark_node *n) {
    char tag[16];
    return !strcmp(rawhtml_tag(n, tag, sizeof tag), "ruby");
}

static bool is_rt(cmark_node *k) {
    char tag[16];
    return cmark_node_get_type(k) == CMARK_NODE_CUSTOM_INLINE &&
           !strcmp(rawhtml_tag(k, tag, sizeof tag), "rt");
}

/* The first (or last) character of what node n holds, 0 for none. */
static uint32_t edge_char(cmark_node *n, bool last) {
    if (!n) return 0;
    const char *lit = cmark_node_get_literal(n);
    char *text = lit ? xstrdup(lit) : md_plain_text(n);
    uint32_t cp = 0;
    size_t len = strlen(text);
    if (len) {
        size_t i = 0;
        if (last)
            for (i = len - 1; i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80; i--)
                ;
        utf8_decode(text + i, len - i, &cp);
    }
    free(text);
    return cp;
}

void html_ruby(para_t *p, fontset_t *fs, cmark_node *ruby, pstyle_t st, bool latin) {
    buf_t base, rt;
    buf_init(&base), buf_init(&rt);
    /* a reading overhangs the text around the ruby, never a neighbouring pair's base */
    uint32_t left = edge_char(cmark_node_previous(ruby), true);
    bool first = true;
    for (cmark_node *k = cmark_node_first_child(ruby); k; k = cmark_node_next(k)) {
        const char *lit = cmark_node_get_literal(k); /* a text node's own, else what it holds */
        char *text = lit ? xstrdup(lit) : md_plain_text(k);
        if (is_rt(k)) {
            buf_puts(&rt, text);
            bool last = true; /* no reading after this one: the ruby's text follows */
            cmark_node *after = cmark_node_next(k);
            for (cmark_node *m = after; m; m = cmark_node_next(m))
                last &= !is_rt(m);
            uint32_t right = !last                    ? 0
                             : after && !is_rt(after) ? edge_char(after, false)
                                                      : edge_char(cmark_node_next(ruby), false);
            add_pair(p, fs, &base, &rt, st, latin, first ? left : 0, right);
            first = false;
        } else {
            if (rt.len) add_pair(p, fs, &base, &rt, st, latin, first ? left : 0, 0), first = false;
            buf_puts(&base, text);
        }
        free(text);
    }
    if (base.len) { /* a base with no reading */
        para_text(p, base.data, base.len, st);
    }
    buf_free(&base), buf_free(&rt);
}

static void put_run(line_t *out, size_t *cap, const run_t *r, float x, float rise, int link) {
    for (size_t i = 0; i < r->n; i++) {
        XGROW(out->g, *cap, out->n);
        glyph_t g = r->g[i];
        g.x += x, g.rise += rise, g.link = link;
        out->g[out->n++] = g;
    }
}

void html_ruby_line(line_t *ln) {
    size_t hits = 0;
    for (size_t i = 0; i < ln->n; i++) {
        long o = glyph_object(&ln->g[i]);
        hits += o >= HTML_RUBY_ID0 && (size_t)(o - HTML_RUBY_ID0) < n_rubies;
    }
    if (!hits) return;
    line_t out = *ln;
    out.g = NULL, out.n = 0;
    size_t cap = 0;
    for (size_t i = 0; i < ln->n; i++) {
        const glyph_t *g = &ln->g[i];
        long o = glyph_object(g);
        if (o < HTML_RUBY_ID0 || (size_t)(o - HTML_RUBY_ID0) >= n_rubies) {
            XGROW(out.g, cap, out.n);
            out.g[out.n++] = *g;
            continue;
        }
        const ruby_t *r = &rubies[o - HTML_RUBY_ID0];
        /* the reading centred over the base; one wider than the object starts
           r->over before it (onto the neighbour), but never outside the line */
        float base_x = g->x + (g->adv - r->base.w) / 2, rt_x = g->x + (g->adv - r->rt.w) / 2;
        if (r->rt.w > r->base.w) {
            rt_x = g->x - r->over;
            base_x = rt_x + (r->rt.w - r->base.w) / 2;
            if (i == 0 && rt_x < g->x) rt_x = g->x;
            if (i + 1 == ln->n && rt_x + r->rt.w > g->x + g->adv) rt_x = g->x + g->adv - r->rt.w;
        }
        /* the base, then its reading: text extraction reads 汉hàn, as the EPUB does */
        put_run(&out, &cap, &r->base, base_x, g->rise, g->link);
        put_run(&out, &cap, &r->rt, rt_x, g->rise + r->lift, g->link);
    }
    free(ln->g);
    *ln = out;
}

void html_ruby_release(void) {
    for (size_t i = 0; i < n_rubies; i++)
        free(rubies[i].base.g), free(rubies[i].rt.g);
    free(rubies);
    rubies = NULL;
    n_rubies = cap_rubies = 0;
}
