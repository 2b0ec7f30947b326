/* The front matter: the shared model (src/book/front.c: what the title and
   copyright pages say, and the contents list) and the PDF's front pages set
   from it (src/pdf/front.c). */
#include "book/front.h"
#include "book/rawhtml.h"
#include "check.h"
#include "fonts/fontset.h"
#include "layout/para.h"
#include "pdf/front.h"
#include "layout/style.h"
#include "testbook.h"
#include "util/buf.h"
#include "util/utf8.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL, NULL})

static const char full_yaml[] = "title: 书名\n"
                                "subtitle: 副题\n"
                                "author: 某人\n"
                                "author-links:\n"
                                "  - text: \"@someone\"\n"
                                "    url: https://example.com/a\n"
                                "  - text: blog\n"
                                "    url: https://example.com/b\n"
                                "lang: zh-CN\n"
                                "date: 2024-06-05\n"
                                "date-text: 2024 年 6 月 5 日\n"
                                "version: v0.1\n"
                                "version-url: https://example.com/v\n"
                                "identifier: urn:isbn:978-7-111-11111-1\n"
                                "rights: 版权所有\n"
                                "source:\n"
                                "  text: example.com/src\n"
                                "  url: https://example.com/src\n";

static void load(testbook_t *t, const char *yaml) {
    testbook_make(t, FILES("book.yaml", yaml, "SUMMARY.md", "- [一](one.md)\n", "one.md",
                           "# 一\n\n文字。\n"));
    testbook_load(t);
}

/* Every line the metadata has, in the copyright page's order, with the
   fallbacks decided once for both backends. */
static void test_lines(void) {
    /* the imprint's date is UTC: at noon UTC, a zone 14 hours ahead is already
       on the next day, and must not move it */
    setenv("TZ", "Pacific/Kiritimati", 1);
    tzset();
    setenv("SOURCE_DATE_EPOCH", "1717588800", 1); /* 2024-06-05 12:00 UTC */
    testbook_t t;
    load(&t, full_yaml);
    front_matter_t fm;
    front_matter_build(t.book, &fm);
    const front_kind want[] = {FRONT_TITLE,       FRONT_SUBTITLE,    FRONT_AUTHOR,  FRONT_SOURCE,
                               FRONT_AUTHOR_LINK, FRONT_AUTHOR_LINK, FRONT_EDITION, FRONT_RIGHTS,
                               FRONT_ISBN,        FRONT_IMPRINT};
    CHECK(fm.n == sizeof want / sizeof *want);
    for (size_t i = 0; i < fm.n && i < sizeof want / sizeof *want; i++)
        CHECK(fm.v[i].kind == want[i]);
    CHECK(fm.lang == LANG_ZH_HANS);
    CHECK_STR(front_line(&fm, FRONT_TITLE)->text, "书名");
    const front_line_t *src = front_line(&fm, FRONT_SOURCE);
    CHECK_STR(src->text, "example.com/src");
    CHECK_STR(src->url, "https://example.com/src");
    CHECK_STR(fm.v[4].text, "@someone");
    CHECK_STR(fm.v[5].url, "https://example.com/b");
    const front_line_t *ed = front_line(&fm, FRONT_EDITION);
    CHECK_STR(ed->text, "v0.1");
    CHECK_STR(ed->date, "2024 年 6 月 5 日"); /* the date as written wins over the ISO date */
    CHECK_STR(ed->url, "https://example.com/v");
    CHECK_STR(front_line(&fm, FRONT_ISBN)->text, "ISBN 978-7-111-11111-1");
    CHECK_STR(front_line(&fm, FRONT_IMPRINT)->text,
              "由 ghb-book " GHB_VERSION " 排版，构建日期 2024-06-05。");
    front_matter_free(&fm);
    testbook_free(&t);
    unsetenv("TZ");
    unsetenv("SOURCE_DATE_EPOCH");
    tzset();
}

/* A book with nothing but a title: no empty lines, no edition, no ISBN; the
   source falls back to its URL as its name; English words. */
static void test_sparse(void) {
    testbook_t t;
    load(&t, "title: Plain\nlang: en\ndate: 2020-01-02\nsource:\n  url: https://example.com/s\n");
    front_matter_t fm;
    front_matter_build(t.book, &fm);
    CHECK(front_line(&fm, FRONT_SUBTITLE) == NULL);
    CHECK(front_line(&fm, FRONT_ISBN) == NULL);
    CHECK(front_line(&fm, FRONT_RIGHTS) == NULL);
    const front_line_t *ed = front_line(&fm, FRONT_EDITION);
    CHECK(ed && ed->text == NULL && ed->url == NULL);
    CHECK(ed && ed->date && strcmp(ed->date, "2020-01-02") == 0);
    CHECK_STR(front_line(&fm, FRONT_SOURCE)->text, "https://example.com/s");
    CHECK_STR(front_line(&fm, FRONT_IMPRINT)->text,
              "Typeset by ghb-book " GHB_VERSION " on 2020-01-02.");
    front_matter_free(&fm);
    testbook_free(&t);
}

static void test_isbn(void) {
    char *s;
    CHECK_STR(s = front_isbn("urn:isbn:9787111111111"), "9787111111111");
    free(s);
    CHECK_STR(s = front_isbn("ISBN:0-306-40615-2"), "0-306-40615-2");
    free(s);
    CHECK_STR(s = front_isbn("978 7 111 11111 1"), "978 7 111 11111 1");
    free(s);
    CHECK_STR(s = front_isbn("0-8044-2957-X"), "0-8044-2957-X");
    free(s);
    CHECK(front_isbn("urn:uuid:6f1c2a52-8d3e-4b7a-9c55-2e0d8f4b1a37") == NULL);
    CHECK(front_isbn("12345") == NULL);
    CHECK(front_isbn("X-306-40615-2") == NULL);
    CHECK(front_isbn("97871111111112") == NULL); /* 14 digits */
    CHECK(front_isbn(NULL) == NULL);
}

static const char *const contents_book[] = {
    "SUMMARY.md",
    "# Summary\n\n# Guide\n\n- [One](one.md)\n  - [One A](one-a.md)\n\n# Reference\n\n- "
    "[Two](two.md)\n",
    "one.md",
    "# One\n\n## One-two\n\n### One-three\n\n#### One-four\n\n- item\n\n  ## In a list\n",
    "one-a.md",
    "# One A\n\ntext\n",
    "two.md",
    "## Two\n\n## Two-two\n",
    NULL,
    NULL};

/* Parts, nesting and heading depths, in reading order; the same list the PDF's
   contents, its outline and the EPUB's nav are made from. */
static void test_contents(void) {
    testbook_t t;
    testbook_make(&t, contents_book);
    testbook_load(&t);
    contents_t c;
    contents_build(t.book, 3, &c);
    struct {
        const char *label;
        int depth, chapter;
        bool part, heading;
    } want[] = {{"Guide", 0, 0, true, false},   {"One", 0, 0, false, false},
                {"One-two", 1, 0, false, true}, {"One-three", 2, 0, false, true},
                {"One A", 1, 1, false, false},  {"Reference", 0, 2, true, false},
                {"Two", 0, 2, false, false},    {"Two-two", 1, 2, false, true}};
    size_t n = sizeof want / sizeof *want;
    CHECK(c.n == n);
    for (size_t i = 0; i < c.n && i < n; i++) {
        CHECK_STR(c.v[i].label, want[i].label);
        CHECK(c.v[i].depth == want[i].depth);
        CHECK(c.v[i].chapter == want[i].chapter);
        CHECK(c.v[i].part == want[i].part);
        CHECK((c.v[i].anchor >= 0) == want[i].heading);
        if (c.v[i].anchor >= 0)
            CHECK(t.book->anchors[c.v[i].anchor].heading >= 0 &&
                  strcmp(t.book->headings[t.book->anchors[c.v[i].anchor].heading].text,
                         c.v[i].label) == 0);
    }
    contents_free(&c);
    contents_build(t.book, 2, &c); /* level 3 left out */
    CHECK(c.n == n - 1);
    for (size_t i = 0; i < c.n; i++)
        CHECK(strcmp(c.v[i].label, "One-three") != 0);
    contents_free(&c);
    testbook_free(&t);
}

/* The text a page's glyph runs spell, line by line. */
static char *page_text(const vlist_t *v) {
    buf_t s;
    buf_init(&s);
    for (size_t i = 0; i < v->n; i++)
        for (size_t k = 0; k < v->v[i].n_ops; k++) {
            const line_t *l = &v->v[i].ops[k].line;
            for (size_t g = 0; g < l->n; g++) {
                char u[5] = {0};
                if (l->g[g].nchars) u[utf8_encode(l->g[g].cp, u)] = 0;
                buf_puts(&s, u);
            }
            if (l->n) buf_putc(&s, '\n');
        }
    return buf_detach(&s);
}

/* The PDF's front pages from the model: the copyright page prints what the
   model says, each URL is a link, the contents open a right-hand page and
   link each entry to its page, and the front matter has an even page count. */
static void test_pdf_front(void) {
    testbook_t t;
    load(&t, full_yaml);
    print_t ps;
    CHECK(print_load(&ps, NULL, &t.diags) == 0);
    char *dir = fontset_default_dir(NULL);
    const char *chains[ROLE_COUNT][CHAIN_MAX] = {{0}};
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int k = 0; k < CHAIN_MAX; k++)
            chains[r][k] = r == ROLE_MATH ? NULL : ps.fonts[r][k];
    fontset_t *fs = fontset_open(dir, chains, &t.diags);
    free(dir);
    CHECK(fs && t.diags.errors == 0);
    if (!fs) return;
    toc_item_t toc[] = {{1, "一", 0, 500}, {2, "一之一", 3, 300}};
    front_t f;
    front_build(&f, t.book, fs, &ps, toc, 2);
    CHECK(f.n % 2 == 0);
    CHECK(f.toc_first == 2);
    char *title = page_text(&f.pages[0]);
    CHECK_CONTAINS(title, "书名");
    /* spaces are glue, not glyphs: "v0.1　2024 年 6 月 5 日" */
    CHECK_CONTAINS(title, "v0.12024年6月5日");
    char *copy = page_text(&f.pages[1]);
    CHECK_CONTAINS(copy, "来源：https://example.com/src");
    CHECK_CONTAINS(copy, "@someone：https://example.com/a");
    CHECK_CONTAINS(copy, "版本v0.1：https://example.com/v");
    CHECK_CONTAINS(copy, "版权所有\nISBN978-7-111-11111-1\n由ghb-book");
    char *contents = page_text(&f.pages[f.toc_first]);
    CHECK_CONTAINS(contents, "目录");
    CHECK_CONTAINS(contents, "一之一");
    /* four URLs on the copyright page, then one destination per contents entry */
    CHECK(f.n_links == 6);
    if (f.n_links == 6) {
        CHECK_STR(f.links[0].uri, "https://example.com/src");
        CHECK_STR(f.links[3].uri, "https://example.com/v");
        CHECK(f.links[5].uri == NULL && f.links[5].page == 3 && f.links[5].y == 300);
    }
    free(title), free(copy), free(contents);
    front_free(&f);
    fontset_free(fs);
    print_free(&ps);
    para_release();
    testbook_free(&t);
}

/* The one raw-HTML -> text policy, for an HTML block that stays raw (a table
   with spans): what the PDF prints is what the EPUB shows. */
static void test_raw_html_text(void) {
    char *t = rawhtml_text("<table><tr><td colspan=\"2\">A &amp; B &lt;x&gt; caf&eacute; "
                           "&#x4E2D;</td></tr><!-- hidden > LEAK --><tr><td>c<br>e</td>"
                           "<td><script>LEAK</script><style>p{LEAK}</style><b>d</b>"
                           "<x-custom>kept</x-custom></td></tr></table>"
                           "<div title=\"a > b\">after</div>");
    CHECK(t && !strstr(t, "LEAK") && !strstr(t, "&amp;") && !strstr(t, "&#") && !strstr(t, "\"") &&
          !strstr(t, "b>") && !strstr(t, "td"));
    CHECK_CONTAINS(t, "A & B <x> café 中");
    CHECK_CONTAINS(t, "c e");     /* a line break is a space */
    CHECK_CONTAINS(t, " dkept "); /* inline elements join, cells do not */
    CHECK_CONTAINS(t, " after ");
    free(t);
    t = rawhtml_text("");
    CHECK_STR(t, "");
    free(t);
}

int main(void) {
    test_raw_html_text();
    test_lines();
    test_sparse();
    test_isbn();
    test_contents();
    test_pdf_front();
    return check_done();
}
