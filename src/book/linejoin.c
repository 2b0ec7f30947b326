#include "linejoin.h"
#include "mdutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static bool is_inline_container(cmark_node *n) {
    cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK ||
           (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE && md_is_inline(n) &&
            cmark_node_first_child(n));
}

/* The character a reader sees at one edge of n (last when end, else first); 0 if none. */
static uint32_t edge_char(cmark_node *n, bool end) {
    while (n && is_inline_container(n))
        n = end ? cmark_node_last_child(n) : cmark_node_first_child(n);
    if (!n) return 0;
    cmark_node_type t = cmark_node_get_type(n);
    if (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE) return 0;
    const char *s = cmark_node_get_literal(n);
    size_t len = strlen(s);
    if (!len) return 0;
    if (end) return utf8_last(s, len);
    uint32_t cp;
    utf8_decode(s, len, &cp);
    return cp;
}

static bool between_cjk(cmark_node *x, void *ctx) {
    (void)ctx;
    uint32_t a = edge_char(cmark_node_previous(x), true), b = edge_char(cmark_node_next(x), false);
    return a && b && cp_is_cjk_wide(a) && cp_is_cjk_wide(b);
}

int linejoin(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_SOFTBREAK, between_cjk, NULL, &v);
    for (size_t i = 0; i < n; i++)
        cmark_node_free(v[i]);
    free(v);
    return (int)n;
}
