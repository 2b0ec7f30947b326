#include "figure.h"
#include "mdutil.h"
#include "../util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool blank_text(cmark_node *n) {
    if (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK) return true;
    if (cmark_node_get_type(n) != CMARK_NODE_TEXT) return false;
    const char *s = cmark_node_get_literal(n);
    return strspn(s, " \t") == strlen(s);
}

/* The paragraph's one image, when it holds nothing else; else NULL. */
static cmark_node *lone_image(cmark_node *p) {
    cmark_node *img = NULL;
    for (cmark_node *k = cmark_node_first_child(p); k; k = cmark_node_next(k)) {
        if (cmark_node_get_type(k) == CMARK_NODE_IMAGE && !img)
            img = k;
        else if (!blank_text(k))
            return NULL;
    }
    return img;
}

static bool is_lone_image(cmark_node *p, void *ctx) {
    (void)ctx;
    cmark_node *parent = cmark_node_parent(p);
    /* top-level paragraphs and those in quotes and callouts, not list items or tables */
    cmark_node_type pt = parent ? cmark_node_get_type(parent) : CMARK_NODE_NONE;
    return lone_image(p) && (pt == CMARK_NODE_DOCUMENT || pt == CMARK_NODE_BLOCK_QUOTE ||
                             (pt == CMARK_NODE_CUSTOM_BLOCK &&
                              strncmp(cmark_node_get_on_enter(parent), "callout", 7) == 0));
}

int figure_pass(cmark_node *doc, lang_kind lang, int chapter) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_PARAGRAPH, is_lone_image, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *img = lone_image(v[i]);
        char num[32];
        snprintf(num, sizeof num, lang == LANG_EN ? "%d.%zu" : "%d-%zu", chapter, i + 1);
        buf_t cap;
        buf_init(&cap);
        buf_printf(&cap, word(lang, W_FIGURE), num);
        const char *title = cmark_node_get_title(img);
        char *alt = md_plain_text(img);
        const char *text = title && *title ? title : alt;
        if (text && *text) buf_printf(&cap, "%s%s", lang == LANG_EN ? " " : "\xE3\x80\x80", text);
        free(alt);
        cmark_node *fig = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
        cmark_node_set_on_enter(fig, "<figure class=\"figure\">");
        cmark_node_set_on_exit(fig, "</figure>");
        cmark_node *fc = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
        cmark_node_set_on_enter(fc, "<figcaption>");
        cmark_node_set_on_exit(fc, "</figcaption>");
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, cap.data);
        cmark_node_append_child(fc, t);
        buf_free(&cap);
        cmark_node_insert_before(v[i], fig);
        cmark_node_append_child(fig, v[i]); /* the paragraph keeps its source position */
        cmark_node_append_child(fig, fc);
    }
    free(v);
    return (int)n;
}
