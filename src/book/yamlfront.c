#include "yamlfront.h"
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* A metadata block is short: a longer one is more likely a rule and text. */
#define MAX_LINES 200

static bool fence(const char *s, const char *e, const char *mark) {
    size_t n = strlen(mark);
    if ((size_t)(e - s) < n || memcmp(s, mark, n) != 0) return false;
    for (s += n; s < e; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r') return false;
    return true;
}

/* key: value, a list item, a comment, or an indented continuation. */
static bool yaml_line(const char *s, const char *e) {
    if (*s == ' ' || *s == '\t' || *s == '#') return true;
    if (*s == '-' && (s + 1 == e || s[1] == ' ')) return true;
    const char *p = s;
    while (p < e && (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
        p++;
    return p > s && p < e && *p == ':' && (p + 1 == e || p[1] == ' ' || p[1] == '\r');
}

int yaml_front_blank(char *text, size_t len) {
    char *end = text + len, *eol = memchr(text, '\n', len);
    if (!eol || !fence(text, eol, "---")) return 0;
    char *s = eol + 1;
    for (int n = 0; s < end && n < MAX_LINES; n++) {
        char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        if (n > 0 && (fence(s, e, "---") || fence(s, e, "..."))) {
            for (char *p = text; p < e; p++) /* keep the newlines */
                if (*p != '\n') *p = ' ';
            return 1;
        }
        bool blank = s == e || (e - s == 1 && *s == '\r');
        if (blank ? n == 0 : !yaml_line(s, e)) return 0; /* "---" then a blank line: a rule */
        s = e + 1;
    }
    return 0;
}
