/* The book model's own operations: looking things up in it, positions and
   diagnostics, resolving references, freeing it. The loader (loader.c) and the
   index (index.c) build the model; both use these, and neither needs the other. */
#include "book.h"
#include "texmacro.h"
#include "../image/fetch.h"
#include "figure.h"
#include "mathmd.h"
#include "mdutil.h"
#include "meta.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *book_display_path(const book_t *b, const char *rel) {
    return path_join(b->root, rel);
}

void book_diag(const book_t *b, diag_sev sev, int ch, int line, int bytecol, const char *fmt, ...) {
    /* chapter -1 is book.yaml, which has no positions of its own here */
    const char *file = b->meta_file ? b->meta_file : "book.yaml";
    int col = 1, oline = 1;
    if (ch >= 0) {
        const chapter_t *c = &b->chapters[ch];
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

book_t book_with_sink(const book_t *b, diags_t *d) {
    book_t v = *b;
    v.diags = d;
    return v;
}

/* Every string getter of cmark-gfm that may copy the node's chunk into a C
   string of its own on first use (cmark_chunk_to_cstr). */
static void settle_node(cmark_node *n) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_CODE_BLOCK:
        cmark_node_get_fence_info(n);
        cmark_node_get_literal(n);
        break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        cmark_node_get_url(n);
        cmark_node_get_title(n);
        break;
    case CMARK_NODE_CUSTOM_BLOCK:
    case CMARK_NODE_CUSTOM_INLINE:
        cmark_node_get_on_enter(n);
        cmark_node_get_on_exit(n);
        break;
    default:
        cmark_node_get_literal(n); /* NULL for the kinds without one */
    }
}

static void settle_tree(cmark_node *root) {
    if (!root) return;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER) settle_node(cmark_iter_get_node(it));
    cmark_iter_free(it);
}

void book_share(const book_t *b) {
    for (size_t i = 0; i < b->n_chapters; i++)
        settle_tree(b->chapters[i].doc);
    for (size_t i = 0; i < b->n_notes; i++)
        if (b->notes[i].def && !cmark_node_parent(b->notes[i].def)) settle_tree(b->notes[i].def);
}

int book_resolve(const book_t *b, const char *dir, const char *ref, char **rel) {
    bool site_abs = ref[0] == '/';
    while (*ref == '/')
        ref++;
    char *pdir = path_join(b->prefix, site_abs ? "" : dir);
    char *prel;
    ref_status st = ref_resolve(b->project, pdir, ref, &prel);
    free(pdir);
    *rel = NULL;
    if (!prel) return st;
    /* back to root-relative: strip the prefix, or climb out of it */
    size_t pl = strlen(b->prefix);
    if (!pl) {
        *rel = prel;
    } else if (strncmp(prel, b->prefix, pl) == 0 && prel[pl] == '/') {
        *rel = xstrdup(prel + pl + 1);
        free(prel);
    } else {
        buf_t r;
        buf_init(&r);
        buf_puts(&r, "../");
        for (const char *p = b->prefix; *p; p++)
            if (*p == '/') buf_puts(&r, "../");
        buf_puts(&r, prel);
        *rel = buf_detach(&r);
        free(prel);
    }
    return st;
}

void book_pos(const book_t *b, int ch, cmark_node *n, int *line, int *col) {
    while (n && cmark_node_get_start_line(n) <= 0)
        n = cmark_node_parent(n);
    *line = n ? cmark_node_get_start_line(n) : 1;
    *col = n ? cmark_node_get_start_column(n) : 1;
    (void)b, (void)ch;
}

/* t after a leading section number ("1.4. ", "2.1 ", "3."), or t itself: a
   number is digits and dots, then a dot or a space ("3D 图形" has none). */
static const char *past_section_number(const char *t) {
    const char *p = t;
    while (isdigit((unsigned char)*p) || (*p == '.' && p > t))
        p++;
    if (p == t || (p[-1] != '.' && *p != ' ')) return t;
    while (*p == ' ')
        p++;
    return *p ? p : t;
}

/* a and b alike but for spaces ("reflect.Type和reflect.Value" in SUMMARY.md,
   "reflect.Type 和 reflect.Value" in the file) */
static bool same_but_spaces(const char *a, const char *b) {
    for (;; a++, b++) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b) return false;
        if (!*a) return true;
    }
}

bool book_heading_opens_chapter(const book_t *b, const heading_t *h) {
    const chapter_t *c = &b->chapters[h->chapter];
    if (h->node != cmark_node_first_child(c->doc)) return false;
    /* a file opening with "## X" that SUMMARY.md names "X" is titled by it too:
       the contents must not list X twice; nor "## 1.4. X" (gopl-zh numbers
       its sections in their files, not in SUMMARY.md) */
    return h->level == 1 || (c->title && (strcmp(h->text, c->title) == 0 ||
                                          same_but_spaces(past_section_number(h->text),
                                                          past_section_number(c->title))));
}

int book_toc_depth(const book_t *b, const heading_t *h, int max_level) {
    if (book_heading_opens_chapter(b, h) || h->level > max_level ||
        cmark_node_parent(h->node) != b->chapters[h->chapter].doc)
        return 0;
    return h->level > 1 ? h->level - 1 : 1;
}

long book_node_index(cmark_node *n) {
    return (long)(uintptr_t)cmark_node_get_user_data(n) - 1;
}

heading_t *book_heading_of(const book_t *b, cmark_node *n) {
    long i = book_node_index(n);
    return i >= 0 && (size_t)i < b->n_headings && b->headings[i].node == n ? &b->headings[i] : NULL;
}

link_t *book_link_of(const book_t *b, cmark_node *n) {
    long i = book_node_index(n);
    return i >= 0 && (size_t)i < b->n_links ? &b->links[i] : NULL;
}

struct image_ask {
    cmark_node *node;
    float w, h;
};

bool book_image_ask(const book_t *b, cmark_node *n, float *w, float *h) {
    for (size_t i = 0; i < b->n_image_asks; i++)
        if (b->image_asks[i].node == n)
            return *w = b->image_asks[i].w, *h = b->image_asks[i].h, true;
    return false;
}

void book_add_image_ask(book_t *b, cmark_node *n, float w, float h) {
    XGROW(b->image_asks, b->cap_image_asks, b->n_image_asks);
    b->image_asks[b->n_image_asks++] = (struct image_ask){n, w, h};
}

void book_forget_image_ask(book_t *b, cmark_node *n) {
    for (size_t i = 0; i < b->n_image_asks; i++)
        if (b->image_asks[i].node == n) b->image_asks[i] = b->image_asks[--b->n_image_asks];
}

image_t *book_image_of(const book_t *b, cmark_node *n) {
    long i = book_node_index(n);
    return i >= 0 && (size_t)i < b->n_images ? &b->images[i] : NULL;
}

/* ref with each "\\" a "/", or NULL when it has none: browsers read a relative
   address so ("../figures\\x.png" in llm-universe). */
static char *forward_slashes(const char *ref) {
    if (!strchr(ref, '\\')) return NULL;
    char *s = xstrdup(ref);
    for (char *p = s; *p; p++)
        if (*p == '\\') *p = '/';
    return s;
}

/* A path on the author's machine ("c:\\Users\\…\\docs\\figures\\x.png"): the
   longest tail of it that names a file from the book's top, as *rel, or
   REF_MISSING. */
static int drive_path_tail(const book_t *b, const char *ref, char **rel) {
    if (!isalpha((unsigned char)ref[0]) || ref[1] != ':' || (ref[2] != '/' && ref[2] != '\\'))
        return REF_MISSING;
    char *s = forward_slashes(ref);
    if (!s) s = xstrdup(ref);
    int st = REF_MISSING;
    for (const char *t = strchr(s + 3, '/'); t && st != REF_OK; t = strchr(t + 1, '/')) {
        char *r;
        if (book_resolve(b, "", t + 1, &r) == REF_OK)
            *rel = r, st = REF_OK;
        else
            free(r);
    }
    free(s);
    return st;
}

int book_resolve_picture(const book_t *b, const char *dir, const char *ref, char **rel) {
    int st = book_resolve(b, dir, ref, rel);
    char *fwd = st == REF_MISSING ? forward_slashes(ref) : NULL;
    if (fwd) {
        char *r;
        if (book_resolve(b, dir, fwd, &r) == REF_OK)
            free(*rel), *rel = r, st = REF_OK;
        else
            free(r);
        free(fwd);
    }
    if (st == REF_MISSING) {
        char *r = NULL;
        if (drive_path_tail(b, ref, &r) == REF_OK) free(*rel), *rel = r, st = REF_OK;
    }
    if (st == REF_MISSING && b->docsify && *dir) {
        /* docsify leaves raw HTML to the browser, which reads <img src="./x">
           against the site's page (the root), whatever the chapter's folder */
        char *root_rel;
        if (book_resolve(b, "", ref, &root_rel) == REF_OK)
            free(*rel), *rel = root_rel, st = REF_OK;
        else
            free(root_rel);
    }
    return st;
}

static int top_of(const book_t *b, int ch) {
    int top = ch;
    while (top > 0 && b->chapters[top].depth > 0)
        top--;
    return top;
}

int *book_numbering(numbering_t *nm, const book_t *b, int ch) {
    int top = top_of(b, ch) + 1;
    if (nm->top != top) *nm = (numbering_t){top, {0, 0, 0}};
    return nm->count;
}

/* A Chinese numeral of 1..99 at s (一, 十二, 二十三): its value and length in
 *len, or 0. */
static int han_number(const char *s, size_t *len) {
    static const char *const digit[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int v = 0, unit = 0;
    size_t i = 0;
    for (;;) {
        int d = 0;
        for (int k = 0; k < 9 && !d; k++)
            if (strncmp(s + i, digit[k], 3) == 0) d = k + 1;
        if (d) {
            unit = d, i += 3;
        } else if (strncmp(s + i, "十", 3) == 0 && v == 0) {
            v = (unit ? unit : 1) * 10, unit = 0, i += 3;
        } else {
            break;
        }
    }
    *len = i;
    return v + unit;
}

/* The number a chapter's title gives itself: "第14章 …", "第十四章", "Chapter 3",
   "3. …" or "3 …"; 0 for none. Authors skip and reorder chapters (a manual of
   exercises for chapters 1-11 and 14-21): figure 14-1 belongs in 第14章. */
static int titled_number(const char *t) {
    if (!t) return 0;
    while (*t == ' ')
        t++;
    size_t n = 0;
    if (strncmp(t, "第", 3) == 0) {
        const char *s = t + 3;
        int v = isdigit((unsigned char)*s) ? atoi(s) : han_number(s, &n);
        while (isdigit((unsigned char)*s))
            s++;
        s += n;
        return strncmp(s, "章", 3) == 0 || strncmp(s, "讲", 3) == 0 ? v : 0;
    }
    if (strncasecmp(t, "chapter ", 8) == 0) t += 8;
    if (!isdigit((unsigned char)*t)) return 0;
    int v = atoi(t);
    while (isdigit((unsigned char)*t))
        t++;
    return (*t == '.' || *t == ' ' || *t == ':' || !*t) && v > 0 && v < 1000 ? v : 0;
}

int book_chapter_number(const book_t *b, int ch) {
    int top = top_of(b, ch);
    if (top >= 0 && (size_t)top < b->n_chapters && !b->chapters[top].unnumbered) {
        int own = titled_number(b->chapters[top].title);
        if (own) return own;
    }
    if (top < 0 || (size_t)top >= b->n_chapters || b->chapters[top].unnumbered) return 0;
    int k = 0;
    for (int i = 0; i <= top; i++)
        if (b->chapters[i].depth == 0 && !b->chapters[i].unnumbered) k++;
    return k;
}

image_t *book_find_image(const book_t *b, int ch, const char *ref) {
    if (url_has_scheme(ref)) { /* fetched or decoded (data:): known by its URL */
        for (size_t i = 0; i < b->n_images; i++)
            if (strcmp(b->images[i].path, ref) == 0) return &b->images[i];
        return NULL;
    }
    char *dir = path_dirname(b->chapters[ch].path);
    char *dec = url_decode(ref, strcspn(ref, "#?"));
    char *rel;
    image_t *found = NULL;
    if (book_resolve_picture(b, dir, dec, &rel) == REF_OK)
        for (size_t i = 0; i < b->n_images && !found; i++)
            if (strcmp(b->images[i].path, rel) == 0) found = &b->images[i];
    free(rel);
    free(dec);
    free(dir);
    return found;
}

void book_free(book_t *b) {
    if (!b) return;
    for (size_t i = 0; i < b->n_chapters; i++) {
        chapter_t *c = &b->chapters[i];
        free(c->path), free(c->title), free(c->src), free(c->line_off), free(c->part);
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
        free(b->images[i].path), free(b->images[i].media_type), free(b->images[i].package_name),
            free(b->images[i].file), free(b->images[i].src_type);
    free(b->chapters), free(b->headings), free(b->anchors), free(b->links), free(b->notes),
        free(b->images);
    mathmd_free(b);
    texmacros_free(b->tex_macros);
    fetch_memo_free(b->fetch_memo);
    strmap_free(&b->unshown_images);
    strmap_free(&b->picture_anchors);
    free(b->image_asks);
    figure_free(b);
    strmap_free(&b->anchor_keys);
    strmap_free(&b->anchor_ids);
    meta_free(&b->meta);
    free(b->meta_file);
    free(b->contents_page);
    free(b->root);
    free(b->project);
    free(b->prefix);
    free(b);
}
