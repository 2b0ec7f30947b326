#include "paging.h"
#include "../book/front.h"
#include "../layout/pagemap.h"
#include "../util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void paging_init(paging_t *c, book_t *b, const print_t *ps, fontset_t *fs) {
    memset(c, 0, sizeof *c);
    c->b = b, c->ps = ps, c->fs = fs;
    size_t n = b->n_anchors + b->n_chapters + 1;
    c->anchor_page = xmalloc(n * sizeof *c->anchor_page);
    c->anchor_y = xcalloc(n, sizeof *c->anchor_y);
}

void paging_free(paging_t *c) {
    typeset_free(&c->ts);
    pages_free(&c->pages);
    vlist_free(&c->heads);
    vlist_free(&c->folios);
    free(c->anchor_page), free(c->anchor_y);
    memset(c, 0, sizeof *c);
}

/* ---------------------------------------------------------------- note numbers */

/* Notes are numbered per page, ①②③..., so that a note's number is on its page. */
static uint32_t circled(size_t n) {
    if (n >= 1 && n <= 20) return 0x2460 + (uint32_t)(n - 1);
    if (n >= 21 && n <= 35) return 0x3251 + (uint32_t)(n - 21);
    if (n >= 36 && n <= 50) return 0x32B1 + (uint32_t)(n - 36);
    return '*';
}

static size_t page_number_of(const paging_t *c, const page_t *p, int id) {
    const char *key = c->ts.notes[id].key;
    for (size_t i = 0; i < p->n_notes; i++) {
        int other = p->notes[i];
        if (other == id ||
            (key && c->ts.notes[other].key && strcmp(key, c->ts.notes[other].key) == 0))
            return i + 1;
    }
    return 0;
}

static void renumber_line(paging_t *c, line_t *ln, const page_t *p) {
    uint32_t prev = 0;
    for (size_t k = 0; k < ln->n; k++) {
        glyph_t *g = &ln->g[k];
        if (g->note < 0) {
            prev = 0;
            continue;
        }
        size_t n = page_number_of(c, p, g->note);
        if (!n) continue;
        uint32_t cp = circled(n);
        if (cp == prev) {
            /* two links of one clause to one URL share a note: one mark says so */
            g->cp = ' ';
            continue;
        }
        prev = cp;
        int f = fontset_pick(c->fs, ROLE_BODY, cp);
        if (f < 0) continue;
        g->cp = cp;
        g->font = f;
        g->gid = fontset_use(c->fs, f, cp);
        g->nchars = 1;
    }
}

void paging_renumber_notes(paging_t *c) {
    for (size_t pi = 0; pi < c->pages.n; pi++) {
        const page_t *p = &c->pages.v[pi];
        for (size_t b = p->first; b < p->first + p->count; b++)
            for (size_t o = 0; o < c->ts.body.v[b].n_ops; o++)
                if (c->ts.body.v[b].ops[o].kind == OP_GLYPHS)
                    renumber_line(c, &c->ts.body.v[b].ops[o].line, p);
        for (size_t i = 0; i < p->n_notes; i++) {
            if (i == 0 && p->note_first_line) continue; /* numbered on the page before */
            pnote_t *n = &c->ts.notes[p->notes[i]];
            if (n->lines.n) renumber_line(c, &n->lines.v[0].ops[0].line, p);
        }
    }
}

float paging_text_left(const paging_t *c, size_t folio) {
    /* margin-inner is the binding side: the left of odd (right-hand) pages */
    return folio % 2 ? c->ps->margin_inner : c->ps->page_w - c->ps->margin_inner - c->ps->measure;
}

float paging_head_size(const paging_t *c) {
    return c->ps->note_size + 0.5f;
}

void paging_set_heads(paging_t *c, size_t n_front) {
    float size = paging_head_size(c), pitch = size * 1.5f;
    typeset_text(&c->heads, c->fs, c->ps, c->b->meta.title, ROLE_BODY, size, pitch, 0,
                 c->ps->measure, 0);
    for (size_t i = 0; i < c->b->n_chapters; i++) {
        size_t before = c->heads.n;
        typeset_text(&c->heads, c->fs, c->ps, c->b->chapters[i].title, ROLE_BODY, size, pitch, 0,
                     c->ps->measure * 0.8f, 2);
        while (c->heads.n > before + 1)
            vbox_free(&c->heads.v[--c->heads.n]); /* one line is enough */
        if (c->heads.n == before) vlist_add(&c->heads, pitch);
    }
    char num[32];
    for (size_t i = 0; i < c->pages.n + n_front; i++) {
        if (i < c->pages.n)
            snprintf(num, sizeof num, "%zu", i + 1);
        else
            roman((int)(i - c->pages.n + 1), num, sizeof num);
        size_t before = c->folios.n;
        typeset_text(&c->folios, c->fs, c->ps, num, ROLE_BODY, size, pitch, 0, c->ps->measure, 0);
        if (c->folios.n == before) vlist_add(&c->folios, pitch);
    }
}

/* Each body box's page (-1: on none) and the height its top stands at. */
static void box_places(const paging_t *c, int *box_page, float *box_top) {
    size_t nb = c->ts.body.n;
    for (size_t k = 0; k < nb; k++)
        box_page[k] = -1, box_top[k] = 0;
    for (size_t pi = 0; pi < c->pages.n; pi++) {
        const page_t *p = &c->pages.v[pi];
        float top = c->ps->page_h - c->ps->margin_top - (p->header ? p->header->height : 0);
        for (size_t k = p->first; k < p->first + p->count && k < nb; k++) {
            box_page[k] = (int)pi, box_top[k] = top;
            top -= c->ts.body.v[k].height;
        }
    }
}

/* Anchors of raw HTML (<a id="x"></a>) have no box of their own: they land
   where the first block at or after them starts. */
static void locate_raw(const paging_t *c, int *page, float *y, const int *box_page,
                       const float *box_top) {
    size_t na = c->b->n_anchors;
    bool any = false;
    for (size_t i = 0; i < na && !any; i++)
        any = page[i] < 0 && c->b->anchors[i].node;
    if (!any) return;
    long *box = xmalloc(na * sizeof *box);
    for (size_t i = 0; i < na; i++)
        box[i] = page[i] < 0 ? -1 : 0; /* only the unplaced are looked for */
    pagemap_anchor_boxes(c->b, &c->ts.body, box);
    for (size_t i = 0; i < na; i++)
        if (page[i] < 0 && box[i] >= 0 && box_page[box[i]] >= 0)
            page[i] = box_page[box[i]], y[i] = box_top[box[i]];
    free(box);
}

/* Where each anchor and chapter landed: body page and baseline height. */
static void locate(paging_t *c, int *page, float *y) {
    size_t na = c->b->n_anchors, nb = c->ts.body.n;
    for (size_t i = 0; i < na + c->b->n_chapters; i++)
        page[i] = -1, y[i] = 0;
    int *box_page = xmalloc((nb + 1) * sizeof *box_page);
    float *box_top = xmalloc((nb + 1) * sizeof *box_top);
    box_places(c, box_page, box_top);
    for (size_t b = 0; b < nb; b++) {
        const vbox_t *bx = &c->ts.body.v[b];
        int pi = box_page[b];
        if (pi < 0) continue;
        if (bx->anchor >= 0 && page[bx->anchor] < 0)
            page[bx->anchor] = pi, y[bx->anchor] = box_top[b];
        if (bx->chapter >= 0 && page[na + (size_t)bx->chapter] < 0)
            page[na + (size_t)bx->chapter] = pi, y[na + (size_t)bx->chapter] = c->ps->page_h;
    }
    /* a heading may carry more anchors than its box records ({#id} or a pandoc-crossref
       label beside its slug): they land where the heading's own anchor did */
    for (size_t i = 0; i < na; i++) {
        long h = c->b->anchors[i].heading;
        if (page[i] >= 0 || h < 0) continue;
        size_t own = c->b->headings[h].anchor;
        if (own < na && page[own] >= 0) page[i] = page[own], y[i] = y[own];
    }
    locate_raw(c, page, y, box_page, box_top);
    free(box_page), free(box_top);
}

size_t paging_toc(const paging_t *c, int max_level, toc_item_t **out) {
    size_t n = 0, cap = 0, na = c->b->n_anchors;
    *out = NULL;
    contents_t list;
    contents_build(c->b, max_level, &list);
    for (size_t i = 0; i < list.n; i++) {
        const contents_entry_t *e = &list.v[i];
        int page = c->anchor_page[na + (size_t)e->chapter];
        float y = c->ps->page_h;
        if (page < 0 || (e->part && page < 2)) continue;
        if (e->part) {
            page -= 2; /* a part's page is the right-hand page before its first chapter's */
        } else if (e->anchor >= 0) {
            page = c->anchor_page[e->anchor], y = c->anchor_y[e->anchor];
            if (page < 0) continue;
        }
        XGROW(*out, cap, n);
        (*out)[n++] = (toc_item_t){1 + e->depth, e->label, page, y};
    }
    contents_free(&list);
    return n;
}

/* The body page (from 1) each link starts on, or 0 (not set), into page[link]. */
static void link_pages(const paging_t *c, int *page) {
    for (size_t pi = 0; pi < c->pages.n; pi++) {
        const page_t *p = &c->pages.v[pi];
        for (size_t b = p->first; b < p->first + p->count; b++)
            for (size_t o = 0; o < c->ts.body.v[b].n_ops; o++) {
                const op_t *op = &c->ts.body.v[b].ops[o];
                if (op->kind != OP_GLYPHS) continue;
                for (size_t k = 0; k < op->line.n; k++) {
                    int l = op->line.g[k].link;
                    if (l >= 0 && (size_t)l < c->b->n_links && !page[l]) page[l] = (int)pi + 1;
                }
            }
        for (size_t i = 0; i < p->n_notes; i++) {
            const vlist_t *lines = &c->ts.notes[p->notes[i]].lines;
            for (size_t b = 0; b < lines->n; b++)
                for (size_t o = 0; o < lines->v[b].n_ops; o++) {
                    const op_t *op = &lines->v[b].ops[o];
                    if (op->kind != OP_GLYPHS) continue;
                    for (size_t k = 0; k < op->line.n; k++) {
                        int l = op->line.g[k].link;
                        if (l >= 0 && (size_t)l < c->b->n_links && !page[l]) page[l] = (int)pi + 1;
                    }
                }
        }
    }
}

/* The next pass's folios: each anchor's and chapter's page (typeset.h), then per
   link its own page, or 0 (not found, or a link that is not internal). */
static int *next_folios(paging_t *c, size_t n) {
    int *now = xcalloc(n + c->b->n_links + 1, sizeof *now);
    for (size_t i = 0; i < n; i++)
        now[i] = c->anchor_page[i] + 1;
    link_pages(c, now + n);
    return now;
}

/* Whether two passes' folios give the same text: the same page of every anchor
   and chapter, and, per internal link, the same choice of naming the page. */
/* Where a link's target's page is in the folios: its anchor's, else its chapter's. */
static size_t target_of(const paging_t *c, const link_t *l) {
    return l->target_anchor >= 0 ? (size_t)l->target_anchor
                                 : c->b->n_anchors + (size_t)l->target_chapter;
}

static bool same_text(const paging_t *c, const int *a, const int *b, size_t n) {
    if (memcmp(a, b, n * sizeof *a) != 0) return false;
    for (size_t i = 0; i < c->b->n_links; i++) {
        const link_t *l = &c->b->links[i];
        if (l->kind != LINK_INTERNAL) continue;
        size_t t = target_of(c, l);
        if ((a[n + i] == a[t]) != (b[n + i] == b[t])) return false;
    }
    return true;
}

/* Whether a link names its target's page with these folios (inline.c's page_ref). */
static bool names_page(const paging_t *c, const int *f, size_t n, size_t i) {
    size_t t = target_of(c, &c->b->links[i]);
    return !(f[t] > 0 && f[n + i] == f[t]);
}

/* A link that named its page in the last pass names it in the next too (its
   own page set to -1, never a folio). Without this a reference at a page's foot
   can flip for ever: naming its page pushes it over to the target's page,
   where it names none, which pulls it back (the Cargo Book). From the third
   pass the links naming pages only grow, so the passes settle. */
static void keep_named(const paging_t *c, int *now, const int *before, size_t n) {
    for (size_t i = 0; i < c->b->n_links; i++)
        if (c->b->links[i].kind == LINK_INTERNAL && names_page(c, before, n, i) &&
            !names_page(c, now, n, i))
            now[n + i] = -1;
}

enum { PASSES_FREE = 3, PASSES = 5 }; /* free passes, then ones that only add page names */

void paging_set_body(paging_t *c) {
    bool internal = false;
    for (size_t i = 0; i < c->b->n_links; i++)
        internal |= c->b->links[i].kind == LINK_INTERNAL;
    size_t n = c->b->n_anchors + c->b->n_chapters;
    int *folios = NULL;
    for (int pass = 0; pass < PASSES; pass++) {
        typeset_book(c->b, c->fs, c->ps, folios, c->one_thread ? 1 : 2, &c->ts);
        paginate(&c->ts.body, (float)c->ps->lines * c->ps->pitch, c->ts.notes, c->ts.n_notes,
                 c->ps->note_pitch, &c->pages);
        locate(c, c->anchor_page, c->anchor_y);
        int *now = next_folios(c, n);
        if (folios && pass + 1 >= PASSES_FREE) keep_named(c, now, folios, n);
        bool same = folios && same_text(c, now, folios, n);
        free(folios);
        folios = now;
        if (!internal || same) break;
        if (pass == PASSES - 1) {
            /* the references moved pages again: some may be off by a page */
            diag_add(c->b->diags, DIAG_WARNING, c->b->meta_file ? c->b->meta_file : "pdf", 1, 1,
                     "page numbers did not settle after %d passes: a page reference may be off "
                     "by a page",
                     PASSES);
            break;
        }
        typeset_free(&c->ts);
        pages_free(&c->pages);
    }
    free(folios);
}
