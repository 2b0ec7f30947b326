#include "stree.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

int stree_add(stree_t *t, int parent, srole_t role, const char *alt) {
    XGROW(t->v, t->cap, t->n);
    t->v[t->n] = (snode_t){role, parent, alt ? xstrdup(alt) : NULL, 0};
    return (int)t->n++;
}

void stree_free(stree_t *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].alt);
    free(t->v);
    memset(t, 0, sizeof *t);
}

const char *srole_name(srole_t r) {
    static const char *names[S_COUNT] = {
        "Document", "Part", "Sect",   "H1",      "H2",   "H3",         "H4",    "H5",
        "H6",       "P",    "L",      "LI",      "Lbl",  "LBody",      "Table", "TR",
        "TH",       "TD",   "Figure", "Formula", "Code", "BlockQuote", "Note",  "Reference",
        "Link",     "TOC",  "TOCI",   "Caption", "Span"};
    return r < S_COUNT ? names[r] : "Span";
}
