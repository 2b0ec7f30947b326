#include "image.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *image_package_type(const char *type) {
    /* WebP is not a core media type of EPUB 3.2 */
    return type && strcmp(type, "image/webp") == 0 ? "image/png" : type;
}

static bool unsafe_attr(const xmlAttr *a) {
    const char *n = (const char *)a->name;
    if (strncasecmp(n, "on", 2) == 0) return true; /* onload, onclick... */
    if (strcmp(n, "href") != 0 || !a->children || !a->children->content) return false;
    const char *v = (const char *)a->children->content;
    while (*v == ' ')
        v++;
    return strncasecmp(v, "javascript:", 11) == 0;
}

static bool named(const xmlNode *n, const char *name) {
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* HTML inside a foreignObject must be XHTML5 in an EPUB: <font> (diagram
   editors write it) becomes a <span> that keeps its style and colour. */
static void font_to_span(xmlNode *c) {
    xmlChar *color = xmlGetProp(c, BAD_CAST "color");
    xmlNodeSetName(c, BAD_CAST "span");
    for (xmlAttr *a = c->properties, *an; a; a = an) {
        an = a->next;
        if (strcmp((const char *)a->name, "style") != 0) xmlRemoveProp(a);
    }
    if (color) {
        xmlChar *style = xmlGetProp(c, BAD_CAST "style");
        char buf[512];
        snprintf(buf, sizeof buf, "color: %s; %s", (const char *)color,
                 style ? (const char *)style : "");
        xmlSetProp(c, BAD_CAST "style", BAD_CAST buf);
        xmlFree(style);
        xmlFree(color);
    }
}

/* An SVG link needs a name a reader can say (epubcheck ACC-011): its text. */
static void title_link(xmlNode *a) {
    for (xmlNode *k = a->children; k; k = k->next)
        if (named(k, "title")) return;
    xmlChar *text = xmlNodeGetContent(a);
    xmlChar *href = xmlGetProp(a, BAD_CAST "href");
    const char *t = text && *text ? (const char *)text : href ? (const char *)href : "link";
    xmlNode *title = xmlNewDocNode(a->doc, a->ns, BAD_CAST "title", NULL);
    xmlNodeAddContent(title, BAD_CAST t);
    if (a->children)
        xmlAddPrevSibling(a->children, title);
    else
        xmlAddChild(a, title);
    xmlFree(text);
    xmlFree(href);
}

static bool in_ns(const xmlNode *n, const char *ns) {
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ns) == 0;
}

#define NS_SVG "http://www.w3.org/2000/svg"
#define NS_XHTML "http://www.w3.org/1999/xhtml"

/* What EPUB's schemas refuse in a diagram whose labels MathJax drew (the Mina
   book's draw.io pictures, 86 epubcheck errors): an SVG inside a label's XHTML
   (the formula's glyphs), MathJax's own elements (mjx-container), and its XHTML
   <style> among the SVG's definitions. The elements go, a custom one's content
   stays; the label keeps its words. */
static bool refused(const xmlNode *c, const xmlNode *parent) {
    if (in_ns(c, NS_SVG) && in_ns(parent, NS_XHTML)) return true;
    return named(c, "style") && in_ns(c, NS_XHTML) && in_ns(parent, NS_SVG);
}

static bool custom_element(const xmlNode *c) {
    return c->type == XML_ELEMENT_NODE && strncmp((const char *)c->name, "mjx-", 4) == 0;
}

/* Moves c's children before it and frees c; returns the first of them (or
   what followed c). */
static xmlNode *unwrap(xmlNode *c) {
    xmlNode *first = c->children ? c->children : c->next;
    while (c->children) {
        xmlNode *k = c->children;
        xmlUnlinkNode(k);
        xmlAddPrevSibling(c, k);
    }
    xmlUnlinkNode(c);
    xmlFreeNode(c);
    return first;
}

/* CSS's direction property is not allowed in an EPUB (CSS-001): dropped
   from a style attribute. */
static void drop_direction(xmlNode *c) {
    xmlChar *style = xmlGetProp(c, BAD_CAST "style");
    if (style && strstr((const char *)style, "direction")) {
        buf_t out;
        buf_init(&out);
        for (const char *d = (const char *)style; *d;) {
            size_t n = strcspn(d, ";");
            const char *k = d;
            while (k < d + n && (*k == ' ' || *k == '\n'))
                k++;
            if (strncasecmp(k, "direction", 9) != 0) buf_put(&out, d, n), buf_putc(&out, ';');
            d += n + (d[n] == ';');
        }
        xmlSetProp(c, BAD_CAST "style", BAD_CAST(out.data ? out.data : ""));
        buf_free(&out);
    }
    xmlFree(style);
}

/* HTML's align attribute is not XHTML5 (epubcheck RSC-005): draw.io writes
   <div align="left"> in its labels (the Cargo Book's feature diagram). It
   becomes the CSS it meant, ahead of the element's own style. */
static void align_to_style(xmlNode *c) {
    xmlChar *align = xmlGetProp(c, BAD_CAST "align");
    if (!align) return;
    xmlUnsetProp(c, BAD_CAST "align");
    const char *a = (const char *)align;
    if (!strcasecmp(a, "left") || !strcasecmp(a, "right") || !strcasecmp(a, "center") ||
        !strcasecmp(a, "justify")) {
        xmlChar *style = xmlGetProp(c, BAD_CAST "style");
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "text-align: %s; %s", a, style ? (const char *)style : "");
        xmlSetProp(c, BAD_CAST "style", BAD_CAST b.data);
        buf_free(&b);
        xmlFree(style);
    }
    xmlFree(align);
}

/* Drops script elements, event handlers and javascript: links, everywhere;
   mends what EPUB's SVG and XHTML schemas reject. */
static void clean_tree(xmlNode *n) {
    for (xmlNode *c = n ? n->children : NULL, *next; c; c = next) {
        next = c->next;
        if ((c->type == XML_ELEMENT_NODE && strcasecmp((const char *)c->name, "script") == 0) ||
            refused(c, n)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
            continue;
        }
        if (custom_element(c)) {
            next = unwrap(c);
            continue;
        }
        if (c->type == XML_ELEMENT_NODE) drop_direction(c);
        if (c->type == XML_ELEMENT_NODE) {
            for (xmlAttr *a = c->properties, *an; a; a = an) {
                an = a->next;
                /* draw.io keeps its diagram in svg's content attribute, unknown to SVG */
                if (unsafe_attr(a) ||
                    (named(c, "svg") && strcmp((const char *)a->name, "content") == 0))
                    xmlRemoveProp(a);
            }
            if (named(c, "font")) font_to_span(c);
            if (in_ns(c, NS_XHTML)) align_to_style(c);
            /* SVG 1.1, which epubcheck reads, requires a path's d; matplotlib
               defines a space's glyph as a path with none (learn-nlp-with-
               transformers' plots), which SVG 2 and browsers take as empty */
            if (named(c, "path") && in_ns(c, NS_SVG) && !xmlHasProp(c, BAD_CAST "d"))
                xmlSetProp(c, BAD_CAST "d", BAD_CAST "");
        }
        clean_tree(c);
        if (named(c, "a") && c->ns && c->ns->href &&
            strcmp((const char *)c->ns->href, "http://www.w3.org/2000/svg") == 0)
            title_link(c);
    }
}

/* Every element's id into seen (counting them), depth first. */
static void gather_ids(xmlNode *n, xmlHashTablePtr seen) {
    for (xmlNode *c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        xmlChar *id = xmlGetNoNsProp(c, BAD_CAST "id");
        if (id) xmlHashAddEntry(seen, id, c); /* a name taken stays taken */
        xmlFree(id);
        gather_ids(c->children, seen);
    }
}

/* A second element of an id gets a name of its own ("Path" becomes "Path-2"):
   Sketch names every shape of an export by its kind, 39 "Path"s in the IoT
   course's Arduino logo, and an EPUB's ids are unique (epubcheck RSC-005). A
   reference to the id meant the first, which keeps it. */
static void rename_ids(xmlNode *n, xmlHashTablePtr seen, xmlHashTablePtr kept) {
    for (xmlNode *c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        xmlChar *id = xmlGetNoNsProp(c, BAD_CAST "id");
        if (id && xmlHashAddEntry(kept, id, c) != 0) { /* not the first of its name */
            char name[512];
            for (int k = 2;; k++) {
                snprintf(name, sizeof name, "%.480s-%d", (const char *)id, k);
                if (!xmlHashLookup(seen, BAD_CAST name)) break;
            }
            xmlHashAddEntry(seen, BAD_CAST name, c);
            xmlHashAddEntry(kept, BAD_CAST name, c);
            xmlSetProp(c, BAD_CAST "id", BAD_CAST name);
        }
        xmlFree(id);
        rename_ids(c->children, seen, kept);
    }
}

static void unique_ids(xmlDocPtr doc) {
    xmlHashTablePtr seen = xmlHashCreate(64), kept = xmlHashCreate(64);
    gather_ids(xmlDocGetRootElement(doc), seen);
    rename_ids(xmlDocGetRootElement(doc), seen, kept);
    xmlHashFree(seen, NULL);
    xmlHashFree(kept, NULL);
}

/* An SVG for the EPUB: entities expanded (libxml2's amplification limits
   stand, XML_PARSE_HUGE is not given), then the DOCTYPE removed (epubcheck
   rejects external DTDs), scripts and handlers dropped. Never the network. */
static char *clean_svg(const char *data, size_t len, size_t *out_len) {
    xmlDocPtr doc =
        xmlReadMemory(data, (int)len, "image.svg", NULL,
                      XML_PARSE_NONET | XML_PARSE_NOENT | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) return NULL;
    xmlDtdPtr dtd = xmlGetIntSubset(doc);
    if (dtd) {
        xmlUnlinkNode((xmlNodePtr)dtd);
        xmlFreeDtd(dtd);
    }
    clean_tree((xmlNode *)doc);
    unique_ids(doc);
    xmlChar *mem = NULL;
    int n = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
    xmlFreeDoc(doc);
    if (!mem) return NULL;
    char *out = xmalloc((size_t)n + 1);
    memcpy(out, mem, (size_t)n);
    out[n] = '\0';
    xmlFree(mem);
    *out_len = (size_t)n;
    return out;
}

char *image_package_bytes(const char *path, const char *type, size_t *len) {
    if (type && strcmp(type, "image/webp") == 0) {
        raster_t r;
        if (!image_decode(path, type, 1, &r)) return NULL;
        char *png = image_png_encode(&r, len);
        raster_free(&r);
        return png;
    }
    char *data = read_file(path, len);
    if (data && type && strcmp(type, "image/svg+xml") == 0) {
        size_t n = 0; /* -O2 cannot see clean_svg always sets it */
        char *clean = clean_svg(data, *len, &n);
        free(data);
        data = clean;
        *len = n;
    }
    return data;
}
