/* Two-level tables of code points or glyphs: see cpmap.h. */
#include "cpmap.h"
#include "../util/xalloc.h"
#include <stdlib.h>

void cpmap_set(cpmap_t **m, uint32_t key, uint32_t value) {
    if (key >= CPMAP_LIMIT) return;
    if (!*m) *m = xcalloc(1, sizeof **m);
    uint32_t **p = &(*m)->page[key >> 8];
    if (!*p) *p = xcalloc(256, sizeof **p);
    (*p)[key & 255] = value;
}

void cpmap_free(cpmap_t *m) {
    if (!m) return;
    for (uint32_t i = 0; i < CPMAP_PAGES; i++)
        free(m->page[i]);
    free(m);
}
