#include "../book/words.h"
#include "html.h"
#include "../book/mdutil.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const book_t *b;
    int ch;
    buf_t *out;
    int *refs; /* references emitted so far, per note of the chapter */
} hctx;

char *epub_chapter_file(int ch) {
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "ch%02d.xhtml", ch + 1);
    return buf_detach(&b);
}

static void noteref(buf_t *out, int number, int nth) {
    buf_printf(out, "<a class=\"noteref\" epub:type=\"noteref\" href=\"#fn.%d\" id=\"fnref.%d",
               number, number);
    if (nth > 1) buf_printf(out, ".%d", nth);
    buf_printf(out, "\">%d</a>", number);
}

static void note_open(buf_t *out, int number) {
    buf_printf(out, "<aside class=\"note\" epub:type=\"footnote\" id=\"fn.%d\">", number);
}

static void backlink(buf_t *out, int number) {
    buf_printf(out, "<a class=\"backlink\" href=\"#fnref.%d\">%d.</a> ", number, number);
}

static void url_note(buf_t *out, int number, const char *url) {
    note_open(out, number);
    buf_puts(out, "<p>");
    backlink(out, number);
    buf_puts(out, "<a class=\"url\" href=\"");
    xml_escape_attr(out, url);
    buf_puts(out, "\">");
    xml_escape_str(out, url);
    buf_puts(out, "</a></p></aside>");
}

static void emit_noteref_for(hctx *c, long note) {
    const note_t *n = &c->b->notes[note];
    size_t rel = (size_t)note - c->b->chapters[c->ch].first_note;
    noteref(c->out, n->number, ++c->refs[rel]);
}

static bool in_tight_list(cmark_node *para) {
    cmark_node *item = cmark_node_parent(para);
    cmark_node *list = item ? cmark_node_parent(item) : NULL;
    return list && cmark_node_get_type(list) == CMARK_NODE_LIST && cmark_node_get_list_tight(list);
}

static const char *cell_class(cmark_node *cell) {
    cmark_node *row = cmark_node_parent(cell), *table = row ? cmark_node_parent(row) : NULL;
    if (!table) return NULL;
    int col = 0;
    for (cmark_node *x = cmark_node_previous(cell); x; x = cmark_node_previous(x))
        col++;
    if (col >= cmark_gfm_extensions_get_table_columns(table)) return NULL;
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(table);
    switch (al ? al[col] : 0) {
    case 'l':
        return "al-l";
    case 'c':
        return "al-c";
    case 'r':
        return "al-r";
    default:
        return NULL;
    }
}

static void open_link(hctx *c, cmark_node *n) {
    const link_t *l = book_link_of(c->b, n);
    if (!l || l->kind == LINK_DEAD) {
        buf_puts(c->out, "<span class=\"dead-link\">");
        return;
    }
    buf_puts(c->out, "<a href=\"");
    if (l->kind == LINK_EXTERNAL) {
        xml_escape_attr(c->out, l->url);
    } else {
        /* ids are XML names and need no escaping beyond XML's */
        if (l->target_chapter != c->ch || l->target_anchor < 0) {
            char *f = epub_chapter_file(l->target_chapter);
            buf_puts(c->out, f);
            free(f);
        }
        if (l->target_anchor >= 0) {
            buf_putc(c->out, '#');
            xml_escape_attr(c->out, c->b->anchors[l->target_anchor].id);
        }
    }
    buf_puts(c->out, "\">");
}

static void close_link(hctx *c, cmark_node *n) {
    const link_t *l = book_link_of(c->b, n);
    buf_puts(c->out, !l || l->kind == LINK_DEAD ? "</span>" : "</a>");
}

static void image(hctx *c, cmark_node *n) {
    const image_t *im = book_image_of(c->b, n);
    char *alt = md_plain_text(n);
    const char *url = cmark_node_get_url(n);
    if (im) {
        buf_puts(c->out, "<img src=\"");
        xml_escape_attr(c->out, im->package_name);
        buf_puts(c->out, "\" alt=\"");
        xml_escape_attr(c->out, alt);
        buf_puts(c->out, "\"/>");
    } else if (url && url_has_scheme(url)) {
        buf_puts(c->out, "<a href=\"");
        xml_escape_attr(c->out, url);
        buf_puts(c->out, "\">");
        xml_escape_str(c->out, *alt ? alt : url);
        buf_puts(c->out, "</a>");
    } else {
        buf_puts(c->out, "<span class=\"missing-image\">");
        xml_escape_str(c->out, alt);
        buf_puts(c->out, "</span>");
    }
    free(alt);
}

/* Block and inline elements whose HTML is a plain tag pair. */
static const char *simple_tag(cmark_node *n) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_BLOCK_QUOTE:
        return "blockquote";
    case CMARK_NODE_EMPH:
        return "em";
    case CMARK_NODE_STRONG:
        return "strong";
    default:
        break;
    }
    if (md_is(n, "strikethrough")) return "del";
    if (md_is(n, "table_row")) return "tr";
    return NULL;
}

static void enter_table(hctx *c, cmark_node *n) {
    (void)n;
    buf_puts(c->out, "<table>");
}

static void cell(hctx *c, cmark_node *n, bool entering) {
    bool head = md_is(cmark_node_parent(n), "table_header");
    if (!entering) {
        buf_puts(c->out, head ? "</th>" : "</td>");
        return;
    }
    const char *cls = cell_class(n);
    buf_printf(c->out, "<%s", head ? "th" : "td");
    if (cls) buf_printf(c->out, " class=\"%s\"", cls);
    buf_putc(c->out, '>');
}

static void heading(hctx *c, cmark_node *n, bool entering) {
    int level = cmark_node_get_heading_level(n);
    if (!entering) {
        buf_printf(c->out, "</h%d>", level);
        return;
    }
    const heading_t *h = book_heading_of(c->b, n);
    buf_printf(c->out, "<h%d", level);
    if (h) {
        buf_puts(c->out, " id=\"");
        xml_escape_attr(c->out, c->b->anchors[h->anchor].id);
        buf_putc(c->out, '"');
    }
    buf_putc(c->out, '>');
}

static void list(hctx *c, cmark_node *n, bool entering) {
    bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    if (!entering) {
        buf_puts(c->out, ordered ? "</ol>" : "</ul>");
        return;
    }
    int start = cmark_node_get_list_start(n);
    if (ordered && start != 1)
        buf_printf(c->out, "<ol start=\"%d\">", start);
    else
        buf_puts(c->out, ordered ? "<ol>" : "<ul>");
}

static void item(hctx *c, cmark_node *n, bool entering) {
    if (!entering) {
        buf_puts(c->out, "</li>");
        return;
    }
    if (md_is(n, "tasklist")) {
        bool done = cmark_gfm_extensions_get_tasklist_item_checked(n);
        buf_printf(c->out, "<li class=\"task\"><span class=\"task-box\">%s</span> ",
                   done ? "\xE2\x98\x91" : "\xE2\x98\x90");
    } else {
        buf_puts(c->out, "<li>");
    }
}

static void code_block(hctx *c, cmark_node *n) {
    const char *info = cmark_node_get_fence_info(n);
    buf_puts(c->out, "<pre><code");
    if (info && *info) {
        size_t l = strcspn(info, " \t");
        buf_puts(c->out, " class=\"language-");
        char *lang = xstrndup(info, l);
        xml_escape_attr(c->out, lang);
        free(lang);
        buf_putc(c->out, '"');
    }
    buf_putc(c->out, '>');
    xml_escape_str(c->out, cmark_node_get_literal(n));
    buf_puts(c->out, "</code></pre>");
}

static void literal_node(hctx *c, cmark_node *n) {
    const char *lit = cmark_node_get_literal(n);
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
        xml_escape_str(c->out, lit);
        break;
    case CMARK_NODE_CODE:
        buf_puts(c->out, "<code>");
        xml_escape_str(c->out, lit);
        buf_puts(c->out, "</code>");
        break;
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE:
        buf_puts(c->out, lit);
        break;
    case CMARK_NODE_CODE_BLOCK:
        code_block(c, n);
        break;
    case CMARK_NODE_SOFTBREAK:
        buf_putc(c->out, ' ');
        break;
    case CMARK_NODE_LINEBREAK:
        buf_puts(c->out, "<br/>");
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        buf_puts(c->out, "<hr/>");
        break;
    default:
        break;
    }
}

/* Handles one iterator event; returns true when the node's children are to be skipped. */
static bool render_event(hctx *c, cmark_node *n, bool entering) {
    const char *tag = simple_tag(n);
    if (tag) {
        buf_printf(c->out, entering ? "<%s>" : "</%s>", tag);
        return false;
    }
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_DOCUMENT:
        return false;
    case CMARK_NODE_PARAGRAPH:
        if (!in_tight_list(n)) buf_puts(c->out, entering ? "<p>" : "</p>");
        return false;
    case CMARK_NODE_HEADING:
        heading(c, n, entering);
        return false;
    case CMARK_NODE_LIST:
        list(c, n, entering);
        return false;
    case CMARK_NODE_ITEM:
        item(c, n, entering);
        return false;
    case CMARK_NODE_LINK:
        if (entering)
            open_link(c, n);
        else
            close_link(c, n);
        return false;
    case CMARK_NODE_IMAGE:
        if (entering) image(c, n);
        return true;
    case CMARK_NODE_FOOTNOTE_REFERENCE: {
        long note = (long)(uintptr_t)cmark_node_get_user_data(n) - 1;
        if (entering && note >= 0) emit_noteref_for(c, note);
        return true;
    }
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        return true;
    default:
        break;
    }
    if (md_is(n, "table")) {
        if (entering)
            enter_table(c, n);
        else
            buf_puts(c->out, "</tbody></table>");
    } else if (md_is(n, "table_header")) {
        buf_puts(c->out, entering ? "<thead><tr>" : "</tr></thead><tbody>");
    } else if (md_is(n, "table_cell")) {
        cell(c, n, entering);
    } else if (entering) {
        literal_node(c, n);
    }
    return false;
}

static void render_tree(hctx *c, cmark_node *root, bool skip_root) {
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (skip_root && n == root) continue;
        bool entering = ev == CMARK_EVENT_ENTER;
        if (render_event(c, n, entering) && entering && cmark_node_first_child(n))
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
}

static void footnote_note(hctx *c, const note_t *n) {
    note_open(c->out, n->number);
    cmark_node *first = cmark_node_first_child(n->def);
    bool inline_back = first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH;
    if (!inline_back) {
        buf_puts(c->out, "<p>");
        backlink(c->out, n->number);
        buf_puts(c->out, "</p>");
    }
    for (cmark_node *x = first; x; x = cmark_node_next(x)) {
        if (x == first && inline_back) {
            buf_puts(c->out, "<p>");
            backlink(c->out, n->number);
            render_tree(c, x, true);
            buf_puts(c->out, "</p>");
        } else {
            render_tree(c, x, false);
        }
    }
    buf_puts(c->out, "</aside>");
}

static void notes_section(hctx *c) {
    const chapter_t *ch = &c->b->chapters[c->ch];
    if (!ch->n_notes) return;
    buf_puts(c->out, "<section class=\"notes\" epub:type=\"footnotes\">");
    for (size_t i = 0; i < ch->n_notes; i++) {
        const note_t *n = &c->b->notes[ch->first_note + i];
        if (n->kind == NOTE_URL)
            url_note(c->out, n->number, n->url);
        else
            footnote_note(c, n);
    }
    buf_puts(c->out, "</section>");
}

void epub_chapter_html(const book_t *b, int ch, buf_t *out) {
    const chapter_t *chap = &b->chapters[ch];
    hctx c = {b, ch, out, xcalloc(chap->n_notes + 1, sizeof(int))};
    render_tree(&c, chap->doc, false);
    notes_section(&c);
    free(c.refs);
}

/* A title-page link with its URL note, numbered in the title page's own series. */
static void title_link(buf_t *out, buf_t *notes, int *n, const char *text, const char *url) {
    buf_puts(out, "<a href=\"");
    xml_escape_attr(out, url);
    buf_puts(out, "\">");
    xml_escape_str(out, text);
    buf_puts(out, "</a>");
    if (strcmp(text, url) == 0) return;
    ++*n;
    noteref(out, *n, 1);
    url_note(notes, *n, url);
}

static void title_para(buf_t *out, const char *cls, const char *text) {
    if (!text || !*text) return;
    buf_printf(out, "<p class=\"%s\">", cls);
    xml_escape_str(out, text);
    buf_puts(out, "</p>");
}

void epub_titlepage_html(const book_t *b, buf_t *out) {
    const meta_t *m = &b->meta;
    lang_kind lk = lang_kind_of(m->lang);
    buf_t notes;
    buf_init(&notes);
    int n = 0;
    buf_puts(out, "<section class=\"titlepage\" epub:type=\"titlepage\">");
    if (b->cover >= 0) {
        buf_puts(out, "<p class=\"cover\"><img src=\"");
        xml_escape_attr(out, b->images[b->cover].package_name);
        buf_puts(out, "\" alt=\"");
        xml_escape_attr(out, m->title);
        buf_puts(out, "\"/></p>");
    }
    buf_puts(out, "<h1 class=\"title\">");
    xml_escape_str(out, m->title);
    buf_puts(out, "</h1>");
    title_para(out, "subtitle", m->subtitle);
    if (m->source_url) {
        buf_printf(out, "<p class=\"source\">%s", word(lk, W_SOURCE));
        title_link(out, &notes, &n, m->source_text ? m->source_text : m->source_url, m->source_url);
        buf_puts(out, "</p>");
    }
    title_para(out, "author", m->author);
    if (m->n_author_links) {
        buf_puts(out, "<p class=\"author-links\">");
        for (size_t i = 0; i < m->n_author_links; i++) {
            if (i) buf_puts(out, " | ");
            title_link(out, &notes, &n, m->author_links[i].text, m->author_links[i].url);
        }
        buf_puts(out, "</p>");
    }
    if (m->version || m->date_text || m->date) {
        buf_puts(out, "<p class=\"version\">");
        if (m->version && m->version_url)
            title_link(out, &notes, &n, m->version, m->version_url);
        else if (m->version)
            xml_escape_str(out, m->version);
        const char *d = m->date_text ? m->date_text : m->date;
        if (d) {
            buf_puts(out, word(lk, W_PAGE_REF_OPEN));
            xml_escape_str(out, d);
            buf_puts(out, word(lk, W_PAGE_REF_CLOSE));
        }
        buf_puts(out, "</p>");
    }
    buf_puts(out, "</section>");
    if (notes.len) {
        buf_puts(out, "<section class=\"notes\" epub:type=\"footnotes\">");
        buf_put(out, notes.data, notes.len);
        buf_puts(out, "</section>");
    }
    buf_free(&notes);
}
