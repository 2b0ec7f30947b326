#include "autospace.h"
#include "mathout.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <string.h>

#define THIN_SPACE "\xE2\x80\x89"

typedef struct {
    xmlNodePtr text;   /* the last text node of the current block, or NULL */
    uint32_t last;     /* its last character, or 0 at a block's start */
    bool slot_pending; /* a page slot (pageslot.h) came after text of this run */
    bool slot_in_run;  /* ... and more text of the run followed it */
} aspace_t;

static bool is_latin(uint32_t c) {
    return (c < 0x80 && ((c | 0x20) - 'a' < 26 || c - '0' < 10)) ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x391 && c <= 0x3C9);
}

static bool boundary(uint32_t a, uint32_t b) {
    return (cp_is_han(a) && is_latin(b)) || (is_latin(a) && cp_is_han(b));
}

static bool named(xmlNodePtr n, const char *const *names) {
    for (; *names; names++)
        if (strcmp((const char *)n->name, *names) == 0) return true;
    return false;
}

/* Elements that text flows through; everything else starts a new run. */
static bool is_inline(xmlNodePtr n) {
    static const char *const names[] = {"a",    "em",  "strong", "span", "b",     "i", "u",
                                        "s",    "del", "ins",    "mark", "small", "q", "cite",
                                        "abbr", "dfn", "time",   "sub",  "sup",   NULL};
    return named(n, names);
}

/* Elements whose text is not prose or belongs to the marker system. */
static bool is_opaque(xmlNodePtr n) {
    static const char *const names[] = {"pre",  "code", "kbd",    "samp",  "var",
                                        "math", "svg",  "script", "style", NULL};
    if (named(n, names)) return true;
    xmlChar *cls = xmlGetProp(n, BAD_CAST "class");
    bool marker =
        cls && (strstr((const char *)cls, "noteref") || strstr((const char *)cls, "notesep") ||
                strstr((const char *)cls, "pagebreak"));
    xmlFree(cls);
    return marker;
}

static bool in_link(xmlNodePtr n) {
    return n->parent && strcmp((const char *)n->parent->name, "a") == 0;
}

static void end_run(aspace_t *st) {
    st->text = NULL, st->last = 0, st->slot_pending = false;
}

static void text_node(aspace_t *st, xmlNodePtr t) {
    const char *s = (const char *)t->content;
    size_t len = s ? strlen(s) : 0;
    if (!len) return;
    if (st->slot_pending) st->slot_in_run = true;
    buf_t out;
    buf_init(&out);
    uint32_t prev = st->last, first = 0;
    utf8_decode(s, len, &first);
    /* across elements the space goes outside a link where it can */
    if (prev && boundary(prev, first)) {
        if (in_link(t) && st->text && !in_link(st->text))
            xmlNodeAddContent(st->text, BAD_CAST THIN_SPACE);
        else
            buf_puts(&out, THIN_SPACE);
    }
    bool changed = out.len > 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = utf8_decode(s + i, len - i, &c);
        if (!k) k = 1;
        if (i && boundary(prev, c)) {
            buf_puts(&out, THIN_SPACE);
            changed = true;
        }
        buf_put(&out, s + i, k);
        prev = c;
        i += k;
    }
    if (changed) xmlNodeSetContentLen(t, BAD_CAST out.data, (int)out.len);
    buf_free(&out);
    st->last = prev;
    st->text = t;
}

static void walk(aspace_t *st, xmlNodePtr n) {
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE) {
            text_node(st, n);
        } else if (epub_math_placeholder(n)) {
            end_run(st); /* a formula, as <math> (opaque, not inline) */
        } else if (n->type == XML_PI_NODE) {
            /* a page marker here would end the run (it is opaque): the same
               unless more text of the run follows */
            if (st->text) st->slot_pending = true;
        } else if (n->type == XML_ELEMENT_NODE) {
            bool flows = is_inline(n);
            if (!flows || is_opaque(n)) end_run(st);
            if (!is_opaque(n)) walk(st, n->children);
            if (!flows) end_run(st);
        }
    }
}

bool epub_autospace(xmlNodePtr body) {
    aspace_t st = {NULL, 0, false, false};
    walk(&st, body->children);
    return !st.slot_in_run;
}
