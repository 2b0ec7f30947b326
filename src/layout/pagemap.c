#include "pagemap.h"
#include "../book/mdutil.h"
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
    return n;
}

/* The page's first box that a reader sees. */
static const vbox_t *first_seen(const vlist_t *body, const page_t *p) {
    for (size_t k = p->first; k < p->first + p->count && k < body->n; k++)
        if (!body->v[k].discardable) return &body->v[k];
    return p->count && p->first < body->n ? &body->v[p->first] : NULL;
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
        for (size_t k = i - blanks; k <= i; k++) {
            XGROW(out->v, out->cap, out->n);
            out->v[out->n++] = (pagestart_t){ch, block_in(b, box, ch), (int)k + 1, false};
        }
        blanks = 0;
    }
    /* blank pages at the very end start where the last page does */
    for (size_t k = pages->n - blanks; k < pages->n && out->n; k++) {
        XGROW(out->v, out->cap, out->n);
        out->v[out->n] = out->v[out->n - 1];
        out->v[out->n++].folio = (int)k + 1;
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

void pagemap_label(const pagestart_t *p, char *out, size_t cap) {
    if (!p->front || p->folio <= 0 || p->folio >= 4000) {
        snprintf(out, cap, "%d", p->folio);
        return;
    }
    static const struct {
        int v;
        const char *s;
    } r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
             {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    size_t len = 0;
    int n = p->folio;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        while (n >= r[i].v && len + strlen(r[i].s) < cap) {
            strcpy(out + len, r[i].s);
            len += strlen(r[i].s);
            n -= r[i].v;
        }
}

void pagemap_free(pagemap_t *m) {
    free(m->v);
    memset(m, 0, sizeof *m);
}
