#include "mdext.h"
#include "index.h"
#include "mdutil.h"
#include "../util/buf.h"
#include "../util/strmap.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- gemoji */

extern const char ghb_gemoji_tsv[];
extern const size_t ghb_gemoji_tsv_len;

static strmap_t gemoji;
static char **gemoji_val;
static size_t n_gemoji;
static bool gemoji_ready;

static void gemoji_load(void) {
    gemoji_ready = true;
    strmap_init(&gemoji);
    const char *s = ghb_gemoji_tsv, *end = s + ghb_gemoji_tsv_len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl) nl = end;
        const char *tab = memchr(s, '\t', (size_t)(nl - s));
        if (*s != '#' && tab) {
            char *name = xstrndup(s, (size_t)(tab - s));
            gemoji_val = xrealloc(gemoji_val, (n_gemoji + 1) * sizeof *gemoji_val);
            gemoji_val[n_gemoji] = xstrndup(tab + 1, (size_t)(nl - tab - 1));
            strmap_put(&gemoji, name, (long)n_gemoji++);
            free(name);
        }
        s = nl + 1;
    }
}

const char *gemoji_lookup(const char *name, size_t len) {
    if (!gemoji_ready) gemoji_load();
    char key[64];
    if (len >= sizeof key) return NULL;
    memcpy(key, name, len);
    key[len] = 0;
    long k = strmap_get(&gemoji, key);
    return k >= 0 ? gemoji_val[k] : NULL;
}

void gemoji_release(void) {
    if (!gemoji_ready) return;
    for (size_t i = 0; i < n_gemoji; i++)
        free(gemoji_val[i]);
    free(gemoji_val);
    gemoji_val = NULL;
    n_gemoji = 0;
    strmap_free(&gemoji);
    gemoji_ready = false;
}

/* ---------------------------------------------------------------- text rewriting */

static uint32_t last_cp(const char *s, size_t n) {
    if (!n) return 0;
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp = 0;
    utf8_decode(s + i, n - i, &cp);
    return cp;
}

static uint32_t next_cp(const char *s) {
    uint32_t cp = 0;
    if (*s) utf8_decode(s, strlen(s), &cp);
    return cp;
}

static bool opens_after(uint32_t prev) {
    return prev == 0 || prev == ' ' || prev == '\t' || prev == '\n' || prev == '(' || prev == '[' ||
           prev == '{' || prev == 0x2013 || prev == 0x2014 || prev == '/';
}

/* The text of one node with shortcodes and smart punctuation. prev is the
   character before it (0 at a block's start). */
static char *rewrite(const char *s, uint32_t prev, bool smart) {
    buf_t b;
    buf_init(&b);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t before = b.len ? last_cp(b.data, b.len) : prev;
        uint32_t after;
        if (s[i] == ':') { /* :name: */
            size_t j = i + 1;
            while (j < n &&
                   (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '+' || s[j] == '-'))
                j++;
            const char *e =
                j < n && s[j] == ':' && j > i + 1 ? gemoji_lookup(s + i + 1, j - i - 1) : NULL;
            if (e) {
                buf_puts(&b, e);
                i = j + 1;
                continue;
            }
        }
        if (!smart) {
            buf_putc(&b, s[i++]);
            continue;
        }
        if (s[i] == '-' && s[i + 1] == '-') {
            size_t k = s[i + 2] == '-' ? 3 : 2;
            after = next_cp(s + i + k);
            if (!cp_is_cjk_wide(before) && !cp_is_cjk_wide(after) && s[i + k] != '-') {
                buf_puts(&b, k == 3 ? "\xE2\x80\x94" : "\xE2\x80\x93");
                i += k;
                continue;
            }
        }
        if (s[i] == '.' && s[i + 1] == '.' && s[i + 2] == '.' && s[i + 3] != '.') {
            buf_puts(&b, "\xE2\x80\xA6");
            i += 3;
            continue;
        }
        if (s[i] == '"' || s[i] == '\'') {
            after = next_cp(s + i + 1);
            if (!cp_is_cjk_wide(before) && !cp_is_cjk_wide(after)) {
                bool open = opens_after(before);
                if (s[i] == '"')
                    buf_puts(&b, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
                else
                    buf_puts(&b, open ? "\xE2\x80\x98" : "\xE2\x80\x99");
                i++;
                continue;
            }
        }
        buf_putc(&b, s[i++]);
    }
    buf_putc(&b, 0);
    return buf_detach(&b);
}

static bool is_text(cmark_node *n, void *ctx) {
    (void)ctx;
    /* not inside a link's URL (those are attributes) nor code (never TEXT) */
    return n != NULL;
}

static void texts(cmark_node *doc, bool smart) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_TEXT, is_text, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *p = cmark_node_previous(v[i]);
        uint32_t prev = 0;
        if (p && cmark_node_get_type(p) == CMARK_NODE_TEXT) {
            const char *ps = cmark_node_get_literal(p);
            prev = last_cp(ps, strlen(ps));
        } else if (p) {
            prev = 'x'; /* after emphasis or code: a word goes on */
            if (cmark_node_get_type(p) == CMARK_NODE_SOFTBREAK ||
                cmark_node_get_type(p) == CMARK_NODE_LINEBREAK)
                prev = ' ';
        }
        const char *s = cmark_node_get_literal(v[i]);
        if (!strpbrk(s, ":-.\"'")) continue;
        char *r = rewrite(s, prev, smart);
        if (strcmp(r, s)) cmark_node_set_literal(v[i], r);
        free(r);
    }
    free(v);
}

/* ---------------------------------------------------------------- heading ids */

static bool any(cmark_node *n, void *ctx) {
    (void)ctx;
    return n != NULL;
}

static bool ends_with(const char *s, size_t l, const char *tail) {
    size_t n = strlen(tail);
    return l >= n && !memcmp(s + l - n, tail, n);
}

/* docsify's heading marks: "{docsify-ignore}" and "{docsify-ignore-all}" (keep
   the heading out of its sidebar) print nothing; "### Name :id=name" sets the
   heading's id, as "{#name}" does (rewritten so). */
static void docsify_marks(cmark_node *t) {
    const char *s = cmark_node_get_literal(t);
    size_t l = strlen(s);
    while (l && s[l - 1] == ' ')
        l--;
    const char *marks[] = {"{docsify-ignore}", "{docsify-ignore-all}"};
    for (size_t k = 0; k < 2; k++)
        if (ends_with(s, l, marks[k])) {
            l -= strlen(marks[k]);
            while (l && s[l - 1] == ' ')
                l--;
        }
    size_t at = l;
    while (at && s[at - 1] != ' ' && s[at - 1] != '\t')
        at--;
    buf_t b;
    buf_init(&b);
    if (l - at > 4 && !strncmp(s + at, ":id=", 4) && (at == 0 || s[at - 1] == ' ')) {
        buf_put(&b, s, at);
        buf_puts(&b, "{#");
        buf_put(&b, s + at + 4, l - at - 4);
        buf_putc(&b, '}');
    } else {
        buf_put(&b, s, l);
    }
    if (strcmp(b.data ? b.data : "", s)) cmark_node_set_literal(t, b.data ? b.data : "");
    buf_free(&b);
}

/* Whether s holds a gemoji shortcode (":pencil2:"). */
static bool has_shortcode(const char *s) {
    for (const char *c = strchr(s, ':'); c; c = strchr(c + 1, ':')) {
        size_t n =
            strspn(c + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-");
        if (n && c[1 + n] == ':' && gemoji_lookup(c + 1, n)) return true;
    }
    return false;
}

/* GitHub takes a heading's anchor from its shortcodes' names ("## :pencil2: 算法"
   is #pencil2-算法), where the book's text has the emoji (whose slug would be
   "-算法"): the heading gets that anchor too, as "{#…}" gives one, marked
   data-ghb-slug so that the index numbers it silently when the heading is
   repeated, as it does a heading's own slug (the EPUB drops the mark). */
static void shortcode_anchor(cmark_node *h) {
    char *text = md_plain_text(h);
    if (has_shortcode(text)) {
        char *slug = anchor_slug(text);
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "<a data-ghb-slug=\"\" id=\"%s\"></a>", slug);
        cmark_node *a = cmark_node_new(CMARK_NODE_HTML_INLINE);
        cmark_node_set_literal(a, b.data);
        cmark_node_prepend_child(h, a);
        buf_free(&b);
        free(slug);
    }
    free(text);
}

static void heading_ids(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_HEADING, any, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        shortcode_anchor(v[i]);
        cmark_node *t = cmark_node_last_child(v[i]);
        if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT) continue;
        docsify_marks(t);
        const char *s = cmark_node_get_literal(t);
        size_t l = strlen(s);
        while (l && s[l - 1] == ' ')
            l--;
        if (!l || s[l - 1] != '}') continue;
        const char *open = NULL;
        for (size_t k = l; k-- > 0;)
            if (s[k] == '{') {
                open = s + k;
                break;
            }
        if (!open || open[1] != '#' || open + 2 >= s + l - 1) continue;
        char *id = xstrndup(open + 2, (size_t)(s + l - 1 - open - 2));
        if (strpbrk(id, " \"<>&")) {
            free(id);
            continue;
        }
        size_t keep = (size_t)(open - s);
        while (keep && s[keep - 1] == ' ')
            keep--;
        char *text = xstrndup(s, keep);
        cmark_node_set_literal(t, text);
        free(text);
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "<a id=\"%s\"></a>", id);
        cmark_node *a = cmark_node_new(CMARK_NODE_HTML_INLINE);
        cmark_node_set_literal(a, b.data);
        cmark_node_prepend_child(v[i], a);
        buf_free(&b);
        free(id);
    }
    free(v);
}

/* ---------------------------------------------------------------- definition lists */

static cmark_node *box(const char *tag) {
    cmark_node *n = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    char s[24];
    snprintf(s, sizeof s, "<%s>", tag);
    cmark_node_set_on_enter(n, s);
    snprintf(s, sizeof s, "</%s>", tag);
    cmark_node_set_on_exit(n, s);
    return n;
}

/* Whether node n (a text node) starts a definition line, ": ". */
static bool def_line(cmark_node *n) {
    if (!n || cmark_node_get_type(n) != CMARK_NODE_TEXT) return false;
    const char *s = cmark_node_get_literal(n);
    return s[0] == ':' && (s[1] == ' ' || s[1] == '\t');
}

/* "Term\n: definition\n: another" in one paragraph. */
static bool para_is_dl(cmark_node *p) {
    for (cmark_node *k = cmark_node_first_child(p); k; k = cmark_node_next(k))
        if (cmark_node_get_type(k) == CMARK_NODE_SOFTBREAK && def_line(cmark_node_next(k)))
            return cmark_node_previous(k) != NULL;
    return false;
}

static void strip_colon(cmark_node *t) {
    const char *s = cmark_node_get_literal(t) + 1;
    while (*s == ' ' || *s == '\t')
        s++;
    char *r = xstrdup(s);
    cmark_node_set_literal(t, r);
    free(r);
}

/* Moves the inline nodes from `from` up to (not including) stop into a new paragraph. */
static cmark_node *take(cmark_node *from, cmark_node *stop, cmark_node *into) {
    while (from && from != stop) {
        cmark_node *next = cmark_node_next(from);
        cmark_node_append_child(into, from);
        from = next;
    }
    return into;
}

static void def_lists(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_PARAGRAPH, NULL, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *p = v[i];
        cmark_node *prev = cmark_node_previous(p);
        bool split = para_is_dl(p);
        /* pandoc's loose form: a one-line paragraph, a blank line, ": definition" */
        bool loose = !split && def_line(cmark_node_first_child(p)) && prev &&
                     cmark_node_get_type(prev) == CMARK_NODE_PARAGRAPH;
        if (!split && !loose) continue;
        cmark_node *dl = NULL;
        if (prev && cmark_node_get_type(prev) == CMARK_NODE_CUSTOM_BLOCK &&
            !strcmp(cmark_node_get_on_enter(prev), "<dl>"))
            dl = prev;
        if (!dl) {
            dl = box("dl");
            cmark_node_insert_before(loose ? prev : p, dl);
        }
        if (loose) { /* the previous paragraph is the term */
            cmark_node *dt = box("dt");
            take(cmark_node_first_child(prev), NULL, dt);
            md_own_literals(dt); /* they point into prev's buffer, freed below */
            cmark_node_append_child(dl, dt);
            cmark_node_free(prev);
            for (size_t j = 0; j < n; j++)
                if (v[j] == prev) v[j] = NULL;
        }
        /* lines: a term (before the first ": "), then definitions */
        cmark_node *k = cmark_node_first_child(p);
        bool in_def = loose;
        cmark_node *cur = NULL;
        while (k) {
            cmark_node *stop = k;
            while (stop && !(cmark_node_get_type(stop) == CMARK_NODE_SOFTBREAK &&
                             def_line(cmark_node_next(stop))))
                stop = cmark_node_next(stop);
            if (in_def) {
                strip_colon(k);
                cmark_node *dd = box("dd");
                cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
                take(k, stop, para);
                cmark_node_append_child(dd, para);
                cur = dd;
            } else {
                cur = box("dt");
                take(k, stop, cur);
            }
            cmark_node_append_child(dl, cur);
            in_def = true;
            k = stop ? cmark_node_next(stop) : NULL;
            if (stop) cmark_node_free(stop);
        }
        md_own_literals(dl); /* what came from p, freed now */
        cmark_node_free(p);
    }
    free(v);
}

/* ---------------------------------------------------------------- Mermaid */

static bool is_mermaid(cmark_node *n, void *ctx) {
    (void)ctx;
    const char *info = cmark_node_get_fence_info(n);
    return info && !strncmp(info, "mermaid", 7) && (!info[7] || info[7] == ' ');
}

static void mermaid(cmark_node *doc, lang_kind lang, mdext_result_t *out) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_CODE_BLOCK, is_mermaid, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node *e = cmark_node_new(CMARK_NODE_EMPH);
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, word(lang, W_MERMAID_UNRENDERED));
        cmark_node_append_child(e, t);
        cmark_node_append_child(p, e);
        cmark_node_insert_before(v[i], p);
        if (!out->first_mermaid) out->first_mermaid = v[i];
        out->mermaid++;
    }
    free(v);
}

char *gemoji_expand(const char *s) {
    return rewrite(s, 0, false);
}

void mdext_pass(cmark_node *doc, lang_kind lang, mdext_result_t *out) {
    heading_ids(doc);
    def_lists(doc);
    /* smart punctuation for Latin-script books; a Chinese book keeps its Latin runs as written */
    texts(doc, !lang_is_cjk(lang));
    mermaid(doc, lang, out);
}
