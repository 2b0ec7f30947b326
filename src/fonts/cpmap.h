#ifndef GHB_FONTS_CPMAP_H
#define GHB_FONTS_CPMAP_H
/* A map from a code point or glyph id (below 0x110000) to a nonzero value,
   as a two-level table: a lookup is two loads, where HarfBuzz's hb_map_t
   hashes (#14: the fontset's memos are asked once or twice per character
   typeset, 80,000 times for the handbook). Pages of 256 keys are made on
   their first store; a map of Latin text holds one or two. Not thread-safe:
   each fontset belongs to one thread. */
#include <stdint.h>

#define CPMAP_LIMIT 0x110000u
#define CPMAP_PAGES (CPMAP_LIMIT >> 8)

typedef struct {
    uint32_t *page[CPMAP_PAGES];
} cpmap_t;

/* The value stored for key, 0: none (nor for a key at or past CPMAP_LIMIT). */
static inline uint32_t cpmap_get(const cpmap_t *m, uint32_t key) {
    if (!m || key >= CPMAP_LIMIT) return 0;
    const uint32_t *p = m->page[key >> 8];
    return p ? p[key & 255] : 0;
}

/* Stores value (nonzero) for key, making *m on first use; a key at or past
   CPMAP_LIMIT is not stored (the caller asks again next time). */
void cpmap_set(cpmap_t **m, uint32_t key, uint32_t value);
void cpmap_free(cpmap_t *m);

#endif
