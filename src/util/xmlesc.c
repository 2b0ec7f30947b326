#include "xmlesc.h"
#include <string.h>

static void esc(buf_t *b, const char *s, size_t n, bool attr) {
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = attr ? "&quot;" : NULL;
            break;
        default:
            break;
        }
        if (!rep) continue;
        buf_put(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_put(b, s + start, n - start);
}

void xml_escape(buf_t *b, const char *s, size_t n) {
    esc(b, s, n, false);
}

void xml_escape_attr(buf_t *b, const char *s) {
    esc(b, s, strlen(s), true);
}
