#include "pagemap.h"
#include "../book/mdutil.h"
#include "../book/rawhtml.h"
#include "../util/xalloc.h"
#include <cmark-gfm.h>
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
            out->v[out->n++] = (pagestart_t){ch, block_in(b, box, ch), (int)k + 1};
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

void pagemap_free(pagemap_t *m) {
    free(m->v);
    memset(m, 0, sizeof *m);
}
