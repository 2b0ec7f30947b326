#include "pagemap.h"
#include "../book/mdutil.h"
#include "../book/rawhtml.h"
#include "../util/xalloc.h"
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A box's block, when it is one of chapter ch's (a chapter-opening space may
   carry the block set before it). */
static cmark_node *block_in(const book_t *b, const vbox_t *box, int ch) {
    if (!box->src || box->chapter != ch || ch < 0 || (size_t)ch >= b->n_chapters) return NULL;
    cmark_node *root = box->src;
    while (cmark_node_parent(root))
        root = cmark_node_parent(root);
    if (root != b->chapters[ch].doc) return NULL;
    /* a marker can stand before a table, not between its rows or cells */
    cmark_node *n = box->src;
    while (cmark_node_parent(n) && (md_is_inline(n) || md_is(n, "table_cell") ||
                                    md_is(n, "table_row") || md_is(n, "table_header")))
        n = cmark_node_parent(n);
    /* nor inside a figure (its caption comes first or last) or a raw-HTML table */
    char tag[16];
    for (cmark_node *a = n; a; a = cmark_node_parent(a))
        if (cmark_node_get_type(a) == CMARK_NODE_CUSTOM_BLOCK &&
            (!strcmp(rawhtml_tag(a, tag, sizeof tag), "figure") || !strcmp(tag, "table")))
            n = a;
    return n;
}

/* The block of the page's first box that a reader sees and that has a place
   in the chapter's tree (boxes of generated matter, such as a raw-HTML block
   set from a tree of its own, have none); NULL when no box has. */
static cmark_node *first_block(const book_t *b, const vlist_t *body, const page_t *p, int ch) {
    for (size_t k = p->first; k < p->first + p->count && k < body->n; k++) {
        if (body->v[k].discardable) continue;
        cmark_node *n = block_in(b, &body->v[k], ch);
        if (n) return n;
    }
    return NULL;
}

/* The page's first box that a reader sees. */
static const vbox_t *first_seen(const vlist_t *body, const page_t *p) {
    for (size_t k = p->first; k < p->first + p->count && k < body->n; k++)
        if (!body->v[k].discardable) return &body->v[k];
    return p->count && p->first < body->n ? &body->v[p->first] : NULL;
}

typedef struct {
    const cmark_node *node;
    size_t ord;
} ordinal_t;

static int by_node(const void *a, const void *b) {
    const cmark_node *x = ((const ordinal_t *)a)->node, *y = ((const ordinal_t *)b)->node;
    return x < y ? -1 : x > y;
}

/* Where each node of the tree comes in reading order (sorted by node). */
static size_t ordinals(cmark_node *doc, ordinal_t **out) {
    ordinal_t *v = NULL;
    size_t n = 0, cap = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER) {
            XGROW(v, cap, n);
            v[n] = (ordinal_t){cmark_iter_get_node(it), n + 1};
            n++;
        }
    cmark_iter_free(it);
    qsort(v, n, sizeof *v, by_node);
    *out = v;
    return n;
}

static size_t ordinal_of(const ordinal_t *v, size_t n, const cmark_node *node) {
    if (!node) return 0; /* the chapter's start */
    ordinal_t key = {node, 0};
    const ordinal_t *f = bsearch(&key, v, n, sizeof *v, by_node);
    return f ? f->ord : 0;
}

/* A page's marker never comes before the previous page's in reading order (a
   page-list must be in reading order): a page whose block is earlier (a float,
   a block set out of order) starts where the previous page does. */
static void keep_order(const book_t *b, pagemap_t *m) {
    for (size_t i = 0; i < m->n;) {
        int ch = m->v[i].chapter;
        size_t j = i;
        while (j < m->n && m->v[j].chapter == ch)
            j++;
        if (ch >= 0 && (size_t)ch < b->n_chapters) {
            ordinal_t *v;
            size_t n = ordinals(b->chapters[ch].doc, &v), last = 0;
            for (size_t k = i; k < j; k++) {
                size_t o = ordinal_of(v, n, m->v[k].node);
                if (k > i && o < last)
                    m->v[k].node = m->v[k - 1].node;
                else
                    last = o;
            }
            free(v);
        }
        i = j;
    }
}

void pagemap_from(const book_t *b, const vlist_t *body, const pages_t *pages, pagemap_t *out) {
    memset(out, 0, sizeof *out);
    size_t blanks = 0; /* blank pages waiting for the next page with text */
    for (size_t i = 0; i < pages->n; i++) {
        const page_t *p = &pages->v[i];
        const vbox_t *box = p->blank ? NULL : first_seen(body, p);
        if (!box) {
            blanks++;
            continue;
        }
        int ch = box->chapter >= 0 ? box->chapter : p->chapter;
        if (ch < 0) { /* a part-title page: it starts where its first chapter does */
            blanks++;
            continue;
        }
        cmark_node *n = first_block(b, body, p, ch);
        for (size_t k = i - blanks; k <= i; k++) {
            XGROW(out->v, out->cap, out->n);
            out->v[out->n++] = (pagestart_t){ch, n, (int)k + 1, false};
        }
        blanks = 0;
    }
    /* blank pages at the very end start where the last page does */
    for (size_t k = pages->n - blanks; k < pages->n && out->n; k++) {
        XGROW(out->v, out->cap, out->n);
        out->v[out->n] = out->v[out->n - 1];
        out->v[out->n++].folio = (int)k + 1;
    }
    keep_order(b, out);
}

/* A box of the chapter by its block's place in reading order. */
typedef struct {
    size_t ord, box;
} placed_t;

static int by_place(const void *a, const void *b) {
    const placed_t *x = a, *y = b;
    return x->ord != y->ord ? (x->ord < y->ord ? -1 : 1) : (x->box < y->box ? -1 : x->box > y->box);
}

/* The first box at or after ordinal o (v sorted by place), or -1. */
static long box_from(const placed_t *v, size_t n, size_t o) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].ord < o)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? (long)v[lo].box : -1;
}

/* One chapter's raw-HTML anchors: its tree's order, its boxes by place. */
static void chapter_anchor_boxes(const book_t *b, const vlist_t *body, int ch, long *box) {
    ordinal_t *ord;
    size_t n_ord = ordinals(b->chapters[ch].doc, &ord), n = 0, cap = 0;
    placed_t *v = NULL;
    for (size_t k = 0; k < body->n; k++) {
        const vbox_t *x = &body->v[k];
        if (x->chapter != ch || x->discardable || !x->src) continue;
        size_t o = ordinal_of(ord, n_ord, x->src);
        if (!o) continue;
        XGROW(v, cap, n);
        v[n++] = (placed_t){o, k};
    }
    qsort(v, n, sizeof *v, by_place);
    for (size_t i = 0; i < b->n_anchors; i++) {
        const anchor_t *a = &b->anchors[i];
        if (a->chapter != ch || !a->node || box[i] >= 0) continue;
        /* the node is looked up among the tree's before it is followed: a pass
           after indexing may have replaced it */
        size_t o = ordinal_of(ord, n_ord, a->node);
        if (!o) continue;
        cmark_node *blk = (cmark_node *)a->node; /* in the tree: live */
        while (md_is_inline(blk) && cmark_node_parent(blk))
            blk = cmark_node_parent(blk);
        box[i] = box_from(v, n, ordinal_of(ord, n_ord, blk));
    }
    free(v), free(ord);
}

void pagemap_anchor_boxes(const book_t *b, const vlist_t *body, long *box) {
    int last = -1;
    for (size_t i = 0; i < b->n_anchors; i++) {
        const anchor_t *a = &b->anchors[i];
        if (!a->node || box[i] >= 0 || a->chapter == last || a->chapter < 0 ||
            (size_t)a->chapter >= b->n_chapters)
            continue;
        last = a->chapter; /* anchors come chapter by chapter */
        chapter_anchor_boxes(b, body, a->chapter, box);
    }
}

void pagemap_add_front(pagemap_t *m, size_t n_front, size_t toc_first) {
    if (!n_front) return;
    pagestart_t *v = xmalloc((m->n + n_front) * sizeof *v);
    for (size_t k = 0; k < n_front; k++) {
        int where = k == 0 ? PAGE_TITLE : k < toc_first ? PAGE_AFTER_TITLE : PAGE_CONTENTS;
        v[k] = (pagestart_t){where, NULL, (int)k + 1, true};
    }
    if (m->n) memcpy(v + n_front, m->v, m->n * sizeof *v);
    free(m->v);
    m->v = v;
    m->n += n_front;
    m->cap = m->n;
}

void roman(int n, char *out, size_t size) {
    static const struct {
        int v;
        const char *s;
    } r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
             {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof r / sizeof *r && n > 0; i++)
        while (n >= r[i].v && len + strlen(r[i].s) < size) {
            strcpy(out + len, r[i].s);
            len += strlen(r[i].s);
            n -= r[i].v;
        }
}

void pagemap_label(const pagestart_t *p, char *out, size_t cap) {
    if (!p->front || p->folio <= 0 || p->folio >= 4000)
        snprintf(out, cap, "%d", p->folio);
    else
        roman(p->folio, out, cap);
}

void pagemap_free(pagemap_t *m) {
    free(m->v);
    memset(m, 0, sizeof *m);
}
