#include "index.h"
#include "htmlscan.h"
#include "../image/fetch.h"
#include "../image/image.h"
#include "words.h"
#include "mdutil.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/strmap.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a slug leaves out: punctuation and symbols. The pictographs of
   U+1F000–U+1FAFF and the tag characters of flags are symbols to GitHub and
   mdBook alike: "## 🎨 Graphics" is #-graphics (veloren's book links it so).
   A no-break space is no space to GitHub, which keeps the ASCII one alone:
   "## :anger: &nbsp;Table of Contents" is #anger-table-of-contents. */
static bool is_punct_cp(uint32_t cp) {
    if (cp < 0x80) return !isalnum((int)cp) && cp != '-' && cp != '_' && cp != ' ';
    return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0x2190 && cp <= 0x2BFF) ||
           (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xE0000 && cp <= 0xE007F);
}

char *anchor_slug(const char *text) {
    buf_t b;
    buf_init(&b);
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(text + i, n - i, &cp);
        if (!l) l = 1;
        if (cp == ' ')
            buf_putc(&b, '-');
        else if (cp < 0x80 && !is_punct_cp(cp))
            buf_putc(&b, (char)tolower((int)cp));
        else if (cp >= 0x80 && !is_punct_cp(cp))
            buf_put(&b, text + i, l);
        i += l;
    }
    return buf_detach(&b);
}

static bool name_start(uint32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

static bool name_char(uint32_t c) {
    return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

char *anchor_xml_id(const char *key) {
    buf_t b;
    buf_init(&b);
    size_t n = strlen(key);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(key + i, n - i, &cp);
        if (!l) l = 1;
        if (l > 1 || cp < 0x80) {
            if (b.len == 0 && !name_start(cp) && name_char(cp)) buf_puts(&b, "h-");
            if (name_char(cp)) buf_put(&b, key + i, l);
        }
        i += l;
    }
    if (!b.len) buf_puts(&b, "section");
    return buf_detach(&b);
}

/* Anchor keys and ids are looked up per chapter: "<chapter> <key>". */
static long chapter_lookup(const strmap_t *m, int ch, const char *s) {
    buf_t k;
    buf_init(&k);
    buf_printf(&k, "%d %s", ch, s);
    long v = strmap_get(m, k.data);
    buf_free(&k);
    return v;
}

static void chapter_store(strmap_t *m, int ch, const char *s, long v) {
    buf_t k;
    buf_init(&k);
    buf_printf(&k, "%d %s", ch, s);
    strmap_put(m, k.data, v);
    buf_free(&k);
}

static long find_anchor(const book_t *b, int ch, const char *key) {
    return chapter_lookup(&b->anchor_keys, ch, key);
}

/* The anchor a link's fragment names: as written, as a heading's text
   slugged, or without GitHub's "user-content-" (GitHub prefixes the ids of a
   README's HTML so, and "#user-content-x" finds <a name="x"> there:
   Functional-Light-JS links its 45 such anchors this way). */
static long find_fragment(const book_t *b, int ch, const char *frag) {
    long a = find_anchor(b, ch, frag);
    if (a < 0) {
        char *slug = anchor_slug(frag);
        a = find_anchor(b, ch, slug);
        free(slug);
    }
    static const char prefix[] = "user-content-";
    if (a < 0 && strncmp(frag, prefix, sizeof prefix - 1) == 0 && frag[sizeof prefix - 1])
        a = find_fragment(b, ch, frag + sizeof prefix - 1);
    return a;
}

static bool id_taken(const book_t *b, int ch, const char *id) {
    return chapter_lookup(&b->anchor_ids, ch, id) >= 0;
}

/* Adds an anchor; a key already used in the chapter is numbered as GitHub
   does ("x", "x-1", "x-2"). Repeated headings are common and meant (key-book's
   27 "### 证明" in one chapter), so only an id the author wrote twice is
   reported; slug: the key is a heading's text made an id. */
static size_t add_anchor(book_t *b, int ch, const char *key, int line, int col, long heading,
                         bool slug) {
    char *k = xstrdup(key);
    long prev = find_anchor(b, ch, k);
    if (prev >= 0) {
        buf_t nk;
        for (int i = 1;; i++) {
            buf_init(&nk);
            buf_printf(&nk, "%s-%d", key, i);
            if (find_anchor(b, ch, nk.data) < 0) break;
            buf_free(&nk);
        }
        if (!slug)
            book_diag(b, DIAG_WARNING, ch, line, col, "duplicate anchor '%s'; this one is '%s'",
                      key, nk.data);
        free(k);
        k = buf_detach(&nk);
    }
    char *id = anchor_xml_id(k);
    for (int i = 1; id_taken(b, ch, id); i++) {
        buf_t nid;
        buf_init(&nid);
        buf_printf(&nid, "%s-%d", id, i);
        free(id);
        id = buf_detach(&nid);
    }
    XGROW(b->anchors, b->cap_anchors, b->n_anchors);
    b->anchors[b->n_anchors] = (anchor_t){ch, k, id, heading, NULL};
    chapter_store(&b->anchor_keys, ch, k, (long)b->n_anchors);
    chapter_store(&b->anchor_ids, ch, id, (long)b->n_anchors);
    return b->n_anchors++;
}

size_t index_add_anchor(book_t *b, int ch, const char *key, int line, int bytecol) {
    return add_anchor(b, ch, key, line, bytecol, -1, false);
}

static const char *type_ext(const char *t) {
    return strcmp(t, "image/png") == 0    ? "png"
           : strcmp(t, "image/jpeg") == 0 ? "jpg"
           : strcmp(t, "image/gif") == 0  ? "gif"
           : strcmp(t, "image/webp") == 0 ? "webp"
                                          : "svg";
}

/* Adds an image whose file is known and sound; returns its index. */
static long add_image(book_t *b, const char *path, const char *file, const char *type) {
    for (size_t i = 0; i < b->n_images; i++)
        if (strcmp(b->images[i].path, path) == 0) return (long)i;
    XGROW(b->images, b->cap_images, b->n_images);
    const char *ptype = image_package_type(type);
    buf_t pn;
    buf_init(&pn);
    buf_printf(&pn, "images/img%03zu.%s", b->n_images + 1, type_ext(ptype));
    b->images[b->n_images] =
        (image_t){xstrdup(path), xstrdup(ptype), buf_detach(&pn), xstrdup(file), xstrdup(type)};
    return (long)b->n_images++;
}

/* Checks that a file is a picture the backends can use: sniffed, then sized. */
static const char *sound_image(const char *file) {
    const char *type = image_sniff_file(file);
    double w, h;
    return type && image_size(file, type, &w, &h) ? type : NULL;
}

static bool is_http(const char *ref) {
    return strncasecmp(ref, "http://", 7) == 0 || strncasecmp(ref, "https://", 8) == 0;
}

static long remote_image(book_t *b, int ch, int line, int col, const char *url) {
    for (size_t i = 0; i < b->n_images; i++)
        if (strcmp(b->images[i].path, url) == 0) return (long)i;
    /* reported once: rust-cookbook shows some 40 badges 1,185 times */
    if (strmap_get(&b->unshown_images, url) >= 0) return -1;
    char err[256] = "";
    bool data = strncasecmp(url, "data:", 5) == 0;
    char *file = is_http(url) ? image_fetch(url, b->offline, &b->fetch_memo, err, sizeof err)
                 : data       ? image_data_url(url, err, sizeof err)
                              : NULL;
    if (!is_http(url) && !data) snprintf(err, sizeof err, "only http and https are fetched");
    const char *type = file ? sound_image(file) : NULL;
    if (file && !type && image_available(image_sniff_file(file), err, sizeof err))
        snprintf(err, sizeof err, "the cached copy is not a sound image");
    long i = type ? add_image(b, url, file, type) : -1;
    /* a diagnostic names at most 100 bytes of it: a data: URL is the whole
       picture (ailearning: lines of 657 KB, 7.4 MB of warnings) */
    int shown = (int)utf8_cut(url, strlen(url), 100);
    if (i < 0) {
        book_diag(b, DIAG_WARNING, ch, line, col,
                  "%s '%.*s%s' not embedded (%s); shown as a link (here and wherever else "
                  "the book shows it)",
                  data ? "data: picture" : "remote image", shown, url, url[shown] ? "…" : "", err);
        strmap_put(&b->unshown_images, url, 1);
    }
    free(file);
    return i;
}

/* "//host/path" (no scheme) is the web's, over https: that URL, else NULL. */
static char *web_url(const char *ref) {
    if (ref[0] != '/' || ref[1] != '/') return NULL;
    char *abs = xmalloc(strlen(ref) + 7);
    sprintf(abs, "https:%s", ref);
    return abs;
}

long index_add_image(book_t *b, int ch, int line, int col, const char *ref, bool from_root) {
    if (url_has_scheme(ref)) return remote_image(b, ch, line, col, ref);
    char *web = web_url(ref);
    if (web) {
        long i = remote_image(b, ch, line, col, web);
        free(web);
        return i;
    }
    const char *hash = strchr(ref, '#'), *q = strchr(ref, '?');
    size_t n = hash ? (size_t)(hash - ref) : strlen(ref);
    if (q && (size_t)(q - ref) < n) n = (size_t)(q - ref);
    char *dec = url_decode(ref, n), *rel, *dir;
    dir = from_root || ch < 0 ? xstrdup("") : path_dirname(b->chapters[ch].path);
    ref_status st = book_resolve_picture(b, dir, dec, &rel);
    free(dir);
    long found = -1;
    if (st == REF_ESCAPES)
        book_diag(b, DIAG_WARNING, ch, line, col,
                  "image '%s' leaves the project folder; a placeholder is shown", dec);
    else if (st == REF_MISSING)
        book_diag(b, DIAG_WARNING, ch, line, col, "missing image '%s'; a placeholder is shown",
                  dec);
    for (size_t i = 0; st == REF_OK && i < b->n_images && found < 0; i++)
        if (strcmp(b->images[i].path, rel) == 0) found = (long)i;
    if (st == REF_OK && found < 0) {
        char *full = path_join(b->root, rel);
        const char *type = sound_image(full);
        char why[256];
        if (!type && !image_available(image_sniff_file(full), why, sizeof why))
            book_diag(b, DIAG_WARNING, ch, line, col,
                      "image '%s' cannot be drawn: %s; a placeholder is shown", dec, why);
        else if (!type)
            book_diag(
                b, DIAG_WARNING, ch, line, col,
                "image '%s' is not a sound PNG, JPEG, GIF, WebP or SVG; a placeholder is shown",
                dec);
        else
            found = add_image(b, rel, full, type);
        unsigned w, h;
        if (type && image_too_large(full, type, &w, &h))
            book_diag(b, DIAG_WARNING, ch, line, col,
                      "image '%s' is too large to draw (%u × %u pixels, over %u million, "
                      "interlaced); left out of the PDF, kept in the EPUB",
                      dec, w, h, IMAGE_MAX_PIXELS / (1024 * 1024));
        free(full);
    }
    free(rel);
    free(dec);
    return found;
}

/* The words a reader sees where an image cannot be shown. */
static cmark_node *image_placeholder(const book_t *b, const char *ref) {
    buf_t t;
    buf_init(&t);
    buf_printf(&t, word(lang_kind_of(b->meta.lang), W_MISSING_IMAGE), ref ? ref : "");
    cmark_node *n = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(n, t.data);
    buf_free(&t);
    return n;
}

typedef struct {
    book_t *b;
    int ch, line, col;
    buf_t missing;    /* placeholders for <img> sources that failed, in order */
    long heading;     /* the heading the HTML stands in (an id there is the heading's), or -1 */
    cmark_node *node; /* the HTML node */
    const char *html; /* its text, when a block (a tag's line is counted in it), else NULL */
    bool slug;        /* the tag is mdext.c's anchor of a shortcode heading (data-ghb-slug) */
} html_ctx;

/* Where the tag at byte off of an HTML block stands: its own line, not the
   block's first (CS-Notes' pictures on lines 2-7 were all reported at 1:1).
   A later line's column counts from the block's column, which is where a
   list's or quote's indentation, not in the text, ends. */
static void tag_pos(const html_ctx *c, size_t off, int *line, int *col) {
    *line = c->line, *col = c->col;
    if (!c->html) return;
    size_t start = 0;
    for (size_t i = 0; i < off && c->html[i]; i++)
        if (c->html[i] == '\n') ++*line, start = i + 1;
    *col = (int)(off - start) + c->col;
}

static void html_attr(void *vc, const char *tag, const char *attr, const char *value, size_t off) {
    html_ctx *c = vc;
    int line, col;
    tag_pos(c, off, &line, &col);
    /* The GitHub slug mdext.c gives a heading with a shortcode (":black_small_square:
       Other" is #black_small_square-other) is repeated with its heading and
       numbered silently as the heading's own slug is: the-book-of-secret-knowledge's
       seven "Other"s warned as ids written twice. */
    if (strcmp(attr, "data-ghb-slug") == 0) c->slug = true;
    if (strcmp(attr, "id") == 0 || (strcmp(tag, "a") == 0 && strcmp(attr, "name") == 0)) {
        if (*value) {
            size_t a = add_anchor(c->b, c->ch, value, line, col, c->heading, c->slug);
            c->b->anchors[a].node = c->node;
        }
    } else if (strcmp(tag, "img") == 0 && strcmp(attr, "src") == 0 && *value) {
        if (index_add_image(c->b, c->ch, line, col, value, false) < 0 && !url_has_scheme(value)) {
            if (c->missing.len) buf_putc(&c->missing, ' ');
            buf_printf(&c->missing, word(lang_kind_of(c->b->meta.lang), W_MISSING_IMAGE), value);
        }
    }
}

/* Whether n stands inside a heading ({#id} becomes an <a id> there): the walk
   has indexed that heading last. */
static bool in_heading(cmark_node *n) {
    for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == CMARK_NODE_HEADING) return true;
    return false;
}

static void set_index(cmark_node *n, size_t i) {
    cmark_node_set_user_data(n, (void *)(uintptr_t)(i + 1));
}

static void index_heading(book_t *b, int ch, cmark_node *n) {
    int line, col;
    book_pos(b, ch, n, &line, &col);
    char *text = md_plain_text(n);
    char *slug = anchor_slug(text);
    size_t a = add_anchor(b, ch, slug, line, col, (long)b->n_headings, true);
    free(slug);
    XGROW(b->headings, b->cap_headings, b->n_headings);
    b->headings[b->n_headings] = (heading_t){ch, cmark_node_get_heading_level(n), text, a, n};
    set_index(n, b->n_headings++);
    b->chapters[ch].n_headings++;
}

static bool in_link(cmark_node *n) {
    for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == CMARK_NODE_LINK) return true;
    return false;
}

/* Whether img stands alone in a figure with a caption (figure.c made it from
   the alt text or title): the caption says what the picture was. */
static bool captioned(cmark_node *img) {
    cmark_node *para = cmark_node_parent(img), *fig = para ? cmark_node_parent(para) : NULL;
    if (!fig || cmark_node_get_type(fig) != CMARK_NODE_CUSTOM_BLOCK || cmark_node_previous(img) ||
        cmark_node_next(img) || strncmp(cmark_node_get_on_enter(fig), "<figure", 7) != 0)
        return false;
    for (cmark_node *c = cmark_node_first_child(fig); c; c = cmark_node_next(c))
        if (c != para && !strcmp(cmark_node_get_on_enter(c), "<figcaption>")) return true;
    return false;
}

/* A remote image that could not be fetched: a link to it, its alt text (or
   its URL) as the link's text, so neither output loses it. Inside a link (a
   badge: [![build](https://…svg)](https://…)) it is only that text: a link
   may not hold a link, and the outer one is what the reader follows. In a
   figure whose caption says what it shows, the link is its URL: the alt text
   twice (as the link and in the caption) said it twice and the address not
   at all. */
static void image_as_link(cmark_node *img) {
    if (captioned(img))
        for (cmark_node *c; (c = cmark_node_first_child(img));)
            cmark_node_free(c);
    bool nested = in_link(img);
    cmark_node *l = nested ? NULL : cmark_node_new(CMARK_NODE_LINK), *c, *first = NULL;
    if (l) cmark_node_set_url(l, cmark_node_get_url(img));
    while ((c = cmark_node_first_child(img))) {
        first = first ? first : c;
        if (l)
            cmark_node_append_child(l, c);
        else
            cmark_node_insert_before(img, c);
    }
    if (!first) {
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, cmark_node_get_url(img));
        if (l)
            cmark_node_append_child(l, t);
        else
            cmark_node_insert_before(img, t);
    }
    if (l) cmark_node_replace(img, l);
    cmark_node_free(img);
}

/* Puts a placeholder where raw HTML names images that cannot be shown: a text
   after an inline tag, a paragraph after a block. */
static void html_placeholder(cmark_node *html, const char *text) {
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(t, text);
    if (cmark_node_get_type(html) == CMARK_NODE_HTML_INLINE) {
        cmark_node_insert_after(html, t);
        return;
    }
    cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node_append_child(p, t);
    cmark_node_insert_after(html, p);
}

/* Whether heading n has nothing to show: no child, or only blanks. */
static bool empty_heading(cmark_node *n, void *ctx) {
    (void)ctx;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) continue;
        const char *s = t == CMARK_NODE_TEXT ? cmark_node_get_literal(k) : NULL;
        if (!s || s[strspn(s, " \t")]) return false;
    }
    return true;
}

/* A "#" alone is a heading with no words: nothing to show in the text, nothing
   to name in the contents or the outline (an empty nav entry fails
   epubcheck), so it is left out with a warning. */
static void drop_empty_headings(book_t *b, int ch) {
    cmark_node **drop;
    size_t n = md_collect(b->chapters[ch].doc, CMARK_NODE_HEADING, empty_heading, NULL, &drop);
    for (size_t i = 0; i < n; i++) {
        int line, col;
        book_pos(b, ch, drop[i], &line, &col);
        book_diag(b, DIAG_WARNING, ch, line, col, "empty heading; left out");
        cmark_node_free(drop[i]);
    }
    free(drop);
}

static void custom_id(void *vc, const char *tag, const char *attr, const char *value, size_t off) {
    (void)tag, (void)off;
    html_ctx *c = vc;
    if (strcmp(attr, "id") == 0 && *value) {
        size_t a = add_anchor(c->b, c->ch, value, c->line, c->col, c->heading, false);
        c->b->anchors[a].node = c->node;
    }
}

/* Raw HTML made a model node (rawhtml.c: <dt id>, <div id>, <td id>) keeps
   its attributes in its opening tag: its id is an anchor as the raw HTML's was
   (cargo's option lists link their <dt id>s, 900 links set as text). Only the
   id: no other tag of the opening is raw HTML the index reads. */
static void custom_ids(book_t *b, int ch, cmark_node *n) {
    const char *open = cmark_node_get_on_enter(n);
    if (!open || open[0] != '<' || !strstr(open, "id=")) return;
    html_ctx hc = {b, ch, 0, 0, {0}, in_heading(n) ? (long)b->n_headings - 1 : -1, n, NULL};
    book_pos(b, ch, n, &hc.line, &hc.col);
    html_scan_attrs(open, custom_id, &hc);
}

void index_chapter(book_t *b, int ch) {
    drop_empty_headings(b, ch);
    chapter_t *c = &b->chapters[ch];
    c->first_heading = b->n_headings;
    /* failed images are replaced once the walk is over (changing the tree
       under cmark's iterator would disturb it) */
    cmark_node **failed = NULL;
    char **failed_text = NULL;
    size_t n_failed = 0, cap_failed = 0;
    cmark_iter *it = cmark_iter_new(c->doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HEADING) {
            index_heading(b, ch, n);
        } else if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
            html_ctx hc = {b,   ch,
                           0,   0,
                           {0}, in_heading(n) ? (long)b->n_headings - 1 : -1,
                           n,   t == CMARK_NODE_HTML_BLOCK ? cmark_node_get_literal(n) : NULL};
            book_pos(b, ch, n, &hc.line, &hc.col);
            html_scan_attrs(cmark_node_get_literal(n), html_attr, &hc);
            if (hc.missing.len) {
                XGROW(failed, cap_failed, n_failed);
                failed_text = xrealloc(failed_text, cap_failed * sizeof *failed_text);
                failed_text[n_failed] = buf_detach(&hc.missing);
                failed[n_failed++] = n;
            }
        } else if (t == CMARK_NODE_CUSTOM_BLOCK || t == CMARK_NODE_CUSTOM_INLINE) {
            custom_ids(b, ch, n);
        } else if (t == CMARK_NODE_IMAGE) {
            int line, col;
            book_pos(b, ch, n, &line, &col);
            const char *url = cmark_node_get_url(n);
            long i = index_add_image(b, ch, line, col, url, false);
            if (i >= 0) {
                set_index(n, (size_t)i);
            } else {
                XGROW(failed, cap_failed, n_failed);
                failed_text = xrealloc(failed_text, cap_failed * sizeof *failed_text);
                failed_text[n_failed] = NULL;
                failed[n_failed++] = n;
            }
        }
    }
    cmark_iter_free(it);
    /* last first: an image can hold another in its alt text (`![a ![b](x) c](y)`),
       and replacing the outer one frees the inner */
    for (size_t i = n_failed; i-- > 0;) {
        if (failed_text[i]) {
            html_placeholder(failed[i], failed_text[i]);
            free(failed_text[i]);
        } else if (url_has_scheme(cmark_node_get_url(failed[i]))) {
            book_forget_image_ask(b, failed[i]);
            image_as_link(failed[i]);
        } else {
            book_forget_image_ask(b, failed[i]);
            cmark_node_replace(failed[i], image_placeholder(b, cmark_node_get_url(failed[i])));
            cmark_node_free(failed[i]);
        }
    }
    free(failed), free(failed_text);
}

static int chapter_named(const book_t *b, const char *path) {
    for (size_t i = 0; i < b->n_chapters; i++)
        if (strcmp(b->chapters[i].path, path) == 0) return (int)i;
    return -1;
}

/* The chapter a book-relative path names: the file itself or a folder's
   README.md / index.md. */
static int chapter_by_path(const book_t *b, const char *rel) {
    int found = chapter_named(b, rel);
    const char *index_names[] = {"README.md", "index.md"};
    for (size_t i = 0; i < 2 && found < 0; i++) {
        char *cand = path_join(rel, index_names[i]);
        found = chapter_named(b, cand);
        free(cand);
    }
    return found;
}

/* mdBook books link chapters by their HTML names: "intro.html" means "intro.md". */
static char *html_to_md(const char *path) {
    size_t n = strlen(path);
    if (n < 5 || strcmp(path + n - 5, ".html") != 0) return NULL;
    char *md = xmalloc(n);
    memcpy(md, path, n - 5);
    strcpy(md + n - 5, ".md");
    return md;
}

static bool text_is_url(cmark_node *n, const char *url) {
    char *text = md_plain_text(n);
    bool same = strcmp(text, url) == 0;
    free(text);
    return same;
}

/* Resolves cand in dir; when it is a file of the book, it replaces *rel and
 *st is REF_OK. Returns whether it did. */
static bool try_instead(const book_t *b, const char *dir, const char *cand, char **rel,
                        ref_status *st) {
    char *r;
    if (book_resolve(b, dir, cand, &r) != REF_OK) {
        free(r);
        return false;
    }
    free(*rel);
    *rel = r, *st = REF_OK;
    return true;
}

/* Whether link n shows only pictures: [![shot](a.png)](a.png), a picture
   linked to itself (a web page's "click to enlarge") or to a file. */
static bool only_pictures(cmark_node *n) {
    bool some = false;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        const char *s = t == CMARK_NODE_TEXT ? cmark_node_get_literal(k) : NULL;
        if (t == CMARK_NODE_IMAGE)
            some = true;
        else if (t != CMARK_NODE_SOFTBREAK && (!s || s[strspn(s, " \t")]))
            return false;
    }
    return some;
}

/* The block that holds picture n on a line of its own (its paragraph, or the
   figure around that), or NULL when it stands in text. */
static cmark_node *picture_block(cmark_node *n) {
    cmark_node *p = cmark_node_parent(n);
    if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH) return NULL;
    for (cmark_node *k = cmark_node_first_child(p); k; k = cmark_node_next(k)) {
        const char *s = cmark_node_get_type(k) == CMARK_NODE_TEXT ? cmark_node_get_literal(k) : "";
        if (k != n && cmark_node_get_type(k) != CMARK_NODE_SOFTBREAK && s[strspn(s, " \t")])
            return NULL;
    }
    cmark_node *f = cmark_node_parent(p);
    const char *enter =
        f && cmark_node_get_type(f) == CMARK_NODE_CUSTOM_BLOCK ? cmark_node_get_on_enter(f) : NULL;
    return enter && !strncmp(enter, "<figure", 7) ? f : p;
}

/* The first Markdown image of the book that shows picture rel, or NULL. */
static cmark_node *first_showing(const book_t *b, const char *rel, int *ch) {
    for (size_t i = 0; i < b->n_chapters; i++) {
        cmark_iter *it = cmark_iter_new(b->chapters[i].doc);
        cmark_node *found = NULL;
        cmark_event_type ev;
        while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *n = cmark_iter_get_node(it);
            image_t *im = ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE
                              ? book_image_of(b, n)
                              : NULL;
            if (im && strcmp(im->path, rel) == 0) found = n;
        }
        cmark_iter_free(it);
        if (found) return *ch = (int)i, found;
    }
    return NULL;
}

/* Where a link to the picture file rel lands: an anchor made, on first use,
   before the first place the book shows it (an <a id> block before its
   paragraph or figure, inline before it in text); -1 when no page shows it.
   DDIA links its figures so, "[图 1-1](img/fig1-1.png)" (203 links): the web
   opens the picture alone, a book turns to it. */
static long picture_anchor(book_t *b, const char *rel) {
    long have = strmap_get(&b->picture_anchors, rel);
    if (have != -1) return have < 0 ? -1 : have;
    int ch = -1, line, col;
    cmark_node *img = first_showing(b, rel, &ch);
    if (!img) {
        strmap_put(&b->picture_anchors, rel, -2);
        return -1;
    }
    cmark_node *blk = picture_block(img);
    book_pos(b, ch, img, &line, &col);
    buf_t k;
    buf_init(&k);
    buf_printf(&k, "picture-%s", rel);
    size_t a = add_anchor(b, ch, k.data, line, col, -1, true);
    k.len = 0;
    buf_printf(&k, "<a id=\"%s\"></a>", b->anchors[a].id);
    cmark_node *h = cmark_node_new(blk ? CMARK_NODE_HTML_BLOCK : CMARK_NODE_HTML_INLINE);
    cmark_node_set_literal(h, k.data);
    buf_free(&k);
    if (!cmark_node_insert_before(blk ? blk : img, h)) cmark_node_free(h), h = NULL;
    b->anchors[a].node = h;
    strmap_put(&b->picture_anchors, rel, (long)a);
    return (long)a;
}

/* Fills in an internal link's target; returns false (with a diagnostic) when
   none. A picture linked to a file of the book that is not a chapter is no
   fault (the picture is shown; neither output can open the file): no warning.
   Nor is a link to the contents page a README-only book follows (every chapter
   of the-way-to-go_ZH_CN ends with "[目录](directory.md)"): the book's own
   contents stand for it. */
static bool resolve_internal(book_t *b, int ch, link_t *l, cmark_node *n, int line, int col) {
    const char *url = l->url, *hash = strchr(url, '#'), *query = strchr(url, '?');
    size_t plen = hash ? (size_t)(hash - url) : strlen(url);
    /* a query ("x.md?highlight=rustup") means nothing to a file of the book */
    if (query && (size_t)(query - url) < plen) plen = (size_t)(query - url);
    int target = ch;
    if (plen > 0) {
        char *dec = url_decode(url, plen), *rel, *dir = path_dirname(b->chapters[ch].path);
        ref_status st = book_resolve(b, dir, dec, &rel);
        if (st == REF_MISSING && b->docsify) {
            /* docsify links pages without ".md": [options](options#name) */
            char *md = xmalloc(strlen(dec) + 4);
            sprintf(md, "%s.md", dec);
            try_instead(b, dir, md, &rel, &st);
            free(md);
        }
        char *md = st != REF_OK ? html_to_md(dec) : NULL;
        if (md) try_instead(b, dir, md, &rel, &st);
        /* mdBook writes README.md as index.html, and a link to "x/index.md"
           becomes "x/index.html" there too (discovery's "../08-i2c/index.md") */
        const char *name = md ? md : dec;
        size_t ml = strlen(name);
        if (st != REF_OK && ml >= 8 && strcmp(name + ml - 8, "index.md") == 0 &&
            (ml == 8 || name[ml - 9] == '/')) {
            char *readme = xmalloc(ml + 2);
            memcpy(readme, name, ml - 8);
            strcpy(readme + ml - 8, "README.md");
            try_instead(b, dir, readme, &rel, &st);
            free(readme);
        }
        free(md);
        free(dir);
        target = st == REF_OK ? chapter_by_path(b, rel) : -1;
        long pic =
            target < 0 && st == REF_OK && !hash && !only_pictures(n) ? picture_anchor(b, rel) : -1;
        if (pic >= 0) {
            free(rel), free(dec);
            l->target_chapter = b->anchors[pic].chapter;
            l->target_anchor = pic;
            return true;
        }
        if (st == REF_ESCAPES)
            book_diag(b, DIAG_WARNING, ch, line, col,
                      "link '%s' leaves the project folder; set as text", url);
        else if (st == REF_MISSING)
            book_diag(b, DIAG_WARNING, ch, line, col, "link to missing file '%s'; set as text",
                      dec);
        else if (target < 0 && !only_pictures(n) &&
                 !(b->contents_page && strcmp(rel, b->contents_page) == 0))
            book_diag(b, DIAG_WARNING, ch, line, col,
                      "link to '%s', which is not a chapter of the book; set as text", rel);
        free(rel);
        free(dec);
        if (target < 0) return false;
    }
    l->target_chapter = target;
    l->target_anchor = -1;
    if (hash && hash[1]) {
        char *frag = url_decode(hash + 1, strlen(hash + 1));
        l->target_anchor = find_fragment(b, target, frag);
        if (l->target_anchor < 0)
            book_diag(b, DIAG_WARNING, ch, line, col,
                      "unresolved link: no anchor '#%s' in %s; set as text", frag,
                      b->chapters[target].path);
        free(frag);
        if (l->target_anchor < 0) return false;
    }
    return true;
}

/* An external URL as a URI may hold it: characters RFC 3986 leaves out (a space,
   a second '#', <>"{}|\\^`) percent-encoded. rustc-dev-guide links
   "…html#variant.AnonConst#", which epubcheck refuses (RSC-020). Other
   characters stay: non-ASCII ones make an IRI, which EPUB takes. */
static char *uri_clean(const char *url) {
    buf_t b;
    buf_init(&b);
    bool fragment = false;
    /* '[' and ']' belong to an IPv6 host alone; in a path they are encoded
       (llm-cookbook's "https://github.com/x]", RSC-020) */
    const char *auth = strstr(url, "://");
    const char *host_end = auth ? auth + 3 + strcspn(auth + 3, "/?#") : url;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        bool bracket = (*p == '[' || *p == ']') && (const char *)p >= host_end;
        bool bad = *p <= 0x20 || *p == 0x7F || strchr("<>\"{}|\\^`", *p) || bracket ||
                   (*p == '#' && fragment);
        fragment |= *p == '#';
        if (bad)
            buf_printf(&b, "%%%02X", *p);
        else
            buf_putc(&b, (char)*p);
    }
    return b.data ? buf_detach(&b) : xstrdup("");
}

/* Whether an external link's scheme is one a reader can follow (IANA's
   registered ones a book uses): "ttps://…", a typo, is none (epubcheck HTM-025). */
static bool known_scheme(const char *url) {
    static const char *const schemes[] = {
        "http:",   "https:", "mailto:", "ftp:",  "ftps:", "tel:",  "news:", "irc:",
        "ircs:",   "git:",   "ssh:",    "sftp:", "file:", "data:", "urn:",  "doi:",
        "magnet:", "xmpp:",  "sms:",    "geo:",  "ws:",   "wss:",  "feed:"};
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0) return true;
    return false;
}

/* docsify's own link forms, as its router reads them: "#/guide/start" is the
   page guide/start.md from the site's root, "?id=x" a heading's id on the page,
   so "#/menu?id=目录" is menu.md#目录 and "#/" the README (toBeTopJavaer's
   contents). NULL when url is neither. */
static char *docsify_route(const char *url) {
    bool route = url[0] == '#' && url[1] == '/';
    const char *path = route ? url + 1 : url, *q = strstr(path, "?id=");
    if (!route && !q) return NULL;
    size_t plen = q ? (size_t)(q - path) : strcspn(path, "?");
    buf_t r;
    buf_init(&r);
    buf_put(&r, path, plen);
    if (route && plen > 0 && path[plen - 1] == '/') buf_puts(&r, "README.md");
    if (q) buf_putc(&r, '#'), buf_put(&r, q + 4, strcspn(q + 4, "&"));
    return buf_detach(&r);
}

static void add_link(book_t *b, int ch, cmark_node *n) {
    int line, col;
    book_pos(b, ch, n, &line, &col);
    const char *url = cmark_node_get_url(n);
    link_t l = {.chapter = ch, .url = xstrdup(url ? url : ""), .target_anchor = -1, .note = -1};
    char *web = web_url(l.url); /* "//docsify.js.org/" */
    if (web) free(l.url), l.url = web;
    char *route = b->docsify && !url_has_scheme(l.url) ? docsify_route(l.url) : NULL;
    if (route) free(l.url), l.url = route;
    if (url_has_scheme(l.url)) {
        char *clean = uri_clean(l.url);
        free(l.url), l.url = clean;
        l.kind = LINK_EXTERNAL;
        if (!known_scheme(l.url)) {
            int shown = (int)strcspn(l.url, ":");
            book_diag(b, DIAG_WARNING, ch, line, col,
                      "link with the unknown scheme '%.*s:' (a typo?); set as text",
                      shown > 40 ? 40 : shown, l.url);
            l.kind = LINK_DEAD;
        }
        l.shows_url = text_is_url(n, l.url);
    } else if (!l.url[0]) {
        book_diag(b, DIAG_WARNING, ch, line, col, "link with an empty target; set as text");
        l.kind = LINK_DEAD;
    } else {
        l.kind = resolve_internal(b, ch, &l, n, line, col) ? LINK_INTERNAL : LINK_DEAD;
    }
    XGROW(b->links, b->cap_links, b->n_links);
    b->links[b->n_links] = l;
    set_index(n, b->n_links++);
}

static size_t add_note(book_t *b, int ch, note_kind kind, cmark_node *ref) {
    chapter_t *c = &b->chapters[ch];
    XGROW(b->notes, b->cap_notes, b->n_notes);
    b->notes[b->n_notes] = (note_t){ch, kind, (int)++c->n_notes, NULL, NULL, ref};
    return b->n_notes++;
}

/* Full-width marks that close a clause. A URL note's marker goes right before a
   pause (，、；：) and right after the end of a sentence (。！？), as GB/T 15834 sets
   notes on words and on sentences. Returns where the marker goes in s, or SIZE_MAX. */
static size_t clause_end(const char *s) {
    static const char *const marks[] = {"，", "、", "；", "：", "。", "！", "？"};
    size_t best = SIZE_MAX, at = SIZE_MAX;
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *m = strstr(s, marks[i]);
        if (m && (size_t)(m - s) < best) {
            best = (size_t)(m - s);
            at = i >= 4 ? best + strlen(marks[i]) : best;
        }
    }
    return at;
}

static cmark_node *block_of(cmark_node *n) {
    while (n && md_is_inline(n))
        n = cmark_node_parent(n);
    return n;
}

static bool inside_link(cmark_node *n) {
    for (n = cmark_node_parent(n); n && md_is_inline(n); n = cmark_node_parent(n))
        if (cmark_node_get_type(n) == CMARK_NODE_LINK) return true;
    return false;
}

/* Links whose note markers wait for the end of their clause. */
typedef struct {
    book_t *b;
    long *notes;
    size_t n, cap;
    cmark_node *block;
} pending_t;

static void flush_after(pending_t *p, cmark_node *after) {
    for (size_t i = 0; i < p->n; i++) {
        cmark_node *marker = cmark_node_new(CMARK_NODE_FOOTNOTE_REFERENCE);
        set_index(marker, (size_t)p->notes[i]);
        p->b->notes[p->notes[i]].ref = marker;
        if (after)
            cmark_node_insert_after(after, marker);
        else
            cmark_node_append_child(p->block, marker);
        after = marker;
    }
    p->n = 0;
    p->block = NULL;
}

/* At a text node: if it holds a clause mark, the waiting markers go there. */
static void flush_at_text(pending_t *p, cmark_node *text) {
    const char *lit = cmark_node_get_literal(text);
    size_t cut = clause_end(lit);
    if (cut == SIZE_MAX) return;
    if (cut == 0) {
        /* the mark opens the text: the markers go after what came before it */
        cmark_node *prev = cmark_node_previous(text);
        if (prev) {
            flush_after(p, prev);
        } else {
            cmark_node *empty = cmark_node_new(CMARK_NODE_TEXT);
            cmark_node_set_literal(empty, "");
            cmark_node_insert_before(text, empty);
            flush_after(p, empty);
        }
        return;
    }
    if (lit[cut]) {
        cmark_node *rest = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(rest, lit + cut);
        char *head = xstrndup(lit, cut);
        cmark_node_set_literal(text, head);
        free(head);
        cmark_node_insert_after(text, rest);
    }
    flush_after(p, text);
}

/* Inserts each URL note's marker (a footnote-reference node carrying the note's
   index) at the end of the clause that holds its link (see clause_end), outside
   any link, or at the end of its block.
   Markers of one clause gather in link order, so running text is not broken at
   every link. One pass over the tree. */
static void place_markers(book_t *b, int ch) {
    pending_t p = {b, NULL, 0, 0, NULL};
    cmark_iter *it = cmark_iter_new(b->chapters[ch].doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_EXIT && n == p.block) {
            flush_after(&p, NULL);
        } else if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_LINK) {
            const link_t *l = book_link_of(b, n);
            if (!l || l->note < 0) continue;
            if (p.n && p.block != block_of(n)) flush_after(&p, NULL);
            XGROW(p.notes, p.cap, p.n);
            p.notes[p.n++] = l->note;
            p.block = block_of(n);
        } else if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_TEXT && p.n && !inside_link(n)) {
            flush_at_text(&p, n);
        }
    }
    cmark_iter_free(it);
    if (p.n) flush_after(&p, NULL);
    free(p.notes);
}

void index_links(book_t *b, int ch) {
    chapter_t *c = &b->chapters[ch];
    c->first_note = b->n_notes;
    /* footnote definitions sit at the end of the document, in reference order */
    cmark_node **defs = NULL;
    size_t n_defs = 0, cap_defs = 0;
    for (cmark_node *n = cmark_node_first_child(c->doc); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION) continue;
        XGROW(defs, cap_defs, n_defs);
        defs[n_defs++] = n;
    }
    strmap_t refs;
    strmap_init(&refs);
    long next_def = 0;
    cmark_iter *it = cmark_iter_new(c->doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_LINK) {
            add_link(b, ch, n);
            link_t *l = &b->links[b->n_links - 1];
            if (l->kind == LINK_EXTERNAL && !l->shows_url) {
                l->note = (long)add_note(b, ch, NOTE_URL, n);
                b->notes[l->note].url = l->url;
            }
        } else if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
            /* cmark-gfm moves the definitions to the end in order of first reference:
               the k-th distinct reference (by its literal, a number or a label
               depending on the cmark-gfm release) names the k-th definition */
            const char *lit = cmark_node_get_literal(n);
            long k = strmap_get(&refs, lit ? lit : "");
            if (k < 0) strmap_put(&refs, lit ? lit : "", k = next_def++);
            if ((size_t)k >= n_defs) continue;
            long note = book_node_index(defs[k]);
            if (note < 0) {
                note = (long)add_note(b, ch, NOTE_FOOTNOTE, n);
                b->notes[note].def = defs[k];
                set_index(defs[k], (size_t)note);
            }
            set_index(n, (size_t)note);
        }
    }
    cmark_iter_free(it);
    strmap_free(&refs);
    free(defs);
    place_markers(b, ch);
}
