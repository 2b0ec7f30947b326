#include "htmlscan.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *lower_word(const char **p) {
    const char *s = *p;
    while (**p && (isalnum((unsigned char)**p) || **p == '-' || **p == ':' || **p == '_'))
        (*p)++;
    char *w = xstrndup(s, (size_t)(*p - s));
    for (char *c = w; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return w;
}

static char *attr_value(const char **p) {
    const char *s = *p;
    if (*s == '"' || *s == '\'') {
        char q = *s++;
        const char *e = strchr(s, q);
        if (!e) e = s + strlen(s);
        *p = *e ? e + 1 : e;
        return xstrndup(s, (size_t)(e - s));
    }
    while (**p && !isspace((unsigned char)**p) && **p != '>')
        (*p)++;
    return xstrndup(s, (size_t)(*p - s));
}

void html_scan_attrs(const char *html, html_attr_fn fn, void *ctx) {
    const char *p = html;
    while ((p = strchr(p, '<')) != NULL) {
        size_t off = (size_t)(p - html);
        p++;
        if (strncmp(p, "!--", 3) == 0) { /* a comment's tags are no tags (CS-Notes' old badges) */
            const char *end = strstr(p + 3, "-->");
            if (!end) break;
            p = end + 3;
            continue;
        }
        if (!isalpha((unsigned char)*p)) continue;
        char *tag = lower_word(&p);
        for (;;) {
            while (isspace((unsigned char)*p) || *p == '/')
                p++;
            if (!*p || *p == '>' || *p == '<') break;
            char *attr = lower_word(&p);
            if (!*attr) {
                free(attr);
                p++;
                continue;
            }
            while (isspace((unsigned char)*p))
                p++;
            char *val = NULL;
            if (*p == '=') {
                p++;
                while (isspace((unsigned char)*p))
                    p++;
                val = attr_value(&p);
            }
            fn(ctx, tag, attr, val ? val : "", off);
            free(attr);
            free(val);
        }
        free(tag);
    }
}

/* Elements of XHTML5 that e-readers and the PDF backend can take. */
static const char *const kept[] = {
    "a",          "abbr",    "address", "article", "aside",  "b",     "bdi",      "bdo",
    "blockquote", "br",      "caption", "cite",    "code",   "col",   "colgroup", "dd",
    "del",        "details", "dfn",     "div",     "dl",     "dt",    "em",       "figcaption",
    "figure",     "footer",  "h1",      "h2",      "h3",     "h4",    "h5",       "h6",
    "header",     "hr",      "i",       "img",     "ins",    "kbd",   "li",       "mark",
    "ol",         "p",       "pre",     "q",       "rp",     "rt",    "ruby",     "s",
    "samp",       "section", "small",   "span",    "strong", "sub",   "summary",  "sup",
    "table",      "tbody",   "td",      "tfoot",   "th",     "thead", "time",     "tr",
    "u",          "ul",      "var",     "wbr",     "nav",    "main",
};
/* Elements whose content must not reach the book at all. (A <button>'s label
   is text a reader sees, "Patreon" in a link: it is unwrapped, not dropped.) */
static const char *const dropped[] = {
    "script",   "style",    "iframe", "object", "embed",     "form",    "input",
    "select",   "textarea", "svg",    "math",   "canvas",    "audio",   "video",
    "noscript", "template", "link",   "meta",   "base",      "frame",   "frameset",
    "applet",   "head",     "title",  "xmp",    "plaintext", "noembed", "noframes",
};

tag_policy html_tag_policy(const char *name) {
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (strcmp(name, kept[i]) == 0) return TAG_KEEP;
    for (size_t i = 0; i < sizeof dropped / sizeof *dropped; i++)
        if (strcmp(name, dropped[i]) == 0) return TAG_DROP;
    return TAG_UNWRAP;
}
