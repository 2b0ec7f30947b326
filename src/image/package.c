#include "image.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
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

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define SVG_NS "http://www.w3.org/2000/svg"

static bool in_ns(const xmlNode *n, const char *ns) {
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

/* HTML's obsolete <font> (draw.io writes it inside foreignObject), which EPUB's
   schema refuses: a <span>, its colour and face moved into its style. */
static void font_to_span(xmlNode *n) {
    xmlChar *style = xmlGetProp(n, BAD_CAST "style");
    xmlChar *color = xmlGetProp(n, BAD_CAST "color"), *face = xmlGetProp(n, BAD_CAST "face");
    size_t len = (style ? strlen((char *)style) : 0) + (color ? strlen((char *)color) : 0) +
                 (face ? strlen((char *)face) : 0) + 32;
    char *css = xmalloc(len);
    snprintf(css, len, "%s%s%s%s%s%s", style ? (char *)style : "", style && *style ? ";" : "",
             color ? "color:" : "", color ? (char *)color : "", face ? ";font-family:" : "",
             face ? (char *)face : "");
    xmlUnsetProp(n, BAD_CAST "color");
    xmlUnsetProp(n, BAD_CAST "face");
    xmlUnsetProp(n, BAD_CAST "size");
    if (*css) xmlSetProp(n, BAD_CAST "style", BAD_CAST css);
    xmlNodeSetName(n, BAD_CAST "span");
    free(css);
    xmlFree(style), xmlFree(color), xmlFree(face);
}

/* Drops script elements, event handlers and javascript: links, everywhere;
   makes what editors leave behind valid for EPUB: draw.io's embedded diagram
   source (a content attribute on svg elements) and HTML <font> elements. */
static void clean_tree(xmlNode *n) {
    for (xmlNode *c = n ? n->children : NULL, *next; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && strcasecmp((const char *)c->name, "script") == 0) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
            continue;
        }
        if (c->type == XML_ELEMENT_NODE) {
            for (xmlAttr *a = c->properties, *an; a; a = an) {
                an = a->next;
                if (unsafe_attr(a) ||
                    (in_ns(c, SVG_NS) && !a->ns && !strcmp((const char *)a->name, "content")))
                    xmlRemoveProp(a);
            }
            if (in_ns(c, XHTML_NS) && strcasecmp((const char *)c->name, "font") == 0)
                font_to_span(c);
        }
        clean_tree(c);
    }
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
