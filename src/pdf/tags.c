#include "tags.h"
#include "../book/words.h"
#include "front.h"
#include "output.h"
#include "pdfnum.h"
#include "textstr.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NONE UINT32_MAX

/* A structure element: the typesetter's nodes first (same indices), then
   those made while drawing (front matter, links, note marks, spans). A long
   book has hundreds of thousands: 40 bytes each, a Link's text in one buffer
   (tags_t.texts) rather than a buffer of its own (#14). */
typedef struct {
    const char *alt; /* borrowed from the tree or the book */
    int32_t parent;
    int32_t attr;
    int32_t link;      /* Link: the glyph link id */
    uint32_t first;    /* the first content (kid) in drawing order, or NONE */
    uint32_t num;      /* its object number once written (0: none) */
    uint32_t text_at;  /* Link: its text, for the annotation's /Contents, */
    uint32_t text_len; /* at texts.data + text_at - 1 (text_at 0: none) */
    uint8_t role;      /* srole_t */
} elem_t;

/* One piece of content in drawing order: a marked-content sequence or an annotation. */
typedef struct {
    int32_t elem;
    int32_t page; /* index into pages */
    int32_t mcid; /* >= 0: an MCID; < 0: an annotation, object number -mcid */
} kid_t;

typedef struct {
    const line_t *ln;
    size_t from, to;
    int elem;
} linkrun_t;

struct tags {
    fontset_t *fs;         /* the text of shaped clusters */
    tags_actual_fn actual; /* glyphs whose ToUnicode entries do not give their text */
    void *actual_ctx;
    bool in_run;   /* drawing inside a marked-content sequence of ours */
    pdfout_t *out; /* the structure tree goes to it as text */
    unsigned root; /* the StructTreeRoot's object number */
    bool overflow; /* an element had more parts than a PDF array may hold here */
    HPDF_Doc pdf;
    const book_t *b;
    bool zh;
    elem_t *e;
    size_t n, cap;
    kid_t *k;
    size_t nk, capk;
    buf_t texts; /* the Links' texts (elem_t.text_at) */
    buf_t mc;    /* scratch: a marked-content sequence's opening */
    HPDF_Page *pages;
    int *mcids; /* per page: MCIDs used */
    size_t np, capp;
    linkrun_t *runs; /* on the current page */
    size_t nr, capr;
    int artifact; /* nesting depth of artifacts */
    int front;    /* 0 body, 1 front matter, 2 a contents page */
    int toc, toci, toci_link, caption;
    int last_link, last_link_parent, last_link_id;
    size_t untagged;
    int annot_key;    /* the next annotation's /StructParent, or -1 before the first */
    buf_t pending;    /* the start of a word broken at a line end */
    int pending_elem; /* the element it was drawn in, or -1 */
};

static int elem_add(tags_t *t, int parent, srole_t role) {
    XGROW(t->e, t->cap, t->n);
    elem_t *e = &t->e[t->n];
    memset(e, 0, sizeof *e);
    e->role = (uint8_t)role, e->parent = parent, e->first = NONE, e->link = -1;
    return (int)t->n++;
}

void tags_set_actual(tags_t *t, tags_actual_fn fn, void *ctx) {
    t->actual = fn, t->actual_ctx = ctx;
}

bool tags_in_run(const tags_t *t) {
    return t->in_run;
}

tags_t *tags_new(HPDF_Doc pdf, pdfout_t *out, fontset_t *fs, const stree_t *tree, const book_t *b) {
    tags_t *t = xcalloc(1, sizeof *t);
    t->pdf = pdf, t->out = out, t->fs = fs, t->b = b;
    t->zh = b->meta.lang && strncmp(b->meta.lang, "zh", 2) == 0;
    for (size_t i = 0; i < tree->n; i++) {
        int e = elem_add(t, tree->v[i].parent, tree->v[i].role);
        t->e[e].alt = tree->v[i].alt;
        t->e[e].attr = tree->v[i].attr;
    }
    if (!t->n) elem_add(t, -1, S_DOCUMENT);
    t->toc = t->toci = t->caption = t->last_link = t->pending_elem = t->annot_key = -1;
    pdf->pdf_version = HPDF_VER_17;
    return t;
}

void tags_free(tags_t *t) {
    if (!t) return;
    buf_free(&t->texts), buf_free(&t->mc);
    free(t->e), free(t->k), free(t->pages), free(t->mcids), free(t->runs);
    buf_free(&t->pending);
    free(t);
}

void tags_stats(const tags_t *t, size_t *elems, size_t *mcids, size_t *untagged) {
    size_t n = 0, m = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->e[i].first != NONE;
    for (size_t i = 0; i < t->nk; i++)
        m += t->k[i].mcid >= 0;
    *elems = n, *mcids = m, *untagged = t->untagged;
}

/* ---------------------------------------------------------------- marked content */

static void put(HPDF_Page pg, const char *s) {
    HPDF_Stream_WriteStr(((HPDF_PageAttr)pg->attr)->stream, s);
}

void tags_page(tags_t *t, HPDF_Page pg) {
    if (t->np == t->capp) {
        t->capp = t->capp ? 2 * t->capp : 64;
        t->pages = xrealloc(t->pages, t->capp * sizeof *t->pages);
        t->mcids = xrealloc(t->mcids, t->capp * sizeof *t->mcids);
    }
    t->pages[t->np] = pg;
    t->mcids[t->np++] = 0;
    t->nr = 0;
    t->caption = -1;
}

void tags_front(tags_t *t, bool toc) {
    t->front = toc ? 2 : 1;
}

void tags_body(tags_t *t) {
    t->front = 0;
}

void tags_artifact(tags_t *t, HPDF_Page pg, artifact_t kind) {
    if (t->artifact++) return;
    put(pg, kind == ART_HEADER   ? "/Artifact <</Type /Pagination /Subtype /Header>> BDC\n"
            : kind == ART_FOOTER ? "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
                                 : "/Artifact BMC\n");
}

void tags_end(tags_t *t, HPDF_Page pg) {
    if (t->artifact > 0 && --t->artifact) return;
    put(pg, "EMC\n");
}

/* Opens a marked-content sequence for element e on the current page. */
/* Opens a marked-content sequence for element e on the current page; lang and
   actual (may be NULL) go into its property list: a Latin run's language and a
   run's text with its word spaces cost a few bytes of compressed content there,
   where Span elements would cost an uncompressed object each. */
static void begin_mc_tag(tags_t *t, HPDF_Page pg, int e, const char *tag, const char *lang,
                         const char *actual) {
    if (!t->np) return;
    int page = (int)t->np - 1;
    XGROW(t->k, t->capk, t->nk);
    t->k[t->nk++] = (kid_t){e, page, t->mcids[page]};
    /* without printf, once per run: 3,000 instructions a sequence with it (#14) */
    buf_t *h = &t->mc;
    h->len = 0;
    buf_putc(h, '/');
    buf_puts(h, tag ? tag : srole_name(t->e[e].role));
    buf_puts(h, " <</MCID ");
    put_uint(h, (unsigned long)t->mcids[page]++);
    if (lang) buf_puts(h, " /Lang (en)");
    if (actual) {
        buf_puts(h, " /ActualText ");
        pdf_put_text(h, actual, false);
    }
    buf_puts(h, ">> BDC\n");
    HPDF_Stream_Write(((HPDF_PageAttr)pg->attr)->stream, (const HPDF_BYTE *)h->data,
                      (HPDF_UINT)h->len);
}

static void begin_mc_props(tags_t *t, HPDF_Page pg, int e, const char *lang, const char *actual) {
    begin_mc_tag(t, pg, e, NULL, lang, actual);
}

static void begin_mc(tags_t *t, HPDF_Page pg, int e) {
    begin_mc_props(t, pg, e, NULL, NULL);
}

/* The element for content the typesetter did not tag (front matter, or a
   stray line, which becomes a paragraph of the document). */
static int untagged_elem(tags_t *t, const op_t *o) {
    if (o->kind == OP_IMAGE) {
        int e = elem_add(t, 0, S_FIGURE);
        t->e[e].alt = t->b->meta.title;
        return e;
    }
    int link = o->line.n ? o->line.g[0].link : -1;
    if (t->front == 2) {
        if (t->toc < 0) t->toc = elem_add(t, 0, S_TOC);
        if (link <= XLINK_BASE) {
            if (t->toci < 0 || t->toci_link != link) t->toci = elem_add(t, t->toc, S_TOCI);
            t->toci_link = link;
            return t->toci;
        }
        if (t->caption < 0) t->caption = elem_add(t, t->toc, S_CAPTION);
        return t->caption;
    }
    if (!t->front) t->untagged++;
    return elem_add(t, 0, S_P);
}

static int base_elem(tags_t *t, const op_t *o) {
    if (o->tag > 0 && (size_t)(o->tag - 1) < t->n) return o->tag - 1;
    return untagged_elem(t, o);
}

void tags_op_begin(tags_t *t, HPDF_Page pg, const op_t *o) {
    if (t->artifact || o->tag == TAG_ARTIFACT || o->kind != OP_IMAGE) {
        tags_artifact(t, pg, ART_LAYOUT);
        return;
    }
    begin_mc(t, pg, base_elem(t, o));
}

/* ---------------------------------------------------------------- glyph runs */

/* A later glyph of a shaped cluster (no character of its own): it goes with
   the glyph before it, and adds no text. */
static bool later_glyph(const glyph_t *g) {
    return g->nchars == 0 && g->cp == 0;
}

static void put_cp(buf_t *b, uint32_t cp) {
    char u[5];
    if (cp) buf_put(b, u, utf8_encode(cp, u));
}

/* The text glyph i stands for: its character, or for the first glyph of a
   shaped cluster the cluster's text (a ligature's "ffi", Devanagari नि); the
   cluster's later glyphs add none. Every glyph of a cluster carries its first
   character, so cp alone read "ffi" as "f" and नि as नन. */
static void put_glyph(const tags_t *t, buf_t *b, const line_t *ln, size_t i) {
    const glyph_t *g = &ln->g[i];
    if (!g->nchars) return;
    if (g->nchars > 1 && g->font >= 0 && t->fs) {
        uint32_t gids[32] = {0};
        size_t n = 0;
        do {
            gids[n] = ln->g[i + n].gid;
            n++;
        } while (i + n < ln->n && n < 32 && ln->g[i + n].nchars == 0 &&
                 ln->g[i + n].font == g->font);
        const uint32_t *text;
        size_t nt = fontset_cluster_text(t->fs, g->font, gids, n, &text);
        for (size_t k = 0; k < nt; k++)
            put_cp(b, text[k]);
        if (nt) return;
    }
    put_cp(b, g->cp);
}

enum { K_LINK = 1, K_MARK = 2, K_LATIN = 4, K_ART = 8, K_WORD = 16, K_ACTUAL = 32, K_ODD = 64 };

static bool linked(int link) {
    return link >= 0 || link <= XLINK_BASE;
}

static int key_of(const tags_t *t, const glyph_t *g, srole_t role) {
    int k = 0;
    if (linked(g->link)) k |= K_LINK;
    if (g->note >= 0) k |= K_MARK;
    if (t->zh && g->cp > 0x20 && g->cp < 0x7F) k |= K_LATIN;
    if (g->cp == 0x21A9 && role == S_CODE) k |= K_ART; /* ↩ marks a wrapped code line */
    return k;
}

/* Appends glyphs from..to to a Link's text. A Link's runs are drawn one after
   another, so its text is almost always the last in texts; otherwise it moves
   there. */
static void link_text(tags_t *t, elem_t *e, const line_t *ln, size_t from, size_t to) {
    if (!e->text_at) {
        e->text_at = (uint32_t)t->texts.len + 1;
    } else if (e->text_at - 1 + e->text_len != t->texts.len) {
        size_t at = t->texts.len;
        buf_put(&t->texts, t->texts.data + e->text_at - 1, e->text_len);
        e->text_at = (uint32_t)at + 1;
    }
    for (size_t i = from; i < to; i++)
        put_glyph(t, &t->texts, ln, i);
    e->text_len = (uint32_t)(t->texts.len - (e->text_at - 1));
}

static int link_elem(tags_t *t, int parent, int link) {
    if (t->last_link >= 0 && t->last_link_parent == parent && t->last_link_id == link)
        return t->last_link;
    int e = elem_add(t, parent, S_LINK);
    t->e[e].link = link;
    t->last_link = e, t->last_link_parent = parent, t->last_link_id = link;
    return e;
}

static bool is_letter(uint32_t cp) {
    return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
}

/* Word spaces are positions, not glyphs: the run's text with a space wherever
   the gap between two glyphs outside the CJK grid is a word space (and before
   the run, when it follows one). NULL when that adds no space. */
static bool word_space(const line_t *ln, size_t i) {
    const glyph_t *g = &ln->g[i], *p = &ln->g[i - 1];
    return g->cp != ' ' && p->cp != ' ' && g->x - (p->x + p->adv) > 0.16f * g->size &&
           !cp_is_cjk_wide(g->cp) && !cp_is_cjk_wide(p->cp);
}

static char *spaced_text(const tags_t *t, const line_t *ln, size_t from, size_t to) {
    bool spaced = false; /* most runs have none: look before building anything */
    for (size_t i = from; i < to && !spaced; i++)
        spaced = ln->g[i].cp == ' ' || (i > 0 && word_space(ln, i));
    if (!spaced) return NULL;
    buf_t o;
    buf_init(&o);
    for (size_t i = from; i < to; i++) {
        if (i > 0 && word_space(ln, i)) buf_putc(&o, ' ');
        put_glyph(t, &o, ln, i); /* spaces in code are positions too: not drawn */
    }
    return buf_detach(&o);
}

/* How many glyphs from i (step +1 or -1) make one word: no CJK, no word space. */
static size_t word_len(const line_t *ln, size_t i, int step) {
    size_t n = 0;
    for (size_t k = i; k < ln->n; k += (size_t)(ptrdiff_t)step, n++) {
        const glyph_t *g = &ln->g[k];
        if (cp_is_cjk_wide(g->cp) || g->cp == ' ') break;
        if (n) {
            const glyph_t *p = &ln->g[step > 0 ? k - 1 : k + 1], *a = step > 0 ? p : g,
                          *b = step > 0 ? g : p;
            if (b->x - (a->x + a->adv) > 0.16f * b->size) break;
        }
        if (step < 0 && k == 0) {
            n++;
            break;
        }
    }
    return n;
}

/* A word broken across lines reads whole: its first part has the whole word as
   /ActualText (with the start of the next line, which it claims), the part on the
   next line has "" (pdftotext and screen readers alike). */
static char *word_text(tags_t *t, int base, const line_t *ln, size_t from, size_t to) {
    buf_t w;
    buf_init(&w);
    bool head = from == 0 && t->pending_elem == base, tail = to == ln->n && ln->word_continues;
    t->pending_elem = -1;
    if (!head) {
        for (size_t i = from; i < to; i++)
            if (!(tail && ln->hyphenated && i + 1 == ln->n)) /* the added hyphen is no text */
                put_glyph(t, &w, ln, i);
        if (tail && ln->next) {
            line_t next = {.g = (glyph_t *)ln->next, .n = ln->n_next};
            for (size_t i = 0, n = word_len(&next, 0, 1); i < n; i++)
                put_glyph(t, &w, &next, i);
            t->pending_elem = base;
        }
    }
    return buf_detach(&w);
}

/* A list's bullet (• ◦ ▪ ☐ ☑, set as a glyph by the layout) is no text: its
   ActualText is empty, so copying or searching a list gives its words only, as
   from a web page (a number stays: "2." is read). The label is in the tags. */
static bool bullet_only(const line_t *ln, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) {
        uint32_t c = ln->g[i].cp;
        if (c != 0x2022 && c != 0x25E6 && c != 0x25AA && c != 0x2610 && c != 0x2611 && c != ' ')
            return false;
    }
    return to > from;
}

static void run(tags_t *t, HPDF_Page pg, int base, const line_t *ln, size_t from, size_t to,
                int key, float x, float y, tags_draw_fn draw, void *ctx) {
    line_t sub = *ln;
    sub.g = ln->g + from;
    sub.n = to - from;
    if (key & K_ART) {
        tags_artifact(t, pg, ART_LAYOUT);
        draw(ctx, pg, &sub, x, y);
        tags_end(t, pg);
        return;
    }
    int e = base;
    if (key & K_LINK) {
        e = link_elem(t, base, ln->g[from].link);
        link_text(t, &t->e[e], ln, from, to);
        XGROW(t->runs, t->capr, t->nr);
        t->runs[t->nr++] = (linkrun_t){ln, from, to, e};
    } else {
        t->last_link = -1;
    }
    /* a mark in the text is a Reference; a note's own number is part of the Note */
    if ((key & K_MARK) && t->e[base].role != S_NOTE) e = elem_add(t, e, S_REFERENCE);
    const char *lang = (key & K_LATIN) ? "en" : NULL;
    if (t->e[base].role == S_LBL && bullet_only(ln, from, to)) {
        begin_mc_tag(t, pg, e, "Span", NULL, ""); /* poppler reads ActualText on a Span */
    } else if (key & K_ACTUAL) {
        /* a cluster whose glyphs do not spell its text: a sequence of its own, a
           Span (the tag poppler reads ActualText from) with an MCID of the element */
        buf_t a; /* no word space before it: pdftotext would read two */
        buf_init(&a);
        size_t end;
        const uint32_t *text;
        size_t n = t->actual(t->actual_ctx, ln, from, &end, &text);
        for (size_t k = 0; k < n; k++)
            put_cp(&a, text[k]);
        begin_mc_tag(t, pg, e, "Span", lang, a.data ? a.data : "");
        buf_free(&a);
    } else {
        char *spaced =
            (key & K_WORD) ? word_text(t, base, ln, from, to) : spaced_text(t, ln, from, to);
        begin_mc_props(t, pg, e, lang, spaced);
        free(spaced);
    }
    t->in_run = true;
    draw(ctx, pg, &sub, x, y);
    t->in_run = false;
    put(pg, "EMC\n");
}

static bool any_link(const line_t *ln) {
    for (size_t i = 0; i < ln->n; i++)
        if (linked(ln->g[i].link)) return true;
    return false;
}

void tags_glyphs(tags_t *t, HPDF_Page pg, const op_t *o, float x, float y, tags_draw_fn draw,
                 void *ctx) {
    const line_t *ln = &o->line;
    if (!ln->n) return;
    if (t->artifact || o->tag == TAG_ARTIFACT) {
        draw(ctx, pg, ln, x, y);
        return;
    }
    /* leaders in the contents are decoration */
    bool dots = true;
    for (size_t i = 0; i < ln->n && dots; i++)
        dots = ln->g[i].cp == '.';
    if (dots && t->front == 2) {
        tags_artifact(t, pg, ART_LAYOUT);
        draw(ctx, pg, ln, x, y);
        tags_end(t, pg);
        /* their link area still belongs to the entry's Link */
        if (t->last_link >= 0 && t->e[t->last_link].link == ln->g[0].link) {
            XGROW(t->runs, t->capr, t->nr);
            t->runs[t->nr++] = (linkrun_t){ln, 0, ln->n, t->last_link};
        }
        return;
    }
    int base = base_elem(t, o);
    srole_t role = t->e[base].role;
    if (role == S_FORMULA && !any_link(ln)) {
        /* a formula is one piece of content: its /Alt and the TeX (the ActualText
           around it) speak for all its glyphs, in whatever order they are drawn */
        t->last_link = -1;
        begin_mc(t, pg, base);
        t->in_run = true;
        draw(ctx, pg, ln, x, y);
        t->in_run = false;
        put(pg, "EMC\n");
        return;
    }
    int small[256];
    int *key = ln->n <= 256 ? small : xmalloc(ln->n * sizeof *key);
    for (size_t i = 0; i < ln->n; i++)
        key[i] = (ln->g[i].cp == ' ' || later_glyph(&ln->g[i])) && i ? key[i - 1]
                                                                     : key_of(t, &ln->g[i], role);
    /* a Latin run is a language span only when it holds a letter (not 2024 年) */
    for (size_t i = 0; i < ln->n;) {
        size_t j = i;
        bool letter = false;
        while (j < ln->n && (key[j] & K_LATIN))
            letter |= is_letter(ln->g[j++].cp);
        for (size_t k = i; k < j && !letter; k++)
            key[k] &= ~K_LATIN;
        i = j > i ? j : i + 1;
    }
    /* the end of a word begun on the line before, the start of one going on */
    if (t->pending_elem == base)
        for (size_t i = 0, n = word_len(ln, 0, 1); i < n; i++)
            key[i] |= K_WORD;
    if (ln->word_continues)
        for (size_t i = ln->n - word_len(ln, ln->n - 1, -1); i < ln->n; i++)
            key[i] |= K_WORD;
    /* clusters the glyphs' ToUnicode entries misread get runs of their own
       (alternating K_ODD parts neighbours); a broken word's text has them already */
    int odd = 0;
    for (size_t i = 0; t->actual && i < ln->n;) {
        size_t end = i + 1;
        const uint32_t *text;
        if (!(key[i] & K_WORD) && t->actual(t->actual_ctx, ln, i, &end, &text) && end > i) {
            for (size_t k = i; k < end; k++)
                key[k] |= K_ACTUAL | odd;
            odd ^= K_ODD;
            i = end;
        } else {
            i++;
        }
    }
    size_t start = 0;
    for (size_t i = 1; i <= ln->n; i++) {
        if (i < ln->n && key[i] == key[start] && ln->g[i].link == ln->g[start].link &&
            ln->g[i].note == ln->g[start].note)
            continue;
        run(t, pg, base, ln, start, i, key[start], x, y, draw, ctx);
        start = i;
    }
    if (key != small) free(key);
}

int tags_link(const tags_t *t, const line_t *ln, size_t i) {
    for (size_t r = t->nr; r-- > 0;)
        if (t->runs[r].ln == ln && i >= t->runs[r].from && i < t->runs[r].to)
            return t->runs[r].elem;
    return -1;
}

/* The annotations' /StructParent keys follow the pages' in the ParentTree
   (parent_tree), in the order they are made: known once every page is drawn,
   so each annotation is written whole, once. */
#define CONTENTS_MAX 400

void tags_annot(tags_t *t, HPDF_Page pg, unsigned num, int link, const char *contents, buf_t *o) {
    if (!num || link < 0 || (size_t)link >= t->n) return;
    int page = -1;
    for (size_t p = t->np; p-- > 0;)
        if (t->pages[p] == pg) {
            page = (int)p;
            break;
        }
    if (page < 0) return;
    if (t->annot_key < 0) {
        t->annot_key = 0;
        for (size_t p = 0; p < t->np; p++)
            t->annot_key += t->mcids[p] > 0;
    }
    XGROW(t->k, t->capk, t->nk);
    t->k[t->nk++] = (kid_t){link, page, -(int32_t)num};
    const elem_t *e = &t->e[link];
    /* a link's words, at most CONTENTS_MAX bytes: a link run over many lines
       has an annotation a line, each naming it (a 160,000-character URL
       printed as its own text made 1.8 GB, apachecn/ailearning ran out) */
    size_t len = utf8_cut(t->texts.data + e->text_at - 1, e->text_len, CONTENTS_MAX);
    char *own = !contents && len ? xstrndup(t->texts.data + e->text_at - 1, len) : NULL;
    if (own && len < e->text_len) {
        own = xrealloc(own, len + 4);
        memcpy(own + len, "\xE2\x80\xA6", 4); /* … */
    }
    const char *s = contents ? contents : own ? own : word(lang_kind_of(t->b->meta.lang), W_LINK);
    buf_puts(o, "/StructParent ");
    put_int(o, t->annot_key++);
    buf_puts(o, "/Contents ");
    pdf_put_text(o, s, false);
    free(own);
}

/* ---------------------------------------------------------------- the tree */

typedef struct {
    int parent;
    size_t key; /* drawing order */
    int child;  /* an element, or -1 for content kid[key] */
} entry_t;

static int by_parent_then_key(const void *a, const void *b) {
    const entry_t *x = a, *y = b;
    if (x->parent != y->parent) return x->parent < y->parent ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int by_key(const void *a, const void *b) {
    const entry_t *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* en in order of parent, then key, as by_parent_then_key has it: a counting
   sort by parent, then each parent's entries by key (they come mostly in
   order already). #14: one qsort of the handbook's 20,000 entries was 3.6 M
   instructions at the end of the drawing thread. */
static void sort_entries(entry_t *en, size_t ne, size_t n_parents) {
    for (size_t i = 0; i < ne; i++)
        if (en[i].parent < 0 || (size_t)en[i].parent >= n_parents) {
            qsort(en, ne, sizeof *en, by_parent_then_key);
            return;
        }
    size_t *start = xcalloc(n_parents + 1, sizeof *start),
           *at = xmalloc((n_parents + 1) * sizeof *at);
    for (size_t i = 0; i < ne; i++)
        start[en[i].parent + 1]++;
    for (size_t p = 0; p < n_parents; p++)
        start[p + 1] += start[p];
    memcpy(at, start, (n_parents + 1) * sizeof *at);
    entry_t *out = xmalloc((ne + 1) * sizeof *out);
    for (size_t i = 0; i < ne; i++)
        out[at[en[i].parent]++] = en[i];
    for (size_t p = 0; p < n_parents; p++) {
        entry_t *v = out + start[p];
        size_t n = (p + 1 < n_parents ? start[p + 1] : ne) - start[p];
        bool sorted = true;
        for (size_t i = 1; i < n && sorted; i++)
            sorted = v[i - 1].key < v[i].key;
        if (!sorted) qsort(v, n, sizeof *v, by_key);
    }
    memcpy(en, out, ne * sizeof *en);
    free(out), free(at), free(start);
}

/* The structure tree is written as text objects (output.h): a long book has
   tens of thousands of elements, which as libharu dictionaries took about
   2 KB of memory each. */

static unsigned num_of(const void *obj) {
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu;
}

/* A table cell's Table attributes: a header's scope, spans over one. */
static void cell_attributes(buf_t *o, const elem_t *e) {
    int cols = STREE_CELL_COLS(e->attr), rows = STREE_CELL_ROWS(e->attr);
    if (e->role != S_TH && cols == 1 && rows == 1) return;
    buf_puts(o, "/A <</O /Table");
    if (e->role == S_TH)
        buf_puts(o, STREE_CELL_ROW_HEAD(e->attr) ? " /Scope /Row" : " /Scope /Column");
    if (cols > 1) buf_printf(o, " /ColSpan %d", cols);
    if (rows > 1) buf_printf(o, " /RowSpan %d", rows);
    buf_puts(o, ">>");
}

static void attributes(buf_t *o, const elem_t *e) {
    if (e->alt && (e->role == S_FIGURE || e->role == S_FORMULA)) {
        buf_puts(o, "/Alt ");
        pdf_put_text(o, e->alt, false);
    }
    if (e->role == S_TH || e->role == S_TD)
        cell_attributes(o, e);
    else if (e->role == S_L)
        buf_printf(o, "/A <</O /List /ListNumbering /%s>>", e->attr ? "Decimal" : "Disc");
    else if ((e->role == S_FIGURE || e->role == S_FORMULA) && !e->attr)
        /* a formula in a line of text (attr 1) is Inline, the default placement:
           books with thousands of them save the attribute */
        buf_puts(o, "/A <</O /Layout /Placement /Block>>");
    if (e->role == S_NOTE) buf_printf(o, "/ID (note-%06d)", e->attr);
}

/* Key-value pairs of a number or name tree, as text in key order. */
typedef struct {
    buf_t s;    /* "key value " one pair after another */
    size_t *at; /* pair i: key at at[2i], value at at[2i+1]; at[2n]: the end */
    size_t n, cap;
} pairs_t;

static void pair_key(pairs_t *p) {
    XGROW(p->at, p->cap, 2 * p->n + 2);
    p->at[2 * p->n] = p->s.len;
}

static void pair_value(pairs_t *p) {
    buf_putc(&p->s, ' ');
    p->at[2 * p->n + 1] = p->s.len;
}

static void pair_end(pairs_t *p) {
    buf_putc(&p->s, ' ');
    p->at[2 * ++p->n] = p->s.len;
}

static void pairs_free(pairs_t *p) {
    buf_free(&p->s);
    free(p->at);
}

/* A long number or name tree is split into leaves of TREE_LEAF pairs under
   /Kids, each with its /Limits (ISO 32000-1, 7.9.6 and 7.9.7), as libharu
   needed (arrays of at most 8191 items) and readers like; a tree that fits in
   one leaf is written flat. */
#define TREE_LEAF 2000
#define KIDS_MAX 8000

static void write_keyed(tags_t *t, buf_t *o, const char *key, const pairs_t *p) {
    if (p->n <= TREE_LEAF) {
        buf_printf(o, "/%s [", key);
        buf_put(o, p->s.data, p->s.len);
        buf_puts(o, "]");
        return;
    }
    buf_t leaf;
    buf_init(&leaf);
    buf_puts(o, "/Kids [");
    for (size_t from = 0; from < p->n; from += TREE_LEAF) {
        size_t to = from + TREE_LEAF < p->n ? from + TREE_LEAF : p->n;
        unsigned num;
        pdfout_reserve(t->out, &num);
        leaf.len = 0;
        buf_printf(&leaf, "<</%s [", key);
        buf_put(&leaf, p->s.data + p->at[2 * from], p->at[2 * to] - p->at[2 * from]);
        buf_puts(&leaf, "] /Limits [");
        buf_put(&leaf, p->s.data + p->at[2 * from], p->at[2 * from + 1] - p->at[2 * from]);
        buf_put(&leaf, p->s.data + p->at[2 * to - 2], p->at[2 * to - 1] - p->at[2 * to - 2]);
        buf_puts(&leaf, "]>>");
        pdfout_text(t->out, num, leaf.data, leaf.len);
        put_ref(o, num);
    }
    buf_puts(o, "]");
    buf_free(&leaf);
}

static void write_tree(tags_t *t, buf_t *root) {
    for (size_t i = 0; i < t->nk; i++)
        if (t->e[t->k[i].elem].first == NONE) t->e[t->k[i].elem].first = (uint32_t)i;
    /* parents come before their children: carry the first content up */
    for (size_t i = t->n; i-- > 1;) {
        elem_t *e = &t->e[i];
        if (e->first == NONE || e->parent < 0) continue;
        elem_t *p = &t->e[e->parent];
        if (e->first < p->first) p->first = e->first;
    }
    entry_t *en = xmalloc((t->n + t->nk + 1) * sizeof *en);
    size_t ne = 0;
    for (size_t i = 0; i < t->nk; i++)
        en[ne++] = (entry_t){t->k[i].elem, i, -1};
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].first != NONE && t->e[i].parent >= 0)
            en[ne++] = (entry_t){t->e[i].parent, t->e[i].first, (int)i};
    sort_entries(en, ne, t->n);
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].first != NONE) pdfout_reserve(t->out, &t->e[i].num);
    pairs_t ids = {0};
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].num && t->e[i].role == S_NOTE) {
            pair_key(&ids);
            buf_printf(&ids.s, "(note-%06d)", t->e[i].attr);
            pair_value(&ids);
            put_ref(&ids.s, t->e[i].num);
            pair_end(&ids);
        }
    buf_puts(root, "/IDTree <<");
    write_keyed(t, root, "Names", &ids);
    buf_puts(root, ">>\n");
    pairs_free(&ids);
    buf_t o, kids;
    buf_init(&o), buf_init(&kids);
    for (size_t i = 0, j = 0; i < t->n; i++) {
        const elem_t *e = &t->e[i];
        if (!e->num) {
            while (j < ne && en[j].parent == (int)i) /* cannot be: parents carry content */
                j++;
            continue;
        }
        o.len = kids.len = 0;
        buf_puts(&o, "<</S /");
        buf_puts(&o, srole_name(e->role));
        buf_puts(&o, " /P ");
        put_ref(&o, e->parent >= 0 ? t->e[e->parent].num : t->root);
        attributes(&o, e);
        HPDF_Page pg = NULL;
        size_t n_kids = 0;
        for (; j < ne && en[j].parent == (int)i; j++) {
            if (n_kids++ == KIDS_MAX) /* libharu's old limit, kept: the rest stays out */
                t->overflow = true;
            if (n_kids > KIDS_MAX) continue;
            if (en[j].child >= 0) {
                put_ref(&kids, t->e[en[j].child].num);
                continue;
            }
            const kid_t *k = &t->k[en[j].key];
            HPDF_Page kp = t->pages[k->page];
            if (!pg) {
                buf_puts(&o, "/Pg ");
                put_ref(&o, num_of(pg = kp));
            }
            if (k->mcid >= 0 && kp == pg) {
                put_int(&kids, k->mcid);
                buf_putc(&kids, ' ');
            } else if (k->mcid >= 0) {
                buf_puts(&kids, "<</Type /MCR /Pg ");
                put_ref(&kids, num_of(kp));
                buf_puts(&kids, "/MCID ");
                put_int(&kids, k->mcid);
                buf_puts(&kids, ">> ");
            } else {
                buf_puts(&kids, "<</Type /OBJR /Pg ");
                put_ref(&kids, num_of(kp));
                buf_puts(&kids, "/Obj ");
                put_ref(&kids, (unsigned)-k->mcid);
                buf_puts(&kids, ">> ");
            }
        }
        if (n_kids) {
            buf_puts(&o, "/K [");
            buf_put(&o, kids.data, kids.len);
            buf_puts(&o, "]");
        }
        buf_puts(&o, ">>");
        pdfout_text(t->out, e->num, o.data, o.len);
    }
    buf_free(&o), buf_free(&kids);
    free(en);
    if (t->e[0].num) buf_printf(root, "/K %u 0 R\n", t->e[0].num);
}

/* ParentTree: each page's MCIDs to their elements, each annotation to its Link. */
static void parent_tree(tags_t *t, buf_t *root) {
    /* each page's marked contents in drawing order (MCID order) */
    size_t *first = xcalloc(t->np + 2, sizeof *first),
           *order = xmalloc((t->nk + 1) * sizeof *order);
    for (size_t i = 0; i < t->nk; i++)
        if (t->k[i].mcid >= 0) first[t->k[i].page + 1]++;
    for (size_t p = 0; p < t->np; p++)
        first[p + 1] += first[p];
    size_t *fill = xmalloc((t->np + 1) * sizeof *fill);
    memcpy(fill, first, (t->np + 1) * sizeof *fill);
    for (size_t i = 0; i < t->nk; i++)
        if (t->k[i].mcid >= 0) order[fill[t->k[i].page]++] = i;
    free(fill);
    pairs_t p = {0};
    int key = 0;
    for (size_t pg = 0; pg < t->np; pg++) {
        HPDF_Dict_AddName(t->pages[pg], "Tabs", "S");
        if (first[pg] == first[pg + 1]) continue;
        HPDF_Dict_AddNumber(t->pages[pg], "StructParents", key);
        pair_key(&p);
        put_int(&p.s, key++);
        pair_value(&p);
        buf_putc(&p.s, '[');
        for (size_t i = first[pg]; i < first[pg + 1]; i++)
            put_ref(&p.s, t->e[t->k[order[i]].elem].num);
        buf_putc(&p.s, ']');
        pair_end(&p);
    }
    free(first), free(order);
    for (size_t i = 0; i < t->nk; i++) {
        const kid_t *k = &t->k[i];
        if (k->mcid >= 0) continue;
        /* tags_annot wrote it as key, counting the same way */
        pair_key(&p);
        put_int(&p.s, key++);
        pair_value(&p);
        put_ref(&p.s, t->e[k->elem].num);
        pair_end(&p);
    }
    unsigned num;
    pdfout_reserve(t->out, &num);
    buf_t o;
    buf_init(&o);
    buf_puts(&o, "<<");
    write_keyed(t, &o, "Nums", &p);
    buf_puts(&o, ">>");
    pdfout_text(t->out, num, o.data, o.len);
    buf_free(&o);
    pairs_free(&p);
    buf_printf(root, "/ParentTree %u 0 R\n/ParentTreeNextKey %d\n", num, key);
}

static void xmp(tags_t *t, const char *extra, bool ua) {
    const meta_t *m = &t->b->meta;
    buf_t x;
    buf_init(&x);
    char date[32];
    struct tm tm;
    gmtime_r(&m->epoch, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_puts(
        &x,
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
        " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n"
        " xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\">\n"
        "<dc:format>application/pdf</dc:format>\n"
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escape_str(&x, m->title ? m->title : "");
    buf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n");
    if (m->author) {
        buf_puts(&x, "<dc:creator><rdf:Seq><rdf:li>");
        xml_escape_str(&x, m->author);
        buf_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if (m->description) {
        buf_puts(&x, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        xml_escape_str(&x, m->description);
        buf_puts(&x, "</rdf:li></rdf:Alt></dc:description>\n");
    }
    if (m->lang) {
        buf_puts(&x, "<dc:language><rdf:Bag><rdf:li>");
        xml_escape_str(&x, m->lang);
        buf_puts(&x, "</rdf:li></rdf:Bag></dc:language>\n");
    }
    buf_printf(&x,
               "<pdf:Producer>ghb-book %s</pdf:Producer>\n"
               "<xmp:CreatorTool>ghb-book %s</xmp:CreatorTool>\n"
               "<xmp:CreateDate>%s</xmp:CreateDate>\n<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
               "%s%s"
               "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>\n",
               GHB_VERSION, GHB_VERSION, date, date, ua ? "<pdfuaid:part>1</pdfuaid:part>\n" : "",
               extra ? extra : "");
    HPDF_Dict s = HPDF_DictStream_New(t->pdf->mmgr, t->pdf->xref);
    s->filter = HPDF_STREAM_FILTER_NONE; /* readers look for the packet uncompressed */
    HPDF_Dict_AddName(s, "Type", "Metadata");
    HPDF_Dict_AddName(s, "Subtype", "XML");
    HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)x.data, (HPDF_UINT)x.len);
    HPDF_Dict_Add(t->pdf->catalog, "Metadata", s);
    buf_free(&x);
}

void tags_finish(tags_t *t, const char *xmp_extra, bool ua) {
    HPDF_MMgr mm = t->pdf->mmgr;
    void *placeholder = pdfout_reserve(t->out, &t->root);
    buf_t root;
    buf_init(&root);
    buf_puts(&root, "<</Type /StructTreeRoot\n");
    write_tree(t, &root);
    parent_tree(t, &root);
    buf_puts(&root, ">>");
    pdfout_text(t->out, t->root, root.data, root.len);
    buf_free(&root);
    if (t->overflow)
        diag_add(t->b->diags, DIAG_WARNING, t->b->meta_file ? t->b->meta_file : "pdf", 1, 1,
                 "an element of the book has more than %d parts; the structure tree of the "
                 "tagged PDF leaves the rest out",
                 KIDS_MAX);
    if (placeholder) HPDF_Dict_Add(t->pdf->catalog, "StructTreeRoot", placeholder);
    HPDF_Dict mark = HPDF_Dict_New(mm);
    HPDF_Dict_Add(mark, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE));
    HPDF_Dict_Add(t->pdf->catalog, "MarkInfo", mark);
    HPDF_Dict vp = HPDF_Dict_New(mm);
    HPDF_Dict_Add(vp, "DisplayDocTitle", HPDF_Boolean_New(mm, HPDF_TRUE));
    HPDF_Dict_Add(t->pdf->catalog, "ViewerPreferences", vp);
    xmp(t, xmp_extra, ua);
}
