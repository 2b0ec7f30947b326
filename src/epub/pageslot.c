/* Page slots: see pageslot.h. */
#include "pageslot.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define OPEN "<?" PAGESLOT_TARGET " "
#define OPEN_LEN (sizeof OPEN - 1)

void pageslot_put(pageslots_t *s, struct cmark_node *node, bool end, buf_t *out) {
    XGROW(s->v, s->cap, s->n);
    s->v[s->n] = (pageslot_t){node, end};
    buf_printf(out, OPEN "%zu?>", s->n++);
}

size_t pageslot_count(const char *html, size_t len) {
    size_t n = 0;
    for (const char *p = html, *e = html + len; (p = memmem(p, (size_t)(e - p), OPEN, OPEN_LEN));
         p += OPEN_LEN)
        n++;
    return n;
}

/* The marker as the XHTML pass serializes html.c's epub_page_marker: an empty
   element, its attributes in the order written. */
static void marker(buf_t *out, const pagestart_t *p) {
    char l[16];
    pagemap_label(p, l, sizeof l);
    buf_printf(out,
               "<span class=\"pagebreak\" epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
               "id=\"page.%s\" aria-label=\"%s\" title=\"%s\"/>",
               l, l, l);
}

/* The slot's markers: as html.c's page_markers, each page once, in the map's order. */
static void fill_slot(const pageslot_t *slot, const pagemap_t *pages, const size_t *mine,
                      size_t n_mine, bool *paged, buf_t *out) {
    for (size_t k = 0; k < n_mine; k++) {
        const pagestart_t *p = &pages->v[mine[k]];
        if (!paged[k] && (slot->end || p->node == slot->node)) {
            marker(out, p);
            paged[k] = true;
        }
    }
}

/* Reads "K?>" at *at; false unless K is the expected slot. */
static bool slot_number(const char **at, const char *e, size_t want) {
    const char *p = *at;
    size_t k = 0;
    if (p >= e || *p < '0' || *p > '9') return false;
    while (p < e && *p >= '0' && *p <= '9')
        k = k * 10 + (size_t)(*p++ - '0');
    if (e - p < 2 || p[0] != '?' || p[1] != '>' || k != want) return false;
    *at = p + 2;
    return true;
}

bool pageslot_fill(const pageslots_t *s, const pagemap_t *pages, int ch, const char *doc,
                   size_t len, buf_t *out) {
    /* this chapter's pages, so that a slot looks at those only */
    size_t n_mine = 0, *mine = xmalloc((pages ? pages->n : 0) * sizeof *mine + 1);
    for (size_t i = 0; pages && i < pages->n; i++)
        if (pages->v[i].chapter == ch) mine[n_mine++] = i;
    bool *paged = xcalloc(n_mine + 1, 1);
    const char *p = doc, *e = doc + len;
    size_t next = 0;
    bool ok = true;
    for (const char *q; ok && (q = memmem(p, (size_t)(e - p), OPEN, OPEN_LEN)); next++) {
        buf_put(out, p, (size_t)(q - p));
        p = q + OPEN_LEN;
        ok = next < s->n && slot_number(&p, e, next);
        if (ok) fill_slot(&s->v[next], pages, mine, n_mine, paged, out);
    }
    if (ok) buf_put(out, p, (size_t)(e - p));
    free(mine);
    free(paged);
    return ok && next == s->n;
}

void pageslot_free(pageslots_t *s) {
    free(s->v);
    memset(s, 0, sizeof *s);
}
