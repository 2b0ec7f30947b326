#include "buf.h"
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf_t *b) {
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_free(buf_t *b) {
    free(b->data);
    buf_init(b);
}

static void reserve(buf_t *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t c = b->cap ? b->cap : 256;
    while (c < b->len + extra + 1)
        c *= 2;
    b->data = xrealloc(b->data, c);
    b->cap = c;
}

void buf_reserve(buf_t *b, size_t extra) {
    reserve(b, extra);
}

void buf_put_grow(buf_t *b, const char *s, size_t n) {
    reserve(b, n);
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_vprintf(buf_t *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *buf_detach(buf_t *b) {
    char *p = b->data ? b->data : xstrdup("");
    buf_init(b);
    return p;
}
