#include "../image/image.h"
#include "epub.h"
#include "cover.h"
#include "fonts.h"
#include "html.h"
#include "opf.h"
#include "pageslot.h"
#include "toc.h"
#include "xhtml.h"
#include "zipdeflate.h"
#include "ziplib.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

extern const char ghb_epub_css[];
extern const size_t ghb_epub_css_len;

static const char container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"EPUB/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

/* An entry of the archive, in the order written: deflated all at once at the
   end, on two threads (add_entries), then handed to libzip in this order. */
typedef struct {
    char *name;
    char *data;
    size_t len;
    bool store; /* as it is (the mimetype, images compressed already) */
    bool ok;    /* deflated into z */
    zipdeflated_t z;
} entry_t;

/* Everything added to the archive stays alive until zip_close reads it. */
typedef struct {
    const ziplib_t *zl;
    zip_t *z;
    zip_uint16_t dos_time, dos_date; /* every entry's timestamp, in UTC */
    entry_t *ents;
    size_t n_ents, cap_ents;
    atomic_size_t next_deflate; /* the next entry a deflating thread takes */
    bool failed;
    epub_fonts_t *fonts; /* the fonts to embed, or NULL */
} pkg_t;

/* ZIP's MS-DOS timestamp of t in UTC. libzip's zip_file_set_mtime converts in
   the local zone, which would make the bytes depend on TZ; this needs no
   process-wide setting. DOS time spans 1980-2107 and counts seconds in twos. */
static void dos_stamp(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate) {
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year < 80) tm = (struct tm){.tm_year = 80, .tm_mday = 1};
    if (tm.tm_year > 207)
        tm = (struct tm){
            .tm_year = 207, .tm_mon = 11, .tm_mday = 31, .tm_hour = 23, .tm_min = 59, .tm_sec = 58};
    *ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
    *dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec >> 1));
}

static void add_entry(pkg_t *p, const char *name, char *data, size_t len, bool store) {
    XGROW(p->ents, p->cap_ents, p->n_ents);
    p->ents[p->n_ents++] = (entry_t){xstrdup(name), data, len, store, false, {0}};
}

/* Takes entries in turn until none is left (deflate_all's threads). */
static void *deflate_some(void *arg) {
    pkg_t *p = arg;
    struct libdeflate_compressor *c = NULL;
    for (size_t i; (i = atomic_fetch_add(&p->next_deflate, 1)) < p->n_ents;) {
        entry_t *e = &p->ents[i];
        if (e->store) continue;
        if (!c) c = zipdeflate_compressor();
        e->ok = c && zipdeflate(c, e->data, e->len, &e->z);
    }
    libdeflate_free_compressor(c);
    return NULL;
}

/* #14: the entries are deflated once the page map is in, when the other thread
   is done: this one and a second share them (each entry's bytes are the same
   whichever deflates it). */
static void deflate_all(pkg_t *p) {
    atomic_store(&p->next_deflate, 0);
    pthread_t helper;
    bool two = p->n_ents > 1 && pthread_create(&helper, NULL, deflate_some, p) == 0;
    deflate_some(p);
    if (two) pthread_join(helper, NULL);
}

/* Hands the entries to libzip, in their order. */
static void add_entries(pkg_t *p) {
    const ziplib_t *zl = p->zl;
    deflate_all(p);
    for (size_t i = 0; i < p->n_ents && !p->failed; i++) {
        entry_t *e = &p->ents[i];
        /* deflated by libdeflate (zipdeflate.c), stored ones as they are */
        zip_source_t *s = e->store ? zl->source_buffer(p->z, e->data, e->len, 0)
                          : e->ok  ? zipdeflate_source(zl, p->z, &e->z)
                                   : NULL;
        zip_int64_t idx =
            s ? zl->file_add(p->z, e->name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
        if (idx < 0) {
            if (s) zl->source_free(s);
            p->failed = true;
            return;
        }
        if (e->store) zl->set_file_compression(p->z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        zl->file_set_dostime(p->z, (zip_uint64_t)idx, p->dos_time, p->dos_date, 0);
    }
}

static void add_buf(pkg_t *p, const char *name, buf_t *b) {
    size_t len = b->len;
    add_entry(p, name, buf_detach(b), len, false);
}

static void add_document(pkg_t *p, const book_t *b, int ch, const char *name, const char *title,
                         buf_t *html) {
    buf_t doc;
    buf_init(&doc);
    epub_xhtml(b, ch, title, html->data ? html->data : "", html->len, p->fonts != NULL, &doc);
    buf_free(html);
    if (p->fonts) epub_fonts_scan(p->fonts, doc.data, doc.len);
    char *path = path_join("EPUB", name);
    add_buf(p, path, &doc);
    free(path);
}

static void add_images(pkg_t *p, const book_t *b) {
    for (size_t i = 0; i < b->n_images; i++) {
        size_t len;
        /* the image stage converts WebP to PNG and sanitizes SVG */
        char *data = image_package_bytes(b->images[i].file, b->images[i].src_type, &len);
        if (!data) {
            diag_add(b->diags, DIAG_ERROR, b->images[i].file, 1, 1, "cannot read image");
            p->failed = true;
        } else {
            char *path = path_join("EPUB", b->images[i].package_name);
            /* PNG, JPEG and GIF are compressed already */
            add_entry(p, path, data, len, strcmp(b->images[i].media_type, "image/svg+xml") != 0);
            free(path);
        }
    }
}

/* The cover page: the book's cover image, or one drawn from its title. */
static bool add_cover(pkg_t *p, const book_t *b, const char *font_dir, bool *generated) {
    *generated = false;
    if (b->cover < 0) {
        buf_t png;
        buf_init(&png);
        if (epub_cover_png(b, font_dir, &png) != 0) {
            buf_free(&png);
            return false;
        }
        size_t len = png.len;
        add_entry(p, "EPUB/" EPUB_COVER_PNG, buf_detach(&png), len, true);
        *generated = true;
    }
    buf_t html;
    buf_init(&html);
    buf_puts(&html, "<section class=\"cover\" epub:type=\"cover\"><img role=\"doc-cover\" src=\"");
    xml_escape_attr(&html, *generated ? EPUB_COVER_PNG : b->images[b->cover].package_name);
    buf_puts(&html, "\" alt=\"");
    xml_escape_attr(&html, b->meta.title);
    buf_puts(&html, "\"/></section>");
    add_document(p, b, EPUB_COVER_DOC, "cover.xhtml", b->meta.title, &html);
    return true;
}

/* The title page, with the markers of the printed title page at its start and
   of the pages after it (copyright, blank) at the end of its own section. */
static void title_document(pkg_t *p, const book_t *b, const pagemap_t *pages) {
    buf_t html, x;
    buf_init(&html);
    buf_init(&x);
    epub_titlepage_html(b, &html);
    const char *cut = html.data ? strstr(html.data, "</section>") : NULL;
    size_t at = cut ? (size_t)(cut - html.data) + strlen("</section>") : html.len;
    for (size_t i = 0; pages && i < pages->n; i++)
        if (pages->v[i].chapter == PAGE_TITLE) epub_page_marker(&x, &pages->v[i]);
    buf_put(&x, html.data, at);
    for (size_t i = 0; pages && i < pages->n; i++)
        if (pages->v[i].chapter == PAGE_AFTER_TITLE) epub_page_marker(&x, &pages->v[i]);
    buf_put(&x, html.data + at, html.len - at);
    buf_free(&html);
    add_document(p, b, -1, "title.xhtml", b->meta.title, &x);
}

/* Apple Books shows a book's own fonts only when the book asks for them. */
static const char apple_options[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<display_options>\n"
                                    "  <platform name=\"*\">\n"
                                    "    <option name=\"specified-fonts\">true</option>\n"
                                    "  </platform>\n"
                                    "</display_options>\n";

/* The subsets of the fonts the documents use, their licences and fonts.css. */
static size_t add_fonts(pkg_t *p, epub_file_t **files) {
    *files = NULL;
    if (!p->fonts) return 0;
    size_t n = epub_fonts_finish(p->fonts, files);
    for (size_t i = 0; i < n; i++) {
        char *path = path_join("EPUB", (*files)[i].href);
        add_entry(p, path, (*files)[i].data, (*files)[i].len, false);
        free(path);
    }
    add_entry(p, "META-INF/com.apple.ibooks.display-options.xml", xstrdup(apple_options),
              sizeof apple_options - 1, false);
    return n;
}

/* A chapter written before the page map is known: its document with page
   slots, or ok false when it is to be written again with the map. */
typedef struct {
    buf_t doc;
    pageslots_t slots;
    bool ok;
} early_t;

static early_t *write_early(const book_t *b) {
    early_t *e = xcalloc(b->n_chapters + 1, sizeof *e);
    buf_t html;
    buf_init(&html);
    for (size_t i = 0; i < b->n_chapters; i++) {
        epub_chapter_html_slots(b, (int)i, &e[i].slots, &html);
        e[i].ok = epub_xhtml_slots(b, (int)i, b->chapters[i].title, html.data ? html.data : "",
                                   html.len, e[i].slots.n, &e[i].doc);
        buf_free(&html);
    }
    buf_free(&html);
    return e;
}

/* Chapter i, with its page markers. */
static void add_chapter(pkg_t *p, const book_t *b, size_t i, const pagemap_t *pages,
                        early_t *early) {
    char *name = epub_chapter_file((int)i);
    buf_t x;
    buf_init(&x);
    if (early && early[i].ok &&
        pageslot_fill(&early[i].slots, pages, (int)i, early[i].doc.data, early[i].doc.len, &x)) {
        char *path = path_join("EPUB", name);
        add_buf(p, path, &x);
        free(path);
    } else {
        buf_free(&x);
        epub_chapter_html_paged(b, (int)i, pages, &x);
        add_document(p, b, (int)i, name, b->chapters[i].title, &x);
    }
    buf_free(&x);
    free(name);
    if (early) buf_free(&early[i].doc), pageslot_free(&early[i].slots);
}

static const pagemap_t *nonempty(const pagemap_t *m) {
    return m && m->n ? m : NULL;
}

static void add_contents(pkg_t *p, const book_t *b, const epub_opts_t *o) {
    const char *font_dir = o ? o->font_dir : NULL;
    const pagemap_t *pages = nonempty(o ? o->pages : NULL);
    add_entry(p, "mimetype", xstrdup("application/epub+zip"), 20, true);
    add_entry(p, "META-INF/container.xml", xstrdup(container_xml), sizeof container_xml - 1, false);
    bool generated;
    bool cover = add_cover(p, b, font_dir, &generated);
    /* while the page map is being made: the chapters with page slots */
    early_t *early = NULL;
    if (o && !o->pages && o->wait_pages) {
        if (!p->fonts) early = write_early(b);
        /* libzip (8 M instructions: libcrypto's relocations) is loaded while
           the page list is still being made, the longer of the two threads (#14) */
        ziplib(NULL, 0);
        pages = nonempty(o->wait_pages(o->wait_arg));
    }
    buf_t x;
    buf_init(&x);
    toc_t toc;
    toc_build(b, 3, &toc);
    epub_nav(b, &toc, pages, cover, p->fonts != NULL, &x);
    if (p->fonts) epub_fonts_scan(p->fonts, x.data, x.len);
    add_buf(p, "EPUB/nav.xhtml", &x);
    epub_ncx(b, &toc, pages, &x);
    add_buf(p, "EPUB/toc.ncx", &x);
    toc_free(&toc);
    add_entry(p, "EPUB/book.css", xstrndup(ghb_epub_css, ghb_epub_css_len), ghb_epub_css_len,
              false);
    title_document(p, b, pages);
    for (size_t i = 0; i < b->n_chapters; i++)
        add_chapter(p, b, i, pages, early);
    free(early);
    add_images(p, b);
    /* the package document comes last: it lists the fonts the documents need */
    epub_file_t *files;
    size_t n_files = add_fonts(p, &files);
    epub_opf(b, pages, cover ? (generated ? EPUB_COVER_PNG : "") : NULL, files, n_files, &x);
    add_buf(p, "EPUB/content.opf", &x);
    for (size_t i = 0; i < n_files; i++)
        free(files[i].href);
    free(files);
}

/* Reads the finished archive back out of its in-memory source. */
static int drain(const ziplib_t *zl, zip_source_t *src, buf_t *out) {
    if (zl->source_open(src) < 0) return -1;
    char chunk[65536];
    zip_int64_t r;
    while ((r = zl->source_read(src, chunk, sizeof chunk)) > 0)
        buf_put(out, chunk, (size_t)r);
    zl->source_close(src);
    return r < 0 ? -1 : 0;
}

/* The archive of the entries: libzip only now (#14: loaded first, it delayed
   the whole EPUB by its 2 ms of loading; add_contents loads it while the page
   list is still being made). */
static int archive(pkg_t *p, const book_t *b, buf_t *out) {
    char why[300];
    const ziplib_t *zl = ziplib(why, sizeof why);
    if (!zl) {
        diag_add(b->diags, DIAG_ERROR, "epub", 1, 1, "cannot make the archive: %s", why);
        return -1;
    }
    zip_error_t ze;
    zl->error_init(&ze);
    zip_source_t *src = zl->source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = src ? zl->open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    if (!z) {
        diag_add(b->diags, DIAG_ERROR, "epub", 1, 1, "cannot start the archive: %s",
                 zl->error_strerror(&ze));
        if (src) zl->source_free(src);
        zl->error_fini(&ze);
        return -1;
    }
    zl->source_keep(src);
    p->zl = zl, p->z = z;
    add_entries(p);
    int rc = 0;
    if (p->failed) {
        zl->discard(z);
        diag_add(b->diags, DIAG_ERROR, "epub", 1, 1, "cannot add an entry to the archive");
        rc = -1;
    } else if (zl->close(z) < 0) {
        diag_add(b->diags, DIAG_ERROR, "epub", 1, 1, "cannot write the archive: %s",
                 zl->strerror(z));
        zl->discard(z);
        rc = -1;
    } else if (drain(zl, src, out) != 0) {
        diag_add(b->diags, DIAG_ERROR, "epub", 1, 1, "cannot read the archive back");
        rc = -1;
    }
    zl->source_free(src);
    zl->error_fini(&ze);
    return rc;
}

static int package(const book_t *b, const epub_opts_t *o, buf_t *out) {
    pkg_t p = {0};
    dos_stamp(b->meta.epoch, &p.dos_time, &p.dos_date);
    if (b->meta.epub_embed_fonts) {
        p.fonts = epub_fonts_open(b, o ? o->font_dir : NULL);
        if (!p.fonts)
            diag_add(b->diags, DIAG_WARNING, "epub", 1, 1,
                     "epub-fonts: embed, but the print fonts were not found; no fonts embedded");
    }
    add_contents(&p, b, o);
    int rc = archive(&p, b, out);
    epub_fonts_free(p.fonts);
    for (size_t i = 0; i < p.n_ents; i++)
        free(p.ents[i].name), free(p.ents[i].data), free(p.ents[i].z.data);
    free(p.ents);
    return rc;
}

/* The backends' error contract (epub.h): the writers report through the book
   (book_diag), so they get a view of it whose sink is d. */
int epub_build(const book_t *b, const epub_opts_t *o, diags_t *d, buf_t *out) {
    book_t view = book_with_sink(b, d);
    int before = d->errors;
    if (package(&view, o, out) != 0 || d->errors > before) {
        buf_free(out);
        return -1;
    }
    return 0;
}
