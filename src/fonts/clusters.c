#include "clusters.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* Entries one after another in pool: next in its bucket (1 + offset, 0: none),
   font, glyph count, text length, the glyphs, the text. */
struct clusters {
    uint32_t *pool;
    size_t n_pool, cap_pool;
    uint32_t *bucket; /* hash -> 1 + offset of its first entry */
    size_t n_buckets, n;
};

static uint32_t hash(int font, const uint32_t *gids, size_t ng) {
    uint32_t h = 2166136261u ^ (uint32_t)font;
    for (size_t i = 0; i < ng; i++)
        h = (h ^ gids[i]) * 16777619u;
    return h;
}

clusters_t *clusters_new(void) {
    return xcalloc(1, sizeof(clusters_t));
}

void clusters_free(clusters_t *c) {
    if (!c) return;
    free(c->pool), free(c->bucket);
    free(c);
}

static void link_in(clusters_t *c, size_t at) {
    const uint32_t *e = c->pool + at;
    uint32_t *b = &c->bucket[hash((int)e[1], e + 4, e[2]) & (c->n_buckets - 1)];
    c->pool[at] = *b;
    *b = (uint32_t)at + 1;
}

/* Twice the buckets once there are as many entries: chains stay short. */
static void grow(clusters_t *c) {
    c->n_buckets = c->n_buckets ? 2 * c->n_buckets : 256;
    free(c->bucket);
    c->bucket = xcalloc(c->n_buckets, sizeof *c->bucket);
    for (size_t at = 0; at < c->n_pool; at += 4 + c->pool[at + 2] + c->pool[at + 3])
        link_in(c, at);
}

size_t clusters_find(const clusters_t *c, int font, const uint32_t *gids, size_t ng,
                     const uint32_t **text) {
    if (!c->n_buckets) return 0;
    for (uint32_t at = c->bucket[hash(font, gids, ng) & (c->n_buckets - 1)]; at;
         at = c->pool[at - 1]) {
        const uint32_t *e = c->pool + at - 1;
        if ((int)e[1] == font && e[2] == ng && memcmp(e + 4, gids, ng * sizeof *gids) == 0) {
            *text = e + 4 + ng;
            return e[3];
        }
    }
    return 0;
}

void clusters_add(clusters_t *c, int font, const uint32_t *gids, size_t ng, const uint32_t *text,
                  size_t nt) {
    const uint32_t *old;
    if (!ng || !nt || clusters_find(c, font, gids, ng, &old)) return;
    if (c->n + 1 > c->n_buckets) grow(c);
    while (c->n_pool + 4 + ng + nt > c->cap_pool) {
        c->cap_pool = c->cap_pool ? 2 * c->cap_pool : 1024;
        c->pool = xrealloc(c->pool, c->cap_pool * sizeof *c->pool);
    }
    size_t at = c->n_pool;
    uint32_t *e = c->pool + at;
    e[1] = (uint32_t)font, e[2] = (uint32_t)ng, e[3] = (uint32_t)nt;
    memcpy(e + 4, gids, ng * sizeof *gids);
    memcpy(e + 4 + ng, text, nt * sizeof *text);
    c->n_pool += 4 + ng + nt;
    c->n++;
    link_in(c, at);
}
