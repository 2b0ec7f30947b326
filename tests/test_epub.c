/* Tests of the EPUB backend on a crafted book that holds every kind of content. */
#include "check.h"
#include "epub/epub.h"
#include "epub/html.h"
#include "epub/pageslot.h"
#include "epub/palpng.h"
#include "epub/xhtml.h"
#include "fonts/fontset.h"
#include <cmark-gfm-extension_api.h>
#include "testbook.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/xalloc.h"
#include <libxml/parser.h>
#include <stdlib.h>
#include <zip.h>
#include <zlib.h>

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL, NULL})

static const char chapter[] =
    "# 第一章\n\n"
    "段落，见[链接](https://example.com/页)。\n\n"
    "| 左 | 中 | 右 |\n|:--|:-:|--:|\n| a | b | c |\n\n"
    "- [x] 完成\n- [ ] 未完成\n\n"
    "3. 三\n4. 四\n   - 嵌套\n\n"
    "> 引文\n\n---\n\n"
    "```c\nint main(void);\n```\n\n"
    "`inline` ~~删~~ ![图](img/p.png)\n\n"
    "<div class=\"box\"><span class=\"x\">kept</span><script>alert(1)</script><b>open\n\n"
    "<svg><circle/></svg><font color=red>unwrapped</font><!-- a -- b -->\n\n"
    "脚注[^a]。\n\n"
    "#### 跳级\n\n"
    "由[OpenAI](https://example.com/o)发布[^b][^c]，又见[同址](https://example.com/页)。\n\n"
    "[^a]: 脚注内容。\n[^b]: 乙。\n[^c]: 丙。\n";

/* A 1x1 PNG. */
static const unsigned char png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0xf8, 0x0f, 0x04, 0x00, 0x09, 0xfb, 0x03, 0xfd, 0xe3, 0x55, 0xf2, 0x9c,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

static char *entry(zip_t *z, const char *name) {
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0) return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    char *data = xmalloc(st.size + 1);
    zip_int64_t got = f ? zip_fread(f, data, st.size) : -1;
    if (f) zip_fclose(f);
    data[got < 0 ? 0 : got] = '\0';
    return data;
}

static bool well_formed(const char *xml) {
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), NULL, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (d) xmlFreeDoc(d);
    return d != NULL;
}

static void build(testbook_t *t, buf_t *out) {
    testbook_make(t, FILES("book.yaml", "title: 测试书\nauthor: 某人\ndate: 2020-01-02\n",
                           "SUMMARY.md", "# 测试书\n\n- [第一章](one.md)\n", "one.md", chapter,
                           "img/p.png", ""));
    char *path = path_join(t->dir, "img/p.png");
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(png, 1, sizeof png, f);
        fclose(f);
    }
    free(path);
    testbook_load(t);
    buf_init(out);
    CHECK(epub_build(t->book, NULL, &t->diags, out) == 0);
}

static void test_package(void) {
    testbook_t t;
    buf_t out;
    build(&t, &out);
    CHECK(t.diags.errors == 0);
    zip_error_t ze;
    zip_source_t *src = zip_source_buffer_create(out.data, out.len, 0, &ze);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    CHECK(z != NULL);
    if (!z) return;
    zip_stat_t st;
    CHECK(zip_stat_index(z, 0, 0, &st) == 0 && strcmp(st.name, "mimetype") == 0 &&
          st.comp_method == ZIP_CM_STORE);
    char *mt = entry(z, "mimetype");
    CHECK_STR(mt, "application/epub+zip");
    free(mt);
    const char *xml_names[] = {"EPUB/content.opf", "EPUB/nav.xhtml",  "EPUB/toc.ncx",
                               "EPUB/title.xhtml", "EPUB/ch01.xhtml", "META-INF/container.xml"};
    for (size_t i = 0; i < 6; i++) {
        char *x = entry(z, xml_names[i]);
        CHECK(x && well_formed(x));
        free(x);
    }
    char *ch = entry(z, "EPUB/ch01.xhtml");
    CHECK_CONTAINS(
        ch, "<th class=\"al-l\">左</th><th class=\"al-c\">中</th><th class=\"al-r\">右</th>");
    CHECK_CONTAINS(ch, "<td class=\"al-r\">c</td>");
    CHECK_CONTAINS(ch, "<li class=\"task\"><span class=\"task-box\">☑</span> 完成</li>");
    CHECK_CONTAINS(ch, "<ol start=\"3\"><li>三</li><li>四<ul><li>嵌套</li></ul></li></ol>");
    CHECK_CONTAINS(ch, "<blockquote><p>引文</p></blockquote><hr/>");
    /* highlighted (#10): the type names carry the class the CSS colours */
    CHECK_CONTAINS(ch, "<pre><code class=\"language-c\"><span class=\"hl-type\">int</span> "
                       "main(<span class=\"hl-type\">void</span>);\n</code></pre>");
    CHECK_CONTAINS(ch,
                   "<code>inline</code> <del>删</del> <img src=\"images/img001.png\" alt=\"图\"/>");
    CHECK_CONTAINS(ch, "<span class=\"x\">kept</span>");
    CHECK_CONTAINS(ch, "<div class=\"box\">");
    CHECK_CONTAINS(ch, "<strong>open"); /* raw HTML is model structure (#10): b is strong */
    CHECK_CONTAINS(ch, "unwrapped");
    CHECK(!strstr(ch, "<script") && !strstr(ch, "alert") && !strstr(ch, "<svg") &&
          !strstr(ch, "<font") && !strstr(ch, "<!--"));
    /* links: text kept, a note reference without <sup> and with its DPUB-ARIA role,
       "link text：URL" in a footnote aside */
    CHECK_CONTAINS(ch, "<a href=\"https://example.com/页\">链接</a>。<a class=\"noteref\" "
                       "epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn.1\" "
                       "id=\"fnref.1\">1</a>");
    CHECK(!strstr(ch, "<sup"));
    CHECK_CONTAINS(ch, "<section class=\"notes\" epub:type=\"footnotes\" aria-labelledby=\"notes\">"
                       "<h2 class=\"notes-heading\" id=\"notes\">注释</h2>");
    CHECK_CONTAINS(ch, "<aside class=\"note\" epub:type=\"footnote\" role=\"doc-footnote\" "
                       "id=\"fn.1\"><p><a class=\"backlink\" role=\"doc-backlink\" "
                       "href=\"#fnref.1\">1.</a> 链接、同址：<a class=\"url\" "
                       "href=\"https://example.com/页\">https://example.com/页</a></p></aside>");
    CHECK_CONTAINS(ch, "<aside class=\"note\" epub:type=\"footnote\" role=\"doc-footnote\" "
                       "id=\"fn.2\"><p><a class=\"backlink\" role=\"doc-backlink\" "
                       "href=\"#fnref.2\">2.</a> 脚注内容。</p></aside>");
    /* a repeated URL is one note, referred to twice */
    CHECK_CONTAINS(ch, "href=\"#fn.1\" id=\"fnref.1.2\">1</a>");
    CHECK(!strstr(ch, "id=\"fn.7\""));
    /* markers that would touch get a separator, and are numbered as read */
    CHECK_CONTAINS(ch, "id=\"fnref.3\">3</a><span class=\"notesep\">,</span><a class=\"noteref\" "
                       "epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn.4\" "
                       "id=\"fnref.4\">4</a><span class=\"notesep\">,</span><a class=\"noteref\" "
                       "epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn.5\"");
    /* a heading never skips a level; Han and Latin a thin space apart, outside the link */
    CHECK_CONTAINS(ch, "<h2 id=\"跳级\">跳级</h2>");
    CHECK_CONTAINS(ch,
                   "由\xE2\x80\x89<a href=\"https://example.com/o\">OpenAI</a>\xE2\x80\x89发布");
    free(ch);
    char *opf = entry(z, "EPUB/content.opf");
    CHECK_CONTAINS(opf, "href=\"images/img001.png\" media-type=\"image/png\"");
    CHECK_CONTAINS(opf, "<meta property=\"dcterms:modified\">2020-01-02T00:00:00Z</meta>");
    CHECK_CONTAINS(opf, "<dc:language>zh-CN</dc:language>");
    CHECK_CONTAINS(opf, "<meta property=\"schema:accessibilitySummary\" xml:lang=\"zh-CN\">本书");
    CHECK_CONTAINS(opf, "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 "
                        "Level AA</meta>");
    CHECK_CONTAINS(opf, "page-progression-direction=\"ltr\"");
    free(opf);
    char *nav = entry(z, "EPUB/nav.xhtml");
    CHECK_CONTAINS(nav, "epub:type=\"landmarks\"");
    CHECK_CONTAINS(nav, "epub:type=\"toc\" role=\"doc-toc\"");
    CHECK_CONTAINS(nav, "epub:type=\"bodymatter\" href=\"ch01.xhtml\"");
    free(nav);
    CHECK(zip_stat(z, "EPUB/images/img001.png", 0, &st) == 0 && st.size == sizeof png);
    zip_close(z);
    testbook_t t2;
    buf_t again;
    build(&t2, &again);
    CHECK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0);
    buf_free(&again);
    testbook_free(&t2);
    buf_free(&out);
    testbook_free(&t);
}

static void test_source_date_epoch(void) {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    testbook_t t;
    buf_t out;
    build(&t, &out);
    unsetenv("SOURCE_DATE_EPOCH");
    CHECK(t.book->meta.epoch == 1700000000);
    buf_free(&out);
    testbook_free(&t);
}

static zip_t *open_zip(buf_t *out) {
    zip_error_t ze;
    zip_source_t *src = zip_source_buffer_create(out->data, out->len, 0, &ze);
    return zip_open_from_source(src, ZIP_RDONLY, &ze);
}

/* Every author of book.toml is a dc:creator of their own, with the role aut. */
static void test_authors(void) {
    testbook_t t;
    testbook_make(&t, FILES("book.toml",
                            "[book]\ntitle = \"T\"\nauthors = [\"Ann A\", \"Bob B\", \"C C\"]\n",
                            "SUMMARY.md", "- [One](one.md)\n", "one.md", "# One\n\nText.\n"));
    testbook_load(&t);
    buf_t out;
    buf_init(&out);
    CHECK(epub_build(t.book, NULL, &t.diags, &out) == 0);
    zip_t *z = open_zip(&out);
    char *opf = entry(z, "EPUB/content.opf");
    CHECK_CONTAINS(opf, "<dc:creator id=\"creator\">Ann A</dc:creator>");
    CHECK_CONTAINS(opf, "<dc:creator id=\"creator2\">Bob B</dc:creator>");
    CHECK_CONTAINS(opf, "<dc:creator id=\"creator3\">C C</dc:creator>");
    CHECK_CONTAINS(
        opf, "<meta refines=\"#creator3\" property=\"role\" scheme=\"marc:relators\">aut</meta>");
    CHECK(!strstr(opf, "Ann A, Bob B"));
    free(opf);
    zip_close(z);
    buf_free(&out);
    testbook_free(&t);
}

/* epub-fonts: embed puts subsets of the print fonts in the package, names them
   in the manifest and fonts.css, links fonts.css from every document, and
   asks Apple Books to use them. Without the key nothing is embedded. */
static void test_embedded_fonts(void) {
    char *dir = fontset_default_dir(NULL);
    for (int embed = 0; embed < 2; embed++) {
        testbook_t t;
        testbook_make(&t, FILES("book.yaml",
                                embed ? "title: 字体\nlang: zh-CN\nepub-fonts: embed\n"
                                      : "title: 字体\nlang: zh-CN\n",
                                "SUMMARY.md", "- [一](one.md)\n", "one.md",
                                "# 第一章\n\n正文*强调*与**加粗**，`code`。\n\n> 引文\n"));
        testbook_load(&t);
        buf_t out;
        buf_init(&out);
        epub_opts_t o = {NULL, dir};
        CHECK(epub_build(t.book, &o, &t.diags, &out) == 0);
        CHECK(t.diags.errors == 0 && t.diags.warnings == 0);
        zip_t *z = open_zip(&out);
        char *opf = entry(z, "EPUB/content.opf"), *css = entry(z, "EPUB/fonts.css");
        char *ch = entry(z, "EPUB/ch01.xhtml"),
             *apple = entry(z, "META-INF/com.apple.ibooks.display-options.xml");
        if (!embed) {
            CHECK(!css && !apple && !strstr(opf, "font/") && !strstr(ch, "fonts.css"));
        } else {
            CHECK_CONTAINS(apple, "<option name=\"specified-fonts\">true</option>");
            CHECK_CONTAINS(ch, "href=\"fonts.css\"");
            CHECK_CONTAINS(opf, "href=\"fonts.css\" media-type=\"text/css\"");
            CHECK_CONTAINS(opf, "media-type=\"text/plain\""); /* the licences */
            int n_fonts = 0;
            for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
                zip_stat_t st;
                zip_stat_index(z, (zip_uint64_t)i, 0, &st);
                const char *dot = strrchr(st.name, '.');
                if (!dot || (strcmp(dot, ".otf") != 0 && strcmp(dot, ".ttf") != 0)) continue;
                n_fonts++;
                const char *href = st.name + 5; /* after EPUB/ */
                char want[128];
                snprintf(want, sizeof want, "href=\"%s\" media-type=\"font/%s\"", href, dot + 1);
                CHECK_CONTAINS(opf, want);
                snprintf(want, sizeof want, "src: url(\"%s\")", href);
                CHECK_CONTAINS(css, want);
                /* a subset of a few dozen characters, not the font (the CJK ones are 10-20 MB) */
                CHECK(st.size < 40000);
            }
            /* body (Latin, Han), Kai, bold, mono */
            CHECK(n_fonts >= 4);
            CHECK_CONTAINS(css, ":lang(zh) em, :lang(zh) i, blockquote { font-family: \"ghb-kai-");
            CHECK_CONTAINS(css, "html { font-family: \"ghb-body-");
        }
        free(opf);
        free(css);
        free(ch);
        free(apple);
        zip_close(z);
        buf_free(&out);
        testbook_free(&t);
    }
    free(dir);
}

/* What real books brought: a draw.io SVG (HTML <font> in a foreignObject, the
   diagram in svg's content attribute, a link without a title) is mended for
   EPUB's schemas; a bare URL written with Markdown escapes loses the backslash. */
static void test_real_book_repairs(void) {
    testbook_t t;
    testbook_make(
        &t,
        FILES("SUMMARY.md", "- [One](one.md)\n", "one.md",
              "# One\n\nSee https://hub.example.com/\\_/busybox/ now.\n\n![d](d.svg)\n", "d.svg",
              "<svg xmlns=\"http://www.w3.org/2000/svg\" "
              "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
              "width=\"10\" height=\"10\" content=\"&lt;mxfile/&gt;\"><switch><foreignObject "
              "width=\"10\" height=\"10\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><font "
              "color=\"red\" style=\"font-size: 18px;\">Stack</font></div></foreignObject>"
              "<text>Stack</text></switch><a "
              "xlink:href=\"https://example.com/faq\"><text>Why</text></a></svg>"));
    testbook_load(&t);
    buf_t out;
    buf_init(&out);
    CHECK(epub_build(t.book, NULL, &t.diags, &out) == 0);
    zip_t *z = open_zip(&out);
    char *ch = entry(z, "EPUB/ch01.xhtml"), *svg = entry(z, "EPUB/images/img001.svg");
    CHECK_CONTAINS(ch, "href=\"https://hub.example.com/_/busybox/\"");
    CHECK(ch && !strstr(ch, "\\_"));
    CHECK(svg && well_formed(svg));
    CHECK(svg && !strstr(svg, "<font") && !strstr(svg, "content="));
    CHECK_CONTAINS(svg, "<span style=\"color: red; font-size: 18px;\">Stack</span>");
    CHECK_CONTAINS(svg, "<title>Why</title>");
    free(ch);
    free(svg);
    zip_close(z);
    buf_free(&out);
    testbook_free(&t);
}

static const char *frob_name(cmark_syntax_extension *e, cmark_node *n) {
    (void)e, (void)n;
    return "frobnicate";
}

static int frob_contains(cmark_syntax_extension *e, cmark_node *n, cmark_node_type child) {
    (void)e, (void)n, (void)child;
    return 1;
}

/* A node kind the writer does not know (a new extension) is not dropped
   silently: one warning per kind and chapter at its position, and the text
   inside it kept. */
static void test_unknown_node_kind(void) {
    cmark_syntax_extension *ext = cmark_syntax_extension_new("frobnicate");
    cmark_syntax_extension_set_get_type_string_func(ext, frob_name);
    cmark_syntax_extension_set_can_contain_func(ext, frob_contains);
    cmark_node_type kind = cmark_syntax_extension_add_node(1);
    testbook_t t;
    testbook_make(&t, FILES("SUMMARY.md", "- [A](a.md)\n", "a.md", "# A\n\nfirst\n\nsecond\n"));
    testbook_load(&t);
    cmark_node *para = cmark_node_next(cmark_node_first_child(t.book->chapters[0].doc));
    for (int i = 0; i < 2; i++, para = cmark_node_next(para)) {
        cmark_node *x = cmark_node_new_with_ext(kind, ext);
        cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(text, i ? " two-inside" : " one-inside");
        CHECK(cmark_node_append_child(x, text));
        CHECK(cmark_node_append_child(para, x));
    }
    buf_t html;
    buf_init(&html);
    epub_chapter_html(t.book, 0, &html);
    CHECK_CONTAINS(html.data, "first one-inside</p>");
    CHECK_CONTAINS(html.data, "second two-inside</p>");
    CHECK(testbook_has_diag(&t, "a.md:3:1: warning: the EPUB writer does not know Markdown node "
                                "kind 'frobnicate'"));
    CHECK(t.diags.warnings == 1);
    buf_free(&html);
    testbook_free(&t);
    cmark_syntax_extension_free(cmark_get_default_mem_allocator(), ext);
}

/* Pages starting at every block of a chapter and at its end (a page whose
   block sits in a footnote), several at one place, and one at the start. */
static void every_block(const book_t *b, pagemap_t *m) {
    cmark_iter *it = cmark_iter_new(b->chapters[0].doc);
    cmark_event_type ev;
    int folio = 1;
    XGROW(m->v, m->cap, m->n);
    m->v[m->n++] = (pagestart_t){0, NULL, folio++, false};
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) == CMARK_NODE_DOCUMENT) continue;
        for (int k = folio % 3 == 0 ? 2 : 1; k > 0; k--) {
            XGROW(m->v, m->cap, m->n);
            m->v[m->n++] = (pagestart_t){0, n, folio++, false};
        }
    }
    cmark_iter_free(it);
}

/* `epub` alone writes its chapters before the page map is known, with page
   slots filled afterwards: the same bytes as the chapter written with the map,
   or a refusal (the chapter is then written again) where they could differ. */
static void test_page_slots(void) {
    static const char *const chapters[][2] = {
        {"clean",
         "# 章\n\n段落 A 文字。\n\n- 一\n- 二\n\n  段落\n\n> 引文 B\n\n```c\nint x;\n```\n\n"
         "1. 甲\n   - 乙\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n注[^a]。\n\n[^a]: 脚注。\n\n"
         "   更多。\n"},
        {"own id", "# 章\n\n<span id=\"page.3\">x</span>\n\n段落\n"},
        {"repaired", "# 章\n\n<b>open\n\n段落\n"},
        {"own slot", "# 章\n\n<?ghb-page 1?>\n\n段落\n"},
        {"raw", "# 章\n\n<div>\n中</div>\n\n<span>A</span> 文\n"},
    };
    for (size_t c = 0; c < sizeof chapters / sizeof *chapters; c++) {
        testbook_t t;
        testbook_make(&t, FILES("SUMMARY.md", "- [A](a.md)\n", "a.md", chapters[c][1]));
        testbook_load(&t);
        pagemap_t m = {0};
        every_block(t.book, &m);
        buf_t html, direct, early, filled;
        buf_init(&html), buf_init(&direct), buf_init(&early), buf_init(&filled);
        epub_chapter_html_paged(t.book, 0, &m, &html);
        epub_xhtml(t.book, 0, "A", html.data, html.len, false, &direct);
        buf_free(&html);
        pageslots_t s = {0};
        epub_chapter_html_slots(t.book, 0, &s, &html);
        bool ok = epub_xhtml_slots(t.book, 0, "A", html.data, html.len, s.n, &early);
        if (c == 0) {
            CHECK(ok && s.n > 10);
            CHECK(pageslot_fill(&s, &m, 0, early.data, early.len, &filled));
            CHECK(strstr(direct.data, "id=\"page.1\"") && strstr(direct.data, "id=\"page.2\""));
            CHECK(filled.len == direct.len && memcmp(filled.data, direct.data, direct.len) == 0);
            /* no page map: no markers, as written without one */
            buf_free(&filled), buf_free(&direct), buf_free(&html);
            epub_chapter_html(t.book, 0, &html);
            epub_xhtml(t.book, 0, "A", html.data, html.len, false, &direct);
            CHECK(pageslot_fill(&s, NULL, 0, early.data, early.len, &filled));
            CHECK(filled.len == direct.len && memcmp(filled.data, direct.data, direct.len) == 0);
        } else if (c < 3) {
            if (ok) fprintf(stderr, "%s: slots accepted\n", chapters[c][0]);
            CHECK(!ok);
        } else if (ok) { /* accepted: then the same */
            CHECK(pageslot_fill(&s, &m, 0, early.data, early.len, &filled));
            CHECK(filled.len == direct.len && memcmp(filled.data, direct.data, direct.len) == 0);
        }
        /* a slot out of order is refused */
        if (c == 0 && s.n > 1) {
            s.n--;
            buf_free(&filled);
            CHECK(!pageslot_fill(&s, &m, 0, early.data, early.len, &filled));
        }
        buf_free(&html), buf_free(&direct), buf_free(&early), buf_free(&filled);
        pageslot_free(&s);
        pagemap_free(&m);
        if (c == 0) {
            /* a marker parts a run of text (no thin space between 中 and A then):
               a slot there is refused, one between blocks is not */
            static const char run[] = "<p>中<?ghb-page 0?>A</p>",
                              blocks[] = "<p>中</p><?ghb-page 0?><p>A</p>";
            CHECK(!epub_xhtml_slots(t.book, 0, "A", run, sizeof run - 1, 1, &early));
            buf_free(&early);
            CHECK(epub_xhtml_slots(t.book, 0, "A", blocks, sizeof blocks - 1, 1, &early));
            buf_free(&early);
        }
        testbook_free(&t);
    }
}

/* The whole package is the same whether the page map is given or waited for. */
static pagemap_t *waited_map;
static int waits;
static const pagemap_t *wait_map(void *arg) {
    (void)arg;
    waits++;
    return waited_map;
}

static void test_waited_pages(void) {
    testbook_t t;
    testbook_make(&t, FILES("book.yaml", "title: 页\ndate: 2020-01-02\n", "SUMMARY.md",
                            "- [A](a.md)\n- [B](b.md)\n", "a.md", chapter, "b.md",
                            "# 乙\n\n段落。\n\n- 一\n- 二\n\n> 引文\n"));
    testbook_load(&t);
    pagemap_t m = {0};
    every_block(t.book, &m);
    for (size_t i = 0; i < m.n; i++)
        if (i % 2) m.v[i].chapter = 1, m.v[i].node = NULL;
    pagemap_add_front(&m, 3, 2);
    waited_map = &m;
    buf_t given, waited;
    buf_init(&given), buf_init(&waited);
    epub_opts_t a = {&m, NULL, NULL, NULL}, b = {NULL, NULL, wait_map, NULL};
    CHECK(epub_build(t.book, &a, &t.diags, &given) == 0);
    CHECK(epub_build(t.book, &b, &t.diags, &waited) == 0);
    CHECK(waits == 1);
    CHECK(given.len > 0 && given.len == waited.len &&
          memcmp(given.data, waited.data, given.len) == 0);
    buf_free(&given), buf_free(&waited);
    pagemap_free(&m);
    testbook_free(&t);
}

/* The palette PNG (#14): rows not marked inked are written as copies of one
   deflated run of blank rows. Whatever the pattern of blank and inked rows,
   the file must decode (CRCs, zlib's Adler-32) to exactly the filtered rows. */
static bool png_decodes_to(const buf_t *png, const unsigned char *px, int w, int h) {
    const unsigned char *d = (const unsigned char *)png->data;
    if (png->len < 8 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) != 0) return false;
    buf_t idat;
    buf_init(&idat);
    bool ok = true;
    for (size_t i = 8; ok && i + 12 <= png->len;) {
        size_t n = (size_t)d[i] << 24 | (size_t)d[i + 1] << 16 | (size_t)d[i + 2] << 8 | d[i + 3];
        if (i + 12 + n > png->len) return buf_free(&idat), false;
        uint32_t crc = (uint32_t)d[i + 8 + n] << 24 | (uint32_t)d[i + 9 + n] << 16 |
                       (uint32_t)d[i + 10 + n] << 8 | d[i + 11 + n];
        ok = crc == (uint32_t)crc32(0, d + i + 4, (uInt)(n + 4));
        if (memcmp(d + i + 4, "IDAT", 4) == 0) buf_put(&idat, (const char *)d + i + 8, n);
        i += 12 + n;
    }
    size_t row = (size_t)w + 1, want = row * (size_t)h;
    unsigned char *raw = xmalloc(want + 1);
    uLongf got = want + 1;
    ok = ok && uncompress(raw, &got, (const Bytef *)idat.data, idat.len) == Z_OK && got == want;
    for (int r = 0; ok && r < h; r++)
        ok = raw[r * row] == 0 && memcmp(raw + r * row + 1, px + (size_t)r * w, (size_t)w) == 0;
    free(raw);
    buf_free(&idat);
    return ok;
}

static void test_palette_png(void) {
    enum { W = 97, H = 301 };
    static unsigned char px[W * H];
    static bool inked[H];
    const unsigned char pal[6] = {1, 2, 3, 250, 251, 252};
    srand(7);
    /* all blank; all inked; blank runs shorter and longer than the copied block,
       at the start, in the middle and at the end */
    for (int pattern = 0; pattern < 6; pattern++) {
        memset(px, 0, sizeof px);
        for (int r = 0; r < H; r++) {
            inked[r] = pattern == 1 || (pattern == 2 && r % 40 == 5) ||
                       (pattern == 3 && r >= 100 && r < 103) || (pattern == 4 && rand() % 7 == 0) ||
                       (pattern == 5 && r > 0 && r < H - 1 && (r / 33) % 2 == 1);
            for (int x = 0; inked[r] && x < W; x++)
                px[r * W + x] = (unsigned char)(rand() % 3 == 0 ? rand() % 2 : 0);
        }
        buf_t out;
        buf_init(&out);
        CHECK(palpng_write(px, W, H, inked, pal, 2, &out) == 0);
        CHECK(png_decodes_to(&out, px, W, H));
        buf_free(&out);
    }
    buf_t out;
    buf_init(&out);
    CHECK(palpng_write(px, W, H, inked, pal, 0, &out) == -1); /* no palette */
    CHECK(out.len == 0);
    buf_free(&out);
}

int main(void) {
    test_palette_png();
    test_unknown_node_kind();
    test_package();
    test_real_book_repairs();
    test_authors();
    test_embedded_fonts();
    test_source_date_epoch();
    test_page_slots();
    test_waited_pages();
    return check_done();
}
