#ifndef GHB_UTF8_H
#define GHB_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n bytes left). Returns its length in bytes, or 0
   for an invalid or truncated sequence (then *cp is U+FFFD). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);
/* Decodes the code point that ends just before s + end. */
uint32_t utf8_last(const char *s, size_t end);
/* The length of s's longest prefix of at most max bytes that ends between two
   characters (s is n bytes long): where a long text is cut for display. */
size_t utf8_cut(const char *s, size_t n, size_t max);
/* Number of code points in s[0..n) (invalid bytes count one each). */
size_t utf8_count(const char *s, size_t n);

/* Han ideographs (URO, Ext A, compatibility, astral extensions). */
bool cp_is_han(uint32_t cp);
/* Characters set on the CJK grid: Han, kana, Hangul, CJK and full-width punctuation. */
bool cp_is_cjk_wide(uint32_t cp);
/* Characters XML 1.0 allows in text. */
bool cp_xml_allowed(uint32_t cp);

#endif
