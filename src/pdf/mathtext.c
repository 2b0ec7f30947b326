/* The text layer of a formula: see mathtext.h. */
#include "mathtext.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <hpdf_pages.h>
#include <stdbool.h>
#include <string.h>

static void write(HPDF_Page pg, const char *s, size_t n) {
    HPDF_Stream_Write(((HPDF_PageAttr)pg->attr)->stream, (const HPDF_BYTE *)s, (HPDF_UINT)n);
}

/* TeX is ASCII: written as a literal string (PDFDocEncoding agrees with ASCII
   there) it costs a quarter of the hex UTF-16 a text string with other
   characters needs. */
static bool printable_ascii(const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c > 0x7E || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) return false;
    }
    return true;
}

static void hex4(buf_t *b, unsigned v) {
    static const char d[] = "0123456789ABCDEF";
    char h[4] = {d[v >> 12 & 15], d[v >> 8 & 15], d[v >> 4 & 15], d[v & 15]};
    buf_put(b, h, 4);
}

void mathtext_begin(HPDF_Page pg, const char *utf8) {
    buf_t b;
    buf_init(&b);
    if (printable_ascii(utf8)) {
        buf_puts(&b, "/Span <</ActualText (");
        for (const char *p = utf8; *p; p++) {
            char c = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
            if (c == '(' || c == ')' || c == '\\') buf_putc(&b, '\\');
            buf_putc(&b, c);
        }
        buf_puts(&b, ")>> BDC\n");
        write(pg, b.data, b.len);
        buf_free(&b);
        return;
    }
    /* a text string in UTF-16BE with its byte order mark, written in hex */
    buf_puts(&b, "/Span <</ActualText <FEFF");
    size_t n = strlen(utf8);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(utf8 + i, n - i, &cp);
        i += l ? l : 1;
        if (cp == '\n' || cp == '\r' || cp == '\t') cp = ' ';
        if (cp >= 0x10000) {
            cp -= 0x10000;
            hex4(&b, 0xD800 + (cp >> 10));
            hex4(&b, 0xDC00 + (cp & 0x3FF));
        } else {
            hex4(&b, cp);
        }
    }
    buf_puts(&b, ">>> BDC\n");
    write(pg, b.data, b.len);
    buf_free(&b);
}

void mathtext_end(HPDF_Page pg) {
    write(pg, "EMC\n", 4);
}
