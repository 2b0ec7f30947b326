#include "toc.h"
#include "fonts.h"
#include "html.h"
#include "../book/front.h"
#include "../book/words.h"
#include "../util/xalloc.h"
#include "xmlw.h"
#include <stdlib.h>
#include <string.h>

static void add(toc_t *t, int level, const char *label, char *href) {
    int prev = t->n ? t->v[t->n - 1].level : -1;
    if (level > prev + 1) level = prev + 1;
    if (level > t->max_level) t->max_level = level;
    XGROW(t->v, t->cap, t->n);
    t->v[t->n++] = (toc_entry_t){level, xstrdup(label), href};
}

static char *href_of(const book_t *b, int ch, long anchor) {
    char *f = epub_chapter_file(ch);
    if (anchor < 0) return f;
    buf_t h;
    buf_init(&h);
    buf_printf(&h, "%s#%s", f, b->anchors[anchor].id);
    free(f);
    return buf_detach(&h);
}

void toc_build(const book_t *b, int max_heading, toc_t *t) {
    memset(t, 0, sizeof *t);
    if (!b->n_chapters) add(t, 0, b->meta.title, xstrdup("title.xhtml"));
    contents_t list;
    contents_build(b, max_heading, &list);
    for (size_t i = 0; i < list.n; i++) {
        const contents_entry_t *e = &list.v[i];
        /* a part heading leads to its first chapter */
        add(t, e->depth, e->label, href_of(b, e->chapter, e->part ? -1 : e->anchor));
    }
    contents_free(&list);
}

void toc_free(toc_t *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].label), free(t->v[i].href);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static xmlTextWriterPtr writer(xmlBufferPtr *xb, bool indent) {
    *xb = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(*xb, 0);
    if (indent) xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    return w;
}

static void finish(xmlTextWriterPtr w, xmlBufferPtr xb, buf_t *out) {
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    buf_put(out, (const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
    xmlBufferFree(xb);
}

/* Walks the flat, levelled list as a tree: open_item/close_item around each entry,
   open_children/close_children around each run of deeper entries. */
typedef struct {
    void (*open_children)(xmlTextWriterPtr w);
    void (*close_children)(xmlTextWriterPtr w);
    void (*open_item)(xmlTextWriterPtr w, const toc_entry_t *e, size_t i);
    void (*close_item)(xmlTextWriterPtr w);
} tree_ops;

static void walk(xmlTextWriterPtr w, const toc_t *t, const tree_ops *ops) {
    int cur = -1;
    for (size_t i = 0; i < t->n; i++) {
        int l = t->v[i].level;
        if (l > cur) {
            ops->open_children(w);
            cur = l;
        } else {
            ops->close_item(w);
            for (; cur > l; cur--) {
                ops->close_children(w);
                ops->close_item(w);
            }
        }
        ops->open_item(w, &t->v[i], i);
    }
    if (cur < 0) return;
    ops->close_item(w);
    for (; cur > 0; cur--) {
        ops->close_children(w);
        ops->close_item(w);
    }
    ops->close_children(w);
}

static void nav_ol(xmlTextWriterPtr w) {
    EL(w, "ol");
}
static void end_el(xmlTextWriterPtr w) {
    END(w);
}
static void nothing(xmlTextWriterPtr w) {
    (void)w;
}
static void nav_li(xmlTextWriterPtr w, const toc_entry_t *e, size_t i) {
    (void)i;
    EL(w, "li");
    EL(w, "a");
    ATTR(w, "href", e->href);
    TEXT(w, e->label);
    END(w);
}

static void landmark(xmlTextWriterPtr w, const char *type, const char *href, const char *label) {
    EL(w, "li");
    EL(w, "a");
    ATTR(w, "epub:type", type);
    ATTR(w, "href", href);
    TEXT(w, label);
    END(w);
    END(w);
}

static char *page_href(const pagestart_t *p) {
    char *f = p->chapter == PAGE_CONTENTS ? xstrdup("nav.xhtml")
              : p->chapter == PAGE_TITLE || p->chapter == PAGE_AFTER_TITLE
                  ? xstrdup("title.xhtml")
                  : epub_chapter_file(p->chapter);
    char l[16];
    pagemap_label(p, l, sizeof l);
    buf_t h;
    buf_init(&h);
    buf_printf(&h, "%s#page.%s", f, l);
    free(f);
    return buf_detach(&h);
}

/* The print edition's pages, in order; hidden like the landmarks (readers
   offer it as "go to page"). */
static void page_list(xmlTextWriterPtr w, const book_t *b, const pagemap_t *pages) {
    EL(w, "nav");
    ATTR(w, "epub:type", "page-list");
    ATTR(w, "role", "doc-pagelist");
    ATTR(w, "id", "page-list");
    ATTR(w, "hidden", "hidden");
    EL(w, "h2");
    TEXT(w, word(lang_kind_of(b->meta.lang), W_PAGE_LIST));
    END(w);
    EL(w, "ol");
    for (size_t i = 0; i < pages->n; i++) {
        char *href = page_href(&pages->v[i]), label[16];
        pagemap_label(&pages->v[i], label, sizeof label);
        EL(w, "li");
        EL(w, "a");
        ATTR(w, "href", href);
        TEXT(w, label);
        END(w);
        END(w);
        free(href);
    }
    END(w);
    END(w);
}

/* A list of figures or tables (#10, book.yaml lists:), a nav of its own. */
static void xref_list(xmlTextWriterPtr w, const book_t *b, xref_kind kind, const char *type,
                      word_id title) {
    lang_kind lk = lang_kind_of(b->meta.lang);
    static const word_id name[] = {W_FIGURE, W_TABLE, W_LISTING};
    EL(w, "nav");
    ATTR(w, "epub:type", type);
    ATTR(w, "id", type);
    /* two lists are two navigation landmarks: each needs a name of its own (Ace) */
    ATTR(w, "aria-label", word(lk, title));
    EL(w, "h1");
    TEXT(w, word(lk, title));
    END(w);
    EL(w, "ol");
    for (size_t i = 0; i < b->n_xrefs; i++) {
        const xref_t *x = &b->xrefs[i];
        if (x->kind != kind || x->anchor < 0) continue;
        char *f = epub_chapter_file(x->chapter);
        buf_t h, t;
        buf_init(&h), buf_init(&t);
        buf_printf(&h, "%s#%s", f, b->anchors[x->anchor].id);
        buf_printf(&t, word(lk, name[kind]), x->number);
        if (*x->caption) buf_printf(&t, "%s%s", lk == LANG_EN ? " " : "\xE3\x80\x80", x->caption);
        EL(w, "li");
        EL(w, "a");
        ATTR(w, "href", h.data);
        TEXT(w, t.data);
        END(w);
        END(w);
        buf_free(&h), buf_free(&t);
        free(f);
    }
    END(w);
    END(w);
}

static bool has_xref(const book_t *b, xref_kind kind) {
    for (size_t i = 0; i < b->n_xrefs; i++)
        if (b->xrefs[i].kind == kind && b->xrefs[i].anchor >= 0) return true;
    return false;
}

void epub_nav(const book_t *b, const toc_t *t, const pagemap_t *pages, bool cover, bool fonts_css,
              buf_t *out) {
    lang_kind lk = lang_kind_of(b->meta.lang);
    xmlBufferPtr xb;
    xmlTextWriterPtr w = writer(&xb, false);
    xmlTextWriterWriteDTD(w, BAD_CAST "html", NULL, NULL, NULL);
    EL(w, "html");
    ATTR(w, "xmlns", "http://www.w3.org/1999/xhtml");
    ATTR(w, "xmlns:epub", "http://www.idpf.org/2007/ops");
    ATTR(w, "xml:lang", b->meta.lang);
    ATTR(w, "lang", b->meta.lang);
    EL(w, "head");
    EL(w, "meta");
    ATTR(w, "charset", "UTF-8");
    END(w);
    EL(w, "title");
    TEXT(w, word(lk, W_CONTENTS));
    END(w);
    EL(w, "link");
    ATTR(w, "rel", "stylesheet");
    ATTR(w, "type", "text/css");
    ATTR(w, "href", "book.css");
    END(w);
    if (fonts_css) {
        EL(w, "link");
        ATTR(w, "rel", "stylesheet");
        ATTR(w, "type", "text/css");
        ATTR(w, "href", EPUB_FONTS_CSS);
        END(w);
    }
    END(w);
    EL(w, "body");
    /* the printed contents pages start here (a nav holds only its heading and list) */
    for (size_t i = 0; pages && i < pages->n; i++)
        if (pages->v[i].chapter == PAGE_CONTENTS) {
            buf_t m;
            buf_init(&m);
            epub_page_marker(&m, &pages->v[i]);
            xmlTextWriterWriteRaw(w, BAD_CAST m.data);
            buf_free(&m);
        }
    EL(w, "nav");
    ATTR(w, "epub:type", "toc");
    ATTR(w, "role", "doc-toc");
    ATTR(w, "id", "toc");
    EL(w, "h1");
    TEXT(w, word(lk, W_CONTENTS));
    END(w);
    tree_ops ops = {nav_ol, end_el, nav_li, end_el};
    walk(w, t, &ops);
    END(w);
    bool lof = b->meta.list_figures && has_xref(b, XREF_FIGURE);
    bool lot = b->meta.list_tables && has_xref(b, XREF_TABLE);
    if (lof) xref_list(w, b, XREF_FIGURE, "loi", W_LIST_OF_FIGURES);
    if (lot) xref_list(w, b, XREF_TABLE, "lot", W_LIST_OF_TABLES);
    EL(w, "nav");
    ATTR(w, "epub:type", "landmarks");
    ATTR(w, "id", "landmarks");
    ATTR(w, "hidden", "hidden");
    EL(w, "h2");
    TEXT(w, word(lk, W_LANDMARKS));
    END(w);
    EL(w, "ol");
    if (cover) landmark(w, "cover", "cover.xhtml", word(lk, W_COVER));
    landmark(w, "titlepage", "title.xhtml", word(lk, W_TITLE_PAGE));
    landmark(w, "toc", "nav.xhtml#toc", word(lk, W_CONTENTS));
    if (lof) landmark(w, "loi", "nav.xhtml#loi", word(lk, W_LIST_OF_FIGURES));
    if (lot) landmark(w, "lot", "nav.xhtml#lot", word(lk, W_LIST_OF_TABLES));
    if (b->n_chapters) landmark(w, "bodymatter", "ch01.xhtml", word(lk, W_BODY_START));
    END(w);
    END(w);
    if (pages && pages->n) page_list(w, b, pages);
    END(w);
    END(w);
    finish(w, xb, out);
}

/* How many navPoints so far share the play order of the one before. */
static size_t ncx_shared;

static void ncx_point(xmlTextWriterPtr w, const toc_entry_t *e, size_t i) {
    char id[32], order[32];
    /* entries are in reading order, so their position is their play order; an
       entry sharing its target with an earlier one (a part and its first
       chapter) shares its play order too, as the NCX requires */
    /* such entries are adjacent (e is &v[i]); the play order has no gaps, so
       count the shared ones so far (entries come in order, i from 0) */
    if (i == 0)
        ncx_shared = 0;
    else if (strcmp(e[-1].href, e->href) == 0)
        ncx_shared++;
    size_t shared = ncx_shared;
    snprintf(id, sizeof id, "nav%zu", i + 1);
    snprintf(order, sizeof order, "%zu", i + 1 - shared);
    EL(w, "navPoint");
    ATTR(w, "id", id);
    ATTR(w, "playOrder", order);
    EL(w, "navLabel");
    EL(w, "text");
    TEXT(w, e->label);
    END(w);
    END(w);
    EL(w, "content");
    ATTR(w, "src", e->href);
    END(w);
}

static void ncx_pages(xmlTextWriterPtr w, const book_t *b, const toc_t *t, const pagemap_t *pages) {
    EL(w, "pageList");
    EL(w, "navLabel");
    EL(w, "text");
    TEXT(w, word(lang_kind_of(b->meta.lang), W_PAGE_LIST));
    END(w);
    END(w);
    for (size_t i = 0; i < pages->n; i++) {
        char id[32], order[32], label[16];
        snprintf(id, sizeof id, "page%zu", i + 1);
        /* after the navMap's points: every page target has a place of its own */
        snprintf(order, sizeof order, "%zu", t->n - ncx_shared + i + 1);
        pagemap_label(&pages->v[i], label, sizeof label);
        char *href = page_href(&pages->v[i]);
        EL(w, "pageTarget");
        ATTR(w, "id", id);
        /* value is a number: the body's pages have one, the roman front matter not */
        ATTR(w, "type", pages->v[i].front ? "front" : "normal");
        if (!pages->v[i].front) ATTR(w, "value", label);
        ATTR(w, "playOrder", order);
        EL(w, "navLabel");
        EL(w, "text");
        TEXT(w, label);
        END(w);
        END(w);
        EL(w, "content");
        ATTR(w, "src", href);
        END(w);
        END(w);
        free(href);
    }
    END(w);
}

void epub_ncx(const book_t *b, const toc_t *t, const pagemap_t *pages, buf_t *out) {
    xmlBufferPtr xb;
    xmlTextWriterPtr w = writer(&xb, true);
    char depth[16];
    snprintf(depth, sizeof depth, "%d", t->max_level + 1);
    EL(w, "ncx");
    ATTR(w, "xmlns", "http://www.daisy.org/z3986/2005/ncx/");
    ATTR(w, "version", "2005-1");
    ATTR(w, "xml:lang", b->meta.lang);
    EL(w, "head");
    char count[16];
    snprintf(count, sizeof count, "%d", pages && pages->n ? pages->v[pages->n - 1].folio : 0);
    char total[16];
    snprintf(total, sizeof total, "%zu", pages ? pages->n : 0);
    const char *metas[][2] = {{"dtb:uid", b->meta.identifier},
                              {"dtb:depth", depth},
                              {"dtb:totalPageCount", total},
                              {"dtb:maxPageNumber", count}};
    for (size_t i = 0; i < 4; i++) {
        EL(w, "meta");
        ATTR(w, "name", metas[i][0]);
        ATTR(w, "content", metas[i][1]);
        END(w);
    }
    END(w);
    EL(w, "docTitle");
    EL(w, "text");
    TEXT(w, b->meta.title);
    END(w);
    END(w);
    EL(w, "navMap");
    tree_ops ops = {nothing, nothing, ncx_point, end_el};
    walk(w, t, &ops);
    END(w);
    if (pages && pages->n) ncx_pages(w, b, t, pages);
    END(w);
    finish(w, xb, out);
}
