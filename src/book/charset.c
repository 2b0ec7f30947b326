#include "charset.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unicode/ucnv.h>

/* Whether src reads as another encoding rather than damaged UTF-8: it has
   invalid bytes, and more of them than well-formed multi-byte sequences (one
   bad byte in a UTF-8 chapter must not turn its Chinese text into a misreading). */
static bool not_utf8(const char *s, size_t len) {
    size_t bad = 0, multi = 0;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)s[i] < 0x80) { /* ASCII: valid as it is */
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(s + i, len - i, &cp);
        if (l == 0) {
            bad++, i++;
            continue;
        }
        multi += l > 1;
        i += l;
    }
    return bad > multi;
}

/* Converts with ICU's stop callback: any byte sequence the encoding does not
   define fails the whole reading (a guess must be clean or not made). */
static char *convert(const char *enc, const char *src, size_t len, size_t *out_len) {
    UErrorCode err = U_ZERO_ERROR;
    UConverter *from = ucnv_open(enc, &err);
    UConverter *to = ucnv_open("UTF-8", &err);
    if (U_FAILURE(err)) {
        if (from) ucnv_close(from);
        if (to) ucnv_close(to);
        return NULL;
    }
    ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    size_t cap = len * 2 + 16; /* two-byte units become at most three UTF-8 bytes */
    char *out = xmalloc(cap);
    char *target = out;
    const char *source = src;
    ucnv_convertEx(to, from, &target, out + cap, &source, src + len, NULL, NULL, NULL, NULL, true,
                   true, &err);
    ucnv_close(from);
    ucnv_close(to);
    if (U_FAILURE(err)) {
        free(out);
        return NULL;
    }
    *out_len = (size_t)(target - out);
    return out;
}

/* Whether UTF-8 text holds a Han character: a GB18030 reading of Latin text
   that happens to be well-formed would be a misreading. */
static bool has_han(const char *s, size_t len) {
    for (size_t i = 0; i < len;) {
        if ((unsigned char)s[i] < 0x80) { /* ASCII: valid as it is */
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(s + i, len - i, &cp);
        if (l == 0) return false;
        if (cp >= 0x4E00 && cp <= 0x9FFF) return true;
        i += l;
    }
    return false;
}

static bool ascii_letter(unsigned char c) {
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}

/* Whether the bytes above 0x7F read as Latin-1 letters in words: each run of them
   touches an ASCII letter ("Caf\xe9", "na\xefve") or is one accented letter
   alone ("\xe0 la"). Stray bytes between spaces are damage, not text. */
static bool latin_words(const char *src, size_t len) {
    const unsigned char *u = (const unsigned char *)src;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t e = i;
        while (e < len && u[e] >= 0x80)
            e++;
        bool touches = (i > 0 && ascii_letter(u[i - 1])) || (e < len && ascii_letter(u[e]));
        bool letter = e - i == 1 && u[i] >= 0xC0 && u[i] != 0xD7 && u[i] != 0xF7;
        if (!touches && !letter) return false;
        i = e;
    }
    return true;
}

char *charset_to_utf8(const char *src, size_t len, size_t *out_len, const char **name) {
    const unsigned char *u = (const unsigned char *)src;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        /* ICU's "UTF-16" reads the mark and keeps it as U+FEFF, which the cleaner drops */
        *name = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        return convert("UTF-16", src, len, out_len);
    }
    if (!not_utf8(src, len)) return NULL;
    char *out = convert("GB18030", src, len, out_len);
    if (out && has_han(out, *out_len)) {
        *name = "GB18030";
        return out;
    }
    free(out);
    if (!latin_words(src, len)) return NULL;
    /* Latin text from a Windows or older Unix editor: every byte is defined */
    *name = "Windows-1252";
    return convert("windows-1252", src, len, out_len);
}
