#ifndef GHB_STRMAP_H
#define GHB_STRMAP_H
#include <stddef.h>

/* A hash map from strings (copied in) to non-negative longs, for the lookups that
   hostile books would otherwise make quadratic. */
typedef struct {
    char **keys;
    long *vals;
    size_t n, cap;
} strmap_t;

void strmap_init(strmap_t *m);
void strmap_free(strmap_t *m);
/* The value stored for key, or -1. */
long strmap_get(const strmap_t *m, const char *key);
/* Stores key -> val, replacing any previous value. */
void strmap_put(strmap_t *m, const char *key, long val);

#endif
