#include "callout.h"
#include "gbtags.h"
#include "mdutil.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const names[] = {"note", "tip", "important", "warning", "caution"};

const char *callout_name(callout_kind k) {
    return (unsigned)k < 5 ? names[k] : "note";
}

/* mdbook-admonish has more kinds than GitHub: each maps to the nearest of the five. */
static int kind_named(const char *s, size_t n) {
    static const struct {
        const char *name;
        callout_kind k;
    } map[] = {{"note", CALLOUT_NOTE},
               {"info", CALLOUT_NOTE},
               {"abstract", CALLOUT_NOTE},
               {"summary", CALLOUT_NOTE},
               {"example", CALLOUT_NOTE},
               {"quote", CALLOUT_NOTE},
               {"question", CALLOUT_NOTE},
               {"tip", CALLOUT_TIP},
               {"hint", CALLOUT_TIP},
               {"success", CALLOUT_TIP},
               {"important", CALLOUT_IMPORTANT},
               {"warning", CALLOUT_WARNING},
               {"attention", CALLOUT_WARNING},
               {"bug", CALLOUT_WARNING},
               {"caution", CALLOUT_CAUTION},
               {"danger", CALLOUT_CAUTION},
               {"failure", CALLOUT_CAUTION},
               {"error", CALLOUT_CAUTION}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strlen(map[i].name) == n && strncasecmp(s, map[i].name, n) == 0) return (int)map[i].k;
    return -1;
}

int callout_kind_of(cmark_node *n) {
    if (cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK) return -1;
    const char *e = cmark_node_get_on_enter(n);
    if (!e || strncmp(e, "callout ", 8) != 0) return -1;
    int k = kind_named(e + 8, strlen(e + 8));
    return k < 0 ? CALLOUT_NOTE : k;
}

static cmark_node *new_callout(callout_kind k, const char *title) {
    cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    char enter[32] = "callout ";
    strcat(enter, names[k]);
    cmark_node_set_on_enter(c, enter);
    cmark_node_set_on_exit(c, title ? title : "");
    return c;
}

/* "> [!NOTE]" as cmark parses it: a quote whose first paragraph starts with
   the text "[!NOTE]" (the brackets may come as separate text nodes). */
static int alert_kind(cmark_node *quote, cmark_node **para) {
    cmark_node *p = cmark_node_first_child(quote);
    if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH) return -1;
    char buf[32] = {0};
    size_t n = 0;
    for (cmark_node *t = cmark_node_first_child(p); t && n < sizeof buf - 1;
         t = cmark_node_next(t)) {
        if (cmark_node_get_type(t) != CMARK_NODE_TEXT) break;
        const char *s = cmark_node_get_literal(t);
        size_t l = strlen(s);
        if (n + l >= sizeof buf) l = sizeof buf - 1 - n;
        memcpy(buf + n, s, l);
        n += l;
        if (memchr(s, ']', l)) break;
    }
    if (strncmp(buf, "[!", 2) != 0) return -1;
    const char *end = strchr(buf, ']');
    if (!end) return -1;
    *para = p;
    return kind_named(buf + 2, (size_t)(end - buf - 2));
}

/* Removes the marker's text nodes (and the line break after it). */
static void strip_marker(cmark_node *para) {
    cmark_node *t = cmark_node_first_child(para);
    while (t && cmark_node_get_type(t) == CMARK_NODE_TEXT) {
        const char *s = cmark_node_get_literal(t);
        const char *close = strchr(s, ']');
        cmark_node *next = cmark_node_next(t);
        if (close) {
            const char *rest = close + 1;
            while (*rest == ' ')
                rest++;
            if (*rest)
                cmark_node_set_literal(t, rest);
            else
                cmark_node_free(t);
            break;
        }
        cmark_node_free(t);
        t = next;
    }
    t = cmark_node_first_child(para);
    if (t && (cmark_node_get_type(t) == CMARK_NODE_SOFTBREAK ||
              cmark_node_get_type(t) == CMARK_NODE_LINEBREAK))
        cmark_node_free(t);
    if (!cmark_node_first_child(para)) cmark_node_free(para);
}

static void move_children(cmark_node *from, cmark_node *to) {
    cmark_node *c;
    while ((c = cmark_node_first_child(from)))
        cmark_node_append_child(to, c);
}

static bool is_alert(cmark_node *n, void *ctx) {
    (void)ctx;
    cmark_node *p;
    return alert_kind(n, &p) >= 0;
}

static bool is_admonish(cmark_node *n, void *ctx) {
    (void)ctx;
    const char *info = cmark_node_get_fence_info(n);
    return info && strncmp(info, "admonish", 8) == 0 && (info[8] == 0 || info[8] == ' ');
}

/* title="..." in an admonish info string, or mdbook-admonish's shorthand, a
   quoted title after the kind (```admonish warning "Ordering of elements"),
   or NULL. */
static char *admonish_title(const char *info) {
    const char *t = strstr(info, "title=\"");
    if (t)
        t += 7;
    else if ((t = strchr(info, '"')) != NULL)
        t++;
    else
        return NULL;
    const char *e = strchr(t, '"');
    return e ? xstrndup(t, (size_t)(e - t)) : NULL;
}

/* ---------------------------------------------------------------- GitBook hints */

static bool is_marker(cmark_node *n, const char *pre) {
    const char *s = cmark_node_get_literal(n);
    return s && strncmp(s, pre, strlen(pre)) == 0;
}

static bool is_hint_open(cmark_node *n, void *ctx) {
    (void)ctx;
    return is_marker(n, GBTAG_CALLOUT_OPEN) && !is_marker(n, GBTAG_CALLOUT_END);
}

static bool is_hint_end(cmark_node *n, void *ctx) {
    (void)ctx;
    return is_marker(n, GBTAG_CALLOUT_END);
}

/* gbtags.c's marker lines around a {% hint %}: the siblings between an opening
   marker and its end (nested hints counted) become a callout. A marker whose
   partner is elsewhere in the tree (a hint opened in a list item, closed
   after it) goes, its content staying where it is. */
static int hint_pass(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_HTML_BLOCK, is_hint_open, NULL, &v);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        int depth = 0;
        cmark_node *end = cmark_node_next(v[i]);
        for (; end; end = cmark_node_next(end)) {
            if (cmark_node_get_type(end) != CMARK_NODE_HTML_BLOCK) continue;
            if (is_hint_open(end, NULL)) depth++;
            if (is_hint_end(end, NULL) && depth-- == 0) break;
        }
        if (end) {
            const char *style = cmark_node_get_literal(v[i]) + strlen(GBTAG_CALLOUT_OPEN);
            int k = kind_named(style, strcspn(style, "-"));
            cmark_node *c = new_callout(k < 0 ? CALLOUT_NOTE : (callout_kind)k, NULL), *m;
            while ((m = cmark_node_next(v[i])) != end)
                cmark_node_append_child(c, m);
            cmark_node_insert_before(v[i], c);
            cmark_node_free(end);
            count++;
        }
        cmark_node_free(v[i]);
    }
    free(v);
    n = md_collect(doc, CMARK_NODE_HTML_BLOCK, is_hint_end, NULL, &v);
    for (size_t i = 0; i < n; i++)
        cmark_node_free(v[i]);
    free(v);
    return count;
}

/* ---------------------------------------------------------------- docsify */

/* docsify's helpers: a paragraph opening "!> " is important, "?> " a tip.
   cmark gives "!" a text node of its own (it may open an image). */
static int docsify_kind(cmark_node *para) {
    cmark_node *t = cmark_node_first_child(para);
    if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT) return -1;
    char head[4] = {0};
    const char *s = cmark_node_get_literal(t);
    strncpy(head, s, 3);
    cmark_node *u = cmark_node_next(t);
    if (strlen(head) < 3 && u && cmark_node_get_type(u) == CMARK_NODE_TEXT)
        strncat(head, cmark_node_get_literal(u), 3 - strlen(head));
    if (head[1] != '>') return -1;
    return head[0] == '!' ? CALLOUT_IMPORTANT : head[0] == '?' ? CALLOUT_TIP : -1;
}

static bool is_docsify(cmark_node *n, void *ctx) {
    (void)ctx;
    return docsify_kind(n) >= 0;
}

/* Removes the first two characters ("!>" or "?>") and the spaces after them. */
static void strip_docsify(cmark_node *para) {
    size_t drop = 2;
    cmark_node *t;
    while (drop && (t = cmark_node_first_child(para)) &&
           cmark_node_get_type(t) == CMARK_NODE_TEXT) {
        const char *s = cmark_node_get_literal(t);
        size_t l = strlen(s), k = l < drop ? l : drop;
        drop -= k;
        while (!drop && s[k] == ' ')
            k++;
        if (s[k]) {
            char *rest = xstrdup(s + k);
            cmark_node_set_literal(t, rest);
            free(rest);
            break;
        }
        cmark_node_free(t);
    }
}

static int docsify_pass(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_PARAGRAPH, is_docsify, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *c = new_callout((callout_kind)docsify_kind(v[i]), NULL);
        strip_docsify(v[i]);
        cmark_node_insert_before(v[i], c);
        cmark_node_append_child(c, v[i]);
    }
    free(v);
    return (int)n;
}

int callout_pass(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_BLOCK_QUOTE, is_alert, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *p;
        int k = alert_kind(v[i], &p);
        strip_marker(p);
        cmark_node *c = new_callout((callout_kind)k, NULL);
        move_children(v[i], c);
        cmark_node_insert_before(v[i], c);
        cmark_node_free(v[i]);
    }
    free(v);
    int count = (int)n;
    n = md_collect(doc, CMARK_NODE_CODE_BLOCK, is_admonish, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        const char *info = cmark_node_get_fence_info(v[i]);
        const char *kind = info + 8;
        while (*kind == ' ')
            kind++;
        int k = kind_named(kind, strcspn(kind, " "));
        char *title = admonish_title(info);
        cmark_node *c = new_callout(k < 0 ? CALLOUT_NOTE : (callout_kind)k, title);
        free(title);
        /* the block's body is Markdown of its own */
        const char *body = cmark_node_get_literal(v[i]);
        cmark_node *sub = md_parse(body, strlen(body));
        move_children(sub, c);
        cmark_node_free(sub);
        cmark_node_insert_before(v[i], c);
        cmark_node_free(v[i]);
    }
    free(v);
    return count + (int)n + hint_pass(doc) + docsify_pass(doc);
}
