#ifndef GHB_PDFNUM_H
#define GHB_PDFNUM_H
/* Numbers and references written into PDF text without printf, whose
   formatting was a tenth of the handbook's PDF time (structure tree, UTF-16). */
#include "../util/buf.h"

static inline void put_uint(buf_t *b, unsigned long v) {
    char s[24], *p = s + sizeof s;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    buf_put(b, p, (size_t)(s + sizeof s - p));
}

static inline void put_int(buf_t *b, long v) {
    if (v < 0) buf_putc(b, '-');
    put_uint(b, v < 0 ? 0UL - (unsigned long)v : (unsigned long)v);
}

/* "N 0 R" and a space after it. */
static inline void put_ref(buf_t *b, unsigned num) {
    put_uint(b, num);
    buf_put(b, " 0 R ", 5);
}

/* Four capital hex digits. */
static inline void put_hex4(buf_t *b, unsigned long v) {
    static const char hex[] = "0123456789ABCDEF";
    char s[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
    buf_put(b, s, 4);
}

#endif
