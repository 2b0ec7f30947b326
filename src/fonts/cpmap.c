/* Three-level tables of code points or glyphs: see cpmap.h. */
#include "cpmap.h"
#include "../util/xalloc.h"
#include <stdlib.h>

void cpmap_set(cpmap_t **m, uint32_t key, uint32_t value) {
    if (key >= CPMAP_LIMIT) return;
    if (!*m) *m = xcalloc(1, sizeof **m);
    uint32_t ***pl = &(*m)->plane[key >> 16];
    if (!*pl) *pl = xcalloc(256, sizeof **pl);
    uint32_t **b = &(*pl)[(key >> 8) & 255];
    if (!*b) *b = xcalloc(256, sizeof **b);
    (*b)[key & 255] = value;
}

void cpmap_free(cpmap_t *m) {
    if (!m) return;
    for (uint32_t p = 0; p < CPMAP_LIMIT >> 16; p++) {
        if (!m->plane[p]) continue;
        for (int b = 0; b < 256; b++)
            free(m->plane[p][b]);
        free(m->plane[p]);
    }
    free(m);
}
