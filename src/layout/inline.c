/* Inline content: emphasis, strong, code, links (with a page reference for
   internal ones), note marks, line breaks, inline math and raw-HTML inline
   styles, added to a paragraph as styled text. */
#include "htmlnode.h"
#include "tsctx.h"
#include "../book/rawhtml.h"
#include "../book/mathmd.h"
#include "../book/mdutil.h"
#include "../book/words.h"
#include "../util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Headings and table heads: bold sans (Latin) and bold 黑体 (Noto Sans CJK SC Bold). */
font_role ts_head_role(const ts_t *t) {
    (void)t;
    return ROLE_SANS_BOLD;
}

/* Emphasis is italic and strong bold for Latin text; the roles' chains keep 楷体
   and 黑体 for Han text. */
static font_role emph_role(font_role r) {
    bool bold = r == ROLE_BOLD || r == ROLE_SANS_BOLD || r == ROLE_BOLD_ITALIC;
    return bold ? ROLE_BOLD_ITALIC : ROLE_ITALIC;
}

static font_role strong_role(font_role r) {
    switch (r) {
    case ROLE_SANS:
    case ROLE_SANS_BOLD:
        return ROLE_SANS_BOLD;
    case ROLE_ITALIC:
    case ROLE_BOLD_ITALIC:
        return ROLE_BOLD_ITALIC;
    case ROLE_MONO:
    case ROLE_MONO_BOLD:
        return ROLE_MONO_BOLD;
    default:
        return ROLE_BOLD;
    }
}

static bool is_bold(font_role r) {
    return r == ROLE_BOLD || r == ROLE_SANS_BOLD || r == ROLE_BOLD_ITALIC || r == ROLE_MONO_BOLD;
}

/* Paper cannot be clicked: an internal link also names the page it leads to,
   when that is not the page the link starts on (#10). */
static void page_ref(ts_t *t, para_t *p, cmark_node *link, pstyle_t st) {
    const link_t *l = book_link_of(t->b, link);
    if (!l || l->kind != LINK_INTERNAL) return;
    int folio = 0;
    if (t->folios) {
        size_t n = t->b->n_anchors + t->b->n_chapters;
        folio = l->target_anchor >= 0 ? t->folios[l->target_anchor]
                                      : t->folios[t->b->n_anchors + (size_t)l->target_chapter];
        if (folio > 0 && t->folios[n + (size_t)(l - t->b->links)] == folio) return;
    }
    char num[16], ref[128];
    snprintf(num, sizeof num, "%d", folio > 0 ? folio : 0);
    snprintf(ref, sizeof ref, word(lang_kind_of(t->b->meta.lang), W_PAGE_REF), num);
    st.link = (int)(l - t->b->links);
    para_text(p, ref, strlen(ref), st);
}

/* A code block's lines in a cell's or note's paragraph: each on a line of its
   own, its indentation kept as no-break spaces (edition-guide's file tree in a
   table cell read ". ├── lib.rs └── foo/" on one line). */
static void code_lines(para_t *p, const char *s, pstyle_t st) {
    bool first = true;
    while (*s) {
        size_t n = strcspn(s, "\n");
        if (!first) para_break(p);
        first = false;
        size_t lead = 0;
        while (lead < n && s[lead] == ' ')
            lead++;
        for (size_t k = 0; k < lead; k++)
            para_text_keep(p, "\xC2\xA0", 2, st);
        para_text_keep(p, s + lead, n - lead, st);
        s += n + (s[n] == '\n');
        if (!*s) break; /* the block's last newline ends its last line */
    }
}

/* A node the inline walk has no case for. Blocks nested in a note (a list, a
   quote) only pass their inline content on, which the walk visits; a code or
   HTML block there keeps its text, set as running text with a warning; any other
   kind (a new extension's node) is reported and its text set, never dropped. */
static void unknown_inline(ts_t *t, para_t *p, cmark_node *n, pstyle_t st) {
    const char *lit = cmark_node_get_literal(n);
    bool block = !md_is_inline(n);
    if (block && !(lit && *lit)) return;
    const char *kind = cmark_node_get_type_string(n);
    char key[64];
    snprintf(key, sizeof key, "inline %s", kind);
    bool code = cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK;
    if (code)
        ts_warn_once(t, n, key, "a code block inside a note or cell is set line by line, unshaded");
    else if (block)
        ts_warn_once(t, n, key, "a %s inside a note or cell is set as running text", kind);
    else
        ts_warn_once(t, n, key,
                     "'%s' inline content is not laid out in print yet; set as plain text", kind);
    if (code) {
        st.role = ROLE_MONO, st.size *= 0.9f; /* as inline code */
        code_lines(p, lit, st);
    } else if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
        char *text = rawhtml_text(lit); /* the one raw-HTML policy: its text, as the EPUB shows */
        para_text(p, text, strlen(text), st);
        free(text);
    } else if (lit) {
        para_text(p, lit, strlen(lit), st);
    }
}

/* Blocks in a cell or a note (Markdown between an HTML table's tags, a
   list in a cell) are set one after another in its one paragraph: each
   after the first starts a new line, and a bullet list's items show
   their bullet, so paragraphs and items do not run together. */
static void block_start(para_t *p, cmark_node *n, pstyle_t st) {
    cmark_node_type type = cmark_node_get_type(n);
    if (cmark_node_previous(n) && type != CMARK_NODE_ITEM) para_break(p);
    if (type != CMARK_NODE_ITEM) return;
    if (cmark_node_previous(n)) para_break(p);
    if (cmark_node_get_list_type(cmark_node_parent(n)) == CMARK_BULLET_LIST)
        para_text(p, "• ", strlen("• "), st);
}

/* Walks the inline tree under parent with an explicit stack (emphasis bombs nest deep). */
void ts_inlines(ts_t *t, para_t *p, cmark_node *parent, pstyle_t base) {
    if (cmark_node_get_literal(parent) && !md_is_inline(parent)) {
        /* a code or HTML block given as a note's paragraph: its text */
        unknown_inline(t, p, parent, base);
        return;
    }
    pstyle_t *stack = xmalloc(sizeof *stack * 64);
    size_t depth = 0, cap = 64;
    pstyle_t st = base;
    cmark_iter *it = cmark_iter_new(parent);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n == parent) continue;
        cmark_node_type type = cmark_node_get_type(n);
        bool enter = ev == CMARK_EVENT_ENTER;
        if (type == CMARK_NODE_CUSTOM_INLINE && html_is_ruby(n)) {
            /* #10: the base and its reading as one object; its children are done */
            if (enter) html_ruby(p, t->fs, n, st, t->latin);
            if (enter) cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            continue;
        }
        bool container = type == CMARK_NODE_EMPH || type == CMARK_NODE_STRONG ||
                         type == CMARK_NODE_LINK || md_is(n, "strikethrough") ||
                         type == CMARK_NODE_CUSTOM_INLINE;
        if (container) {
            if (enter) {
                if (depth == cap) stack = xrealloc(stack, sizeof *stack * (cap *= 2));
                stack[depth++] = st;
                if (type == CMARK_NODE_EMPH) st.role = emph_role(st.role);
                if (md_is(n, "strikethrough")) st.strike = true;
                if (type == CMARK_NODE_STRONG) st.role = strong_role(st.role);
                if (type == CMARK_NODE_CUSTOM_INLINE) {
                    int asked = html_inline_style(n, &st);
                    if (asked & HTML_BOLD) st.role = strong_role(st.role);
                    if (asked & HTML_ITALIC) st.role = emph_role(st.role);
                }
                if (type == CMARK_NODE_LINK) {
                    const link_t *l = book_link_of(t->b, n);
                    st.link = l && l->kind != LINK_DEAD ? (int)(l - t->b->links) : -1;
                }
            } else if (depth) {
                st = stack[--depth];
                if (type == CMARK_NODE_LINK) page_ref(t, p, n, st);
            }
            continue;
        }
        if (!enter) continue;
        if (!md_is_inline(n)) block_start(p, n, st);
        const char *lit = cmark_node_get_literal(n);
        switch (type) {
        case CMARK_NODE_TEXT:
            para_text(p, lit, strlen(lit), st);
            break;
        case CMARK_NODE_CODE: {
            if (mathset_inline(t->ms, p, n, st)) break;
            pstyle_t c = st;
            c.role = is_bold(st.role) ? ROLE_MONO_BOLD : ROLE_MONO;
            c.size = st.size * 0.9f;
            para_text_keep(p, lit, strlen(lit), c);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
            para_text(p, " ", 1, st);
            break;
        case CMARK_NODE_LINEBREAK:
            para_break(p);
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
            long k = (long)(uintptr_t)cmark_node_get_user_data(n) - 1;
            if (k < 0) break;
            pstyle_t m = st;
            m.size = st.size * 0.62f;
            m.rise = st.size * 0.38f;
            m.note = ts_note_for(t, (size_t)k);
            m.link = -1;
            para_text(p, NOTE_MARK, strlen(NOTE_MARK), m);
            break;
        }
        case CMARK_NODE_IMAGE: {
            char *alt = book_plain_text(t->b, n);
            para_text(p, alt, strlen(alt), st);
            free(alt);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        }
        case CMARK_NODE_HTML_INLINE:
            /* raw HTML tags: src/book/rawhtml.c made nodes of those that mean
               something, and figure.c draws <img>; the tags themselves print nothing */
            break;
        default:
            unknown_inline(t, p, n, st);
            break;
        }
    }
    cmark_iter_free(it);
    free(stack);
}
