#include "strmap.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void strmap_init(strmap_t *m) {
    memset(m, 0, sizeof *m);
}

void strmap_free(strmap_t *m) {
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    strmap_init(m);
}

static uint64_t hash(const char *s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* The slot holding key, or the empty slot where it would go. cap is a power of two. */
static size_t slot(const strmap_t *m, const char *key) {
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

long strmap_get(const strmap_t *m, const char *key) {
    if (!m->cap) return -1;
    size_t i = slot(m, key);
    return m->keys[i] ? m->vals[i] : -1;
}

static void grow(strmap_t *m) {
    strmap_t bigger = {xcalloc(m->cap ? m->cap * 2 : 16, sizeof(char *)),
                       xcalloc(m->cap ? m->cap * 2 : 16, sizeof(long)), 0,
                       m->cap ? m->cap * 2 : 16};
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = slot(&bigger, m->keys[i]);
        bigger.keys[j] = m->keys[i];
        bigger.vals[j] = m->vals[i];
        bigger.n++;
    }
    free(m->keys);
    free(m->vals);
    *m = bigger;
}

void strmap_put(strmap_t *m, const char *key, long val) {
    if ((m->n + 1) * 2 > m->cap) grow(m);
    size_t i = slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->n++;
    }
    m->vals[i] = val;
}
