#include "opf.h"
#include "mathout.h"
#include "html.h"
#include "../book/meta.h"
#include "xmlw.h"
#include <stdlib.h>
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

static void metadata(xmlTextWriterPtr w, const book_t *b) {
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
    if (m->author) {
        dc(w, "dc:creator", "creator", m->author);
        EL(w, "meta");
        ATTR(w, "refines", "#creator");
        ATTR(w, "property", "role");
        ATTR(w, "scheme", "marc:relators");
        TEXT(w, "aut");
        END(w);
    }
    dc(w, "dc:language", NULL, m->lang);
    if (is_w3c_date(m->date)) dc(w, "dc:date", NULL, m->date);
    dc(w, "dc:publisher", NULL, m->publisher);
    dc(w, "dc:rights", NULL, m->rights);
    dc(w, "dc:description", NULL, m->description);
    dc(w, "dc:source", NULL, m->source_url);
    meta(w, "dcterms:modified", NULL, stamp);
    meta(w, "schema:accessMode", NULL, "textual");
    if (b->n_images) meta(w, "schema:accessMode", NULL, "visual");
    meta(w, "schema:accessModeSufficient", NULL, "textual");
    const char *features[] = {"structuralNavigation", "tableOfContents", "readingOrder",
                              b->n_images ? "alternativeText" : NULL};
    for (size_t i = 0; i < 4; i++)
        if (features[i]) meta(w, "schema:accessibilityFeature", NULL, features[i]);
    if (b->n_maths) meta(w, "schema:accessibilityFeature", NULL, "MathML");
    meta(w, "schema:accessibilityHazard", NULL, "none");
    meta(w, "schema:accessibilitySummary", NULL,
         "Text in reading order with structural navigation: a nested table of contents, "
         "headings, and footnotes that give the address of every link.");
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

static void manifest(xmlTextWriterPtr w, const book_t *b) {
    EL(w, "manifest");
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
    END(w);
}

void epub_opf(const book_t *b, buf_t *out) {
    xmlBufferPtr xb = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    EL(w, "package");
    ATTR(w, "xmlns", "http://www.idpf.org/2007/opf");
    ATTR(w, "version", "3.0");
    ATTR(w, "unique-identifier", "pub-id");
    ATTR(w, "xml:lang", b->meta.lang);
    metadata(w, b);
    manifest(w, b);
    EL(w, "spine");
    ATTR(w, "toc", "ncx");
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
