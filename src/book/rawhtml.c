#include "rawhtml.h"
#include "htmlscan.h"
#include "mdutil.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
/* the node struct: a node made from raw HTML gets its element's source position,
   which the public API can only read */
#include <cmark-gfm/node.h>
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- names */

static bool in(const char *name, const char *const *set) {
    for (; *set; set++)
        if (!strcmp(name, *set)) return true;
    return false;
}

/* Inline elements kept as custom nodes (the backends style them). */
static const char *const styled[] = {
    "sub", "sup",  "kbd", "mark", "u",    "s",  "del", "strike", "ins", "abbr", "small", "span",
    "q",   "cite", "var", "samp", "ruby", "rt", "dfn", "time",   "big", "bdi",  "bdo",   NULL};
/* Blocks kept as custom nodes. */
static const char *const boxes[] = {"dl",      "dt",         "dd",     "details", "summary",
                                    "figure",  "figcaption", "center", "section", "article",
                                    "header",  "footer",     "nav",    "main",    "aside",
                                    "address", NULL};

static bool centred(xmlNode *x) {
    xmlChar *a = xmlGetProp(x, BAD_CAST "align");
    bool c = a && !xmlStrcasecmp(a, BAD_CAST "center");
    xmlFree(a);
    return c;
}

/* Raw-HTML tables become custom nodes too (colspan and rowspan kept). */
static const char *const table_rows[] = {"table", "thead", "tbody", "tfoot", "tr", NULL};
static const char *const table_cells[] = {"td", "th", "caption", NULL};

/* ---------------------------------------------------------------- nodes */

static cmark_node *custom(cmark_node_type type, const char *tag, xmlNode *x) {
    cmark_node *n = cmark_node_new(type);
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "<%s", tag);
    for (xmlAttr *a = x ? x->properties : NULL; a; a = a->next) {
        xmlChar *v = xmlNodeGetContent((xmlNode *)a);
        buf_printf(&b, " %s=\"", (const char *)a->name);
        xml_escape_attr(&b, v ? (const char *)v : "");
        buf_putc(&b, '"');
        xmlFree(v);
    }
    if (!strcmp(tag, "details")) buf_puts(&b, " open=\"open\""); /* printed expanded */
    buf_putc(&b, '>');
    cmark_node_set_on_enter(n, b.data);
    b.len = 0;
    buf_printf(&b, "</%s>", tag);
    cmark_node_set_on_exit(n, b.data);
    buf_free(&b);
    return n;
}

static cmark_node *text_node(cmark_node_type t, const char *s) {
    cmark_node *n = cmark_node_new(t);
    cmark_node_set_literal(n, s);
    return n;
}

/* ---------------------------------------------------------------- DOM -> model */

typedef struct {
    bool ok;         /* false: something had no mapping; keep the block raw */
    int line0, col0; /* where the HTML block starts in the chapter */
} conv_t;

/* A new node stands where its element starts in the source (libxml2 counts
   the block's lines): a diagnostic about it names that line, not 1:1. */
static void place(const conv_t *c, cmark_node *n, const xmlNode *x) {
    if (!n || !x || c->line0 <= 0) return;
    int line = c->line0 + (x->line > 0 ? (int)x->line - 1 : 0);
    n->start_line = n->end_line = line;
    n->start_column = line == c->line0 ? c->col0 : 1;
}

static void inlines(conv_t *c, xmlNode *x, cmark_node *to);
static void blocks(conv_t *c, xmlNode *x, cmark_node *to);
static bool is_inline(xmlNode *x);

static char *text_of(xmlNode *x) {
    xmlChar *t = xmlNodeGetContent(x);
    char *r = xstrdup(t ? (char *)t : "");
    xmlFree(t);
    return r;
}

/* An empty <a id> for an element's id (or an <a>'s name), or NULL: the mark
   the index takes as an anchor where the element itself becomes a node with no
   attributes (a paragraph, a heading, a link). Caller frees. */
static char *id_mark(xmlNode *x) {
    xmlChar *id = xmlGetProp(x, BAD_CAST "id");
    if (!id && !strcmp((const char *)x->name, "a")) id = xmlGetProp(x, BAD_CAST "name");
    char *mark = NULL;
    if (id && *id) {
        buf_t b;
        buf_init(&b);
        buf_puts(&b, "<a id=\"");
        xml_escape_attr(&b, (char *)id);
        buf_puts(&b, "\"></a>");
        mark = buf_detach(&b);
    }
    xmlFree(id);
    return mark;
}

static void inline_el(conv_t *c, xmlNode *x, cmark_node *to) {
    const char *name = (const char *)x->name;
    if (html_tag_policy(name) == TAG_DROP || !strcmp(name, "rp")) return;
    cmark_node *n = NULL;
    if (!strcmp(name, "br")) {
        cmark_node_append_child(to, cmark_node_new(CMARK_NODE_LINEBREAK));
        return;
    } else if (!strcmp(name, "wbr")) {
        return;
    } else if (!strcmp(name, "b") || !strcmp(name, "strong")) {
        n = cmark_node_new(CMARK_NODE_STRONG);
    } else if (!strcmp(name, "i") || !strcmp(name, "em")) {
        n = cmark_node_new(CMARK_NODE_EMPH);
    } else if (!strcmp(name, "code") || !strcmp(name, "tt")) {
        char *t = text_of(x);
        cmark_node_append_child(to, text_node(CMARK_NODE_CODE, t));
        free(t);
        return;
    } else if (!strcmp(name, "img")) {
        /* raw images stay raw HTML: the image stage takes their size and
           reports them at their line (new nodes have no source position) */
        c->ok = false;
        return;
        xmlChar *src = xmlGetProp(x, BAD_CAST "src"), *alt = xmlGetProp(x, BAD_CAST "alt"),
                *title = xmlGetProp(x, BAD_CAST "title");
        n = cmark_node_new(CMARK_NODE_IMAGE);
        cmark_node_set_url(n, src ? (char *)src : "");
        if (title) cmark_node_set_title(n, (char *)title);
        if (alt && *alt) cmark_node_append_child(n, text_node(CMARK_NODE_TEXT, (char *)alt));
        xmlFree(src), xmlFree(alt), xmlFree(title);
        cmark_node_append_child(to, n);
        return;
    } else if (!strcmp(name, "a")) {
        /* the anchor is kept raw before the link (a link's id too): the index takes it */
        char *mark = id_mark(x);
        if (mark) cmark_node_append_child(to, text_node(CMARK_NODE_HTML_INLINE, mark));
        free(mark);
        xmlChar *href = xmlGetProp(x, BAD_CAST "href");
        if (href) {
            n = cmark_node_new(CMARK_NODE_LINK);
            cmark_node_set_url(n, (char *)href);
        } else {
            inlines(c, x->children, to);
            return;
        }
        xmlFree(href);
    } else if (in(name, styled)) {
        n = custom(CMARK_NODE_CUSTOM_INLINE, name, x);
    } else if (html_tag_policy(name) == TAG_UNWRAP) {
        char *mark = id_mark(x);
        if (mark) cmark_node_append_child(to, text_node(CMARK_NODE_HTML_INLINE, mark));
        free(mark);
        inlines(c, x->children, to);
        return;
    } else {
        c->ok = false;
        return;
    }
    cmark_node_append_child(to, n);
    inlines(c, x->children, n);
}

static void inlines(conv_t *c, xmlNode *x, cmark_node *to) {
    for (; x && c->ok; x = x->next) {
        if (x->type == XML_TEXT_NODE) {
            cmark_node_append_child(to, text_node(CMARK_NODE_TEXT, (const char *)x->content));
        } else if (x->type == XML_ELEMENT_NODE) {
            if (in((const char *)x->name, boxes) || !strcmp((const char *)x->name, "p") ||
                !strcmp((const char *)x->name, "div")) {
                inlines(c, x->children, to); /* a block inside inline text: its text */
            } else {
                inline_el(c, x, to);
            }
        }
    }
}

static bool is_inline(xmlNode *x) {
    if (x->type == XML_TEXT_NODE) return true;
    if (x->type != XML_ELEMENT_NODE) return false;
    const char *n = (const char *)x->name;
    return in(n, styled) || !strcmp(n, "br") || !strcmp(n, "b") || !strcmp(n, "strong") ||
           !strcmp(n, "i") || !strcmp(n, "em") || !strcmp(n, "code") || !strcmp(n, "tt") ||
           !strcmp(n, "img") || !strcmp(n, "a") || !strcmp(n, "wbr");
}

static bool blank(const xmlChar *s) {
    for (; s && *s; s++)
        if (!isspace(*s)) return false;
    return true;
}

/* A paragraph of inline content; empty ones are not kept. */
static void paragraph_of(conv_t *c, xmlNode *first, xmlNode *stop, cmark_node *to) {
    cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
    for (xmlNode *x = first; x != stop && c->ok; x = x->next) {
        xmlNode *next = x->next;
        x->next = NULL; /* one at a time */
        inlines(c, x, p);
        x->next = next;
    }
    bool empty = true;
    for (cmark_node *k = cmark_node_first_child(p); k && empty; k = cmark_node_next(k))
        empty = cmark_node_get_type(k) == CMARK_NODE_TEXT &&
                blank((const xmlChar *)cmark_node_get_literal(k));
    if (empty) {
        cmark_node_free(p);
    } else {
        place(c, p, first);
        cmark_node_append_child(to, p);
    }
}

/* <div class="warning">, mdBook's warning box. */
static bool warning_div(xmlNode *x) {
    xmlChar *cls = xmlGetProp(x, BAD_CAST "class");
    bool yes = cls && xmlStrcasecmp(cls, BAD_CAST "warning") == 0;
    xmlFree(cls);
    return yes;
}

/* Whether block_el makes x a custom node, whose HTML keeps x's id (the
   index reads it there); any other node keeps no attribute. */
static bool keeps_attrs(xmlNode *x) {
    const char *name = (const char *)x->name;
    if (!strcmp(name, "div")) return !centred(x) && !warning_div(x);
    return in(name, boxes) || in(name, table_rows) || in(name, table_cells);
}

static void block_el(conv_t *c, xmlNode *x, cmark_node *to) {
    const char *name = (const char *)x->name;
    if (html_tag_policy(name) == TAG_DROP) return;
    cmark_node *n;
    /* <p id>, <h2 id>, <ul id>…: an anchor before the node, as an <a id> line
       before a heading is in Markdown (cargo's man pages link their <dt id>s,
       kept by the custom node, and such ids alike) */
    char *mark = keeps_attrs(x) ? NULL : id_mark(x);
    if (mark) {
        cmark_node *a = text_node(CMARK_NODE_HTML_BLOCK, mark);
        place(c, a, x);
        cmark_node_append_child(to, a);
        free(mark);
    }
    if (!strcmp(name, "p") || !strcmp(name, "div")) {
        if (centred(x)) {
            n = custom(CMARK_NODE_CUSTOM_BLOCK, "div", NULL);
            cmark_node_set_on_enter(n, "<div class=\"center\">");
            cmark_node_append_child(to, n);
            blocks(c, x->children, n);
        } else if (!strcmp(name, "p")) {
            paragraph_of(c, x->children, NULL, to);
        } else if (warning_div(x)) {
            /* mdBook 0.4.40 draws <div class="warning"> as a warning box: a
               callout, as "> [!WARNING]" is (rustc-dev-guide, 14 of them) */
            n = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
            cmark_node_set_on_enter(n, "callout warning");
            cmark_node_set_on_exit(n, "");
            cmark_node_append_child(to, n);
            blocks(c, x->children, n);
        } else { /* a div keeps its attributes (class) for the EPUB */
            n = custom(CMARK_NODE_CUSTOM_BLOCK, "div", x);
            cmark_node_append_child(to, n);
            blocks(c, x->children, n);
        }
        return;
    }
    if (!strcmp(name, "center")) {
        n = custom(CMARK_NODE_CUSTOM_BLOCK, "div", NULL);
        cmark_node_set_on_enter(n, "<div class=\"center\">");
        cmark_node_append_child(to, n);
        blocks(c, x->children, n);
        return;
    }
    if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2]) {
        n = cmark_node_new(CMARK_NODE_HEADING);
        cmark_node_set_heading_level(n, name[1] - '0');
        inlines(c, x->children, n);
    } else if (!strcmp(name, "ul") || !strcmp(name, "ol")) {
        n = cmark_node_new(CMARK_NODE_LIST);
        cmark_node_set_list_type(n, name[0] == 'o' ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
        cmark_node_set_list_tight(n, true);
        if (name[0] == 'o') cmark_node_set_list_start(n, 1);
        for (xmlNode *k = x->children; k && c->ok; k = k->next) {
            if (k->type != XML_ELEMENT_NODE || strcmp((const char *)k->name, "li")) continue;
            cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
            cmark_node_append_child(n, item);
            blocks(c, k->children, item);
        }
    } else if (!strcmp(name, "blockquote")) {
        n = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
        blocks(c, x->children, n);
    } else if (!strcmp(name, "pre")) {
        char *t = text_of(x);
        /* a newline right after <pre> is not content (HTML's parsing rule) */
        n = text_node(CMARK_NODE_CODE_BLOCK, t + (t[0] == '\n'));
        free(t);
    } else if (!strcmp(name, "hr")) {
        n = cmark_node_new(CMARK_NODE_THEMATIC_BREAK);
    } else if (!strcmp(name, "summary") || !strcmp(name, "dt") || !strcmp(name, "figcaption")) {
        n = custom(CMARK_NODE_CUSTOM_BLOCK, name, x); /* phrasing content only */
        inlines(c, x->children, n);
    } else if (in(name, boxes) || in(name, table_rows)) {
        n = custom(CMARK_NODE_CUSTOM_BLOCK, name, x);
        blocks(c, x->children, n);
    } else if (in(name, table_cells)) {
        /* a cell (or caption) of inline content holds it directly, as a figcaption does */
        n = custom(CMARK_NODE_CUSTOM_BLOCK, name, x);
        bool flat = true;
        for (xmlNode *k = x->children; k; k = k->next)
            flat = flat && (is_inline(k) || k->type != XML_ELEMENT_NODE);
        if (flat)
            inlines(c, x->children, n);
        else
            blocks(c, x->children, n);
    } else if (!strcmp(name, "colgroup") || !strcmp(name, "col")) {
        return; /* widths come from the content */
    } else {
        c->ok = false; /* svg, video...: the block stays raw */
        return;
    }
    place(c, n, x);
    cmark_node_append_child(to, n);
}

/* A row or a row group whose table is not around it: a notebook's pandas table
   indented into the code block of the cell's output ("    <table>" code, the
   rest HTML from "  <thead>" on: learn-nlp-with-transformers, four times). */
static bool stray_row(xmlNode *x) {
    if (x->type != XML_ELEMENT_NODE || !in((const char *)x->name, table_rows) ||
        !strcmp((const char *)x->name, "table"))
        return false;
    const char *p =
        x->parent && x->parent->type == XML_ELEMENT_NODE ? (const char *)x->parent->name : "";
    return !in(p, table_rows);
}

/* Stray rows and row groups one after another (blanks between) go into one
   table, as a browser shows them; the node after them is returned. */
static xmlNode *stray_table(conv_t *c, xmlNode *x, cmark_node *to) {
    cmark_node *t = custom(CMARK_NODE_CUSTOM_BLOCK, "table", NULL);
    place(c, t, x);
    cmark_node_append_child(to, t);
    while (x && c->ok && (stray_row(x) || (x->type == XML_TEXT_NODE && blank(x->content)))) {
        if (x->type == XML_ELEMENT_NODE) block_el(c, x, t);
        x = x->next;
    }
    return x;
}

static void blocks(conv_t *c, xmlNode *x, cmark_node *to) {
    while (x && c->ok) {
        if (stray_row(x)) {
            x = stray_table(c, x, to);
            continue;
        }
        if (is_inline(x)) { /* a run of inline content is one paragraph */
            xmlNode *end = x;
            while (end && is_inline(end))
                end = end->next;
            paragraph_of(c, x, end, to);
            x = end;
            continue;
        }
        if (x->type == XML_ELEMENT_NODE) block_el(c, x, to);
        x = x->next;
    }
}

/* The block's HTML as model nodes under a document node, or NULL. */
static cmark_node *convert(const char *html, int line0, int col0) {
    htmlDocPtr d = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (!d) return NULL;
    xmlNode *root = xmlDocGetRootElement(d), *body = NULL;
    for (xmlNode *k = root ? root->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "body")) body = k;
    conv_t c = {true, line0, col0};
    cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    if (body) blocks(&c, body->children, doc);
    xmlFreeDoc(d);
    if (!c.ok) {
        cmark_node_free(doc);
        return NULL;
    }
    return doc;
}

/* ---------------------------------------------------------------- dropped elements in raw blocks
 */

/* Removes <script>...</script> and the other dropped elements, with their
   content, from an HTML block that stays raw. */
static char *without_dropped(const char *s) {
    buf_t b;
    buf_init(&b);
    while (*s) {
        if (*s == '<' && isalpha((unsigned char)s[1])) {
            size_t l = 1;
            char name[16];
            while (l < sizeof name && isalnum((unsigned char)s[l]))
                name[l - 1] = (char)tolower((unsigned char)s[l]), l++;
            name[l - 1] = 0;
            if (l < sizeof name && html_tag_policy(name) == TAG_DROP) {
                char close[24];
                snprintf(close, sizeof close, "</%s", name);
                const char *e = strcasestr(s, close);
                const char *gt = e ? strchr(e, '>') : strchr(s, '>');
                s = gt ? gt + 1 : s + strlen(s);
                continue;
            }
        }
        buf_putc(&b, *s++);
    }
    buf_putc(&b, 0);
    return buf_detach(&b);
}

/* ---------------------------------------------------------------- a raw block's text */

static void text_walk(xmlNode *x, buf_t *out) {
    for (; x; x = x->next) {
        if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
            buf_puts(out, (const char *)x->content);
            continue;
        }
        if (x->type != XML_ELEMENT_NODE) continue; /* comments, PIs */
        const char *name = (const char *)x->name;
        tag_policy pol = html_tag_policy(name);
        if (pol == TAG_DROP) continue;
        if (!strcmp(name, "br")) {
            buf_putc(out, ' ');
            continue;
        }
        /* blocks and cells stand apart; inline and unknown (unwrapped) elements join */
        bool apart = pol == TAG_KEEP && !is_inline(x);
        if (apart) buf_putc(out, ' ');
        text_walk(x->children, out);
        if (apart) buf_putc(out, ' ');
    }
}

char *rawhtml_text(const char *html) {
    buf_t b;
    buf_init(&b);
    htmlDocPtr d = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
    for (xmlNode *k = root ? root->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "body"))
            text_walk(k->children, &b);
    if (d) xmlFreeDoc(d);
    return buf_detach(&b);
}

/* ---------------------------------------------------------------- inline pairs */

/* The tag an inline HTML node opens or closes: "sub", with *closing. */
static bool inline_tag(cmark_node *n, char *name, size_t size, bool *closing) {
    if (cmark_node_get_type(n) != CMARK_NODE_HTML_INLINE) return false;
    const char *s = cmark_node_get_literal(n);
    if (*s++ != '<') return false;
    *closing = *s == '/';
    if (*closing) s++;
    size_t l = 0;
    while (isalnum((unsigned char)s[l]) && l < size - 1)
        name[l] = (char)tolower((unsigned char)s[l]), l++;
    name[l] = 0;
    return l > 0;
}

static cmark_node *find_close(cmark_node *open, const char *name) {
    int depth = 0;
    for (cmark_node *k = cmark_node_next(open); k; k = cmark_node_next(k)) {
        char t[16];
        bool closing;
        if (!inline_tag(k, t, sizeof t, &closing) || strcmp(t, name)) continue;
        if (!closing)
            depth++;
        else if (depth-- == 0)
            return k;
    }
    return NULL;
}

static bool is_html_inline(cmark_node *n, void *ctx) {
    (void)ctx;
    (void)n;
    return true;
}

/* What an <input> tag shows on paper: a check box ☐/☑ or a radio button ○/●
   followed by a space, or NULL for other kinds (text fields show nothing). */
static const char *input_mark(const char *tag) {
    char low[256];
    size_t n = 0;
    for (; tag[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)tag[n]);
    low[n] = '\0';
    bool checked = strstr(low, " checked") != NULL;
    if (strstr(low, "type=\"checkbox\"") || strstr(low, "type=checkbox"))
        return checked ? "☑ " : "☐ ";
    if (strstr(low, "type=\"radio\"") || strstr(low, "type=radio")) return checked ? "● " : "○ ";
    return NULL;
}

typedef struct {
    char *href;
    bool anchor; /* an id or name: a target the index takes from the raw tag */
} a_attrs;

static void a_attr(void *ctx, const char *tag, const char *attr, const char *value, size_t off) {
    (void)off;
    a_attrs *a = ctx;
    if (strcasecmp(tag, "a")) return;
    if (!a->href && !strcasecmp(attr, "href")) a->href = xstrdup(value);
    if (!strcasecmp(attr, "id") || !strcasecmp(attr, "name")) a->anchor = true;
}

/* The links in x (x itself too, unless keep) become their text. */
static void unlink_in(cmark_node *x, bool keep) {
    cmark_node **v;
    size_t n = md_collect(x, CMARK_NODE_LINK, NULL, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        if (keep && v[i] == x) continue;
        cmark_node *k;
        while ((k = cmark_node_first_child(v[i])))
            cmark_node_insert_before(v[i], k);
        cmark_node_free(v[i]);
    }
    free(v);
}

/* Whether the nodes between o and e show text: not only tags (a README's
   badge, <a href><img></a>, whose image figure.c draws on its own line). */
static bool has_text(cmark_node *o, cmark_node *e) {
    for (cmark_node *k = cmark_node_next(o); k && k != e; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t != CMARK_NODE_HTML_INLINE &&
            (t != CMARK_NODE_TEXT || !blank((const xmlChar *)cmark_node_get_literal(k))))
            return true;
    }
    return false;
}

/* A raw <a href="..."> ... </a> around Markdown text (open o, close e): one
   link node, as convert() makes of a block's, so both outputs link it once; a
   link inside (a bare URL the autolink extension took) is its text, since a
   link cannot hold a link. An anchor (id or name: GitBook's heading marks
   <a href="#x" id="x"></a>) or one of tags only stays raw, links inside it text;
   false then. */
static bool link_pair(cmark_node *o, cmark_node *e) {
    a_attrs a = {NULL, false};
    html_scan_attrs(cmark_node_get_literal(o), a_attr, &a);
    cmark_node *l = NULL;
    if (a.href && !a.anchor && has_text(o, e)) {
        l = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(l, a.href);
        if (!cmark_node_insert_before(o, l)) cmark_node_free(l), l = NULL;
    }
    free(a.href);
    for (cmark_node *k = cmark_node_next(o); k && k != e;) {
        cmark_node *next = cmark_node_next(k);
        if (l)
            cmark_node_append_child(l, k);
        else
            unlink_in(k, false);
        k = next;
    }
    if (l) unlink_in(l, true);
    return l != NULL;
}

static void inline_pairs(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_HTML_INLINE, is_html_inline, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *o = v[i];
        if (!cmark_node_parent(o)) continue; /* already consumed */
        char name[16];
        bool closing;
        if (!inline_tag(o, name, sizeof name, &closing) || closing) continue;
        const char *lit = cmark_node_get_literal(o);
        if (!strcmp(name, "br")) {
            /* where cmark refuses a line break (its parent cannot hold one), it is freed */
            cmark_node *lb = cmark_node_new(CMARK_NODE_LINEBREAK);
            if (!cmark_node_insert_before(o, lb)) cmark_node_free(lb);
            v[i] = NULL;
            cmark_node_free(o);
            continue;
        }
        /* a form's check box or radio button is not kept, but its state is what
           its label says (docsify's UI kit): a box or a circle, filled when checked */
        if (!strcmp(name, "input")) {
            const char *mark = input_mark(lit);
            if (mark) {
                cmark_node *m = text_node(CMARK_NODE_TEXT, mark);
                if (!cmark_node_insert_before(o, m)) cmark_node_free(m);
            }
        }
        if (!strcmp(name, "a")) {
            cmark_node *e = find_close(o, name);
            if (e && link_pair(o, e)) {
                for (size_t j = i; j < n; j++)
                    if (v[j] == o || v[j] == e) v[j] = NULL;
                cmark_node_free(o);
                cmark_node_free(e);
            }
            continue;
        }
        /* <rp> parentheses are for readers without ruby: the model has ruby (as convert()) */
        bool drop = html_tag_policy(name) == TAG_DROP || !strcmp(name, "rp");
        if (!drop && !in(name, styled)) continue;
        cmark_node *e = find_close(o, name);
        if (!e) {
            if (drop) cmark_node_free(o), v[i] = NULL;
            continue;
        }
        if (drop) { /* the element and everything in it */
            cmark_node *k = o;
            while (k != e) {
                cmark_node *next = cmark_node_next(k);
                /* k's own inline HTML too (`<svg>~<g>~</svg>`: <g> inside a strikethrough) */
                for (size_t j = i; j < n; j++)
                    for (cmark_node *a = v[j]; a; a = cmark_node_parent(a))
                        if (a == k) {
                            v[j] = NULL;
                            break;
                        }
                cmark_node_free(k);
                k = next;
            }
            for (size_t j = i; j < n; j++)
                if (v[j] == e) v[j] = NULL;
            cmark_node_free(e);
            continue;
        }
        cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
        cmark_node_set_on_enter(c, lit);
        char close[24];
        snprintf(close, sizeof close, "</%s>", name);
        cmark_node_set_on_exit(c, close);
        /* a GFM table cell takes no custom node: the tags stay raw there (their
           text stays in the cell) and c, never placed, is freed */
        if (!cmark_node_insert_before(o, c)) {
            cmark_node_free(c);
            continue;
        }
        cmark_node *k = cmark_node_next(o);
        while (k && k != e) {
            cmark_node *next = cmark_node_next(k);
            cmark_node_append_child(c, k);
            k = next;
        }
        for (size_t j = i; j < n; j++)
            if (v[j] == o || v[j] == e) v[j] = NULL;
        cmark_node_free(o);
        cmark_node_free(e);
    }
    free(v);
}

/* ---------------------------------------------------------------- blocks split by Markdown */

/* "<details>", "<div align="center">" alone in a block, closed by a later
   sibling block "</details>": the Markdown between goes inside. */
static void block_pairs(cmark_node *parent) {
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK) {
            if (cmark_node_first_child(n)) block_pairs(n);
            continue;
        }
        const char *s = cmark_node_get_literal(n);
        char name[16];
        size_t l = 0;
        if (s[0] != '<' || !isalpha((unsigned char)s[1])) continue;
        while (isalnum((unsigned char)s[1 + l]) && l < sizeof name - 1)
            name[l] = (char)tolower((unsigned char)s[1 + l]), l++;
        name[l] = 0;
        if (!in(name, boxes) && strcmp(name, "div") && strcmp(name, "p")) continue;
        char close[24];
        snprintf(close, sizeof close, "</%s>", name);
        if (strcasestr(s, close)) continue; /* closed in the block itself */
        cmark_node *e = cmark_node_next(n);
        while (e && !(cmark_node_get_type(e) == CMARK_NODE_HTML_BLOCK &&
                      !strncasecmp(cmark_node_get_literal(e), close, strlen(close))))
            e = cmark_node_next(e);
        if (!e) continue;
        /* the opening block, parsed (its summary too), then the Markdown between */
        cmark_node *head = convert(s, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
        if (!head) continue;
        cmark_node *box = cmark_node_first_child(head);
        if (!box || cmark_node_next(box) || (cmark_node_get_type(box) != CMARK_NODE_CUSTOM_BLOCK)) {
            cmark_node_free(head);
            continue;
        }
        cmark_node_insert_before(n, box);
        cmark_node_free(head);
        cmark_node *k = cmark_node_next(n);
        while (k && k != e) {
            cmark_node *next = cmark_node_next(k);
            cmark_node_append_child(box, k);
            k = next;
        }
        cmark_node_free(n);
        const char *rest = cmark_node_get_literal(e) + strlen(close);
        while (*rest && isspace((unsigned char)*rest))
            rest++;
        if (*rest)
            cmark_node_set_literal(e, rest);
        else
            cmark_node_free(e);
        block_pairs(box);
        n = box;
    }
}

/* ---------------------------------------------------------------- tags split by Markdown */

/* READMEs and mdBook pages lay out Markdown in an HTML table or box written
   as blocks of bare tags, the Markdown between them:

       <table><tr><td>          (a block)
       - a Markdown list        (Markdown)
       </td><td>                (a block)
       ...
       </td></tr></table>

   cmark sees separate HTML blocks; each, parsed alone, would be an empty
   table. Here blocks holding only tags of boxes and tables open and close
   custom nodes, and the Markdown between goes into the innermost open one,
   as a browser builds it. Content a table row cannot hold is put before the
   table (HTML's foster parenting). */

typedef struct {
    char name[16];
    bool close;
    const char *at; /* the tag's text */
    size_t len;
} tag_t;

#define MAX_TAGS 64

static bool fragment_tag(const char *name) {
    return in(name, table_rows) || !strcmp(name, "td") || !strcmp(name, "th") ||
           (in(name, boxes) && strcmp(name, "summary") && strcmp(name, "dt") &&
            strcmp(name, "figcaption")) ||
           !strcmp(name, "div");
}

/* The tags of a block that holds nothing else (comments aside); -1 otherwise. */
static int bare_tags(const char *s, tag_t *t) {
    int n = 0;
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s) return n;
        if (!strncmp(s, "<!--", 4)) {
            const char *e = strstr(s + 4, "-->");
            if (!e) return -1;
            s = e + 3;
            continue;
        }
        if (*s != '<' || n == MAX_TAGS) return -1;
        tag_t *k = &t[n];
        k->at = s;
        k->close = s[1] == '/';
        const char *p = s + 1 + k->close;
        size_t l = 0;
        while (isalnum((unsigned char)p[l]) && l < sizeof k->name - 1)
            k->name[l] = (char)tolower((unsigned char)p[l]), l++;
        k->name[l] = 0;
        const char *gt = strchr(p, '>');
        if (!l || !gt || gt[-1] == '/' || !fragment_tag(k->name)) return -1;
        k->len = (size_t)(gt + 1 - s);
        s = gt + 1;
        n++;
    }
}

/* Whether the tags close all they open, in order: such a block is whole. */
static bool balanced(const tag_t *t, int n) {
    const char *open[MAX_TAGS];
    int depth = 0;
    for (int i = 0; i < n; i++) {
        if (!t[i].close)
            open[depth++] = t[i].name;
        else if (!depth || strcmp(open[--depth], t[i].name))
            return false;
    }
    return depth == 0;
}

typedef struct {
    char names[MAX_TAGS][16];
    cmark_node *nodes[MAX_TAGS];
    int depth;
} open_t;

static void collect_attr(void *ctx, const char *tag, const char *attr, const char *value,
                         size_t off) {
    (void)tag, (void)off;
    buf_t *b = ctx;
    buf_printf(b, " %s=\"", attr);
    xml_escape_attr(b, value);
    buf_putc(b, '"');
}

/* A custom block for an opening tag, with its attributes (as custom() gives). */
static cmark_node *tag_node(const tag_t *t) {
    char *text = xstrndup(t->at, t->len);
    buf_t b;
    buf_init(&b);
    bool centre = !strcmp(t->name, "center") ||
                  (!strcmp(t->name, "div") && strcasestr(text, "align=\"center\""));
    if (centre) {
        buf_puts(&b, "<div class=\"center\">");
    } else {
        buf_printf(&b, "<%s", t->name);
        html_scan_attrs(text, collect_attr, &b);
        if (!strcmp(t->name, "details")) buf_puts(&b, " open=\"open\"");
        buf_putc(&b, '>');
    }
    free(text);
    cmark_node *n = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(n, b.data);
    b.len = 0;
    buf_printf(&b, "</%s>", centre ? "div" : t->name);
    cmark_node_set_on_exit(n, b.data);
    buf_free(&b);
    return n;
}

static bool holds_rows(const char *name) {
    return in(name, table_rows);
}

/* Closes what an opening tag closes by HTML's rules (a cell ends the cell
   before it, a row the row before it). */
static void implied_close(open_t *o, const char *name) {
    const char *const cells[] = {"td", "th", NULL}, *const rows[] = {"td", "th", "tr", NULL},
                      *const groups[] = {"td", "th", "tr", "thead", "tbody", "tfoot", NULL};
    const char *const *closes =
        !strcmp(name, "td") || !strcmp(name, "th")                                ? cells
        : !strcmp(name, "tr")                                                     ? rows
        : strcmp(name, "thead") && strcmp(name, "tbody") && strcmp(name, "tfoot") ? NULL
                                                                                  : groups;
    while (closes && o->depth && in(o->names[o->depth - 1], closes))
        o->depth--;
}

static void put(open_t *o, cmark_node *at, cmark_node *n) {
    if (!o->depth) {
        cmark_node_insert_before(at, n);
        return;
    }
    char tag[16];
    rawhtml_tag(n, tag, sizeof tag); /* "" for a Markdown node */
    if (!holds_rows(o->names[o->depth - 1]) || in(tag, table_rows) || in(tag, table_cells)) {
        cmark_node_append_child(o->nodes[o->depth - 1], n);
        return;
    }
    int t = 0; /* foster parenting: before the outermost open table */
    while (t < o->depth && !holds_rows(o->names[t]))
        t++;
    cmark_node_insert_before(o->nodes[t], n);
}

static void apply_tags(open_t *o, const tag_t *t, int n, cmark_node *at) {
    for (int i = 0; i < n; i++) {
        if (t[i].close) {
            int d = o->depth;
            while (d && strcmp(o->names[d - 1], t[i].name))
                d--;
            if (d) o->depth = d - 1;
            continue;
        }
        implied_close(o, t[i].name);
        if (o->depth == MAX_TAGS) continue;
        cmark_node *k = tag_node(&t[i]);
        put(o, at, k);
        snprintf(o->names[o->depth], sizeof o->names[0], "%s", t[i].name);
        o->nodes[o->depth++] = k;
    }
}

/* One container being walked: its next child and the elements its bare tags
   left open. */
typedef struct {
    cmark_node *next;
    open_t *o;
} walk_t;

/* Walks the tree with a stack of its own, not by recursion: each level holds
   an open_t (1.5 KB), and a 5,000-deep block quote overflowed the C stack. */
static void fragments(cmark_node *doc) {
    tag_t *t = xmalloc(MAX_TAGS * sizeof *t);
    walk_t *st = NULL;
    size_t n_st = 0, cap = 0;
    XGROW(st, cap, n_st);
    st[n_st++] = (walk_t){cmark_node_first_child(doc), xcalloc(1, sizeof(open_t))};
    while (n_st) {
        walk_t *w = &st[n_st - 1];
        cmark_node *n = w->next;
        if (!n) {
            free(w->o);
            n_st--;
            continue;
        }
        w->next = cmark_node_next(n);
        int k = cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK
                    ? bare_tags(cmark_node_get_literal(n), t)
                    : -1;
        if (k > 0 && (w->o->depth || !balanced(t, k))) {
            apply_tags(w->o, t, k, n);
            cmark_node_free(n);
            continue;
        }
        if (w->o->depth) put(w->o, n, n);
        if (cmark_node_first_child(n)) {
            XGROW(st, cap, n_st);
            st[n_st++] = (walk_t){cmark_node_first_child(n), xcalloc(1, sizeof(open_t))};
        }
    }
    free(st);
    free(t);
}

static bool is_html_block(cmark_node *n, void *ctx) {
    (void)ctx;
    (void)n;
    return true;
}

/* ---------------------------------------------------------------- blocks a blank line split */

static bool void_element(const char *name, size_t n) {
    static const char *const v[] = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                    "input", "link", "meta", "param", "source", "track", "wbr"};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        if (strlen(v[i]) == n && strncasecmp(v[i], name, n) == 0) return true;
    return false;
}

/* Start tags less end tags in s (void elements, self-closed tags and
   comments aside): what the block leaves open, or closes of what came before. */
static int tag_delta(const char *s) {
    int d = 0;
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        if (!strncmp(p, "<!--", 4)) {
            const char *e = strstr(p + 4, "-->");
            if (!e) break;
            p = e + 2;
            continue;
        }
        bool close = p[1] == '/';
        const char *name = p + 1 + close;
        size_t n = 0;
        while (isalnum((unsigned char)name[n]))
            n++;
        const char *gt = strchr(name, '>');
        if (!n || !isalpha((unsigned char)*name) || !gt) continue;
        if (close)
            d--;
        else if (gt[-1] != '/' && !void_element(name, n))
            d++;
    }
    return d;
}

/* HTML blocks that a blank line split (ml-interviews-book: "<ul>", then blocks
   of "<li>…"): a browser reads them as one stream, but each, parsed alone,
   was balanced on its own: an empty list and bare items (invalid XHTML), a
   table closed after its first cell. A block that leaves an element open takes
   the HTML blocks right after it, its blank lines kept so that lines count. */
static void join_split_blocks(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_HTML_BLOCK, is_html_block, NULL, &v);
    for (size_t i = 0; i < n;) {
        cmark_node *a = v[i++];
        int depth = tag_delta(cmark_node_get_literal(a));
        while (depth > 0 && i < n && cmark_node_next(a) == v[i]) {
            cmark_node *b = v[i++];
            buf_t m;
            buf_init(&m);
            buf_puts(&m, cmark_node_get_literal(a));
            for (int l = cmark_node_get_end_line(a) + 1; l < cmark_node_get_start_line(b); l++)
                buf_putc(&m, '\n');
            buf_puts(&m, cmark_node_get_literal(b));
            cmark_node_set_literal(a, m.data);
            buf_free(&m);
            depth += tag_delta(cmark_node_get_literal(b));
            a->end_line = b->end_line, a->end_column = b->end_column;
            cmark_node_free(b);
        }
    }
    free(v);
}

int rawhtml_pass(cmark_node *doc) {
    join_split_blocks(doc);
    block_pairs(doc);
    fragments(doc);
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_HTML_BLOCK, is_html_block, NULL, &v);
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = cmark_node_get_literal(v[i]);
        cmark_node *m =
            convert(s, cmark_node_get_start_line(v[i]), cmark_node_get_start_column(v[i]));
        if (m) {
            cmark_node *k;
            while ((k = cmark_node_first_child(m)))
                cmark_node_insert_before(v[i], k);
            cmark_node_free(m);
            cmark_node_free(v[i]);
            changed++;
        } else {
            char *clean = without_dropped(s);
            cmark_node_set_literal(v[i], clean);
            free(clean);
        }
    }
    free(v);
    inline_pairs(doc);
    return changed;
}

const char *rawhtml_tag(cmark_node *n, char *buf, size_t size) {
    const char *e = cmark_node_get_on_enter(n);
    size_t l = 0;
    if (e && *e == '<')
        while (isalnum((unsigned char)e[1 + l]) && l < size - 1)
            buf[l] = (char)tolower((unsigned char)e[1 + l]), l++;
    buf[l] = 0;
    return buf;
}

char *rawhtml_attr(cmark_node *n, const char *attr) {
    const char *e = cmark_node_get_on_enter(n);
    if (!e) return NULL;
    char key[40];
    snprintf(key, sizeof key, " %s=\"", attr);
    const char *p = strstr(e, key);
    if (!p) return NULL;
    p += strlen(key);
    const char *q = strchr(p, '"');
    return q ? xstrndup(p, (size_t)(q - p)) : NULL;
}
