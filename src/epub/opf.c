#include "opf.h"
#include "mathout.h"
#include "html.h"
#include "../book/meta.h"
#include "../book/words.h"
#include "xmlw.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

void epub_timestamp(time_t t, char out[32]) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void dc(xmlTextWriterPtr w, const char *name, const char *id, const char *value) {
    if (!value || !*value) return;
    EL(w, name);
    if (id) ATTR(w, "id", id);
    TEXT(w, value);
    END(w);
}

static void meta(xmlTextWriterPtr w, const char *property, const char *refines, const char *value) {
    EL(w, "meta");
    if (refines) ATTR(w, "refines", refines);
    ATTR(w, "property", property);
    TEXT(w, value);
    END(w);
}

static bool is_w3c_date(const char *d) {
    return d && strlen(d) == 10 && d[4] == '-' && d[7] == '-' && meta_parse_date(d) >= 0;
}

static void metadata(xmlTextWriterPtr w, const book_t *b, const pagemap_t *pages,
                     const char *cover) {
    const meta_t *m = &b->meta;
    char stamp[32];
    epub_timestamp(m->epoch, stamp);
    EL(w, "metadata");
    ATTR(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    dc(w, "dc:identifier", "pub-id", m->identifier);
    dc(w, "dc:title", "title", m->title);
    meta(w, "title-type", "#title", "main");
    if (m->subtitle) {
        dc(w, "dc:title", "subtitle", m->subtitle);
        meta(w, "title-type", "#subtitle", "subtitle");
    }
    /* every author is a creator of their own, in the order the book gives */
    for (size_t i = 0; i < m->n_authors; i++) {
        char id[32], ref[33];
        snprintf(id, sizeof id, i ? "creator%zu" : "creator", i + 1);
        snprintf(ref, sizeof ref, "#%s", id);
        dc(w, "dc:creator", id, m->authors[i]);
        EL(w, "meta");
        ATTR(w, "refines", ref);
        ATTR(w, "property", "role");
        ATTR(w, "scheme", "marc:relators");
        TEXT(w, "aut");
        END(w);
        if (m->n_authors > 1) {
            char seq[24];
            snprintf(seq, sizeof seq, "%zu", i + 1);
            meta(w, "display-seq", ref, seq);
        }
    }
    dc(w, "dc:language", NULL, m->lang);
    if (is_w3c_date(m->date)) dc(w, "dc:date", NULL, m->date);
    dc(w, "dc:publisher", NULL, m->publisher);
    dc(w, "dc:rights", NULL, m->rights);
    dc(w, "dc:description", NULL, m->description);
    dc(w, "dc:source", NULL, m->source_url);
    meta(w, "dcterms:modified", NULL, stamp);
    if (cover) {
        /* EPUB 2 readers find the cover image by this */
        char id[32];
        if (*cover)
            snprintf(id, sizeof id, "cover-image");
        else
            snprintf(id, sizeof id, "img%03ld", b->cover + 1);
        EL(w, "meta");
        ATTR(w, "name", "cover");
        ATTR(w, "content", id);
        END(w);
    }
    meta(w, "schema:accessMode", NULL, "textual");
    if (b->n_images) meta(w, "schema:accessMode", NULL, "visual");
    meta(w, "schema:accessModeSufficient", NULL, "textual");
    bool paged = pages && pages->n;
    const char *features[] = {"structuralNavigation",
                              "tableOfContents",
                              "readingOrder",
                              b->n_images ? "alternativeText" : NULL,
                              paged ? "printPageNumbers" : NULL,
                              paged ? "pageBreakMarkers" : NULL,
                              paged ? "pageNavigation" : NULL};
    for (size_t i = 0; i < sizeof features / sizeof *features; i++)
        if (features[i]) meta(w, "schema:accessibilityFeature", NULL, features[i]);
    if (b->n_maths) meta(w, "schema:accessibilityFeature", NULL, "MathML");
    meta(w, "schema:accessibilityHazard", NULL, "none");
    /* the summary is for readers of the book, so in the book's language */
    EL(w, "meta");
    ATTR(w, "property", "schema:accessibilitySummary");
    ATTR(w, "xml:lang", m->lang);
    TEXT(w, word(lang_kind_of(m->lang), W_A11Y_SUMMARY));
    END(w);
    /* what Ace and EPUB Accessibility 1.1 expect, word for word */
    meta(w, "dcterms:conformsTo", NULL, "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
    /* the page list follows this book's own PDF edition (EPUB 3.2 names the
       pagination source with dc:source and source-of; 3.3's pageBreakSource
       is unknown to epubcheck 4.2) */
    if (paged) {
        dc(w, "dc:source", "print-source", m->identifier);
        meta(w, "source-of", "#print-source", "pagination");
    }
    END(w);
}

static void item(xmlTextWriterPtr w, const char *id, const char *href, const char *type,
                 const char *props) {
    EL(w, "item");
    ATTR(w, "id", id);
    ATTR(w, "href", href);
    ATTR(w, "media-type", type);
    if (props) ATTR(w, "properties", props);
    END(w);
}

static void itemref(xmlTextWriterPtr w, const char *idref) {
    EL(w, "itemref");
    ATTR(w, "idref", idref);
    END(w);
}

static void manifest(xmlTextWriterPtr w, const book_t *b, const char *cover,
                     const epub_file_t *files, size_t n_files) {
    EL(w, "manifest");
    if (cover) item(w, "cover", "cover.xhtml", "application/xhtml+xml", NULL);
    if (cover && *cover) item(w, "cover-image", cover, "image/png", "cover-image");
    item(w, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
    item(w, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
    item(w, "css", "book.css", "text/css", NULL);
    item(w, "titlepage", "title.xhtml", "application/xhtml+xml", NULL);
    for (size_t i = 0; i < b->n_chapters; i++) {
        char id[32];
        char *f = epub_chapter_file((int)i);
        snprintf(id, sizeof id, "ch%02zu", i + 1);
        item(w, id, f, "application/xhtml+xml", epub_chapter_has_math(b, (int)i) ? "mathml" : NULL);
        free(f);
    }
    for (size_t i = 0; i < b->n_images; i++) {
        char id[32];
        snprintf(id, sizeof id, "img%03zu", i + 1);
        bool cover = b->cover == (long)i;
        item(w, id, b->images[i].package_name, b->images[i].media_type,
             cover ? "cover-image" : NULL);
    }
    for (size_t i = 0; i < n_files; i++) {
        char id[32];
        snprintf(id, sizeof id, "file%02zu", i + 1);
        item(w, id, files[i].href, files[i].media_type, NULL);
    }
    END(w);
}

/* Right-to-left scripts turn pages the other way; Chinese set horizontally reads left to right. */
static const char *page_progression(const char *lang) {
    static const char *const rtl[] = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"};
    for (size_t i = 0; i < sizeof rtl / sizeof *rtl; i++)
        if (strncasecmp(lang, rtl[i], 2) == 0 && !isalpha((unsigned char)lang[2])) return "rtl";
    return "ltr";
}

void epub_opf(const book_t *b, const pagemap_t *pages, const char *cover, const epub_file_t *files,
              size_t n_files, buf_t *out) {
    xmlBufferPtr xb = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    EL(w, "package");
    ATTR(w, "xmlns", "http://www.idpf.org/2007/opf");
    ATTR(w, "version", "3.0");
    ATTR(w, "unique-identifier", "pub-id");
    ATTR(w, "xml:lang", b->meta.lang);
    metadata(w, b, pages, cover);
    manifest(w, b, cover, files, n_files);
    EL(w, "spine");
    ATTR(w, "toc", "ncx");
    ATTR(w, "page-progression-direction", page_progression(b->meta.lang));
    if (cover) itemref(w, "cover");
    itemref(w, "titlepage");
    itemref(w, "nav");
    for (size_t i = 0; i < b->n_chapters; i++) {
        char id[32];
        snprintf(id, sizeof id, "ch%02zu", i + 1);
        itemref(w, id);
    }
    END(w);
    END(w);
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    buf_put(out, (const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
    xmlBufferFree(xb);
}
