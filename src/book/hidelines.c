#include "hidelines.h"
#include "mdutil.h"
#include "../util/buf.h"
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

static bool wants(cmark_node *n, void *ctx) {
    (void)ctx;
    return is_rust(cmark_node_get_fence_info(n));
}

static char *visible_lines(const char *code) {
    buf_t b;
    buf_init(&b);
    for (const char *p = code; *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p + 1) : strlen(p);
        const char *t = p;
        while (t < p + l && (*t == ' ' || *t == '\t'))
            t++;
        bool hidden = *t == '#' && (t[1] == ' ' || t[1] == '\n' || t[1] == '\0');
        if (!hidden && t[0] == '#' && t[1] == '#') {
            buf_put(&b, p, (size_t)(t - p)); /* "##" is an escaped "#" */
            buf_put(&b, t + 1, l - (size_t)(t + 1 - p));
        } else if (!hidden) {
            buf_put(&b, p, l);
        }
        p += l;
    }
    if (!b.data) buf_puts(&b, "");
    return buf_detach(&b);
}

void hidelines_remove(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_CODE_BLOCK, wants, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        char *vis = visible_lines(cmark_node_get_literal(v[i]));
        cmark_node_set_literal(v[i], vis);
        free(vis);
    }
    free(v);
}
