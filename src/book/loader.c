#include "autolink.h"
#include "book.h"
#include "clean.h"
#include "index.h"
#include "linejoin.h"
#include "mathmd.h"
#include "mdutil.h"
#include "meta.h"
#include "summary.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

char *book_display_path(const book_t *b, const char *rel) {
    return path_join(b->root, rel);
}

void book_diag(book_t *b, diag_sev sev, int ch, int line, int bytecol, const char *fmt, ...) {
    /* chapter -1 is book.yaml, which has no positions of its own here */
    const char *file = b->meta_file ? b->meta_file : "book.yaml";
    int col = 1, oline = 1;
    if (ch >= 0) {
        chapter_t *c = &b->chapters[ch];
        file = c->map.n_files ? c->map.files[0] : c->path;
        col = bytecol > 0 ? bytecol : 1, oline = line > 0 ? line : 1;
        if (line > 0 && line <= c->n_lines) {
            /* columns count characters: convert cmark's byte column */
            size_t off = c->line_off[line - 1];
            size_t maxb = (line < c->n_lines ? c->line_off[line] : c->len) - off;
            size_t bytes = (size_t)(col - 1) < maxb ? (size_t)(col - 1) : maxb;
            col = (int)utf8_count(c->src + off, bytes) + 1;
            if ((size_t)line <= c->map.n) {
                file = c->map.files[c->map.file[line - 1]];
                oline = c->map.line[line - 1];
            }
        }
    }
    buf_t m;
    buf_init(&m);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    diag_add(b->diags, sev, file, oline, col, "%s", m.data);
    buf_free(&m);
}

static void index_lines(chapter_t *c) {
    size_t cap = 0;
    c->n_lines = 0;
    XGROW(c->line_off, cap, 0);
    c->line_off[c->n_lines++] = 0;
    for (size_t i = 0; i < c->len; i++) {
        if (c->src[i] != '\n' || i + 1 >= c->len) continue;
        XGROW(c->line_off, cap, (size_t)c->n_lines);
        c->line_off[c->n_lines++] = i + 1;
    }
}

/* Cleans, expands, parses and transforms one chapter's bytes into the book. */
static void chapter_from_text(book_t *b, const summary_entry_t *e, const char *raw,
                              size_t raw_len) {
    XGROW(b->chapters, b->cap_chapters, b->n_chapters);
    chapter_t *c = &b->chapters[b->n_chapters++];
    memset(c, 0, sizeof *c);
    c->path = xstrdup(e->path);
    c->title = xstrdup(e->title);
    c->depth = e->depth;
    c->sum_line = e->line;
    char *display = book_display_path(b, e->path);
    size_t clean_len;
    char *clean = text_clean(raw, raw_len, &clean_len, display, b->diags);
    c->src =
        include_expand(b->root, e->path, clean, clean_len, &c->len, &c->map, b->root, b->diags);
    index_lines(c);
    c->doc = md_parse(c->src, c->len);
    autolink_fix(c->doc, c->src, c->len, c->line_off, c->n_lines);
    linejoin(c->doc);
    free(clean);
    free(display);
}

static void add_chapter(book_t *b, const summary_entry_t *e, const char *summary_display) {
    char *full = path_join(b->root, e->path);
    size_t raw_len;
    char *raw = read_file(full, &raw_len);
    if (!raw)
        diag_add(b->diags, DIAG_ERROR, summary_display, e->line, e->col,
                 "cannot read chapter '%s': %s", e->path, strerror(errno));
    else
        chapter_from_text(b, e, raw, raw_len);
    free(raw);
    free(full);
}

book_t *book_from_markdown(const char *text, size_t len, diags_t *d) {
    book_t *b = xcalloc(1, sizeof *b);
    b->diags = d;
    b->cover = -1;
    /* a folder that holds nothing: any file the text names is missing, none escapes */
    b->root = xstrdup("/nonexistent-ghb-book");
    summary_entry_t e = {"chapter.md", "Chapter", 0, 1, 1};
    chapter_from_text(b, &e, text, len);
    meta_finish(&b->meta, "Book", d, "book.yaml");
    index_chapter(b, 0);
    mathmd_chapter(b, 0);
    index_links(b, 0);
    mathmd_check_refs(b);
    return b;
}

/* mdBook keeps SUMMARY.md in src/; GitBook and ghb-book at the top. */
static char *content_root(const char *root) {
    char *top = path_join(root, "SUMMARY.md");
    bool at_top = path_exists(top);
    free(top);
    char *src = path_join(root, "src/SUMMARY.md");
    bool in_src = !at_top && path_exists(src);
    free(src);
    return in_src ? path_join(root, "src") : xstrdup(root);
}

static char *first_heading_of(const char *root, const char *name) {
    char *p = path_join(root, name);
    size_t len;
    char *text = read_file(p, &len);
    free(p);
    if (!text) return NULL;
    cmark_node *doc = md_parse(text, len);
    char *title = NULL;
    for (cmark_node *n = cmark_node_first_child(doc); n && !title; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING) title = md_plain_text(n);
    cmark_node_free(doc);
    free(text);
    return title;
}

static void load_meta(book_t *b, const char *root) {
    char *yaml = path_join(root, "book.yaml");
    meta_read_yaml(&b->meta, yaml, yaml, b->diags);
    free(yaml);
    char *toml = path_join(root, "book.toml");
    meta_read_toml(&b->meta, toml);
    free(toml);
}

static void load_summary(book_t *b, summary_t *s, const char *display) {
    size_t len;
    char *text = read_file(display, &len);
    if (text) {
        char *clean = text_clean(text, len, &len, display, b->diags);
        summary_parse(s, clean, len, b->root, display, b->diags);
        free(clean);
        free(text);
        return;
    }
    memset(s, 0, sizeof *s);
    char *readme = path_join(b->root, "README.md");
    if (path_exists(readme)) {
        /* a GitBook without SUMMARY.md is its README alone */
        s->v = xcalloc(1, sizeof *s->v);
        s->v[0] = (summary_entry_t){xstrdup("README.md"), first_heading_of(b->root, "README.md"), 0,
                                    0, 0};
        if (!s->v[0].title) s->v[0].title = xstrdup("README");
        s->n = s->cap = 1;
    } else {
        diag_add(b->diags, DIAG_ERROR, display, 1, 1,
                 "no SUMMARY.md (nor README.md) in the book folder");
    }
    free(readme);
}

book_t *book_load(const char *root, diags_t *d) {
    book_t *b = xcalloc(1, sizeof *b);
    b->diags = d;
    b->cover = -1;
    b->meta_file = path_join(root, "book.yaml");
    if (!path_is_dir(root)) {
        b->root = xstrdup(root);
        diag_add(d, DIAG_ERROR, root, 1, 1, "book folder not found");
        meta_finish(&b->meta, NULL, d, root);
        return b;
    }
    b->root = content_root(root);
    load_meta(b, root);
    char *sum_display = path_join(b->root, "SUMMARY.md");
    summary_t s;
    load_summary(b, &s, sum_display);
    for (size_t i = 0; i < s.n; i++)
        add_chapter(b, &s.v[i], sum_display);
    if (s.n == 0 && d->errors == 0)
        diag_add(d, DIAG_WARNING, sum_display, 1, 1, "the book has no chapters");
    char *fallback = s.title ? xstrdup(s.title) : first_heading_of(b->root, "README.md");
    char *yaml = path_join(root, "book.yaml");
    meta_finish(&b->meta, fallback ? fallback : (b->n_chapters ? b->chapters[0].title : NULL), d,
                yaml);
    free(yaml);
    free(fallback);
    summary_free(&s);
    free(sum_display);
    for (size_t i = 0; i < b->n_chapters; i++)
        index_chapter(b, (int)i), mathmd_chapter(b, (int)i);
    for (size_t i = 0; i < b->n_chapters; i++)
        index_links(b, (int)i);
    mathmd_check_refs(b);
    if (b->meta.cover) b->cover = index_add_image(b, -1, 1, 1, b->meta.cover, true);
    return b;
}

void book_free(book_t *b) {
    if (!b) return;
    for (size_t i = 0; i < b->n_chapters; i++) {
        chapter_t *c = &b->chapters[i];
        free(c->path), free(c->title), free(c->src), free(c->line_off);
        linemap_free(&c->map);
        if (c->doc) cmark_node_free(c->doc);
    }
    for (size_t i = 0; i < b->n_headings; i++)
        free(b->headings[i].text);
    for (size_t i = 0; i < b->n_anchors; i++)
        free(b->anchors[i].key), free(b->anchors[i].id);
    for (size_t i = 0; i < b->n_links; i++)
        free(b->links[i].url);
    for (size_t i = 0; i < b->n_images; i++)
        free(b->images[i].path), free(b->images[i].media_type), free(b->images[i].package_name);
    free(b->chapters), free(b->headings), free(b->anchors), free(b->links), free(b->notes),
        free(b->images);
    mathmd_free(b);
    strmap_free(&b->anchor_keys);
    strmap_free(&b->anchor_ids);
    meta_free(&b->meta);
    free(b->meta_file);
    free(b->root);
    free(b);
}
