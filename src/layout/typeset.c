/* The walk: each chapter's tree, block by block, into the vertical list.
   Paragraphs, headings, lists, block quotes, code, callouts, raw-HTML blocks
   and rules are set here; inline content (inline.c), notes (notes.c), tables
   (table.c) and images (figure.c) in their own files, every paragraph through
   ts_set_para (setpara.c). */
#include "callout.h"
#include "code.h"
#include "htmlnode.h"
#include "tsctx.h"
#include "../book/callout.h"
#include "../book/mdutil.h"
#include "../book/rawhtml.h"
#include "../book/words.h"
#include "../util/xalloc.h"
#include <hb.h>
#include <pthread.h>
#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool ends_with_colon(const lines_t *ls) {
    if (!ls->n || !ls->lines[ls->n - 1].n) return false;
    const line_t *l = &ls->lines[ls->n - 1];
    size_t i = l->n;
    while (i > 0 && (l->g[i - 1].cp == ' ' || l->g[i - 1].note >= 0))
        i--;
    return i > 0 && (l->g[i - 1].cp == ':' || l->g[i - 1].cp == 0xFF1A);
}

/* The block before n as a reader sees it: a plain HTML wrapper (<div>,
   <details>) draws nothing, so its first block follows what came before it. */
static bool plain_wrapper(cmark_node *n) {
    return n && cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK && callout_kind_of(n) < 0 &&
           !html_is_table(n) && html_block_kind_of(n) == HB_PLAIN;
}

static cmark_node *seen_before(cmark_node *n) {
    cmark_node *prev = cmark_node_previous(n), *up = cmark_node_parent(n);
    for (; !prev && plain_wrapper(up); up = cmark_node_parent(up))
        prev = cmark_node_previous(up);
    return prev;
}

/* Whether block n puts nothing on the page: an empty wrapper, or raw HTML
   with neither text nor a picture (<p v-text="message"></p>, a comment). */
static bool sets_nothing(cmark_node *n) {
    if (plain_wrapper(n)) return !cmark_node_first_child(n);
    if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK) return false;
    const char *html = cmark_node_get_literal(n);
    if (!html) return true;
    if (strstr(html, "<img") || strstr(html, "<IMG")) return false;
    char *text = rawhtml_text(html);
    bool empty = text[strspn(text, " \n\t")] == '\0';
    free(text);
    return empty;
}

/* Whether block n is set as a paragraph: Markdown's, or raw HTML's text. */
static bool reads_as_paragraph(cmark_node *n) {
    if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) return true;
    if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK || !cmark_node_get_literal(n)) return false;
    char *text = rawhtml_text(cmark_node_get_literal(n));
    bool some = text[strspn(text, " \n\t")] != '\0';
    free(text);
    return some;
}

/* The block after n as a reader sees it (into and out of plain wrappers, past
   blocks that set nothing). */
static cmark_node *seen_after(cmark_node *n) {
    cmark_node *next = cmark_node_next(n), *up = cmark_node_parent(n);
    for (;;) {
        for (; !next && plain_wrapper(up); up = cmark_node_parent(up))
            next = cmark_node_next(up);
        while (plain_wrapper(next) && cmark_node_first_child(next))
            next = cmark_node_first_child(next);
        if (!next || !sets_nothing(next)) return next;
        up = cmark_node_parent(next);
        next = cmark_node_next(next);
    }
}

static void paragraph(ts_t *t, cmark_node *n, float indent) {
    if (t->center) indent = 0;
    pspec_t s = {.node = n,
                 .style = ts_text_style(t),
                 .w = t->w,
                 .indent = indent,
                 .hyphenate = true,
                 .ragged = t->center};
    lines_t ls;
    ts_para_lines(t, &s, &ls);
    bool short_single = ls.n == 1 && ls.lines[0].natural < t->w - 0.55f * t->ps->body;
    bool colon = ends_with_colon(&ls);
    size_t first = ts_emit(t, &ls, S_P, t->x, t->ps->pitch, t->ps->body);
    /* a paragraph that ends in a colon introduces what follows: a list, code, a
       table or a figure is not sent to the next page without it */
    cmark_node *after = cmark_node_next(n);
    cmark_node_type at = after ? cmark_node_get_type(after) : CMARK_NODE_NONE;
    if (colon && t->out->body.n > first &&
        (at == CMARK_NODE_LIST || at == CMARK_NODE_CODE_BLOCK || at == CMARK_NODE_CUSTOM_BLOCK ||
         at == CMARK_NODE_HTML_BLOCK || (after && md_is(after, "table"))))
        t->out->body.v[t->out->body.n - 1].keep_with_next = true;
    /* centred: the line and what was set with it (a formula's glyphs and rules,
       after it), not a list marker before it */
    for (size_t i = first; t->center && i < t->out->body.n; i++) {
        vbox_t *b = &t->out->body.v[i];
        size_t k = 0;
        while (k < b->n_ops && !(b->ops[k].kind == OP_GLYPHS && b->ops[k].tag == t->tag))
            k++;
        float dx = k < b->n_ops ? (t->w - b->ops[k].line.natural) / 2 : 0;
        for (; k < b->n_ops; k++)
            b->ops[k].x += dx;
    }
    ts_air_after(t, n, short_single, indent);
}

void ts_air_after(ts_t *t, cmark_node *n, bool short_single, float indent) {
    /* a short one-line paragraph starts where the next one starts: without a little
       air the two read as one paragraph whose first line ends short */
    if (!short_single || indent <= 0) return;
    cmark_node *seen = seen_after(n);
    if (seen && reads_as_paragraph(seen)) ts_space(t, 0.25f * t->ps->pitch);
}

/* ---------------------------------------------------------------- blocks */

/* Rounds a block's height up to whole lines, so body text stays on the grid. */
static void to_grid(ts_t *t, float used) {
    float p = t->ps->pitch, rest = ceilf(used / p - 0.001f) * p - used;
    if (rest > 0.01f) ts_box(t, rest)->keep_with_next = true;
}

static void heading(ts_t *t, cmark_node *n, bool opener) {
    int level = cmark_node_get_heading_level(n);
    float size = t->ps->h_size[level - 1], lp = ceilf(size * 1.45f);
    float before = opener ? 3 * t->ps->pitch : level <= 2 ? t->ps->pitch : t->ps->pitch * 0.5f;
    float after = opener ? 2 * t->ps->pitch : level <= 2 ? t->ps->pitch * 0.5f : 0;
    /* only top-level chapters open a right-hand page; nested ones run on */
    bool top = opener && t->b->chapters[t->ch].depth == 0;
    vbox_t *sp = ts_box(t, before);
    sp->discardable = !top;
    sp->new_page = sp->recto = top;
    sp->keep_with_next = true;
    /* heading levels do not skip (PDF/UA): a ### after a # is an H2 */
    int sl = level > t->hlevel + 1 ? t->hlevel + 1 : level;
    t->hlevel = sl;
    /* a heading of two lines is set ragged: justified, its few words spread
       apart ("Sharing   the   trait   solver", rustc-dev-guide) */
    pspec_t s = {
        .node = n, .style = {ts_head_role(t), size, 0, -1, -1, false}, .w = t->w, .ragged = true};
    size_t first = ts_set_para(t, &s, (srole_t)(S_H1 + sl - 1), lp);
    size_t nl = t->out->body.n - first;
    const heading_t *h = book_heading_of(t->b, n);
    for (size_t i = first; i < t->out->body.n; i++) {
        vbox_t *b = &t->out->body.v[i];
        b->keep_with_next = true;
        b->para = -1;
        if (i == first && h) {
            b->heading = (int)(h - t->b->headings);
            b->anchor = (int)h->anchor;
        }
    }
    ts_box(t, after)->keep_with_next = true;
    to_grid(t, before + (float)nl * lp + after);
}

static int bullet_of(cmark_node *list, int depth, cmark_node *item) {
    if (md_is(item, "tasklist"))
        return cmark_gfm_extensions_get_tasklist_item_checked(item) ? BULLET_CHECKED : BULLET_BOX;
    if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) return -1;
    return depth % 3 == 0 ? BULLET_DISC : depth % 3 == 1 ? BULLET_CIRCLE : BULLET_SQUARE;
}

/* A bullet is a character (• ◦ ▪ by depth, ☐ ☑ for tasks), tagged as the
   item's label as a number is: copying a list gives its markers as a browser
   shows them, and a marker tells an item from the lines before it without
   extra space. */
static const char *const bullet_char[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA",
                                          "\xE2\x98\x90", "\xE2\x98\x91"};

static void set_marker(ts_t *t, cmark_node *list, int index, int depth, cmark_node *item) {
    if (t->has_marker) free(t->marker.g);
    t->has_marker = true;
    float em = t->ps->body;
    char num[32];
    int bullet = bullet_of(list, depth, item);
    if (bullet >= 0)
        snprintf(num, sizeof num, "%s", bullet_char[bullet]);
    else
        snprintf(num, sizeof num, "%d.", cmark_node_get_list_start(list) + index);
    t->marker_tag = TAG_OF(ts_snode(t, S_LBL, NULL));
    pspec_t s = {.text = num, .style = ts_text_style(t), .w = 1e5f};
    lines_t ls;
    ts_para_lines(t, &s, &ls);
    memset(&t->marker, 0, sizeof t->marker);
    if (ls.n) {
        t->marker = ls.lines[0];
        ls.lines[0].g = NULL;
    }
    t->marker_x = t->x - t->marker.natural - 0.4f * em;
    lines_free(&ls);
}

/* The indent an ordered list's widest number needs (a 3-digit "559." is wider
   than list-indent's 2 em and would hang into the margin), or 0. */
static float number_room(ts_t *t, cmark_node *n) {
    if (cmark_node_get_list_type(n) != CMARK_ORDERED_LIST) return 0;
    long last = cmark_node_get_list_start(n) - 1;
    for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item))
        last++;
    if (last < 100 && last > -10) return 0; /* two digits always fit */
    char num[32];
    snprintf(num, sizeof num, "%ld.", last);
    pspec_t s = {.text = num, .style = ts_text_style(t), .w = 1e5f};
    lines_t ls;
    ts_para_lines(t, &s, &ls);
    float w = ls.n ? ls.lines[0].natural + 0.4f * t->ps->body : 0;
    lines_free(&ls);
    return w;
}

static void list(ts_t *t, cmark_node *n, int depth) {
    float indent = t->ps->list_indent, room = number_room(t, n);
    if (room > indent) indent = room;
    float x = t->x, w = t->w;
    bool in_list = t->in_list;
    if (t->w - indent >= 4 * t->ps->body) t->x += indent, t->w -= indent;
    t->in_list = true;
    int sn = t->sn, l = ts_snode(t, S_L, NULL);
    t->out->tree.v[l].attr = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    int i = 0;
    /* items follow on the grid, tight or loose (a blank line in the source is
       often an accident): their markers tell them apart */
    /* half a line above and below an outer list: the text after it keeps the grid,
       and a paragraph indented as far as the items' text does not read as one */
    float around = in_list ? 0 : 0.5f * t->ps->pitch;
    ts_space(t, around);
    for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item), i++) {
        t->sn = l;
        t->sn = ts_snode(t, S_LI, NULL);
        set_marker(t, n, i, depth, item);
        t->sn = ts_snode(t, S_LBODY, NULL);
        ts_blocks(t, item);
        if (t->has_marker) /* an item with no text: its marker on a line of its own */
            ts_attach_marker(t, ts_box(t, t->ps->pitch), t->ps->pitch, t->ps->body);
    }
    t->x = x, t->w = w, t->in_list = in_list, t->sn = sn;
    ts_space(t, around);
}

static void code_block(ts_t *t, cmark_node *n) {
    code_env_t env = {
        t->fs,  t->ps, t->ch, ts_missing, t, t->para_id++, TAG_OF(ts_snode(t, S_CODE, NULL)),
        t->code};
    size_t first = t->out->body.n;
    code_set(&t->out->body, &env, cmark_node_get_literal(n), cmark_node_get_fence_info(n), t->x,
             t->w);
    /* the EPUB's page list: a page that starts inside the block points at it */
    for (size_t i = first; i < t->out->body.n; i++)
        if (!t->out->body.v[i].src) t->out->body.v[i].src = n;
}

/* A callout (#10): its label beside a drawn icon, its blocks inset, all on a
   shaded frame with a bar down the left (src/layout/callout.c). */
static void callout(ts_t *t, cmark_node *n, int kind) {
    const print_t *ps = t->ps;
    const char *title = cmark_node_get_on_exit(n);
    const char *label = title && *title
                            ? title
                            : word(lang_kind_of(t->b->meta.lang), (word_id)(W_CALLOUT_NOTE + kind));
    float x = t->x, w = t->w, em = ps->body;
    font_role role = t->role;
    bool in_list = t->in_list;
    ts_space(t, 0.5f * ps->pitch);
    size_t first = t->out->body.n;
    ts_box(t, 0.3f * ps->pitch)->keep_with_next = true;
    /* the text keeps the text block's right edge (a callout's lines end where
       every other line ends); the shading hangs its padding into the margin */
    t->x += 1.2f * em, t->w -= 1.2f * em;
    size_t lab = typeset_text(&t->out->body, t->fs, ps, label, ROLE_SANS, em, ps->pitch,
                              t->x + 1.5f * em, t->w - 1.5f * em, 0);
    for (size_t i = lab; i < t->out->body.n; i++) {
        t->out->body.v[i].chapter = t->ch;
        t->out->body.v[i].keep_with_next = true;
    }
    callout_icon(&t->out->body.v[lab], kind, t->x, (ps->pitch - 1.1f * em) / 2, 1.1f * em);
    t->in_list = true; /* no first-line indent inside */
    t->role = ROLE_BODY;
    ts_blocks(t, n);
    ts_box(t, 0.3f * ps->pitch);
    callout_frame(&t->out->body, first, t->out->body.n, x, w + 0.5f * em);
    t->x = x, t->w = w, t->role = role, t->in_list = in_list;
    ts_space(t, 0.5f * ps->pitch);
}

/* A numbered figure, table or listing (src/book/figure.c) is found at its
   first box (links and the lists of figures and tables go there). A figure
   keeps its caption on its page; a table or listing (caption first) keeps
   only its caption with what follows, so a long one may still break. */
static void figure_boxes(ts_t *t, cmark_node *fig, size_t first_box) {
    vlist_t *body = &t->out->body;
    const xref_t *x = t->b ? book_xref_of(t->b, fig) : NULL;
    for (size_t i = first_box; i < body->n; i++)
        if (!body->v[i].discardable && body->v[i].height > 0) {
            if (x && x->anchor >= 0 && body->v[i].anchor < 0) body->v[i].anchor = (int)x->anchor;
            break;
        }
    if (!x || x->kind == XREF_FIGURE) {
        for (size_t i = first_box; i + 1 < body->n; i++)
            body->v[i].keep_with_next = true;
        return;
    }
    /* the caption is the figure's first child: its boxes come first */
    cmark_node *cap = cmark_node_first_child(fig);
    for (size_t i = first_box; i + 1 < body->n && body->v[i].src == cap; i++)
        body->v[i].keep_with_next = true;
}

/* In Latin books a paragraph that opens its chapter, section or quote starts
   flush left: an indent there marks nothing (English convention). */
static bool opens_latin(const ts_t *t, cmark_node *n) {
    cmark_node *prev = cmark_node_previous(n);
    return t->latin && (!prev || cmark_node_get_type(prev) == CMARK_NODE_HEADING ||
                        cmark_node_get_type(prev) == CMARK_NODE_THEMATIC_BREAK);
}

/* A paragraph that follows a paragraph is always indented, in a list item or a
   callout too: flush left under a last line that ends short, one line below,
   the two read as one paragraph. Elsewhere lists, callouts and a Latin
   chapter's or section's opening paragraph start flush left. */
float ts_first_indent(const ts_t *t, cmark_node *n) {
    cmark_node *prev = seen_before(n);
    if (prev && cmark_node_get_type(prev) == CMARK_NODE_PARAGRAPH && !ts_only_images(prev))
        return t->ps->indent;
    /* a <p> or <label> of raw HTML reads as a paragraph too */
    if ((plain_wrapper(prev) && cmark_node_first_child(prev) &&
         md_is_inline(cmark_node_first_child(prev))) ||
        (prev && cmark_node_get_type(prev) == CMARK_NODE_HTML_BLOCK))
        return t->ps->indent;
    return t->in_list || opens_latin(t, n) ? 0 : t->ps->indent;
}

/* A block from raw HTML (src/book/rawhtml.c): centred lines, a term in bold,
   a definition indented, a caption centred; anything else as its blocks. */
static void html_box(ts_t *t, cmark_node *n) {
    float x = t->x, w = t->w, em = t->ps->body;
    font_role role = t->role;
    bool center = t->center, in_list = t->in_list, alt_figure = false;
    switch (html_block_kind_of(n)) {
    case HB_CENTER:
    case HB_CAPTION:
        t->center = true;
        break;
    case HB_TERM:
        t->role = ROLE_SANS, t->in_list = true;
        break;
    case HB_DEFINITION:
        if (t->w > 8 * em) t->x += 2 * em, t->w -= 2 * em;
        t->in_list = true;
        break;
    case HB_FIGURE:
        /* an image shown as its alt text (remote, not fetched) stands where the
           picture would, centred over its caption, not run on under the text */
        for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
            if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH && !ts_only_images(c))
                t->center = alt_figure = true;
        break;
    case HB_PLAIN:
        break;
    }
    cmark_node *first = cmark_node_first_child(n);
    /* a caption over its table or listing is set off from the text before it
       (the block under it brings its own space) */
    if (html_block_kind_of(n) == HB_FIGURE && first && html_block_kind_of(first) == HB_CAPTION)
        ts_space(t, 0.5f * t->ps->pitch);
    /* a <details> (a summary and what it folds, or speaker notes) stands apart
       from the text around it as on the web: run on, its summary line reads as
       the last line of the paragraph before */
    char tag[16];
    bool details = !strcmp(rawhtml_tag(n, tag, sizeof tag), "details");
    if (details || alt_figure) ts_space(t, 0.5f * t->ps->pitch);
    size_t first_box = t->out->body.n;
    if (first && md_is_inline(first)) /* a term, summary or caption: one paragraph */
        paragraph(t, n, html_block_kind_of(n) == HB_PLAIN ? ts_first_indent(t, n) : 0);
    else
        ts_blocks(t, n);
    if (html_block_kind_of(n) == HB_FIGURE) figure_boxes(t, n, first_box);
    t->x = x, t->w = w, t->role = role, t->center = center, t->in_list = in_list;
    if (details || alt_figure) ts_space(t, 0.5f * t->ps->pitch);
}

static void thematic_break(ts_t *t) {
    vbox_t *b = ts_box(t, t->ps->pitch);
    ts_rule(t->x + t->w * 0.375f, t->ps->pitch / 2, t->w * 0.25f, 0, b);
}

/* A kind of block this file does not know (a new extension's node): said once
   per chapter, and set as what it holds so that nothing silently disappears. */
static void unknown_block(ts_t *t, cmark_node *n) {
    const char *kind = cmark_node_get_type_string(n);
    char key[64];
    snprintf(key, sizeof key, "block %s", kind);
    ts_warn_once(t, n, key, "'%s' blocks are not laid out in print yet; set as plain text", kind);
    cmark_node *first = cmark_node_first_child(n);
    if (first && !md_is_inline(first)) {
        ts_blocks(t, n);
        return;
    }
    /* inline content, a literal, or failing both the kind's name in brackets */
    const char *lit = first ? NULL : cmark_node_get_literal(n);
    char placeholder[80];
    snprintf(placeholder, sizeof placeholder, "[%s]", kind);
    pspec_t s = {.node = first ? n : NULL,
                 .text = first         ? NULL
                         : lit && *lit ? lit
                                       : placeholder,
                 .style = ts_text_style(t),
                 .w = t->w,
                 .hyphenate = true};
    ts_set_para(t, &s, S_P, t->ps->pitch);
}

static void block(ts_t *t, cmark_node *n, int depth) {
    t->node = n;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        if (mathset_display(t->ms, &t->out->body, n, t->sn, t->x, t->w, t->ps->pitch, t->ps->body,
                            t->ch))
            break;
        if (!ts_only_images(n)) paragraph(t, n, ts_first_indent(t, n));
        ts_images_in(t, n);
        break;
    case CMARK_NODE_HEADING: {
        const heading_t *h = book_heading_of(t->b, n);
        bool opener = h && book_heading_opens_chapter(t->b, h);
        heading(t, n, opener);
        break;
    }
    case CMARK_NODE_LIST:
        list(t, n, depth);
        break;
    case CMARK_NODE_BLOCK_QUOTE: {
        /* inset from the left with a rule down the inset (mdBook's and GitBook's
           quotes), to the right edge unless the style insets that side too */
        const print_t *ps = t->ps;
        float x = t->x, w = t->w, in = ps->quote_indent, right = ps->quote_right;
        font_role role = t->role;
        bool inset = t->w - in - right >= 6 * ps->body;
        if (inset) t->x += in, t->w -= in + right;
        /* auto: Kai quotes are a Chinese convention */
        t->role = ps->quote_role >= 0 ? (font_role)ps->quote_role : t->latin ? ROLE_BODY : ROLE_KAI;
        int sn = t->sn;
        t->sn = ts_snode(t, S_BLOCKQUOTE, NULL);
        ts_space(t, 0.5f * ps->pitch);
        size_t first = t->out->body.n;
        ts_blocks(t, n);
        if (inset && ps->quote_rule && in >= 0.5f * ps->body)
            callout_bar(&t->out->body, first, t->out->body.n, x + 0.25f * in, 0.15f * ps->body);
        ts_space(t, 0.5f * ps->pitch);
        t->x = x, t->w = w, t->role = role, t->sn = sn;
        break;
    }
    case CMARK_NODE_CODE_BLOCK:
        code_block(t, n);
        break;
    case CMARK_NODE_HTML_BLOCK:
        ts_html_block(t, n);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        thematic_break(t);
        break;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        break; /* set at the page foot */
    case CMARK_NODE_CUSTOM_BLOCK:
        if (callout_kind_of(n) >= 0)
            callout(t, n, callout_kind_of(n));
        else if (html_is_table(n))
            ts_html_table(t, n);
        else
            html_box(t, n);
        break;
    default:
        if (md_is(n, "table"))
            ts_table(t, n);
        else
            unknown_block(t, n);
    }
}

void ts_blocks(ts_t *t, cmark_node *parent) {
    int depth = 0;
    for (cmark_node *a = parent; a; a = cmark_node_parent(a))
        depth += cmark_node_get_type(a) == CMARK_NODE_LIST;
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n))
        block(t, n, depth);
}

/* A SUMMARY.md part ("# Part title"): its own right-hand page, the title set
   large a third of the way down. Its boxes belong to no chapter, so the
   chapter that follows still starts (and is found) on its own page. */
static void part_page(ts_t *t, const char *title) {
    size_t first = t->out->body.n;
    float size = t->ps->h_size[0] * 1.25f, lp = ceilf(size * 1.45f);
    vbox_t *sp = ts_box(t, 8 * t->ps->pitch);
    sp->new_page = sp->recto = true;
    sp->keep_with_next = true;
    typeset_text(&t->out->body, t->fs, t->ps, title, ROLE_SANS, size, lp, 0, t->ps->measure, 1);
    for (size_t i = first; i < t->out->body.n; i++) {
        t->out->body.v[i].chapter = -1;
        t->out->body.v[i].para = -1;
    }
}

/* The typesetter's state for one thread's chapters: an empty output (its tree
   holding the Document node) and the helpers of the book's language. */
static void ts_open(ts_t *t, book_t *b, fontset_t *fs, const print_t *ps, const int *folios,
                    typeset_t *out) {
    memset(out, 0, sizeof *out);
    out->note_of = xmalloc((b->n_notes + 1) * sizeof *out->note_of);
    for (size_t i = 0; i < b->n_notes; i++)
        out->note_of[i] = -1;
    *t = (ts_t){.b = b, .fs = fs, .ps = ps, .out = out, .role = ROLE_BODY, .folios = folios};
    t->latin = !lang_is_cjk(lang_kind_of(b->meta.lang));
    /* Chinese books set their few Latin words without hyphens (a decision in DECISIONS.md) */
    if (t->latin)
        t->hyph = hyphenator_open(b->meta.lang, b->meta.hyphenation_exceptions,
                                  b->meta.n_hyphenation_exceptions);
    strmap_init(&t->missing);
    t->ms = mathset_new(b, fs, &out->tree);
    stree_add(&out->tree, -1, S_DOCUMENT, NULL);
}

static void ts_close(ts_t *t) {
    if (t->has_marker) free(t->marker.g);
    t->has_marker = false;
    strmap_free(&t->missing);
    hyphenator_free(t->hyph);
    mathset_free(t->ms);
}

/* Chapters [from, to). The first must be a top-level one (or the book's first):
   chapters nest as sections by their SUMMARY.md depth, and a top-level chapter
   starts the nesting afresh under the Document (node 0). */
static void set_chapters(ts_t *t, size_t from, size_t to) {
    book_t *b = t->b;
    typeset_t *out = t->out;
    int sects[16];
    for (int k = 0; k < 16; k++)
        sects[k] = 0;
    for (size_t c = from; c < to; c++) {
        t->ch = (int)c;
        t->x = 0, t->w = t->ps->measure;
        int d = b->chapters[c].depth < 0    ? 0
                : b->chapters[c].depth > 14 ? 14
                                            : b->chapters[c].depth;
        t->sn = t->sect = sects[d + 1] = stree_add(&out->tree, sects[d], S_SECT, NULL);
        for (int k = d + 2; k < 16; k++)
            sects[k] = sects[d + 1];
        t->hlevel = 0;
        size_t first = out->body.n;
        const chapter_t *chap = &b->chapters[c];
        if (chap->part) part_page(t, chap->part);
        first = out->body.n;
        cmark_node *doc = chap->doc;
        cmark_node *lead = cmark_node_first_child(doc);
        const heading_t *lh = lead && cmark_node_get_type(lead) == CMARK_NODE_HEADING
                                  ? book_heading_of(b, lead)
                                  : NULL;
        if (!lh || !book_heading_opens_chapter(b, lh)) {
            /* a chapter without its own title is headed by its SUMMARY.md title */
            cmark_node *hn = cmark_node_new(CMARK_NODE_HEADING);
            cmark_node_set_heading_level(hn, 1);
            cmark_node *tx = cmark_node_new(CMARK_NODE_TEXT);
            cmark_node_set_literal(tx, chap->title);
            cmark_node_append_child(hn, tx);
            heading(t, hn, true);
            cmark_node_free(hn);
        }
        ts_blocks(t, doc);
        if (out->body.n > first && chap->depth == 0)
            out->body.v[first].new_page = out->body.v[first].recto = true;
    }
}

static size_t ts_split_point(const book_t *b);
static ts_half_t *ts_half_start(ts_t *main, size_t from);

void typeset_book(book_t *b, fontset_t *fs, const print_t *ps, const int *folios, int threads,
                  typeset_t *out) {
    /* first: its thread highlights while the rest is set up */
    code_prep_t *code = code_prepare(b, fs, ps);
    ts_t t;
    ts_open(&t, b, fs, ps, folios, out);
    t.code = code;
    size_t split = threads > 1 ? ts_split_point(b) : 0;
    ts_half_t *half = split ? ts_half_start(&t, split) : NULL;
    set_chapters(&t, 0, half ? split : b->n_chapters);
    /* the second half's work, or (when it cannot be taken) the same chapters here */
    if (half && !ts_half_join(&t, half)) set_chapters(&t, split, b->n_chapters);
    ts_close(&t);
    code_finish(code); /* before anything draws the code lines */
    html_ruby_release();
}

/* ---------------------------------------------------------------- the second thread */

/* Where the book is cut for two threads (#14): at the top-level chapter that
   starts nearest half the book's text, 0 for one thread (a short book, where
   the second thread's start-up would cost more than it saves).
   GHB_TYPESET_THREADS=1 keeps one thread and =2 cuts any book of two
   chapters or more: the tests set every fixture both ways and compare. */
#define HALF_MIN_BYTES 65536
static size_t ts_split_point(const book_t *b) {
    const char *env = getenv("GHB_TYPESET_THREADS");
    if (env && strcmp(env, "1") == 0) return 0;
    bool force = env && strcmp(env, "2") == 0;
    size_t total = 0;
    for (size_t c = 0; c < b->n_chapters; c++)
        total += b->chapters[c].len;
    if (total < HALF_MIN_BYTES && !force) return 0;
    size_t best = 0, done = 0, best_gap = total;
    for (size_t c = 0; c < b->n_chapters; c++) {
        size_t gap = done > total / 2 ? done - total / 2 : total / 2 - done;
        if (c > 0 && b->chapters[c].depth <= 0 && gap < best_gap) best = c, best_gap = gap;
        done += b->chapters[c].len;
    }
    return best;
}

static void *half_run(void *arg) {
    ts_half_t *h = arg;
    set_chapters(&h->t, h->from, h->view.n_chapters);
    ts_close(&h->t);
    html_ruby_release();   /* this thread's */
    para_release_thread(); /* this thread's breaker and shaping buffer */
    return NULL;
}

/* Starts the thread on chapters [from, end) beside main; NULL when it cannot start. */
static ts_half_t *ts_half_start(ts_t *main, size_t from) {
    ts_half_t *h = xcalloc(1, sizeof *h);
    book_share(main->b); /* both threads read the trees */
    /* HarfBuzz adds the default language (which shaping asks for) to a global
       list on first use, published with atomics: made here, before the thread */
    hb_language_get_default();
    diags_init(&h->d);
    h->view = book_with_sink(main->b, &h->d);
    h->from = from;
    ts_open(&h->t, &h->view, fontset_fork(main->fs), main->ps, main->folios, &h->out);
    h->t.code = code_prep_fork(main->code);
    if (pthread_create(&h->thread, NULL, half_run, h) != 0) {
        ts_close(&h->t);
        ts_half_free(h);
        return NULL;
    }
    return h;
}

void typeset_free(typeset_t *t) {
    vlist_free(&t->body);
    for (size_t i = 0; i < t->n_notes; i++)
        vlist_free(&t->notes[i].lines);
    free(t->notes);
    free(t->note_of);
    stree_free(&t->tree);
    memset(t, 0, sizeof *t);
}

size_t typeset_text(vlist_t *out, fontset_t *fs, const print_t *ps, const char *text,
                    font_role role, float size, float pitch, float x, float w, int align) {
    /* outside the book's tree: no language, no diagnostics (b NULL) */
    ts_t t = {.fs = fs, .ps = ps};
    /* titles and front matter break between words only; centred lines stay ragged */
    pspec_t s = {.text = text,
                 .style = {role, size, 0, -1, -1, false},
                 .w = w,
                 .ragged = align != 0,
                 .words_only = true,
                 .cut_overlong = true};
    lines_t ls;
    ts_para_lines(&t, &s, &ls);
    size_t first = out->n;
    for (size_t i = 0; i < ls.n; i++) {
        line_t *ln = &ls.lines[i];
        float dx = align == 1 ? (w - ln->natural) / 2 : align == 2 ? w - ln->natural : 0;
        if (ls.n > 1 && i + 1 < ls.n && align == 0) dx = 0;
        vbox_t *b = vlist_add(out, pitch);
        op_t *o = vbox_op(b, OP_GLYPHS, x + dx, ts_ascent(pitch, size));
        o->line = *ln;
        ln->g = NULL;
    }
    lines_free(&ls);
    return first;
}
