/* Unit tests of the loader: autolinks, line joining, anchors, SUMMARY.md,
   links, notes, includes, metadata and diagnostics with their positions. */
#include "book/autolink.h"
#include "book/index.h"
#include "book/mdutil.h"
#include "check.h"
#include "book/clean.h"
#include "testbook.h"
#include "util/xalloc.h"
#include <stdlib.h>

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL, NULL})

/* The first node of a type under n, in document order. */
static cmark_node *find(cmark_node *n, cmark_node_type type, int skip) {
    cmark_iter *it = cmark_iter_new(n);
    cmark_node *found = NULL;
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(x) == type && skip-- == 0) found = x;
    }
    cmark_iter_free(it);
    return found;
}

static char *para_text(cmark_node *doc, int k) {
    return md_plain_text(find(doc, CMARK_NODE_PARAGRAPH, k));
}

static void test_autolink_scan(void) {
    const char *s = "http://d2l.ai\xef\xbc\x89\xe4\xb8\x80"; /* http://d2l.ai）一 */
    CHECK(autolink_scan(s, strlen(s)) == strlen("http://d2l.ai"));
    CHECK(autolink_scan("https://x.org/a.", 16) == 15);    /* trailing dot is not the URL's */
    CHECK(autolink_scan("https://x.org/a_(b)", 19) == 19); /* balanced parentheses stay */
    CHECK(autolink_scan("https://x.org/a)", 16) == 15);    /* an unbalanced one does not */
    CHECK(autolink_scan("www.foo.com/x?y=1&z=2", 21) == 21);
    CHECK(autolink_scan("http://", 7) == 0);
    CHECK(autolink_scan("ftp://x.org", 11) == 0);
}

static void test_autolink_in_chinese(void) {
    testbook_t t;
    testbook_make(&t, FILES("SUMMARY.md", "- [A](a.md)\n", "a.md",
                            "# A\n\n较新的《深入浅出深度学习》（http://d2l.ai）一书涵盖了。\n\n"
                            "两个：（https://a.com/x）和（https://b.org/y/）都在。\n\n"
                            "www.example.com，好。\n"));
    book_t *b = testbook_load(&t);
    cmark_node *doc = b->chapters[0].doc;
    cmark_node *l1 = find(doc, CMARK_NODE_LINK, 0), *l2 = find(doc, CMARK_NODE_LINK, 1),
               *l3 = find(doc, CMARK_NODE_LINK, 2), *l4 = find(doc, CMARK_NODE_LINK, 3);
    CHECK_STR(cmark_node_get_url(l1), "http://d2l.ai");
    CHECK_STR(cmark_node_get_literal(cmark_node_next(l1)), "）一书涵盖了。");
    CHECK_STR(cmark_node_get_url(l2), "https://a.com/x");
    CHECK_STR(cmark_node_get_url(l3), "https://b.org/y/");
    CHECK_STR(cmark_node_get_url(l4), "http://www.example.com");
    char *p = para_text(doc, 1);
    CHECK_STR(p, "两个：（https://a.com/x）和（https://b.org/y/）都在。");
    free(p);
    /* a link whose text is its URL gets no note; "www." shows less than its URL */
    CHECK(b->n_notes == 1);
    CHECK(t.diags.errors == 0);
    testbook_free(&t);
}

static void test_line_joining(void) {
    testbook_t t;
    testbook_make(&t, FILES("SUMMARY.md", "- [A](a.md)\n", "a.md",
                            "中文\n接着写\n\nLatin\nwords\n\n中文\nLatin\n\n**加粗**\n文字\n"));
    book_t *b = testbook_load(&t);
    cmark_node *doc = b->chapters[0].doc;
    char *p0 = para_text(doc, 0), *p1 = para_text(doc, 1), *p2 = para_text(doc, 2),
         *p3 = para_text(doc, 3);
    CHECK_STR(p0, "中文接着写");
    CHECK_STR(p1, "Latin words");
    CHECK_STR(p2, "中文 Latin");
    CHECK_STR(p3, "加粗文字"); /* the break is seen through the emphasis */
    free(p0), free(p1), free(p2), free(p3);
    testbook_free(&t);
}

static void test_slugs(void) {
    char *s;
    CHECK_STR((s = anchor_slug("人工智能领域")), "人工智能领域");
    free(s);
    CHECK_STR((s = anchor_slug("低秩适配器（LoRA）")), "低秩适配器lora");
    free(s);
    CHECK_STR((s = anchor_slug("Hello, World! 2")), "hello-world-2");
    free(s);
    CHECK_STR((s = anchor_xml_id("3d-模型")), "h-3d-模型");
    free(s);
    CHECK_STR((s = anchor_xml_id("")), "section");
    free(s);
}

static void test_anchors_and_links(void) {
    testbook_t t;
    testbook_make(&t, FILES("SUMMARY.md", "# Book\n\n- [A](a.md)\n  - [B](sub/b.md)\n", "a.md",
                            "# A\n\n## 总结\n\n## 总结\n\n见 [这里](#总结-1)、[B "
                            "节](sub/b.md#细节)和[B](sub/b.md)。\n"
                            "[坏](#没有)\n",
                            "sub/b.md", "# B\n\n### 细节\n\n[回](../a.md#a) [html](../a.html)\n"));
    book_t *b = testbook_load(&t);
    CHECK(b->n_chapters == 2);
    CHECK(b->chapters[1].depth == 1);
    CHECK_STR(b->meta.title, "Book"); /* no book.yaml: SUMMARY.md's heading */
    /* a repeated heading is numbered as GitHub does, without a word */
    CHECK(
        !testbook_has_diag(&t, "a.md:5:1: warning: duplicate anchor '总结'; this one is '总结-1'"));
    cmark_node *doc = b->chapters[0].doc;
    link_t *l0 = book_link_of(b, find(doc, CMARK_NODE_LINK, 0));
    link_t *l1 = book_link_of(b, find(doc, CMARK_NODE_LINK, 1));
    link_t *l2 = book_link_of(b, find(doc, CMARK_NODE_LINK, 2));
    link_t *l3 = book_link_of(b, find(doc, CMARK_NODE_LINK, 3));
    CHECK(l0 && l0->kind == LINK_INTERNAL && l0->target_chapter == 0);
    CHECK(l0 && l0->target_anchor >= 0 && strcmp(b->anchors[l0->target_anchor].id, "总结-1") == 0);
    CHECK(l1 && l1->kind == LINK_INTERNAL && l1->target_chapter == 1 &&
          strcmp(b->anchors[l1->target_anchor].key, "细节") == 0);
    CHECK(l2 && l2->kind == LINK_INTERNAL && l2->target_chapter == 1 && l2->target_anchor < 0);
    CHECK(l3 && l3->kind == LINK_DEAD);
    CHECK(testbook_has_diag(&t, "a.md:8:1: warning: unresolved link: no anchor '#没有' in a.md"));
    cmark_node *bdoc = b->chapters[1].doc;
    link_t *back = book_link_of(b, find(bdoc, CMARK_NODE_LINK, 0));
    link_t *html = book_link_of(b, find(bdoc, CMARK_NODE_LINK, 1));
    CHECK(back && back->kind == LINK_INTERNAL && back->target_chapter == 0);
    CHECK(html && html->kind == LINK_INTERNAL &&
          html->target_chapter == 0); /* mdBook .html names */
    CHECK(t.diags.errors == 0);
    testbook_free(&t);
}

static void test_link_errors(void) {
    testbook_t t;
    testbook_make(&t,
                  FILES("SUMMARY.md", "- [A](a.md)\n", "a.md",
                        "# A\n\n[x](missing.md) and [y](../../etc/passwd) and ![i](nope.png)\n"));
    book_t *b = testbook_load(&t);
    /* lenient: each problem is one warning, the build goes on */
    CHECK(testbook_has_diag(&t, "a.md:3:1: warning: link to missing file 'missing.md'"));
    CHECK(testbook_has_diag(&t, "warning: link '../../etc/passwd' leaves the project folder"));
    CHECK(testbook_has_diag(&t, "a.md:3:47: warning: missing image 'nope.png'"));
    CHECK(t.diags.errors == 0 && t.diags.warnings == 3);
    /* the image is replaced by a visible placeholder in the model (both outputs) */
    char *p = para_text(b->chapters[0].doc, 0);
    CHECK(strstr(p, "[missing image: nope.png]") != NULL);
    CHECK(find(b->chapters[0].doc, CMARK_NODE_IMAGE, 0) == NULL);
    free(p);
    testbook_free(&t);
}

static void test_summary(void) {
    testbook_t t;
    testbook_make(&t, FILES("SUMMARY.md",
                            "# T\n\n[Intro](intro.md)\n\n- [One](one.md)\n  - [Two](two.md)\n"
                            "    - [One again](one.md)\n- [Gone](gone.md)\n- [Draft]()\n"
                            "- [Two](two.md)\n- [Out](../x.md)\n\n---\n\n[End](end.md)\n",
                            "intro.md", "# Intro\n", "one.md", "# One\n", "two.md", "# Two\n",
                            "end.md", "# End\n"));
    book_t *b = testbook_load(&t);
    CHECK(b->n_chapters == 4);
    if (b->n_chapters == 4) {
        CHECK_STR(b->chapters[0].path, "intro.md");
        CHECK_STR(b->chapters[1].path, "one.md");
        CHECK_STR(b->chapters[2].path, "two.md");
        CHECK(b->chapters[2].depth == 1);
        CHECK_STR(b->chapters[3].path, "end.md");
    }
    CHECK(testbook_has_diag(
        &t, "SUMMARY.md:7:7: warning: 'one.md' loops back to an enclosing entry (line 5)"));
    CHECK(testbook_has_diag(&t, "SUMMARY.md:8:3: warning: missing chapter file 'gone.md'"));
    CHECK(testbook_has_diag(&t, "SUMMARY.md:9:3: warning: draft chapter 'Draft' has no file"));
    CHECK(testbook_has_diag(
        &t, "SUMMARY.md:10:3: warning: 'two.md' is listed again (first at line 6)"));
    CHECK(testbook_has_diag(&t, "SUMMARY.md:11:3: warning: '../x.md' leaves the book folder"));
    testbook_free(&t);
}

static void test_encoding_diagnostics(void) {
    testbook_t t;
    testbook_make(
        &t, FILES("SUMMARY.md", "- [A](a.md)\n", "a.md", "# A\n\n中文\x01文字\n\nok \xff bad\n"));
    book_t *b = testbook_load(&t);
    CHECK(testbook_has_diag(&t, "a.md:3:3: warning: control character U+0001 removed"));
    CHECK(testbook_has_diag(&t, "a.md:5:4: warning: invalid UTF-8 byte 0xFF"));
    char *p = para_text(b->chapters[0].doc, 0);
    CHECK_STR(p, "中文文字");
    free(p);
    testbook_free(&t);
}

/* The cleaner's fast path (runs of characters kept as they are) and its slow
   one agree at every edge: C1 controls, U+FFFE, surrogates, past U+10FFFF, and
   two- and four-byte characters that stay, each reported at its own column. */
static void test_clean_edges(void) {
    static const char src[] = "caf\xc3\xa9 \xc2\x85 \xf0\x9f\x98\x80 \xef\xbf\xbe"
                              " x\xed\xa0\x80y \xf4\x90\x80\x80 \xe4\xb8\xad\xc2\xa0!";
    diags_t d;
    diags_init(&d);
    size_t n;
    char *out = text_clean(src, sizeof src - 1, &n, "e.md", &d);
    CHECK_STR(out, "caf\xc3\xa9  \xf0\x9f\x98\x80  x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy "
                   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xe4\xb8\xad\xc2\xa0!");
    buf_t all = {0};
    for (size_t i = 0; i < d.n; i++) {
        buf_printf(&all, "%d:%d %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
    }
    CHECK_CONTAINS(all.data, "1:6 control character U+0085 removed");
    CHECK_CONTAINS(all.data, "1:10 control character U+FFFE removed");
    CHECK_CONTAINS(all.data, "1:13 invalid UTF-8 byte 0xED");
    CHECK_CONTAINS(all.data, "1:18 invalid UTF-8 byte 0xF4");
    CHECK(d.n == 9);
    buf_free(&all);
    free(out);
    diags_free(&d);
}

static void test_notes(void) {
    testbook_t t;
    testbook_make(&t, FILES("SUMMARY.md", "- [A](a.md)\n", "a.md",
                            "# A\n\n像[Meta](https://m.com/)和[Google](https://g.com/)这样的，"
                            "还有[^n]脚注。\n\n[^n]: 注释 [链接](https://n.org/)。\n\n"
                            "<https://bare.org/>\n"));
    book_t *b = testbook_load(&t);
    const chapter_t *c = &b->chapters[0];
    CHECK(c->n_notes == 4);
    if (c->n_notes == 4) {
        const note_t *n = &b->notes[c->first_note];
        CHECK(n[0].kind == NOTE_URL && strcmp(n[0].url, "https://m.com/") == 0 && n[0].number == 1);
        CHECK(n[1].kind == NOTE_URL && strcmp(n[1].url, "https://g.com/") == 0);
        CHECK(n[2].kind == NOTE_FOOTNOTE && n[2].def != NULL && n[2].number == 3);
        CHECK(n[3].kind == NOTE_URL && strcmp(n[3].url, "https://n.org/") == 0);
        /* URL markers sit before the clause's closing mark, in link order */
        cmark_node *before = cmark_node_previous(n[0].ref), *after = cmark_node_next(n[1].ref);
        CHECK(before && cmark_node_get_type(before) == CMARK_NODE_TEXT &&
              strcmp(cmark_node_get_literal(before), "这样的") == 0);
        CHECK(after && strncmp(cmark_node_get_literal(after), "，", 3) == 0);
        CHECK(cmark_node_next(n[0].ref) == n[1].ref);
    }
    testbook_free(&t);
}

static void test_footnote_order(void) {
    /* definitions in any order, one referenced twice: each reference finds its own */
    testbook_t t;
    testbook_make(&t, FILES("SUMMARY.md", "- [A](a.md)\n", "a.md",
                            "# A\n\n甲[^b]乙[^a]丙[^b]。\n\n[^a]: 注甲\n[^b]: 注乙\n[^c]: 未用\n"));
    book_t *b = testbook_load(&t);
    const chapter_t *c = &b->chapters[0];
    CHECK(c->n_notes == 2);
    if (c->n_notes == 2) {
        char *first = md_plain_text(b->notes[c->first_note].def);
        char *second = md_plain_text(b->notes[c->first_note + 1].def);
        CHECK_STR(first, "注乙");
        CHECK_STR(second, "注甲");
        free(first), free(second);
    }
    testbook_free(&t);
}

static void test_includes_and_meta(void) {
    testbook_t t;
    testbook_make(
        &t, FILES("book.yaml",
                  "title: 书名\nauthor: [甲, 乙]\ndate: 2024-06-05\nbogus: 1\noutput: my-book\n",
                  "SUMMARY.md", "- [A](a.md)\n", "a.md",
                  "# A\n\n```\n{{#include code/x.c:2:3}}\n```\n\n{{#include nope.md}}\n",
                  "code/x.c", "one\ntwo\nthree\nfour\n"));
    book_t *b = testbook_load(&t);
    cmark_node *code = find(b->chapters[0].doc, CMARK_NODE_CODE_BLOCK, 0);
    CHECK_STR(code ? cmark_node_get_literal(code) : NULL, "two\nthree\n");
    CHECK(testbook_has_diag(&t, "a.md:7:1: warning: missing included file 'nope.md'"));
    /* no lang in book.yaml: the text decides (it has no Han), never the title 书名 */
    CHECK_STR(b->meta.lang, "en");
    CHECK(strstr(b->chapters[0].src, "[missing include: nope.md]") != NULL);
    CHECK(testbook_has_diag(&t, "book.yaml:4:1: warning: unknown key 'bogus' (ignored)"));
    CHECK_STR(b->meta.title, "书名");
    CHECK_STR(b->meta.author, "甲, 乙"); /* an English book's separator */
    CHECK_STR(b->meta.output, "my-book");
    CHECK(b->meta.epoch == 1717545600); /* 2024-06-05T00:00:00Z */
    testbook_free(&t);
}

static void test_bad_yaml(void) {
    testbook_t t;
    testbook_make(&t, FILES("book.yaml", "title: [unclosed\n", "SUMMARY.md", "- [A](a.md)\n",
                            "a.md", "# A\n"));
    testbook_load(&t);
    CHECK(testbook_has_diag(&t, "book.yaml:2:1: error: bad YAML"));
    testbook_free(&t);
    testbook_make(&t, FILES("book.yaml", "title:\n  nested: map\n", "SUMMARY.md", "- [A](a.md)\n",
                            "a.md", "# A\n"));
    testbook_load(&t);
    CHECK(testbook_has_diag(&t, "book.yaml:2:3: error: 'title' must be a single value"));
    testbook_free(&t);
}

static void test_mdbook_layout(void) {
    testbook_t t;
    testbook_make(&t,
                  FILES("book.toml", "[book]\ntitle = \"An mdBook\"\nauthors = [\"Ann\"]\n",
                        "src/SUMMARY.md", "# Summary\n\n[Intro](README.md)\n\n- [Ch](ch/one.md)\n",
                        "src/README.md", "# Intro\n\n![pic](img/p.svg)\n", "src/ch/one.md",
                        "# One\n\n![pic](../img/p.svg) [back](../README.md)\n", "src/img/p.svg",
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"4\"/>"));
    book_t *b = testbook_load(&t);
    CHECK_STR(b->meta.title, "An mdBook");
    CHECK_STR(b->meta.author, "Ann");
    CHECK_STR(b->meta.lang, "en");
    CHECK(b->n_chapters == 2);
    CHECK(b->n_images == 1); /* one file, named from two chapters */
    if (b->n_images == 1) CHECK_STR(b->images[0].media_type, "image/svg+xml");
    CHECK(t.diags.errors == 0);
    testbook_free(&t);
}

int main(void) {
    test_autolink_scan();
    test_autolink_in_chinese();
    test_line_joining();
    test_slugs();
    test_anchors_and_links();
    test_link_errors();
    test_summary();
    test_encoding_diagnostics();
    test_clean_edges();
    test_notes();
    test_footnote_order();
    test_includes_and_meta();
    test_bad_yaml();
    test_mdbook_layout();
    return check_done();
}
