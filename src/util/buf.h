#ifndef GHB_BUF_H
#define GHB_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* A growable byte string, always NUL-terminated. The owner calls buf_free. */
typedef struct {
    char *data;
    size_t len, cap;
} buf_t;

void buf_init(buf_t *b);
void buf_free(buf_t *b);
/* The growing path; buf_put/buf_putc below append in place while there is room
   (the writers call them hundreds of thousands of times a build). */
void buf_put_grow(buf_t *b, const char *s, size_t n);
/* Makes room for extra more bytes (and the NUL) without writing them. */
void buf_reserve(buf_t *b, size_t extra);
static inline void buf_put(buf_t *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        buf_put_grow(b, s, n);
        return;
    }
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}
static inline void buf_puts(buf_t *b, const char *s) {
    buf_put(b, s, strlen(s));
}
static inline void buf_putc(buf_t *b, char c) {
    if (b->len + 2 > b->cap) {
        buf_put_grow(b, &c, 1);
        return;
    }
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Hands the bytes to the caller (who frees them) and leaves b empty. */
char *buf_detach(buf_t *b);

#endif
