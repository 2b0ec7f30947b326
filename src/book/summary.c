#include "summary.h"
#include "mdutil.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    summary_t *s;
    const char *root, *display;
    const char *dir; /* the folder, under root, that links are relative to ("" for root) */
    diags_t *d;
    /* paths of the entries enclosing the current one, to tell a loop from a repeat */
    const char *stack[64];
    int depth;
    bool readme; /* a README's lists: skip what is not a local .md file quietly */
    char *part;  /* a part heading waiting for its first entry */
    int base;    /* list depth that counts as top level, below a sidebar's group label */
} sctx;

/* docsify names pages site-absolute and without ".md" ("/guide/intro", "/");
   mdBook and GitBook name files. Tries the file, then name.md, then README.md. */
static ref_status resolve_page(const char *root, const char *base, const char *ref, char **rel) {
    if (*ref == '/') base = ""; /* site-absolute */
    while (*ref == '/')
        ref++;
    ref_status st = ref_resolve(root, base, *ref ? ref : "README.md", rel);
    if (st == REF_OK) {
        char *full = path_join(root, *rel);
        bool dir = path_is_dir(full);
        free(full);
        if (!dir) return st;
    }
    const char *tries[] = {"%s.md", "%s/README.md", "%s/index.md"};
    for (size_t i = 0; i < 3 && st != REF_ESCAPES; i++) {
        char cand[4096];
        snprintf(cand, sizeof cand, tries[i], ref);
        char *r;
        if (ref_resolve(root, base, cand, &r) == REF_OK) {
            free(*rel);
            *rel = r;
            return REF_OK;
        }
        free(r);
    }
    /* a page named by the HTML file GitBook and mdBook write for it
       (linux-insides-zh: "SysCall/linux-syscall-6.html" for its .md) */
    size_t n = strlen(ref);
    if (st == REF_MISSING && n > 5 && strcmp(ref + n - 5, ".html") == 0) {
        char *md = xmalloc(n), *r;
        memcpy(md, ref, n - 5);
        memcpy(md + n - 5, ".md", 4);
        ref_status ms = resolve_page(root, base, md, &r);
        free(md);
        if (ms == REF_OK) {
            free(*rel);
            *rel = r;
            return REF_OK;
        }
        free(r);
    }
    /* a docsify site served under a base path ("/zh-cn/quickstart" for a book
       whose files sit at its top): drop leading folders that do not exist */
    const char *slash = strchr(ref, '/');
    if (st == REF_MISSING && slash && slash[1]) {
        char *first = xstrndup(ref, (size_t)(slash - ref)), *dir = path_join(root, first);
        bool exists = path_is_dir(dir);
        free(first), free(dir);
        if (!exists) {
            char *r;
            if (resolve_page(root, base, slash + 1, &r) == REF_OK) {
                free(*rel);
                *rel = r;
                return REF_OK;
            }
            free(r);
        }
    }
    return st;
}

/* Whether url names a folder of the book holding a README.md ("src/sorting/"):
   a README's list of links to folders is a list of chapters too
   (javascript-algorithms: 180 of them). */
static bool folder_with_readme(const char *root, const char *url) {
    const char *hash = strchr(url, '#');
    char *ref = url_decode(url, hash ? (size_t)(hash - url) : strlen(url)), *rel = NULL;
    bool yes = false;
    if (*ref && ref_resolve(root, "", ref, &rel) == REF_OK) {
        char *dir = path_join(root, rel), *readme = path_join(dir, "README.md");
        yes = path_is_dir(dir) && path_exists(readme);
        free(dir), free(readme);
    }
    free(rel), free(ref);
    return yes;
}

static cmark_node *first_link(cmark_node *n) {
    cmark_iter *it = cmark_iter_new(n);
    cmark_node *found = NULL;
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(x) == CMARK_NODE_LINK) found = x;
    }
    cmark_iter_free(it);
    return found;
}

typedef struct {
    cmark_node *link;
    bool past;
} prefix_ctx;

/* Leaves out the link and what follows it in its paragraph. */
static bool before_link(cmark_node *n, buf_t *out, void *ctx) {
    (void)out;
    prefix_ctx *p = ctx;
    if (n == p->link) p->past = true;
    return p->past && cmark_node_parent(n) == cmark_node_parent(p->link);
}

/* The entry's title: the link's text, after the words before the link in its
   item ("- 第1章 [预备知识](chapter1.md)" is 第1章 预备知识, as the sidebar shows,
   and "- 第 3 章：[编辑器](03.0.md)" is 第 3 章：编辑器). */
static char *entry_title(cmark_node *link) {
    buf_t b;
    buf_init(&b);
    cmark_node *para = cmark_node_parent(link);
    prefix_ctx p = {link, false};
    if (first_link(para) == link) /* not a second link's ("[A](a.md) [B](b.md)") */
        md_plain_from(cmark_node_first_child(para), &b, before_link, &p);
    size_t n = b.len;
    while (n && (b.data[n - 1] == ' ' || b.data[n - 1] == '\t'))
        n--;
    /* one space where the item had any: "第 3 章：[编辑器](03.0.md)" has none */
    bool spaced = n < b.len;
    b.len = n;
    if (n && spaced) buf_putc(&b, ' ');
    char *text = md_plain_text(link);
    buf_puts(&b, text);
    free(text);
    return buf_detach(&b);
}

static void add_entry(sctx *c, cmark_node *link, int depth) {
    int line = cmark_node_get_start_line(link), col = cmark_node_get_start_column(link);
    const char *url = cmark_node_get_url(link);
    char *title = entry_title(link);
    depth = depth > c->base ? depth - c->base : 0;
    if (c->readme && (!url || url_has_scheme(url) ||
                      (!strstr(url, ".md") && !folder_with_readme(c->root, url)))) {
        free(title);
        return;
    }
    if (!url || !*url) {
        diag_add(c->d, DIAG_WARNING, c->display, line, col,
                 "draft chapter '%s' has no file; left out", title);
        free(title);
        return;
    }
    if (url_has_scheme(url)) {
        diag_add(c->d, DIAG_WARNING, c->display, line, col,
                 "chapter '%s' is not a file in the book; left out", url);
        free(title);
        return;
    }
    const char *hash = strchr(url, '#');
    char *ref = url_decode(url, hash ? (size_t)(hash - url) : strlen(url));
    char *rel;
    ref_status st = resolve_page(c->root, c->dir, ref, &rel);
    if (st == REF_ESCAPES) {
        diag_add(c->d, DIAG_WARNING, c->display, line, col, "'%s' leaves the book folder; left out",
                 ref);
    } else if (st == REF_MISSING) {
        diag_add(c->d, DIAG_WARNING, c->display, line, col, "missing chapter file '%s'; left out",
                 ref);
    } else if (strcmp(rel, "SUMMARY.md") == 0) {
        diag_add(c->d, DIAG_WARNING, c->display, line, col, "SUMMARY.md lists itself (a loop)");
    } else {
        for (size_t i = 0; i < c->s->n; i++) {
            if (strcmp(c->s->v[i].path, rel) != 0) continue;
            if (hash) { /* GitBook's `[Python](install.md#python)`: a section of a listed page */
                free(rel), free(ref), free(title);
                return;
            }
            bool loop = false;
            for (int k = 0; k < c->depth; k++)
                loop |= strcmp(c->stack[k], rel) == 0;
            diag_add(c->d, DIAG_WARNING, c->display, line, col,
                     loop ? "'%s' loops back to an enclosing entry (line %d)"
                          : "'%s' is listed again (first at line %d)",
                     rel, c->s->v[i].line);
            free(rel), free(ref), free(title);
            return;
        }
        if (c->readme && strcmp(rel, "README.md") == 0) {
            free(rel), free(ref), free(title);
            return;
        }
        XGROW(c->s->v, c->s->cap, c->s->n);
        c->s->v[c->s->n++] = (summary_entry_t){rel, title, depth, line, col, c->part};
        c->part = NULL;
        free(ref);
        return;
    }
    free(rel);
    free(ref);
    free(title);
}

static void walk_list(sctx *c, cmark_node *list, int depth);

/* Whether a group label here can be a part title: at the top of the contents, or
   inside the first entry when that one holds the whole sidebar (llm-cookbook's
   "* [目录](README.md)" over every page). Deeper, a part would cut a chapter. */
static bool part_level(const sctx *c) {
    if (c->depth == 0) return true;
    return c->depth == 1 && c->s->n && !c->s->v[0].part &&
           strcmp(c->stack[0], c->s->v[0].path) == 0;
}

/* An item without a link over a list ("* 第一部分 提示工程" above its pages):
   docsify shows it as a heading of the sidebar, GitBook as an entry without a
   page. It becomes a part title and its entries top-level chapters; deeper, its
   entries take its place (a chapter's sections), the label left out. */
static void walk_group(sctx *c, char *label, cmark_node *list, int depth) {
    if (!part_level(c) || !*label) {
        free(label);
        walk_list(c, list, depth);
        return;
    }
    free(c->part);
    c->part = label;
    c->base = depth + 1;
    walk_list(c, list, depth + 1);
}

static char *label_of(cmark_node *b) {
    if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH) return NULL;
    char *text = md_plain_text(b);
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        text[--n] = 0;
    return text;
}

static void walk_list(sctx *c, cmark_node *list, int depth) {
    for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
        size_t before = c->s->n;
        char *label = NULL;
        for (cmark_node *b = cmark_node_first_child(item); b; b = cmark_node_next(b)) {
            if (cmark_node_get_type(b) == CMARK_NODE_LIST && label && !c->readme) {
                walk_group(c, label, b, depth);
                label = NULL;
            } else if (cmark_node_get_type(b) == CMARK_NODE_LIST) {
                bool pushed = c->s->n > before && c->depth < 64;
                if (pushed) c->stack[c->depth++] = c->s->v[c->s->n - 1].path;
                walk_list(c, b, depth + 1);
                if (pushed) c->depth--;
            } else if (c->s->n == before && !label) {
                cmark_node *link = first_link(b);
                if (link)
                    add_entry(c, link, depth);
                else
                    label = label_of(b);
            }
        }
        free(label);
    }
}

static void parse(summary_t *s, const char *text, size_t len, const char *root, const char *base,
                  const char *display, diags_t *d, bool readme) {
    memset(s, 0, sizeof *s);
    sctx c = {.s = s, .root = root, .dir = base, .display = display, .d = d, .readme = readme};
    cmark_node *doc = md_parse(text, len);
    for (cmark_node *b = cmark_node_first_child(doc); b; b = cmark_node_next(b)) {
        switch (cmark_node_get_type(b)) {
        case CMARK_NODE_HEADING:
            /* the first level-1 heading is the book's title; later ones name parts */
            if (readme) break;
            if (!s->title && !s->n && !c.part && cmark_node_get_heading_level(b) == 1) {
                s->title = md_plain_text(b);
            } else if (s->n || s->title) {
                free(c.part);
                c.part = md_plain_text(b);
            }
            break;
        case CMARK_NODE_LIST:
            walk_list(&c, b, 0);
            break;
        case CMARK_NODE_PARAGRAPH: {
            if (readme) break;
            /* prefix and suffix chapters: links outside any list, unnumbered */
            cmark_iter *it = cmark_iter_new(b);
            cmark_event_type ev;
            while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
                cmark_node *x = cmark_iter_get_node(it);
                size_t before = s->n;
                if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(x) == CMARK_NODE_LINK)
                    add_entry(&c, x, 0);
                if (s->n > before) s->v[s->n - 1].unnumbered = true;
            }
            cmark_iter_free(it);
            break;
        }
        default:
            break;
        }
    }
    cmark_node_free(doc);
    free(c.part);
}

void summary_parse(summary_t *s, const char *text, size_t len, const char *root,
                   const char *display, diags_t *d) {
    parse(s, text, len, root, "", display, d, false);
}

void summary_parse_in(summary_t *s, const char *text, size_t len, const char *root,
                      const char *base, const char *display, diags_t *d) {
    parse(s, text, len, root, base, display, d, false);
}

void summary_parse_readme(summary_t *s, const char *text, size_t len, const char *root,
                          const char *display, diags_t *d) {
    parse(s, text, len, root, "", display, d, true);
}

void summary_free(summary_t *s) {
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].title);
        free(s->v[i].part);
    }
    free(s->v);
    free(s->title);
    memset(s, 0, sizeof *s);
}
