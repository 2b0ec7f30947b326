#include "image.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
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

/* Drops script elements, event handlers and javascript: links, everywhere. */
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
                if (unsafe_attr(a)) xmlRemoveProp(a);
            }
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
