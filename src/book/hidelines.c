#include "hidelines.h"
#include "mdutil.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_rust(const char *info) {
    if (!info || !*info) return false;
    /* "rust", "rust,ignore", "ignore", "no_run", "should_panic", "edition2021"... */
    static const char *const words[] = {"rust",         "ignore",       "no_run",
                                        "should_panic", "compile_fail", "edition"};
    size_t n = strcspn(info, " \t{");
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strncmp(info, words[i], strlen(words[i])) == 0 && strlen(words[i]) <= n) return true;
    return false;
}

static bool is_code(cmark_node *n, void *ctx) {
    (void)ctx;
    return cmark_node_get_fence_info(n) != NULL;
}

/* The prefix a block's info string asks for ("python,hidelines=!!!"), else
   the one book.toml gives its language, else NULL. */
static char *prefix_of(const char *info, const char *hide) {
    const char *a = strstr(info, "hidelines=");
    if (a && (a == info || strchr(" ,{", a[-1]))) {
        a += 10;
        size_t n = strcspn(a, " ,}\t");
        return n ? xstrndup(a, n) : NULL;
    }
    size_t ln = strcspn(info, " ,{\t");
    for (const char *l = hide; l && *l;) {
        const char *tab = strchr(l, '\t'), *end = strchr(l, '\n');
        if (!tab || !end) break;
        if ((size_t)(tab - l) == ln && ln && !strncmp(l, info, ln))
            return xstrndup(tab + 1, (size_t)(end - tab - 1));
        l = end + 1;
    }
    return NULL;
}

/* What a line of code (l bytes at p, its text after indentation at t) leaves
   in out: nothing when hidden. */
typedef void (*line_fn)(buf_t *out, const char *p, size_t l, const char *t, const void *ctx);

static char *filter_lines(const char *code, line_fn keep, const void *ctx) {
    buf_t b;
    buf_init(&b);
    for (const char *p = code; *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p + 1) : strlen(p);
        const char *t = p;
        while (t < p + l && (*t == ' ' || *t == '\t'))
            t++;
        keep(&b, p, l, t, ctx);
        p += l;
    }
    if (!b.data) buf_puts(&b, "");
    return buf_detach(&b);
}

/* Rust: "#" alone or "# " hides a line; "##" stands for "#". */
static void rust_line(buf_t *b, const char *p, size_t l, const char *t, const void *ctx) {
    (void)ctx;
    bool hidden = *t == '#' && (t[1] == ' ' || t[1] == '\n' || t[1] == '\0');
    if (!hidden && t[0] == '#' && t[1] == '#') {
        buf_put(b, p, (size_t)(t - p)); /* "##" is an escaped "#" */
        buf_put(b, t + 1, l - (size_t)(t + 1 - p));
    } else if (!hidden) {
        buf_put(b, p, l);
    }
}

/* Other languages: a line whose text starts with the prefix is hidden. */
static void prefixed_line(buf_t *b, const char *p, size_t l, const char *t, const void *ctx) {
    const char *prefix = ctx;
    if (strncmp(t, prefix, strlen(prefix)) != 0) buf_put(b, p, l);
}

void hidelines_remove(cmark_node *doc, const char *hide) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_CODE_BLOCK, is_code, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        const char *info = cmark_node_get_fence_info(v[i]);
        char *prefix = prefix_of(info, hide), *vis = NULL;
        if (prefix)
            vis = filter_lines(cmark_node_get_literal(v[i]), prefixed_line, prefix);
        else if (is_rust(info))
            vis = filter_lines(cmark_node_get_literal(v[i]), rust_line, NULL);
        if (vis) cmark_node_set_literal(v[i], vis);
        free(vis), free(prefix);
    }
    free(v);
}
