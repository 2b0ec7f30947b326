#include "docsopt.h"
#include "mdutil.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* The options docsify reads from a title (its getAndRemoveConfig); another
   word after a colon (":)" or ":note") stays, being a writer's text. */
static const char *const options[] = {"size", "class",    "id",     "no-zoom",  "ignore", "include",
                                      "type", "fragment", "target", "disabled", NULL};

/* The option named by the word at s (":size=650", ":ignore"), or NULL. */
static const char *option_at(const char *s, size_t n) {
    if (n < 2 || s[0] != ':') return NULL;
    size_t name = strcspn(s + 1, "= \t");
    if (name > n - 1) name = n - 1;
    for (size_t i = 0; options[i]; i++)
        if (strlen(options[i]) == name && strncmp(s + 1, options[i], name) == 0) return options[i];
    return NULL;
}

/* The size ':size=…' asks for: "650" (a width), "50x100" (width and height),
   "40%" (of the text width: negative, as htmlimg_size takes it), in CSS pixels.
   False without one, or when it does not read. */
static bool size_asked(const char *title, float *w, float *h) {
    for (const char *s = strstr(title, ":size="); s; s = strstr(s + 1, ":size=")) {
        if (s != title && s[-1] != ' ' && s[-1] != '\t') continue;
        char *end;
        float a = strtof(s + 6, &end), b = 0;
        if (!(a > 0)) continue;
        if (*end == '%') {
            if (a > 100) continue;
            a = -a, end++;
        } else if (*end == 'x' || *end == 'X') {
            b = strtof(end + 1, &end);
            if (!(b > 0)) b = 0;
        }
        if (*end && *end != ' ' && *end != '\t') continue;
        *w = a, *h = b;
        return true;
    }
    return false;
}

bool docsopt_strip(char *title) {
    bool include = false;
    char *out = title;
    for (const char *s = title; *s;) {
        size_t blank = strspn(s, " \t"), word = strcspn(s + blank, " \t");
        const char *opt = option_at(s + blank, word);
        if (opt) {
            include |= strcmp(opt, "include") == 0;
        } else {
            if (out == title) s += blank, blank = 0; /* no blank before the first word */
            memmove(out, s, blank + word);
            out += blank + word;
        }
        s += blank + word;
    }
    *out = '\0';
    return include;
}

void docsopt_pass(book_t *b, int chapter) {
    cmark_iter *it = cmark_iter_new(b->chapters[chapter].doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        const char *title = cmark_node_get_title(n);
        if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE) || !title ||
            !strchr(title, ':'))
            continue;
        float w, h;
        if (t == CMARK_NODE_IMAGE && size_asked(title, &w, &h)) book_add_image_ask(b, n, w, h);
        char *s = xstrdup(title);
        bool include = docsopt_strip(s);
        cmark_node_set_title(n, s);
        const char *url = cmark_node_get_url(n);
        /* a local ':include' was expanded before parsing (include.c); a remote
           one was left a link, and the reader should know its text is missing */
        if (include && t == CMARK_NODE_LINK && url && url_has_scheme(url)) {
            int line, col;
            book_pos(b, chapter, n, &line, &col);
            book_diag(b, DIAG_WARNING, chapter, line, col,
                      "remote include '%s' is not fetched; kept as a link", url);
        }
        free(s);
    }
    cmark_iter_free(it);
}
