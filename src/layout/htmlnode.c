#include "htmlnode.h"
#include "../book/rawhtml.h"
#include <string.h>

void html_inline_style(cmark_node *n, pstyle_t *st) {
    char tag[16];
    rawhtml_tag(n, tag, sizeof tag);
    float size = st->size;
    if (!strcmp(tag, "sub")) {
        st->size = size * 0.7f, st->rise -= size * 0.18f;
    } else if (!strcmp(tag, "sup")) {
        st->size = size * 0.7f, st->rise += size * 0.38f;
    } else if (!strcmp(tag, "kbd") || !strcmp(tag, "samp") || !strcmp(tag, "var")) {
        st->role = ROLE_MONO, st->size = size * 0.9f;
    } else if (!strcmp(tag, "s") || !strcmp(tag, "del") || !strcmp(tag, "strike")) {
        st->strike = true;
    } else if (!strcmp(tag, "small")) {
        st->size = size * 0.85f;
    } else if (!strcmp(tag, "big")) {
        st->size = size * 1.15f;
    } else if (!strcmp(tag, "mark")) {
        st->role = ROLE_SANS; /* no highlighter pen in print: set apart like strong text */
    } else if (!strcmp(tag, "rt")) {
        /* 注音 set small and raised after its base (not yet above it) */
        st->size = size * 0.5f, st->rise += size * 0.7f;
    }
}

html_block_kind html_block_kind_of(cmark_node *n) {
    char tag[16];
    rawhtml_tag(n, tag, sizeof tag);
    const char *e = cmark_node_get_on_enter(n);
    if (!strcmp(tag, "div") && e && strstr(e, "center")) return HB_CENTER;
    if (!strcmp(tag, "dt") || !strcmp(tag, "summary")) return HB_TERM;
    if (!strcmp(tag, "dd")) return HB_DEFINITION;
    if (!strcmp(tag, "figcaption")) return HB_CAPTION;
    if (!strcmp(tag, "figure")) return HB_FIGURE;
    return HB_PLAIN;
}
