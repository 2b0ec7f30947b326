#ifndef GHB_FONTS_CPMAP_H
#define GHB_FONTS_CPMAP_H
/* A map from a code point or glyph id (below 0x110000) to a nonzero value,
   as a three-level table (plane, block of 256, key): a lookup is three loads,
   where HarfBuzz's hb_map_t hashes (#14: the fontset's memos are asked once or
   twice per character typeset, 80,000 times for the handbook). Blocks are made
   on their first store; a map of Latin text holds one or two. Not thread-safe:
   each fontset belongs to one thread. */
#include <stdint.h>

#define CPMAP_LIMIT 0x110000u

typedef struct {
    uint32_t **plane[CPMAP_LIMIT >> 16]; /* 256 blocks of 256 values each */
} cpmap_t;

/* The value stored for key, 0: none (nor for a key at or past CPMAP_LIMIT). */
static inline uint32_t cpmap_get(const cpmap_t *m, uint32_t key) {
    if (!m || key >= CPMAP_LIMIT) return 0;
    uint32_t **pl = m->plane[key >> 16];
    const uint32_t *b = pl ? pl[(key >> 8) & 255] : 0;
    return b ? b[key & 255] : 0;
}

/* Stores value (nonzero) for key, making *m on first use; a key at or past
   CPMAP_LIMIT is not stored (the caller asks again next time). */
void cpmap_set(cpmap_t **m, uint32_t key, uint32_t value);
void cpmap_free(cpmap_t *m);

#endif
