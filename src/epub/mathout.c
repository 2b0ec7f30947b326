/* Math in the EPUB: each formula as Presentation MathML (src/math/mathml.c),
   numbered displays in a block with their number, \eqref/\ref as links, and
   the sanitizer's rule for what a <math> subtree may hold. */
#include "mathout.h"
#include "../book/mathmd.h"
#include "../math/texmath.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include "html.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A formula's place in the HTML is a processing instruction, <?ghb-math N?>:
   one node for libxml2 to read and write, no attributes or text for the
   sanitizer and the CJK spacing pass to look at (epub_math_placeholder), and
   nothing the book's own raw HTML keeps (the sanitizer drops other PIs). */
#define PLACEHOLDER "ghb-math"
#define OPEN "<?" PLACEHOLDER " "
#define OPEN_LEN (sizeof OPEN - 1)
/* An inline formula whose readable text is this long or longer is written in
   parts where it may break (math_to_mathml_split): shorter ones moved whole to
   the next line of a phone leave a gap of a few characters at most. */
#define SPLIT_CHARS 24

static const char *ref_number(void *ctx, const char *key) {
    return book_math_ref(ctx, key, NULL, NULL);
}

/* A formula that is only \eqref{key} or \ref{key}: its key and paren flag. */
static char *only_ref(const char *tex, bool *paren) {
    while (isspace((unsigned char)*tex))
        tex++;
    size_t skip = strncmp(tex, "\\eqref{", 7) == 0 ? 7 : strncmp(tex, "\\ref{", 5) == 0 ? 5 : 0;
    if (!skip) return NULL;
    const char *e = strchr(tex + skip, '}');
    if (!e) return NULL;
    for (const char *p = e + 1; *p; p++)
        if (!isspace((unsigned char)*p)) return NULL;
    *paren = skip == 7;
    return xstrndup(tex + skip, (size_t)(e - tex - (long)skip));
}

static void ref_link(const book_t *b, const char *key, bool paren, buf_t *out) {
    const char *id;
    long anchor;
    const char *num = book_math_ref(b, key, &id, &anchor);
    if (!num || anchor < 0) {
        buf_puts(out, paren ? "(?)" : "?");
        return;
    }
    char *f = epub_chapter_file(b->anchors[anchor].chapter);
    buf_printf(out, "<a class=\"eqref\" href=\"%s#%s\">%s", f, id, paren ? "(" : "");
    xml_escape_str(out, num);
    buf_puts(out, paren ? ")</a>" : "</a>");
    free(f);
}

static char *ref_html(void *ctx, const char *key, bool paren) {
    buf_t h;
    buf_init(&h);
    ref_link(ctx, key, paren, &h);
    return buf_detach(&h);
}

static void formula(const book_t *b, const mathinfo_t *mi, buf_t *out) {
    const char *tex = cmark_node_get_literal(mi->node);
    if (!tex) tex = "";
    bool paren;
    char *key = only_ref(tex, &paren);
    if (key) {
        ref_link(b, key, paren, out);
        free(key);
        return;
    }
    /* the MathML itself comes in after the sanitizer (epub_math_splice) */
    buf_printf(out, OPEN "%zu?>", (size_t)(mi - b->maths));
}

/* A display with numbered rows: its MathML with each row's number and anchor. */
static void rows_mathml(const book_t *b, const mathinfo_t *mi, buf_t *out) {
    const char **labels = xcalloc((size_t)mi->n_rows, sizeof *labels);
    const char **ids = xcalloc((size_t)mi->n_rows, sizeof *ids);
    for (int r = 0; r < mi->n_rows; r++) { /* the first numbered row's id is the block's */
        labels[r] = mi->rows[r].number, ids[r] = mi->rows[r].id;
        if (ids[r] && mi->id && strcmp(ids[r], mi->id) == 0) ids[r] = NULL;
    }
    const char *tex = book_math_tex(mi);
    char *ml = math_to_mathml_rows(mi->math, tex, strlen(tex), mi->display, ref_number, (void *)b,
                                   labels, ids);
    buf_puts(out, ml);
    free(ml), free(labels), free(ids);
}

/* Opened minus closed <a> elements in s[from, to): a formula inside a link
   cannot hold a link of its own (its \eqref stays text). */
static int links_open(const char *s, size_t from, size_t to) {
    int d = 0;
    for (const char *p = s + from, *e = s + to; p < e && (p = memchr(p, '<', (size_t)(e - p)));
         p++) {
        if (e - p >= 3 && p[1] == 'a' && (p[2] == ' ' || p[2] == '>')) {
            const char *gt = memchr(p, '>', (size_t)(e - p));
            d += !gt || gt[-1] != '/'; /* <a id="x"/> opens nothing */
        } else if (e - p >= 4 && p[1] == '/' && p[2] == 'a' && p[3] == '>')
            d--;
    }
    return d;
}

/* "parse display in-link" as a map key: the parse's address in hex (printf
   costs more than the rest of a repeated formula). */
static void seen_key(char k[24], const void *math, bool display, bool in_link) {
    static const char hex[] = "0123456789abcdef";
    uintptr_t v = (uintptr_t)math;
    int n = 0;
    for (int sh = (int)sizeof v * 8 - 4; sh >= 0; sh -= 4)
        k[n++] = hex[v >> sh & 15];
    k[n++] = display ? 'd' : 'i';
    k[n++] = in_link ? 'a' : '-';
    k[n] = '\0';
}

void epub_math_splice(const book_t *b, const char *s, size_t len, buf_t *out) {
    const size_t ol = OPEN_LEN;
    size_t i = 0;
    strmap_t seen; /* "math display" -> index into spans: MathML written in done */
    strmap_init(&seen);
    buf_t done;
    buf_init(&done);
    long *spans = NULL;
    size_t n_spans = 0;
    int in_a = 0; /* <a> elements open where the formula goes */
    for (const char *p; (p = memmem(s + i, len - i, OPEN, ol));) {
        size_t at = (size_t)(p - s), k = at + ol, idx = 0;
        while (k < len && isdigit((unsigned char)s[k]) && idx < b->n_maths)
            idx = idx * 10 + (size_t)(s[k++] - '0');
        /* libxml2's HTML parser (raw HTML repaired) ends a PI at '>', so the '?'
           of "?>" stays in its content and is written out as "N??>" */
        if (len - k >= 3 && memcmp(s + k, "?\?>", 3) == 0) k++;
        if (k == at + ol || idx >= b->n_maths || len - k < 2 || memcmp(s + k, "?>", 2) != 0) {
            buf_put(out, s + i, at + ol - i); /* not ours: copied as it is */
            i = at + ol;
            continue;
        }
        buf_put(out, s + i, at - i);
        in_a += links_open(s, i, at);
        const mathinfo_t *mi = &b->maths[idx];
        /* a formula repeated (the same parse, the same style) is written once;
           numbered rows are each display's own */
        char key[24];
        seen_key(key, mi->math, mi->display, in_a > 0);
        long have = mi->n_rows ? -1 : strmap_get(&seen, key);
        if (mi->n_rows) {
            rows_mathml(b, mi, out);
        } else if (have >= 0) {
            buf_put(out, done.data + spans[2 * have], (size_t)spans[2 * have + 1]);
        } else {
            const char *tex = book_math_tex(mi);
            char *ml = mi->display ? NULL
                                   : math_to_mathml_split(mi->math, tex, strlen(tex), ref_number,
                                                          in_a > 0 ? NULL : ref_html, (void *)b,
                                                          SPLIT_CHARS);
            if (!ml)
                ml = math_to_mathml(mi->math, tex, strlen(tex), mi->display, ref_number, (void *)b);
            size_t l = strlen(ml);
            spans = xrealloc(spans, (n_spans + 1) * 2 * sizeof *spans);
            spans[2 * n_spans] = (long)done.len, spans[2 * n_spans + 1] = (long)l;
            strmap_put(&seen, key, (long)n_spans++);
            buf_put(&done, ml, l);
            buf_put(out, ml, l);
            free(ml);
        }
        i = k + 2;
    }
    buf_put(out, s + i, len - i);
    strmap_free(&seen);
    buf_free(&done);
    free(spans);
}

bool epub_math_event(const book_t *b, int ch, cmark_node *n, bool entering, buf_t *out) {
    (void)ch;
    if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
        cmark_node *d = mathmd_display_of(b, n);
        if (!d) return false;
        if (!entering) return true;
        const mathinfo_t *mi = book_math_of(b, d);
        buf_puts(out, "<div class=\"equation\"");
        if (mi->id) buf_printf(out, " id=\"%s\"", mi->id);
        buf_puts(out, ">");
        formula(b, mi, out);
        if (mi->number && !mi->n_rows) { /* rows carry their own numbers in the MathML */
            buf_puts(out, "<span class=\"eqno\">(");
            xml_escape_str(out, mi->number);
            buf_puts(out, ")</span>");
        }
        buf_puts(out, "</div>");
        return true;
    }
    const mathinfo_t *mi = book_math_of(b, n);
    if (!mi) return false;
    if (entering) {
        if (mi->id) buf_printf(out, "<span id=\"%s\"></span>", mi->id);
        formula(b, mi, out);
    }
    return true;
}

bool epub_chapter_has_math(const book_t *b, int ch) {
    for (size_t i = 0; i < b->n_maths; i++) {
        if (b->maths[i].chapter != ch) continue;
        bool paren;
        const char *tex = cmark_node_get_literal(b->maths[i].node);
        char *key = only_ref(tex ? tex : "", &paren);
        free(key);
        if (!key) return true;
    }
    return false;
}

/* --- the sanitizer's rule for <math> --- */

static bool listed(const char *s, const char *const *v) {
    for (; *v; v++)
        if (strcmp(s, *v) == 0) return true;
    return false;
}

static const char *const elements[] = {
    "math",        "semantics", "annotation", "mrow",       "mi",
    "mn",          "mo",        "mtext",      "mspace",     "ms",
    "mfrac",       "msqrt",     "mroot",      "mstyle",     "merror",
    "mpadded",     "mphantom",  "menclose",   "msub",       "msup",
    "msubsup",     "munder",    "mover",      "munderover", "mmultiscripts",
    "mtable",      "mtr",       "mtd",        "mlabeledtr", "none",
    "mprescripts", NULL};

static const char *const attrs[] = {
    "xmlns",         "display",     "alttext",       "encoding",   "mathvariant",  "stretchy",
    "fence",         "separator",   "movablelimits", "largeop",    "accent",       "accentunder",
    "linethickness", "columnalign", "columnspacing", "rowspacing", "displaystyle", "scriptlevel",
    "width",         "minsize",     "maxsize",       "notation",   "mathcolor",    "form",
    "lspace",        "rspace",      "class",         NULL};

/* An element outside the list is removed with what it holds (the TeX annotation
   keeps the source); a colour must be a plain name or #hex. */
static void clean(xmlNodePtr el) {
    xmlAttrPtr a = el->properties;
    while (a) {
        xmlAttrPtr next = a->next;
        bool ok = !a->ns && listed((const char *)a->name, attrs);
        if (ok && strcmp((const char *)a->name, "mathcolor") == 0) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            for (const xmlChar *p = v; p && *p && ok; p++)
                ok = isalnum(*p) || *p == '#';
            xmlFree(v);
        }
        if (!ok) xmlRemoveProp(a);
        a = next;
    }
    xmlNodePtr k = el->children;
    while (k) {
        xmlNodePtr next = k->next;
        if (k->type == XML_ELEMENT_NODE && listed((const char *)k->name, elements) &&
            strcmp((const char *)k->name, "math") != 0)
            clean(k);
        else if (k->type != XML_TEXT_NODE) {
            xmlUnlinkNode(k);
            xmlFreeNode(k);
        }
        k = next;
    }
}

bool epub_math_placeholder(xmlNodePtr n) {
    return n->type == XML_PI_NODE && xmlStrEqual(n->name, BAD_CAST PLACEHOLDER);
}

bool epub_math_sanitize(xmlNodePtr el) {
    if (strcmp((const char *)el->name, "math") != 0) return false;
    clean(el);
    xmlSetProp(el, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/1998/Math/MathML");
    return true;
}
