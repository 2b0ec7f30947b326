/* The text layer of a formula: see mathtext.h. */
#include "mathtext.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <hpdf_pages.h>
#include <string.h>

static void write(HPDF_Page pg, const char *s, size_t n) {
    HPDF_Stream_Write(((HPDF_PageAttr)pg->attr)->stream, (const HPDF_BYTE *)s, (HPDF_UINT)n);
}

void mathtext_begin(HPDF_Page pg, const char *utf8) {
    buf_t b;
    buf_init(&b);
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
            buf_printf(&b, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            buf_printf(&b, "%04X", cp);
        }
    }
    buf_puts(&b, ">>> BDC\n");
    write(pg, b.data, b.len);
    buf_free(&b);
}

void mathtext_end(HPDF_Page pg) {
    write(pg, "EMC\n", 4);
}
