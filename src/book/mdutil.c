#include "mdutil.h"
#include "mathmd.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

cmark_node *md_parse(const char *text, size_t len) {
    static const char *exts[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE);
    /* math first: the table extension ends the search for a block start inside a paragraph */
    mathmd_attach(p);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e) cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, text, len);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    return doc;
}

bool md_is(cmark_node *n, const char *type_string) {
    return strcmp(cmark_node_get_type_string(n), type_string) == 0;
}

void md_plain_from(cmark_node *first, buf_t *b, md_text_hook hook, void *ctx) {
    for (cmark_node *c = first; c; c = cmark_node_next(c)) {
        if (hook && hook(c, b, ctx)) continue;
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            buf_puts(b, cmark_node_get_literal(c));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            buf_putc(b, ' ');
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE:
        case CMARK_NODE_HTML_INLINE:
            break;
        default:
            md_plain_from(cmark_node_first_child(c), b, hook, ctx);
        }
    }
}

char *md_plain_text(cmark_node *n) {
    buf_t b;
    buf_init(&b);
    md_plain_from(cmark_node_first_child(n), &b, NULL, NULL);
    return buf_detach(&b);
}

size_t md_collect(cmark_node *root, cmark_node_type type, bool (*pred)(cmark_node *, void *),
                  void *ctx, cmark_node ***out) {
    size_t n = 0, cap = 0;
    *out = NULL;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(x) != type || (pred && !pred(x, ctx)))
            continue;
        XGROW(*out, cap, n);
        (*out)[n++] = x;
    }
    cmark_iter_free(it);
    return n;
}

bool url_has_scheme(const char *ref) {
    if (!isalpha((unsigned char)ref[0])) return false;
    const char *p = ref + 1;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    /* "C:\Users\…" and "H:/repo/…" are files on the author's Windows machine
       (DeepLearning-500-questions), missing here, not links of a scheme "C:" */
    if (*p == ':' && p == ref + 1 && (p[1] == '\\' || p[1] == '/')) return false;
    return *p == ':';
}

ref_status ref_resolve(const char *root, const char *from_dir, const char *ref, char **rel) {
    *rel = NULL;
    if (ref[0] == '/') return REF_ESCAPES;
    char *joined = path_join(from_dir, ref);
    char *norm = path_normalize(joined);
    free(joined);
    if (!norm) return REF_ESCAPES;
    char *full = path_join(root, norm);
    ref_status st = REF_OK;
    if (!path_exists(full))
        st = REF_MISSING;
    else if (!path_inside(root, full))
        st = REF_ESCAPES;
    free(full);
    if (st == REF_ESCAPES)
        free(norm);
    else
        *rel = norm;
    return st;
}

void md_own_literals(cmark_node *root) {
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *lit = ev == CMARK_EVENT_ENTER ? cmark_node_get_literal(n) : NULL;
        if (!lit) continue;
        char *copy = xstrdup(lit);
        cmark_node_set_literal(n, copy);
        free(copy);
    }
    cmark_iter_free(it);
}
