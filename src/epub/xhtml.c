#include "xhtml.h"
#include "autospace.h"
#include "cover.h"
#include "fonts.h"
#include "mathout.h"
#include "pageslot.h"
#include "../book/htmlscan.h"
#include "../book/index.h"
#include "../book/mdutil.h"
#include "../book/words.h"
#include "../util/strmap.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const book_t *b;
    int ch;
    strmap_t ids;    /* ids kept so far in this document */
    bool keep_slots; /* page slots (pageslot.h) stay */
} sctx;

static bool has_id(const sctx *c, const char *id) {
    return strmap_get(&c->ids, id) >= 0;
}

static bool is_ncname(const char *s) {
    char *x = anchor_xml_id(s);
    bool same = strcmp(x, s) == 0;
    free(x);
    return same;
}

static bool attr_allowed(const char *tag, const char *a) {
    static const char *global[] = {
        "id",   "class",    "title", "lang",        "dir",       "style",
        "type", "xml:lang", "role",  "aria-hidden", "aria-label"}; /* role, aria: #10 */
    for (size_t i = 0; i < sizeof global / sizeof *global; i++)
        if (strcmp(a, global[i]) == 0) return strcmp(a, "type") != 0 || strcmp(tag, "ol") == 0;
    if (strcmp(a, "epub:type") == 0 || strcmp(a, "role") == 0) return true;
    /* ARIA states and properties (aria-label, aria-labelledby, aria-hidden, ...) */
    if (strncmp(a, "aria-", 5) == 0 && a[5]) return true;
    const char *pairs[][2] = {
        {"a", "href"},          {"img", "src"},       {"img", "alt"},      {"img", "width"},
        {"img", "height"},      {"td", "colspan"},    {"td", "rowspan"},   {"th", "colspan"},
        {"th", "rowspan"},      {"th", "scope"},      {"ol", "start"},     {"ol", "reversed"},
        {"li", "value"},        {"time", "datetime"}, {"del", "datetime"}, {"ins", "datetime"},
        {"blockquote", "cite"}, {"q", "cite"},        {"col", "span"},     {"colgroup", "span"},
        {"details", "open"} /* #10 */};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (strcmp(tag, pairs[i][0]) == 0 && strcmp(a, pairs[i][1]) == 0) return true;
    return false;
}

/* "30%", "12.5%" */
static bool percent(const char *s) {
    size_t n = strspn(s, "0123456789.");
    return n > 0 && s[n] == '%' && !s[n + 1] && n < 8;
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

/* Our own links are "chNN.xhtml[#id]"; anything else relative cannot be followed in the package. */
static bool href_ok(const char *h) {
    if (url_has_scheme(h))
        return strncasecmp(h, "javascript:", 11) != 0 && strncasecmp(h, "vbscript:", 9) != 0 &&
               strncasecmp(h, "data:", 5) != 0 && strncasecmp(h, "file:", 5) != 0;
    if (h[0] == '#') return true;
    if (strncmp(h, "ch", 2) != 0 || !isdigit((unsigned char)h[2])) return false;
    const char *p = h + 2;
    while (isdigit((unsigned char)*p))
        p++;
    return strncmp(p, ".xhtml", 6) == 0 && (p[6] == '\0' || p[6] == '#');
}

/* Returns false when the attribute must go. May rewrite its value. */
static bool check_attr(sctx *c, xmlNodePtr el, xmlAttrPtr a, const char *tag, const char *name) {
    if (!attr_allowed(tag, name)) return false;
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    const char *val = v ? (const char *)v : "";
    bool ok = true;
    if (strcmp(name, "id") == 0) {
        char *id = is_ncname(val) ? xstrdup(val) : anchor_xml_id(val);
        ok = !has_id(c, id);
        if (ok) {
            xmlSetProp(el, BAD_CAST "id", BAD_CAST id);
            strmap_put(&c->ids, id, 1);
        }
        free(id);
    } else if (strcmp(name, "href") == 0) {
        ok = href_ok(val);
    } else if (strcmp(name, "width") == 0 && percent(val)) {
        /* HTML's width attribute counts pixels; a percentage is CSS's */
        xmlChar *old = xmlGetProp(el, BAD_CAST "style");
        char style[512];
        snprintf(style, sizeof style, "width: %s;%s%s", val, old ? " " : "",
                 old ? (char *)old : "");
        xmlFree(old);
        xmlSetProp(el, BAD_CAST "style", BAD_CAST style);
        ok = false;
    } else if (strcmp(name, "width") == 0 || strcmp(name, "height") == 0 ||
               strcmp(name, "colspan") == 0 || strcmp(name, "rowspan") == 0 ||
               strcmp(name, "start") == 0 || strcmp(name, "span") == 0) {
        ok =
            all_digits(val) || (strcmp(name, "start") == 0 && val[0] == '-' && all_digits(val + 1));
    } else if (strcmp(name, "src") == 0) {
        const image_t *im = NULL;
        if (strncmp(val, "images/img", 10) == 0) {
            for (size_t i = 0; i < c->b->n_images && !im; i++)
                if (strcmp(c->b->images[i].package_name, val) == 0) im = &c->b->images[i];
        } else if (c->ch >= 0) {
            im = book_find_image(c->b, c->ch, val);
        }
        ok = im != NULL;
        if (ok) xmlSetProp(el, BAD_CAST "src", BAD_CAST im->package_name);
        if (c->ch == EPUB_COVER_DOC && strcmp(val, EPUB_COVER_PNG) == 0) ok = true;
    }
    xmlFree(v);
    return ok;
}

/* HTML 4's <a name="x">, which XHTML 5 no longer has, is the id of an <a>
   that has none: the index took it for an anchor, and links to it
   (Functional-Light-JS's 45 "#user-content-x") would dangle (RSC-012). */
static void name_to_id(xmlNodePtr el, const char *tag) {
    xmlAttrPtr n = strcmp(tag, "a") == 0 ? xmlHasProp(el, BAD_CAST "name") : NULL;
    if (n && !xmlHasProp(el, BAD_CAST "id")) xmlNodeSetName((xmlNodePtr)n, BAD_CAST "id");
}

static void check_attrs(sctx *c, xmlNodePtr el, const char *tag) {
    name_to_id(el, tag);
    xmlAttrPtr a = el->properties;
    while (a) {
        xmlAttrPtr next = a->next;
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", a->ns && a->ns->prefix ? (char *)a->ns->prefix : "",
                 a->ns && a->ns->prefix ? ":" : "", (const char *)a->name);
        for (char *p = name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!check_attr(c, el, a, tag, name)) xmlRemoveProp(a);
        a = next;
    }
}

static void sanitize(sctx *c, xmlNodePtr parent);

/* Moves el's children in front of it and removes it. */
static void unwrap(xmlNodePtr el) {
    xmlNodePtr k = el->children;
    while (k) {
        xmlNodePtr next = k->next;
        xmlUnlinkNode(k);
        xmlAddPrevSibling(el, k);
        k = next;
    }
    xmlUnlinkNode(el);
    xmlFreeNode(el);
}

static xmlNodePtr first_element(xmlNodePtr n) {
    for (n = n->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE) return n;
    return NULL;
}

static bool named(xmlNodePtr n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST name) == 0;
}

static xmlNodePtr last_element(xmlNodePtr n) {
    for (n = n->last; n; n = n->prev)
        if (n->type == XML_ELEMENT_NODE) return n;
    return NULL;
}

/* A figure's caption is its first or last child, and it has one (HTML's
   content model): a caption with more after it (You Don't Know JS puts
   <br><br> there) goes last, and a second one is a <div>. */
static void fix_figure(xmlNodePtr fig) {
    xmlNodePtr cap = NULL;
    for (xmlNodePtr k = fig->children; k; k = k->next) {
        if (!named(k, "figcaption")) continue;
        if (cap)
            xmlNodeSetName(k, BAD_CAST "div");
        else
            cap = k;
    }
    if (!cap || cap == first_element(fig) || cap == last_element(fig)) return;
    xmlUnlinkNode(cap);
    xmlAddChild(fig, cap);
}

/* HTML5's sectioning and disclosure elements, which libxml2's HTML 4 parser
   does not know to close a paragraph for. */
static const char *const html5_boxes[] = {"details", "summary", "figure", "figcaption",
                                          "section", "article", "header", "footer",
                                          "nav",     "main",    "aside",  NULL};
/* Elements whose content is phrasing only. */
static const char *const phrasing[] = {"p",     "h1",    "h2",   "h3",     "h4",   "h5",   "h6",
                                       "b",     "i",     "em",   "strong", "span", "a",    "code",
                                       "small", "sub",   "sup",  "u",      "s",    "mark", "q",
                                       "cite",  "label", "abbr", "kbd",    "var",  "samp", NULL};

static bool in_set(const xmlChar *name, const char *const *set) {
    for (; *set; set++)
        if (xmlStrcasecmp(name, BAD_CAST * set) == 0) return true;
    return false;
}

/* Whether el stands inside a paragraph, a heading or an inline element. */
static bool in_phrasing(xmlNodePtr el) {
    for (xmlNodePtr a = el->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent)
        if (in_set(a->name, phrasing)) return true;
    return false;
}

/* Raw HTML browsers accept but XHTML's content model refuses (epubcheck
   RSC-005): a <details> without its <summary> (browsers show "Details"), a
   <figcaption> outside a <figure> (docsify books centre captions with
   <center><figcaption>), which becomes a <div>, one amid a figure's content,
   and an HTML5 box inside a paragraph or an inline element, which becomes a
   <span> (huihut/interview's "<b><details><summary>关于</summary></b>" on a
   paragraph's line, its </details> in a block further down). A <div> there
   too: libxml2 closes a paragraph for it, but not a heading or an inline
   element (learn-nlp-with-transformers' "## **<div id='embed'>词嵌入</div>**",
   an anchor its contents link to; toBeTopJavaer's "<div class="mask"></div>"
   after a heading's link). */
static void fix_context(sctx *c, xmlNodePtr el, const char *tag) {
    if ((in_set(el->name, html5_boxes) || strcmp(tag, "div") == 0) && in_phrasing(el)) {
        xmlNodeSetName(el, BAD_CAST "span");
        xmlUnsetProp(el, BAD_CAST "open");
    } else if (strcmp(tag, "details") == 0 && !named(first_element(el), "summary")) {
        xmlNodePtr s = xmlNewNode(el->ns, BAD_CAST "summary");
        xmlNodeAddContent(s, BAD_CAST word(lang_kind_of(c->b->meta.lang), W_DETAILS));
        if (el->children)
            xmlAddPrevSibling(el->children, s);
        else
            xmlAddChild(el, s);
    } else if (strcmp(tag, "figcaption") == 0 && !named(el->parent, "figure")) {
        xmlNodeSetName(el, BAD_CAST "div");
    } else if (strcmp(tag, "figure") == 0) {
        fix_figure(el);
    }
}

static void sanitize_element(sctx *c, xmlNodePtr el) {
    char tag[64];
    snprintf(tag, sizeof tag, "%s", (const char *)el->name);
    for (char *p = tag; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (epub_math_sanitize(el)) return;
    tag_policy pol = html_tag_policy(tag);
    if (pol == TAG_DROP) {
        xmlUnlinkNode(el);
        xmlFreeNode(el);
        return;
    }
    sanitize(c, el);
    if (pol == TAG_UNWRAP) {
        unwrap(el);
        return;
    }
    check_attrs(c, el, tag);
    fix_context(c, el, tag);
    if (strcmp(tag, "img") == 0) {
        if (!xmlHasProp(el, BAD_CAST "src")) {
            xmlUnlinkNode(el);
            xmlFreeNode(el);
        } else if (!xmlHasProp(el, BAD_CAST "alt")) {
            xmlSetProp(el, BAD_CAST "alt", BAD_CAST "");
        }
    }
}

static void sanitize(sctx *c, xmlNodePtr parent) {
    xmlNodePtr n = parent->children;
    while (n) {
        xmlNodePtr next = n->next;
        if (n->type == XML_ELEMENT_NODE) {
            sanitize_element(c, n);
        } else if (n->type == XML_PI_NODE && c->keep_slots &&
                   xmlStrEqual(n->name, BAD_CAST PAGESLOT_TARGET)) {
            /* a page slot: filled after this pass */
        } else if (epub_math_placeholder(n)) {
            /* a formula: its MathML comes in after this pass */
        } else if (n->type != XML_TEXT_NODE) {
            /* comments may hold "--", which XML forbids; PIs and the like have no place */
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        }
        n = next;
    }
}

/* Fragment links to ids that are not in the document would fail epubcheck. */
static void drop_dangling(sctx *c, xmlNodePtr n) {
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        xmlAttrPtr h = xmlHasProp(n, BAD_CAST "href");
        if (h) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)h);
            if (v && v[0] == '#' && !has_id(c, (const char *)v + 1)) xmlRemoveProp(h);
            xmlFree(v);
        }
        drop_dangling(c, n->children);
    }
}

static xmlNodePtr find_body(xmlNodePtr n) {
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "body") == 0) return n;
        xmlNodePtr r = find_body(n->children);
        if (r) return r;
    }
    return NULL;
}

static bool has_upper(const xmlChar *s) {
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') return true;
    return false;
}

/* HTML names are case-blind and XHTML's are lower case: raw HTML written in
   capitals goes through the HTML parser, which lowers them (SVG and MathML
   keep their own case). */
static bool upper_html_names(xmlNodePtr n) {
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        bool html = n->ns && xmlStrEqual(n->ns->href, BAD_CAST "http://www.w3.org/1999/xhtml");
        if (html && has_upper(n->name)) return true;
        for (xmlAttrPtr a = html ? n->properties : NULL; a; a = a->next)
            if (has_upper(a->name)) return true;
        if (upper_html_names(n->children)) return true;
    }
    return false;
}

/* The writer's own HTML is well-formed XML unless raw HTML of the book made
   it otherwise: the XML parser reads it in half the time of the HTML parser,
   which is kept for what needs repair (unclosed or misnested tags, HTML
   entities, bare ampersands). */
static xmlDocPtr parse_body(const char *body_html, size_t len, bool *repaired) {
    buf_t src;
    buf_init(&src);
    buf_puts(&src, "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                   "xmlns:epub=\"http://www.idpf.org/2007/ops\"><body>");
    buf_put(&src, body_html, len);
    buf_puts(&src, "</body></html>");
    xmlDocPtr doc = xmlReadMemory(src.data, (int)src.len, NULL, "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc && upper_html_names(xmlDocGetRootElement(doc))) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    *repaired = !doc;
    if (!doc) {
        buf_free(&src);
        buf_puts(&src, "<html><body>");
        buf_put(&src, body_html, len);
        buf_puts(&src, "</body></html>");
        doc = htmlReadMemory(src.data, (int)src.len, NULL, "UTF-8",
                             HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    }
    buf_free(&src);
    return doc;
}

/* slots: page slots stay in the document, and the result says whether filling
   them gives what the page markers themselves would have given. */
static bool xhtml(const book_t *b, int ch, const char *title, const char *body_html, size_t len,
                  bool fonts_css, bool slots, buf_t *out) {
    bool repaired, slots_ok = true;
    htmlDocPtr doc = parse_body(body_html, len, &repaired);
    buf_printf(out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html "
               "xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" "
               "xml:lang=\"%s\" lang=\"%s\">\n<head>\n<meta charset=\"UTF-8\"/>\n"
               "<meta name=\"generator\" content=\"ghb-book %s\"/>\n<title>",
               b->meta.lang, b->meta.lang, GHB_VERSION);
    xml_escape_str(out, title);
    buf_puts(out, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"book.css\"/>\n");
    if (fonts_css)
        buf_puts(out, "<link rel=\"stylesheet\" type=\"text/css\" href=\"" EPUB_FONTS_CSS "\"/>\n");
    buf_puts(out, "</head>\n<body>");
    xmlNodePtr body = doc ? find_body(xmlDocGetRootElement(doc)) : NULL;
    if (body) {
        sctx c = {b, ch, {0}, slots};
        sanitize(&c, body);
        drop_dangling(&c, body->children);
        slots_ok = epub_autospace(body) && !repaired;
        xmlBufferPtr xb = xmlBufferCreate();
        xmlSaveCtxtPtr sc = xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_AS_XML | XML_SAVE_NO_DECL);
        for (xmlNodePtr k = body->children; k; k = k->next)
            xmlSaveTree(sc, k);
        xmlSaveClose(sc);
        epub_math_splice(b, (const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb), out);
        xmlBufferFree(xb);
        strmap_free(&c.ids);
    }
    if (doc) xmlFreeDoc(doc);
    buf_puts(out, "</body>\n</html>\n");
    return slots_ok;
}

void epub_xhtml(const book_t *b, int ch, const char *title, const char *body_html, size_t len,
                bool fonts_css, buf_t *out) {
    xhtml(b, ch, title, body_html, len, fonts_css, false, out);
}

/* Where a marker's id or its neighbourhood could make the document differ (an
   id or link of the book's own named "page.N", raw HTML repaired by the HTML
   parser, text around a slot that the marker would part), the slots cannot
   simply be filled later. */
bool epub_xhtml_slots(const book_t *b, int ch, const char *title, const char *body_html, size_t len,
                      size_t n_slots, buf_t *out) {
    if (memmem(body_html, len, "page.", 5) || pageslot_count(body_html, len) != n_slots)
        return false;
    return xhtml(b, ch, title, body_html, len, false, true, out);
}
