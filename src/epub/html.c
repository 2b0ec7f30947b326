#include "../book/words.h"
#include "html.h"
#include "../book/front.h"
#include "mathout.h"
#include "code.h"
#include "callout.h"
#include "../book/callout.h"
#include "../book/mathmd.h"
#include "../book/mdutil.h"
#include "../book/rawhtml.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

/* A chapter's notes as the EPUB shows them: one note per URL, however often the
   chapter links to it, numbered in the order their markers are read. */
typedef struct {
    int *shown;   /* per note of the chapter: the note that stands for it */
    int *number;  /* per shown note: its number, 0 until its first marker */
    int last;     /* the last number given */
    buf_t *texts; /* per shown note: the link texts that point to its URL */
    int *refs;    /* per shown note: references emitted so far */
} notes_t;

typedef struct {
    const book_t *b;
    int ch;
    buf_t *out;
    notes_t notes;
    size_t after_ref; /* out->len right after the last note marker, or 0 */
    int heading;      /* level of the last heading written */
    const pagemap_t *pages;
    bool *paged;            /* per page of pages: its marker is written */
    pageslots_t *slots;     /* no page map yet: placeholders where markers may go */
    const char *unknown[8]; /* node kinds already reported as unknown in this chapter */
    int n_unknown;
    cmark_node *held[8]; /* blocks whose page markers wait for a place that takes them */
    int n_held;
} hctx;

char *epub_chapter_file(int ch) {
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "ch%02d.xhtml", ch + 1);
    return buf_detach(&b);
}

static void noteref(buf_t *out, int number, int nth) {
    buf_printf(out,
               "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn.%d\" "
               "id=\"fnref.%d",
               number, number);
    if (nth > 1) buf_printf(out, ".%d", nth);
    buf_printf(out, "\">%d</a>", number);
}

static void note_open(buf_t *out, int number) {
    buf_printf(out,
               "<aside class=\"note\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn.%d\">",
               number);
}

static void backlink(buf_t *out, int number) {
    buf_printf(out, "<a class=\"backlink\" role=\"doc-backlink\" href=\"#fnref.%d\">%d.</a> ",
               number, number);
}

/* "link text：URL" (the text is left out when there is none). */
static void url_note(buf_t *out, lang_kind lang, int number, const char *text, const char *url) {
    note_open(out, number);
    buf_puts(out, "<p>");
    backlink(out, number);
    /* "genai-handbook.github.io/：https://genai-handbook.github.io/" says it twice */
    if (text && *text && !strstr(url, text)) {
        xml_escape_str(out, text);
        buf_puts(out, word(lang, W_NOTE_TEXT_URL_SEP));
    }
    buf_puts(out, "<a class=\"url\" href=\"");
    xml_escape_attr(out, url);
    buf_puts(out, "\">");
    xml_escape_str(out, url);
    buf_puts(out, "</a></p></aside>");
}

/* Whether only markup (no text) was written since the last note marker. */
static bool right_after_ref(const hctx *c) {
    if (!c->after_ref) return false;
    bool in_tag = false;
    for (size_t i = c->after_ref; i < c->out->len; i++) {
        char ch = c->out->data[i];
        if (ch == '<')
            in_tag = true;
        else if (ch == '>')
            in_tag = false;
        else if (!in_tag && ch != ' ' && ch != '\n')
            return false;
    }
    return true;
}

static void emit_noteref_for(hctx *c, long note) {
    size_t rel = (size_t)note - c->b->chapters[c->ch].first_note;
    int shown = c->notes.shown[rel];
    /* markers that would touch ("以来¹²" reads as 12) get a separator */
    if (right_after_ref(c)) buf_puts(c->out, "<span class=\"notesep\">,</span>");
    if (!c->notes.number[shown]) c->notes.number[shown] = ++c->notes.last;
    noteref(c->out, c->notes.number[shown], ++c->notes.refs[shown]);
    c->after_ref = c->out->len;
}

static bool in_tight_list(cmark_node *para) {
    cmark_node *item = cmark_node_parent(para);
    cmark_node *list = item ? cmark_node_parent(item) : NULL;
    return list && cmark_node_get_type(list) == CMARK_NODE_LIST && cmark_node_get_list_tight(list);
}

/* A paragraph of nothing but images (and the spaces between them) is set
   without the paragraph indent. */
static bool only_images(cmark_node *para) {
    bool any = false;
    for (cmark_node *k = cmark_node_first_child(para); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_IMAGE) {
            any = true;
        } else if (t == CMARK_NODE_TEXT) {
            const char *l = cmark_node_get_literal(k);
            if (l && l[strspn(l, " \t")]) return false;
        } else if (t != CMARK_NODE_SOFTBREAK && t != CMARK_NODE_LINEBREAK) {
            return false;
        }
    }
    return any;
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
    /* a link that shows its own address breaks like one */
    buf_puts(c->out,
             l->kind == LINK_EXTERNAL && l->shows_url ? "<a class=\"url\" href=\"" : "<a href=\"");
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
    char *alt = book_plain_text(c->b, n); /* a formula in it: readable text, not TeX */
    const char *url = cmark_node_get_url(n);
    if (im) {
        buf_puts(c->out, "<img src=\"");
        xml_escape_attr(c->out, im->package_name);
        buf_puts(c->out, "\" alt=\"");
        xml_escape_attr(c->out, alt);
        float w = 0, h = 0; /* docsify's ':size=' */
        book_image_ask(c->b, n, &w, &h);
        if (w < 0) buf_printf(c->out, "\" style=\"width: %g%%", (double)-w);
        if (w > 0) buf_printf(c->out, "\" width=\"%.0f", (double)w);
        if (h > 0) buf_printf(c->out, "\" height=\"%.0f", (double)h);
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
    if (!entering) {
        buf_printf(c->out, "</h%d>", c->heading);
        return;
    }
    /* a level never skipped (### after #), so assistive technology sees the
       outline the author meant; the chapter's own title is the h1 */
    int level = cmark_node_get_heading_level(n);
    if (level > c->heading + 1) level = c->heading + 1;
    c->heading = level;
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
    epub_code_block(c->out, cmark_node_get_literal(n), cmark_node_get_fence_info(n));
}

/* A node kind this writer does not know (a new extension, a newer cmark-gfm)
   must not vanish silently: a warning once per kind and chapter, and its own
   text (if any) kept; a container's children are written as usual. */
static void unknown_node(hctx *c, cmark_node *n) {
    const char *kind = cmark_node_get_type_string(n);
    bool seen = false;
    for (int i = 0; i < c->n_unknown && !seen; i++)
        seen = strcmp(c->unknown[i], kind) == 0;
    if (!seen) {
        if (c->n_unknown < 8) c->unknown[c->n_unknown++] = kind;
        int line, col;
        book_pos(c->b, c->ch, n, &line, &col);
        book_diag(c->b, DIAG_WARNING, c->ch, line, col,
                  "the EPUB writer does not know Markdown node kind '%s'; its text is kept plain",
                  kind);
    }
    const char *lit = cmark_node_get_literal(n);
    if (lit) xml_escape_str(c->out, lit);
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
        unknown_node(c, n);
        break;
    }
}

/* Handles one iterator event; returns true when the node's children are to be skipped. */
static bool render_event_inner(hctx *c, cmark_node *n, bool entering) {
    if (epub_math_event(c->b, c->ch, n, entering, c->out)) return true;
    const char *tag = simple_tag(n);
    if (tag) {
        buf_printf(c->out, entering ? "<%s>" : "</%s>", tag);
        return false;
    }
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_DOCUMENT:
        return false;
    case CMARK_NODE_PARAGRAPH:
        if (!in_tight_list(n))
            buf_puts(c->out, !entering ? "</p>" : only_images(n) ? "<p class=\"image\">" : "<p>");
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
    case CMARK_NODE_CUSTOM_BLOCK:
    case CMARK_NODE_CUSTOM_INLINE: /* #10: callouts; raw HTML as the model keeps it */
        if (callout_kind_of(n) >= 0)
            epub_callout(c->out, c->b, n, entering);
        else
            buf_puts(c->out, entering ? cmark_node_get_on_enter(n) : cmark_node_get_on_exit(n));
        return false;
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

void epub_page_marker(buf_t *out, const pagestart_t *p) {
    char l[16];
    pagemap_label(p, l, sizeof l);
    buf_printf(out,
               "<span class=\"pagebreak\" epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
               "id=\"page.%s\" aria-label=\"%s\" title=\"%s\"></span>",
               l, l, l);
}

static void page_marker(hctx *c, size_t i) {
    epub_page_marker(c->out, &c->pages->v[i]);
    c->paged[i] = true;
}

/* Whether a marker (a span, flow content) may stand right before block n:
   not before a <details>' <summary>, which must be its first child, nor among
   the rows and cells of a raw-HTML table or the terms of a <dl>. */
static bool marker_fits(cmark_node *n) {
    static const char *const rows[] = {"table", "thead", "tbody", "tfoot", "tr", "dl"};
    char tag[16];
    if (!strcmp(rawhtml_tag(n, tag, sizeof tag), "summary")) return false;
    cmark_node *p = cmark_node_parent(n);
    if (!p || cmark_node_get_type(p) != CMARK_NODE_CUSTOM_BLOCK) return true;
    rawhtml_tag(p, tag, sizeof tag);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (!strcmp(tag, rows[i])) return false;
    return true;
}

static void markers_of(hctx *c, cmark_node *n) {
    if (c->slots) pageslot_put(c->slots, n, false, c->out);
    if (!c->pages) return;
    for (size_t i = 0; i < c->pages->n; i++)
        if (c->pages->v[i].chapter == c->ch && c->pages->v[i].node == n && !c->paged[i])
            page_marker(c, i);
}

/* Markers of the printed pages that start at block n (NULL: the chapter's
   start); where they cannot stand, at the next block where they can (or at the
   chapter's end, with the pages left unmarked). */
static void page_markers(hctx *c, cmark_node *n) {
    if (n && !marker_fits(n)) {
        if (c->n_held < (int)(sizeof c->held / sizeof *c->held)) c->held[c->n_held++] = n;
        return;
    }
    for (int i = 0; i < c->n_held; i++)
        markers_of(c, c->held[i]);
    c->n_held = 0;
    markers_of(c, n);
}

/* Handles one iterator event; returns true when the node's children are to be skipped.
   A printed page starts before its block, or inside a list item (nothing else may
   sit in a list). */
static bool render_event(hctx *c, cmark_node *n, bool entering) {
    bool item = cmark_node_get_type(n) == CMARK_NODE_ITEM;
    if (entering && cmark_node_get_type(n) == CMARK_NODE_DOCUMENT) page_markers(c, NULL);
    if (entering && !item && !md_is_inline(n)) page_markers(c, n);
    bool skip = render_event_inner(c, n, entering);
    if (entering && item) page_markers(c, n);
    return skip;
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

static void footnote_note(hctx *c, int number, const note_t *n) {
    note_open(c->out, number);
    cmark_node *first = cmark_node_first_child(n->def);
    bool inline_back = first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH;
    if (!inline_back) {
        buf_puts(c->out, "<p>");
        backlink(c->out, number);
        buf_puts(c->out, "</p>");
    }
    for (cmark_node *x = first; x; x = cmark_node_next(x)) {
        if (x == first && inline_back) {
            buf_puts(c->out, "<p>");
            backlink(c->out, number);
            render_tree(c, x, true);
            buf_puts(c->out, "</p>");
        } else {
            render_tree(c, x, false);
        }
    }
    buf_puts(c->out, "</aside>");
}

/* The notes' heading, a level below the chapter's title. */
static void notes_heading(buf_t *out, const book_t *b) {
    buf_printf(out, "<h2 class=\"notes-heading\" id=\"notes\">%s</h2>",
               word(lang_kind_of(b->meta.lang), W_NOTES));
}

static void notes_section(hctx *c) {
    const chapter_t *ch = &c->b->chapters[c->ch];
    if (!ch->n_notes) return;
    lang_kind lang = lang_kind_of(c->b->meta.lang);
    buf_puts(c->out, "<section class=\"notes\" epub:type=\"footnotes\" aria-labelledby=\"notes\">");
    notes_heading(c->out, c->b);
    /* notes never referred to from the text still get their place */
    for (size_t i = 0; i < ch->n_notes; i++)
        if (c->notes.shown[i] == (int)i && !c->notes.number[i])
            c->notes.number[i] = ++c->notes.last;
    /* a note's marker inside another note can number it while the list is written */
    int *order = xcalloc((size_t)c->notes.last + 1, sizeof(int));
    for (size_t i = 0; i < ch->n_notes; i++)
        if (c->notes.shown[i] == (int)i) order[c->notes.number[i] - 1] = (int)i;
    int count = c->notes.last;
    for (int k = 0; k < count; k++) {
        size_t i = (size_t)order[k];
        const note_t *n = &c->b->notes[ch->first_note + i];
        if (n->kind == NOTE_URL)
            url_note(c->out, lang, c->notes.number[i], c->notes.texts[i].data, n->url);
        else
            footnote_note(c, c->notes.number[i], n);
    }
    free(order);
    buf_puts(c->out, "</section>");
}

/* Adds a link's text to the texts of the note it stands for, once. */
static void add_link_text(const book_t *book, notes_t *ns, size_t shown, cmark_node *link) {
    char *t = book_plain_text(book, link); /* a formula in it: readable text, not TeX */
    buf_t *b = &ns->texts[shown];
    bool seen = false;
    for (const char *p = b->data; p && *t && (p = strstr(p, t)) && !seen; p++) {
        size_t l = strlen(t);
        seen = (p == b->data || p[-1] == '\x1f') && (p[l] == '\0' || p[l] == '\x1f');
    }
    if (*t && !seen) {
        if (b->len) buf_putc(b, '\x1f');
        buf_puts(b, t);
    }
    free(t);
}

/* Which note shows each note of chapter ch, their numbers and link texts. */
static void notes_plan(const book_t *b, int ch, notes_t *ns) {
    const chapter_t *chap = &b->chapters[ch];
    size_t n = chap->n_notes;
    ns->shown = xcalloc(n + 1, sizeof(int));
    ns->number = xcalloc(n + 1, sizeof(int));
    ns->refs = xcalloc(n + 1, sizeof(int));
    ns->texts = xcalloc(n + 1, sizeof(buf_t));
    for (size_t i = 0; i < n; i++) {
        const note_t *x = &b->notes[chap->first_note + i];
        ns->shown[i] = (int)i;
        for (size_t k = 0; k < i && x->kind == NOTE_URL; k++) {
            const note_t *y = &b->notes[chap->first_note + k];
            if (y->kind == NOTE_URL && ns->shown[k] == (int)k && strcmp(x->url, y->url) == 0) {
                ns->shown[i] = (int)k;
                break;
            }
        }
    }
    lang_kind lang = lang_kind_of(b->meta.lang);
    cmark_iter *it = cmark_iter_new(chap->doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_LINK) continue;
        const link_t *l = book_link_of(b, node);
        if (!l || l->note < 0) continue;
        size_t rel = (size_t)l->note - chap->first_note;
        if (rel < n) add_link_text(b, ns, (size_t)ns->shown[rel], node);
    }
    cmark_iter_free(it);
    /* several texts for one URL read as a list: "讲义、同一份讲义" */
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ns->texts[i].len; k++)
            if (ns->texts[i].data[k] == '\x1f') {
                buf_t joined;
                buf_init(&joined);
                for (const char *p = ns->texts[i].data; *p; p++) {
                    if (*p == '\x1f')
                        buf_puts(&joined, word(lang, W_LIST_SEP));
                    else
                        buf_putc(&joined, *p);
                }
                buf_free(&ns->texts[i]);
                ns->texts[i] = joined;
                break;
            }
}

static void notes_free(notes_t *ns, size_t n) {
    for (size_t i = 0; i < n; i++)
        buf_free(&ns->texts[i]);
    free(ns->texts), free(ns->shown), free(ns->number), free(ns->refs);
}

static void chapter_html(const book_t *b, int ch, const pagemap_t *pages, pageslots_t *slots,
                         buf_t *out) {
    const chapter_t *chap = &b->chapters[ch];
    hctx c = {b, ch, out, {0}, 0, 0, pages && pages->n ? pages : NULL, NULL, slots};
    if (c.pages) c.paged = xcalloc(c.pages->n, sizeof *c.paged);
    notes_plan(b, ch, &c.notes);
    render_tree(&c, chap->doc, false);
    /* a page whose block was not written (it sits in a footnote) starts here */
    if (slots) pageslot_put(slots, NULL, true, out);
    for (size_t i = 0; c.pages && i < c.pages->n; i++)
        if (c.pages->v[i].chapter == ch && !c.paged[i]) page_marker(&c, i);
    notes_section(&c);
    notes_free(&c.notes, chap->n_notes);
    free(c.paged);
}

void epub_chapter_html_paged(const book_t *b, int ch, const pagemap_t *pages, buf_t *out) {
    chapter_html(b, ch, pages, NULL, out);
}

void epub_chapter_html_slots(const book_t *b, int ch, pageslots_t *slots, buf_t *out) {
    chapter_html(b, ch, NULL, slots, out);
}

void epub_chapter_html(const book_t *b, int ch, buf_t *out) {
    chapter_html(b, ch, NULL, NULL, out);
}

/* A title-page link with its URL note, numbered in the title page's own series. */
static void title_link(buf_t *out, buf_t *notes, int *n, lang_kind lang, const char *text,
                       const char *url) {
    buf_puts(out, "<a href=\"");
    xml_escape_attr(out, url);
    buf_puts(out, "\">");
    xml_escape_str(out, text);
    buf_puts(out, "</a>");
    if (strcmp(text, url) == 0) return;
    ++*n;
    noteref(out, *n, 1);
    url_note(notes, lang, *n, text, url);
}

static void title_para(buf_t *out, const char *cls, const char *text) {
    if (!text || !*text) return;
    buf_printf(out, "<p class=\"%s\">", cls);
    xml_escape_str(out, text);
    buf_puts(out, "</p>");
}

/* The title page says what the book's front-matter model says (src/book/front.h):
   title, subtitle, source, author and their links, the edition; the copyright
   lines stay in the package metadata. */
void epub_titlepage_html(const book_t *b, buf_t *out) {
    front_matter_t fm;
    front_matter_build(b, &fm);
    lang_kind lang = fm.lang;
    buf_t notes;
    buf_init(&notes);
    int n = 0;
    buf_puts(out, "<section class=\"titlepage\" epub:type=\"titlepage\">");
    buf_puts(out, "<h1 class=\"title\">");
    const front_line_t *l = front_line(&fm, FRONT_TITLE);
    if (l) xml_escape_str(out, l->text);
    buf_puts(out, "</h1>");
    l = front_line(&fm, FRONT_SUBTITLE);
    title_para(out, "subtitle", l ? l->text : NULL);
    if ((l = front_line(&fm, FRONT_SOURCE))) {
        buf_printf(out, "<p class=\"source\">%s", word(lang, W_SOURCE));
        title_link(out, &notes, &n, lang, l->text, l->url);
        buf_puts(out, "</p>");
    }
    l = front_line(&fm, FRONT_AUTHOR);
    title_para(out, "author", l ? l->text : NULL);
    bool links = false;
    for (size_t i = 0; i < fm.n; i++) {
        if (fm.v[i].kind != FRONT_AUTHOR_LINK) continue;
        buf_puts(out, links ? " | " : "<p class=\"author-links\">");
        title_link(out, &notes, &n, lang, fm.v[i].text, fm.v[i].url);
        links = true;
    }
    if (links) buf_puts(out, "</p>");
    if ((l = front_line(&fm, FRONT_EDITION)) && (l->text || l->date)) {
        buf_puts(out, "<p class=\"version\">");
        if (l->text && l->url)
            title_link(out, &notes, &n, lang, l->text, l->url);
        else if (l->text)
            xml_escape_str(out, l->text);
        if (l->date) {
            buf_puts(out, word(lang, W_PAGE_REF_OPEN));
            xml_escape_str(out, l->date);
            buf_puts(out, word(lang, W_PAGE_REF_CLOSE));
        }
        buf_puts(out, "</p>");
    }
    buf_puts(out, "</section>");
    if (notes.len) {
        buf_puts(out,
                 "<section class=\"notes\" epub:type=\"footnotes\" aria-labelledby=\"notes\">");
        notes_heading(out, b);
        buf_put(out, notes.data, notes.len);
        buf_puts(out, "</section>");
    }
    buf_free(&notes);
    front_matter_free(&fm);
}
