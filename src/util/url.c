#include "url.h"
#include "buf.h"
#include <ctype.h>

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *url_decode(const char *s, size_t n) {
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        int h, l;
        /* %00 stays as written: a NUL would cut the path short */
        if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
            (l = hexval(s[i + 2])) >= 0 && (h || l)) {
            buf_putc(&b, (char)(h * 16 + l));
            i += 2;
        } else {
            buf_putc(&b, s[i]);
        }
    }
    return buf_detach(&b);
}
