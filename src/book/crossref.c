#include "crossref.h"
#include "mdutil.h"
#include "words.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const prefixes[] = {"fig:", "tbl:", "lst:", "sec:", NULL};

static bool label_char(char c) {
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == ':' || c == '.' ||
           (unsigned char)c >= 0x80;
}

/* The length of a label at s ("fig:x"; a trailing '.' or ':' is the sentence's), or 0. */
static size_t label_len(const char *s) {
    size_t l = 0;
    while (label_char(s[l]))
        l++;
    while (l && (s[l - 1] == '.' || s[l - 1] == ':'))
        l--;
    for (size_t i = 0; prefixes[i]; i++)
        if (l > 4 && !strncmp(s, prefixes[i], 4)) return l;
    return 0;
}

typedef struct {
    book_t *b;
    int ch;
    lang_kind lang;
    cmark_node *at; /* the text node being replaced: new nodes go before it */
} cite_t;

static void put_text(cite_t *c, const char *s, size_t n) {
    if (!n) return;
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    char *v = xstrndup(s, n);
    cmark_node_set_literal(t, v);
    free(v);
    cmark_node_insert_before(c->at, t);
}

/* The anchor key "sec:x" in any chapter: its chapter and anchor, or -1. */
static long find_section(const book_t *b, const char *key, int *chapter) {
    for (size_t ch = 0; ch < b->n_chapters; ch++) {
        buf_t k;
        buf_init(&k);
        buf_printf(&k, "%zu %s", ch, key);
        long a = strmap_get(&b->anchor_keys, k.data);
        buf_free(&k);
        if (a >= 0) {
            *chapter = (int)ch;
            return a;
        }
    }
    return -1;
}

/* The heading of chapter ch that a {#key} gave its anchor (mdext.c puts an
   <a id="key"> first in it). */
static const heading_t *heading_with(const book_t *b, int ch, const char *key) {
    const chapter_t *c = &b->chapters[ch];
    buf_t want;
    buf_init(&want);
    buf_printf(&want, "id=\"%s\"", key);
    const heading_t *found = NULL;
    for (size_t i = 0; i < c->n_headings && !found; i++) {
        const heading_t *h = &b->headings[c->first_heading + i];
        cmark_node *a = cmark_node_first_child(h->node);
        if (a && cmark_node_get_type(a) == CMARK_NODE_HTML_INLINE &&
            strstr(cmark_node_get_literal(a), want.data))
            found = h;
    }
    buf_free(&want);
    return found;
}

/* One reference: a link to the item, or a warning and the visible mark. */
static void put_ref(cite_t *c, const char *label, size_t n, bool number_only) {
    char *key = xstrndup(label, n);
    buf_t name, url;
    buf_init(&name), buf_init(&url);
    int target = -1;
    long x = strmap_get(&c->b->xref_labels, key);
    if (x >= 0) {
        const xref_t *r = &c->b->xrefs[x];
        static const word_id w[] = {W_FIGURE, W_TABLE, W_LISTING};
        if (number_only)
            buf_puts(&name, r->number);
        else
            buf_printf(&name, word(c->lang, w[r->kind]), r->number);
        target = r->chapter;
    } else if (!strncmp(key, "sec:", 4)) {
        long a = find_section(c->b, key, &target);
        const heading_t *h = a >= 0 ? heading_with(c->b, target, key) : NULL;
        if (a >= 0) buf_puts(&name, h ? h->text : key);
    }
    if (target < 0) {
        int line, col;
        book_pos(c->b, c->ch, c->at, &line, &col);
        book_diag(c->b, DIAG_WARNING, c->ch, line, col,
                  "no figure, table, listing or section has the label '%s'", key);
        buf_printf(&name, "\xC2\xBF%s?", key);
        put_text(c, name.data, name.len);
    } else {
        if (target != c->ch) buf_printf(&url, "/%s", c->b->chapters[target].path);
        buf_printf(&url, "#%s", key);
        cmark_node *l = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(l, url.data);
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, name.data);
        cmark_node_append_child(l, t);
        cmark_node_insert_before(c->at, l);
    }
    buf_free(&name), buf_free(&url);
    free(key);
}

/* "[@a; -@b]" at s: the length of the whole bracket when every item is a
   label, else 0. With out, the references are put. */
static size_t bracket(cite_t *c, const char *s, bool put) {
    size_t i = 1, items = 0;
    for (;;) {
        while (s[i] == ' ')
            i++;
        bool bare = s[i] == '-';
        if (bare) i++;
        if (s[i] != '@') return 0;
        size_t l = label_len(s + i + 1);
        if (!l) return 0;
        if (put) {
            if (items) put_text(c, word(c->lang, W_LIST_SEP), strlen(word(c->lang, W_LIST_SEP)));
            put_ref(c, s + i + 1, l, bare);
        }
        items++;
        i += 1 + l;
        while (s[i] == ' ')
            i++;
        if (s[i] == ']') return i + 1;
        if (s[i] != ';') return 0;
        i++;
    }
}

static void cite_text(cite_t *c, cmark_node *t) {
    const char *s = cmark_node_get_literal(t);
    if (!strchr(s, '@')) return;
    c->at = t;
    size_t done = 0;
    bool changed = false;
    for (size_t i = 0; s[i]; i++) {
        size_t n = 0;
        if (s[i] == '[' && (s[i + 1] == '@' || (s[i + 1] == '-' && s[i + 2] == '@')) &&
            (n = bracket(c, s + i, false))) {
            put_text(c, s + done, i - done);
            bracket(c, s + i, true);
        } else if (s[i] == '@' && (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
                   (n = label_len(s + i + 1))) {
            put_text(c, s + done, i - done);
            put_ref(c, s + i + 1, n, false);
            n++;
        } else {
            continue;
        }
        changed = true;
        i += n - 1;
        done = i + 1;
    }
    if (!changed) return;
    put_text(c, s + done, strlen(s + done));
    cmark_node_free(t);
}

static bool plain_text(cmark_node *n, void *ctx) {
    (void)ctx;
    for (cmark_node *a = cmark_node_parent(n); a; a = cmark_node_parent(a))
        if (cmark_node_get_type(a) == CMARK_NODE_LINK || cmark_node_get_type(a) == CMARK_NODE_IMAGE)
            return false;
    return strchr(cmark_node_get_literal(n), '@') != NULL;
}

void crossref_links(book_t *b, int ch) {
    cmark_node *doc = b->chapters[ch].doc;
    /* cmark-gfm splits "[@fig:x]" at its brackets */
    cmark_consolidate_text_nodes(doc);
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_TEXT, plain_text, NULL, &v);
    cite_t c = {b, ch, lang_kind_of(b->meta.lang), NULL};
    for (size_t i = 0; i < n; i++)
        cite_text(&c, v[i]);
    free(v);
}

/* ---------------------------------------------------------------- equations */

/* "[@eq:x]" or "@eq:x" at s: its length and the label's start and length, or 0. */
static size_t eq_cite(const char *s, size_t at, const char **label, size_t *n) {
    const char *p = s + at;
    bool br = *p == '[';
    if (br) p++;
    if (*p != '@' || strncmp(p + 1, "eq:", 3) != 0) return 0;
    if (!br && at > 0 && isalnum((unsigned char)s[at - 1])) return 0;
    size_t l = 0;
    while (label_char(p[1 + l]))
        l++;
    while (l && (p[l] == '.' || p[l] == ':'))
        l--;
    if (l <= 3) return 0;
    if (br && p[1 + l] != ']') return 0;
    *label = p + 1, *n = l;
    return (size_t)(p + 1 + l + (br ? 1 : 0) - (s + at));
}

void crossref_equations(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_TEXT, plain_text, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        const char *s = cmark_node_get_literal(v[i]);
        if (!strstr(s, "@eq:")) continue;
        buf_t out;
        buf_init(&out);
        bool changed = false;
        for (size_t k = 0; s[k];) {
            const char *label;
            size_t ln, len = (s[k] == '[' || s[k] == '@') ? eq_cite(s, k, &label, &ln) : 0;
            if (!len) {
                buf_putc(&out, s[k++]);
                continue;
            }
            buf_printf(&out, "\\eqref{%.*s}", (int)ln, label);
            k += len;
            changed = true;
        }
        if (changed) cmark_node_set_literal(v[i], out.data);
        buf_free(&out);
    }
    free(v);
}
