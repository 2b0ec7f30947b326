/* PDF text strings: see textstr.h. */
#include "textstr.h"
#include "pdfnum.h"
#include "../util/utf8.h"
#include <string.h>

static bool is_blank_control(unsigned c) {
    return c == '\n' || c == '\r' || c == '\t';
}

static bool printable_ascii(const char *s, bool blank_controls) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c > 0x7E || (c < 0x20 && !(blank_controls && is_blank_control(c)))) return false;
    }
    return true;
}

static void put_literal(buf_t *o, const char *s, bool blank_controls) {
    buf_putc(o, '(');
    for (; *s; s++) {
        char c = blank_controls && is_blank_control((unsigned char)*s) ? ' ' : *s;
        if (c == '(' || c == ')' || c == '\\') buf_putc(o, '\\');
        buf_putc(o, c);
    }
    buf_putc(o, ')');
}

static void put_utf16(buf_t *o, const char *s, bool blank_controls) {
    buf_puts(o, "<FEFF");
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
        if (blank_controls && is_blank_control(cp)) cp = ' ';
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_hex4(o, 0xD800 + (cp >> 10));
            put_hex4(o, 0xDC00 + (cp & 0x3FF));
        } else {
            put_hex4(o, cp);
        }
    }
    buf_putc(o, '>');
}

void pdf_put_text(buf_t *o, const char *utf8, bool blank_controls) {
    if (printable_ascii(utf8, blank_controls))
        put_literal(o, utf8, blank_controls);
    else
        put_utf16(o, utf8, blank_controls);
}
