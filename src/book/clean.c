#include "clean.h"
#include "charset.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <stdlib.h>

/* Reports are capped per file so a binary file does not flood the terminal. */
#define MAX_REPORTS 10

static char *clean_utf8(const char *src, size_t len, size_t *out_len, const char *display,
                        diags_t *d);

char *text_clean(const char *src, size_t len, size_t *out_len, const char *display, diags_t *d) {
    const char *name = NULL;
    size_t conv_len = 0;
    char *conv = charset_to_utf8(src, len, &conv_len, &name);
    if (!conv) return clean_utf8(src, len, out_len, display, d);
    diag_add(d, DIAG_WARNING, display, 1, 1, "not UTF-8: read as %s (save the file as UTF-8)",
             name);
    char *out = clean_utf8(conv, conv_len, out_len, display, d);
    free(conv);
    return out;
}

/* Where the run of characters from i that clean_utf8 keeps as they are ends:
   printable ASCII, and well-formed UTF-8 of characters XML allows that are
   not C1 controls (Chinese text is three-byte sequences: decoding each with
   utf8_decode and copying it alone cost the handbook 5 M instructions, #14).
   *col counts the characters. */
static size_t clean_run(const unsigned char *s, size_t i, size_t len, int *col) {
    while (i < len) {
        unsigned c = s[i];
        uint32_t v;
        size_t l;
        if (c >= 0x20 && c < 0x7F) {
            l = 1, v = c;
        } else if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
            l = 2, v = (c & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu);
            if (v < 0xA0) break; /* a C1 control */
        } else if (c >= 0xE0 && c <= 0xEF && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80) {
            l = 3, v = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
            if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF) || v > 0xFFFD) break;
        } else if (c >= 0xF0 && c <= 0xF4 && i + 3 < len && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80) {
            l = 4, v = (c & 0x07u) << 18 | (s[i + 1] & 0x3Fu) << 12 | (s[i + 2] & 0x3Fu) << 6 |
                       (s[i + 3] & 0x3Fu);
            if (v < 0x10000 || v > 0x10FFFF) break;
        } else {
            break;
        }
        i += l, ++*col;
    }
    return i;
}

static char *clean_utf8(const char *src, size_t len, size_t *out_len, const char *display,
                        diags_t *d) {
    buf_t b;
    buf_init(&b);
    int line = 1, col = 1, reports = 0;
    bool error_shown = false;
    size_t i = 0;
    if (len >= 3 && (unsigned char)src[0] == 0xEF && (unsigned char)src[1] == 0xBB &&
        (unsigned char)src[2] == 0xBF)
        i = 3;
    while (i < len) {
        /* a run of characters that need nothing (most of any Markdown source)
           goes as it is */
        size_t run = clean_run((const unsigned char *)src, i, len, &col);
        if (run > i) {
            buf_put(&b, src + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(src + i, len - i, &cp);
        if (l == 0) {
            /* the first one is always shown: --strict must fail the build */
            if (reports++ < MAX_REPORTS || !error_shown)
                diag_add(d, DIAG_WARNING, display, line, col,
                         "invalid UTF-8 byte 0x%02X replaced by U+FFFD", (unsigned char)src[i]);
            error_shown = true;
            buf_puts(&b, "\xEF\xBF\xBD");
            i++, col++;
            continue;
        }
        bool bad = cp != '\t' && cp != '\n' && cp != '\r' &&
                   (!cp_xml_allowed(cp) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0));
        if (bad) {
            if (reports++ < MAX_REPORTS)
                diag_add(d, DIAG_WARNING, display, line, col, "control character U+%04X removed",
                         (unsigned)cp);
        } else {
            buf_put(&b, src + i, l);
        }
        if (cp == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += l;
    }
    if (reports > MAX_REPORTS)
        diag_add(d, DIAG_WARNING, display, line, col, "%d more encoding problems not shown",
                 reports - MAX_REPORTS);
    *out_len = b.len;
    return buf_detach(&b);
}
