#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void) {
    fputs("ghb-book: error: out of memory\n", stderr);
    exit(3);
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

char *xstrdup(const char *s) {
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n) {
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void xgrow(void **v, size_t *cap, size_t need, size_t elem) {
    if (need < *cap) return;
    size_t c = *cap ? *cap : 8;
    while (c <= need)
        c *= 2;
    *v = xrealloc(*v, c * elem);
    memset((char *)*v + *cap * elem, 0, (c - *cap) * elem);
    *cap = c;
}
