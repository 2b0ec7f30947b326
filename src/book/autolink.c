#include "autolink.h"
#include "mdutil.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool starts(const char *s, size_t n, const char *p) {
    size_t l = strlen(p);
    if (n < l) return false;
    for (size_t i = 0; i < l; i++)
        if (tolower((unsigned char)s[i]) != p[i]) return false;
    return true;
}

static size_t prefix_len(const char *s, size_t n) {
    if (starts(s, n, "https://")) return 8;
    if (starts(s, n, "http://")) return 7;
    if (starts(s, n, "www.")) return 4;
    return 0;
}

/* GFM: trailing ?!.,:*_~'" are not part of the URL, nor a ')' without its '('. */
static size_t trim_trailing(const char *s, size_t end) {
    for (;;) {
        if (end == 0) return 0;
        char c = s[end - 1];
        if (strchr("?!.,:*_~'\";", c)) {
            end--;
        } else if (c == ')') {
            int bal = 0;
            for (size_t i = 0; i < end; i++)
                bal += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
            if (bal >= 0) return end;
            end--;
        } else {
            return end;
        }
    }
}

size_t autolink_scan(const char *s, size_t n) {
    size_t p = prefix_len(s, n);
    if (!p) return 0;
    size_t e = p;
    while (e < n && (unsigned char)s[e] > 0x20 && (unsigned char)s[e] < 0x7F && s[e] != '<')
        e++;
    e = trim_trailing(s, e);
    /* a host needs a character after the prefix */
    return e > p ? e : 0;
}

/* True when the link was made by the autolink extension (not `[..](..)` or `<..>`). */
static bool is_bare(cmark_node *link, const char *text, const char *src, size_t len,
                    const size_t *line_off, int n_lines) {
    const char *url = cmark_node_get_url(link);
    if (!url) return false;
    bool same =
        strcmp(url, text) == 0 || (strncmp(url, "http://", 7) == 0 && strcmp(url + 7, text) == 0);
    if (!same) return false;
    int line = cmark_node_get_start_line(link), col = cmark_node_get_start_column(link);
    if (line <= 0 || line > n_lines) return true; /* the extension leaves no position */
    size_t at = line_off[line - 1] + (size_t)(col > 0 ? col - 1 : 0);
    /* positions of the extension's links can run past the text (found by fuzzing) */
    if (at >= len) return true;
    return src[at] != '[' && src[at] != '<';
}

static cmark_node *new_text(const char *s, size_t n) {
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    char *lit = xstrndup(s, n);
    cmark_node_set_literal(t, lit);
    free(lit);
    return t;
}

static cmark_node *new_link(const char *s, size_t n) {
    cmark_node *l = cmark_node_new(CMARK_NODE_LINK);
    buf_t url;
    buf_init(&url);
    if (starts(s, n, "www.")) buf_puts(&url, "http://");
    buf_put(&url, s, n);
    cmark_node_set_url(l, url.data);
    buf_free(&url);
    cmark_node_append_child(l, new_text(s, n));
    return l;
}

static bool boundary_before(const char *s, size_t i) {
    if (i == 0) return true;
    unsigned char c = (unsigned char)s[i - 1];
    return !(isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_');
}

/* Inserts after `at` the nodes for text s: plain runs and any bare URLs in it. */
static void insert_rest(cmark_node *at, const char *s, size_t n) {
    size_t start = 0, i = 0;
    while (i < n) {
        size_t l = boundary_before(s, i) ? autolink_scan(s + i, n - i) : 0;
        if (!l) {
            i++;
            continue;
        }
        if (i > start) {
            cmark_node *t = new_text(s + start, i - start);
            cmark_node_insert_after(at, t);
            at = t;
        }
        cmark_node *link = new_link(s + i, l);
        cmark_node_insert_after(at, link);
        at = link;
        i += l;
        start = i;
    }
    if (n > start) cmark_node_insert_after(at, new_text(s + start, n - start));
}

/* Drops the backslash of Markdown escapes (\_ for _): the extension takes a
   bare URL from the source as written, so "hub.docker.com/\_/busybox" would
   keep a backslash that no URI may hold. Returns whether anything changed. */
static bool unescape(char *s) {
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '\\' && r[1] && ispunct((unsigned char)r[1])) r++;
        *w++ = *r;
    }
    bool changed = *w != '\0';
    *w = '\0';
    return changed;
}

static int fix_link(cmark_node *link) {
    cmark_node *t = cmark_node_first_child(link);
    char *url = xstrdup(cmark_node_get_url(link));
    if (unescape(url)) {
        char *lit = xstrdup(cmark_node_get_literal(t));
        unescape(lit);
        cmark_node_set_url(link, url);
        cmark_node_set_literal(t, lit);
        free(lit);
    }
    free(url);
    char *text = xstrdup(cmark_node_get_literal(t));
    size_t n = strlen(text), k = 0;
    while (k < n && (unsigned char)text[k] < 0x80)
        k++;
    if (k == n || !prefix_len(text, n)) {
        free(text);
        return 0;
    }
    size_t keep = autolink_scan(text, k);
    if (keep == 0) {
        /* nothing left that is a URL: the whole link becomes text again */
        insert_rest(link, text, n);
        cmark_node_free(link);
    } else {
        cmark_node *fixed = new_link(text, keep);
        cmark_node_insert_after(link, fixed);
        cmark_node_free(link);
        insert_rest(fixed, text + keep, n - keep);
    }
    free(text);
    return 1;
}

typedef struct {
    const char *src;
    size_t len;
    const size_t *line_off;
    int n_lines;
} bare_ctx;

static bool bare_link(cmark_node *x, void *vc) {
    const bare_ctx *c = vc;
    cmark_node *t = cmark_node_first_child(x);
    if (!t || cmark_node_next(t) || cmark_node_get_type(t) != CMARK_NODE_TEXT) return false;
    return is_bare(x, cmark_node_get_literal(t), c->src, c->len, c->line_off, c->n_lines);
}

int autolink_fix(cmark_node *doc, const char *src, size_t len, const size_t *line_off,
                 int n_lines) {
    bare_ctx c = {src, len, line_off, n_lines};
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_LINK, bare_link, &c, &v);
    int changed = 0;
    for (size_t i = 0; i < n; i++)
        changed += fix_link(v[i]);
    free(v);
    return changed;
}

void autolink_unwrap_parens(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_LINK, NULL, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        const char *url = cmark_node_get_url(v[i]);
        size_t l = url ? strlen(url) : 0;
        if (l < 3 || url[0] != '(' || url[l - 1] != ')') continue;
        char *inner = xstrndup(url + 1, l - 2);
        if (url_has_scheme(inner) && !strpbrk(inner, "() \t")) cmark_node_set_url(v[i], inner);
        free(inner);
    }
    free(v);
}
