/* Unit tests of the typesetter's pieces (src/layout: style.c, setpara.c,
   typeset.c, inline.c): the print style's block geometry and its parsing, one
   paragraph through ts_set_para, aligned front-matter text, and the warning for
   node kinds the layout does not know. The golden tests (test_golden.c) hold
   whole features; these hold the rules one at a time. */
#include "book/book.h"
#include "check.h"
#include "layout/dump.h"
#include "layout/style.h"
#include "layout/tsctx.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include <cmark-gfm-extension_api.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static fontset_t *fs;
static print_t ps;

static bool near(float a, float b) {
    return fabsf(a - b) < 0.01f;
}

/* Writes text to a temporary print.yaml, loads the style with it; the file is removed. */
static int load_with(print_t *p, const char *yaml, diags_t *d) {
    char path[] = "/tmp/ghb-style-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -2;
    if (write(fd, yaml, strlen(yaml)) != (ssize_t)strlen(yaml)) abort();
    close(fd);
    int rc = print_load(p, path, d);
    unlink(path);
    return rc;
}

static void test_style_keys(void) {
    /* the built-in style: the block geometry the layout used to hard-code */
    CHECK(near(ps.quote_indent, 2 * ps.body));
    CHECK(near(ps.quote_right, 0) && ps.quote_rule);
    CHECK(near(ps.list_indent, 2 * ps.body));
    CHECK(ps.quote_role == -1);
    diags_t d;
    diags_init(&d);
    print_t p;
    /* ems are the final body size, also for the built-in style's em lengths */
    CHECK(load_with(&p, "body-size: 12pt\nblock-quote-indent: 3em\nblock-quote-font: sans\n", &d) ==
          0);
    CHECK(near(p.indent, 24) && near(p.list_indent, 24) && near(p.quote_indent, 36));
    CHECK(p.quote_role == ROLE_SANS);
    print_free(&p);
    /* a bad value is an error, and the style fails as a whole */
    CHECK(load_with(&p, "block-quote-font: gothic\n", &d) == -1);
    CHECK(d.errors == 1);
    CHECK(d.n && strstr(d.v[d.n - 1].msg, "block-quote-font"));
    print_free(&p); /* harmless after a failure */
    CHECK(load_with(&p, "- not\n- a mapping\n", &d) == -1);
    CHECK(load_with(&p, "list-indent: wide\n", &d) == -1);
    CHECK(load_with(&p, "block-quote-right: 1em\nblock-quote-rule: no\n", &d) == 0);
    CHECK(near(p.quote_right, ps.body) && !p.quote_rule);
    print_free(&p);
    CHECK(load_with(&p, "block-quote-rule: maybe\n", &d) == -1);
    diags_free(&d);
}

/* The book's body list for markdown typeset with style s; diagnostics in d. */
static void set_book(const char *md, const print_t *s, diags_t *d, book_t **b, typeset_t *ts) {
    *b = book_from_markdown(md, strlen(md), d);
    typeset_book(*b, fs, s, NULL, 2, ts);
}

/* The first glyph op whose parent structure node has role parent. */
static const op_t *first_op_under(const typeset_t *ts, srole_t parent) {
    for (size_t i = 0; i < ts->body.n; i++)
        for (size_t k = 0; k < ts->body.v[i].n_ops; k++) {
            const op_t *o = &ts->body.v[i].ops[k];
            if (o->kind != OP_GLYPHS || o->tag <= 0) continue;
            int up = ts->tree.v[o->tag - 1].parent;
            if (up >= 0 && ts->tree.v[up].role == parent) return o;
        }
    return NULL;
}

static void test_quote_geometry(void) {
    const char *md = "# Q\n\n正文。\n\n> 引文的文字。\n";
    print_t s = ps;
    s.quote_indent = 30;
    s.quote_right = 30; /* inset from both sides */
    s.quote_role = ROLE_SANS;
    diags_t d;
    diags_init(&d);
    book_t *b;
    typeset_t ts;
    set_book(md, &s, &d, &b, &ts);
    const op_t *q = first_op_under(&ts, S_BLOCKQUOTE);
    CHECK(q && near(q->x, 30) && near(q->line.width, s.measure - 60));
    /* the quote's face is the style's role: Noto Sans CJK for Han text in sans */
    CHECK(q && q->line.n && strstr(fontset_file(fs, q->line.g[0].font), "Sans"));
    typeset_free(&ts);
    book_free(b);
    /* the built-in style: 2 em from the left with a rule down the inset, to the
       right edge, 楷体 in a Chinese book */
    set_book(md, &ps, &d, &b, &ts);
    q = first_op_under(&ts, S_BLOCKQUOTE);
    CHECK(q && near(q->x, 2 * ps.body) && near(q->line.width, ps.measure - 2 * ps.body));
    int rules = 0;
    for (size_t i = 0; i < ts.body.n; i++)
        for (size_t k = 0; k < ts.body.v[i].n_ops; k++) {
            const op_t *o = &ts.body.v[i].ops[k];
            rules += o->kind == OP_RECT && o->x > 0 && o->x < 2 * ps.body && o->w < 0.5f * ps.body;
        }
    CHECK(rules == 1); /* the quote's one line */
    CHECK(q && q->line.n && strstr(fontset_file(fs, q->line.g[0].font), "WenKai"));
    typeset_free(&ts);
    book_free(b);
    /* a quote too narrow for its indent keeps the width it has */
    s.quote_indent = ps.measure - 4 * ps.body;
    set_book(md, &s, &d, &b, &ts);
    q = first_op_under(&ts, S_BLOCKQUOTE);
    CHECK(q && near(q->x, 0) && near(q->line.width, s.measure));
    typeset_free(&ts);
    book_free(b);
    CHECK(d.n == 0);
    diags_free(&d);
}

static void test_list_indent(void) {
    print_t s = ps;
    s.list_indent = 33;
    diags_t d;
    diags_init(&d);
    book_t *b;
    typeset_t ts;
    set_book("# L\n\n- 一项\n  - 嵌套\n", &s, &d, &b, &ts);
    const op_t *o = first_op_under(&ts, S_LBODY);
    CHECK(o && near(o->x, 33));
    /* the nested item: one more indent */
    const op_t *second = NULL;
    for (size_t i = 0; i < ts.body.n && !second; i++)
        for (size_t k = 0; k < ts.body.v[i].n_ops; k++)
            if (ts.body.v[i].ops[k].kind == OP_GLYPHS && near(ts.body.v[i].ops[k].x, 66))
                second = &ts.body.v[i].ops[k];
    CHECK(second != NULL);
    typeset_free(&ts);
    book_free(b);
    diags_free(&d);
}

/* One paragraph through the single path: lines become boxes of one paragraph
   (for the paginator), numbered, under one structure node. */
static void test_set_para(void) {
    typeset_t out = {0};
    ts_t t = {.fs = fs, .ps = &ps, .out = &out, .w = 100, .ch = -1};
    t.sn = stree_add(&out.tree, -1, S_DOCUMENT, NULL);
    pspec_t s = {.text = "排版引擎把一段中文正文按整行对齐，标点挤压，行首不出现句号。",
                 .style = {ROLE_BODY, 10, 0, -1, -1, false},
                 .w = 100};
    size_t first = ts_set_para(&t, &s, S_P, 15);
    CHECK(first == 0 && out.body.n >= 3);
    for (size_t i = 0; i < out.body.n; i++) {
        const vbox_t *b = &out.body.v[i];
        CHECK(b->para == 0 && b->line_no == (int)i && b->line_count == (int)out.body.n);
        CHECK(near(b->height, 15) && b->n_ops == 1);
        CHECK(b->ops[0].tag == TAG_OF(1) && out.tree.v[1].role == S_P);
        CHECK(b->ops[0].line.natural <= 100.01f);
    }
    /* a note's text opens with its number, which carries the note id */
    pspec_t n = {.text = "note", .style = {ROLE_BODY, 8, 0, -1, -1, false}, .w = 100};
    n.note_mark = true, n.note_id = 7;
    lines_t ls;
    ts_para_lines(&t, &n, &ls);
    CHECK(ls.n == 1 && ls.lines[0].n > 1 && ls.lines[0].g[0].cp == 0x2460 &&
          ls.lines[0].g[0].note == 7 && ls.lines[0].g[ls.lines[0].n - 1].note == -1);
    lines_free(&ls);
    typeset_free(&out);
}

static void test_typeset_text_align(void) {
    vlist_t v = {0};
    size_t c = typeset_text(&v, fs, &ps, "居中", ROLE_SANS, 10, 14, 5, 200, 1);
    const op_t *o = &v.v[c].ops[0];
    CHECK(near(o->x, 5 + (200 - o->line.natural) / 2));
    size_t r = typeset_text(&v, fs, &ps, "靠右", ROLE_SANS, 10, 14, 5, 200, 2);
    o = &v.v[r].ops[0];
    CHECK(near(o->x + o->line.natural, 205));
    /* titles break between words only: a long title wraps at spaces, lines flush left */
    size_t l = typeset_text(&v, fs, &ps, "A title long enough to wrap onto a second line",
                            ROLE_SANS, 10, 14, 0, 120, 0);
    CHECK(v.n - l >= 2);
    for (size_t i = l; i < v.n; i++)
        CHECK(near(v.v[i].ops[0].x, 0) && v.v[i].ops[0].line.n &&
              v.v[i].ops[0].line.g[0].cp != ' ');
    vlist_free(&v);
}

/* A node kind the layout has no case for is reported, never dropped. */
static void test_unknown_kinds(void) {
    diags_t d;
    diags_init(&d);
    const char *md = "# U\n\n前文。\n\n后文。\n";
    book_t *b = book_from_markdown(md, strlen(md), &d);
    cmark_node *doc = b->chapters[0].doc;
    cmark_node *p1 = cmark_node_next(cmark_node_first_child(doc));
    /* a block of a kind only some future extension knows, holding a paragraph
       (made as a quote, then given the new kind: cmark only lets known kinds
       take children) */
    cmark_node *blk = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
    cmark_node *inner = cmark_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node *tx = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(tx, "未知块里的字");
    CHECK(cmark_node_append_child(inner, tx) && cmark_node_append_child(blk, inner));
    CHECK(cmark_node_insert_after(p1, blk));
    CHECK(cmark_node_set_type(blk, cmark_syntax_extension_add_node(0)));
    /* and an empty one: set as its kind's name in brackets */
    cmark_node *empty = cmark_node_new(cmark_syntax_extension_add_node(0));
    CHECK(cmark_node_insert_after(blk, empty));
    /* an inline of an unknown kind inside the first paragraph, before its text */
    cmark_node *inl = cmark_node_new(cmark_syntax_extension_add_node(1));
    CHECK(cmark_node_prepend_child(p1, inl));
    typeset_t ts;
    typeset_book(b, fs, &ps, NULL, 2, &ts);
    buf_t dump;
    buf_init(&dump);
    typeset_dump(&ts, fs, &dump);
    CHECK_CONTAINS(dump.data, "\"未知块里的字\"");
    CHECK_CONTAINS(dump.data, "\"前文。\"");
    CHECK_CONTAINS(dump.data, "\"[<unknown>]\"");
    CHECK_CONTAINS(dump.data, "\"后文。\"");
    bool block_warned = false, inline_warned = false;
    for (size_t i = 0; i < d.n; i++) {
        block_warned |= strstr(d.v[i].msg, "blocks are not laid out in print") != NULL &&
                        d.v[i].sev == DIAG_WARNING && strstr(d.v[i].file, "chapter.md");
        inline_warned |= strstr(d.v[i].msg, "inline content is not laid out in print") != NULL &&
                         d.v[i].line == 3;
    }
    CHECK(block_warned && inline_warned);
    CHECK(d.warnings == 2);
    buf_free(&dump);
    typeset_free(&ts);
    book_free(b);
    diags_free(&d);
}

/* A code block inside a footnote used to vanish from the note. */
static void test_code_in_note(void) {
    diags_t d;
    diags_init(&d);
    const char *md = "# N\n\n正文[^a]。\n\n[^a]: 注文：\n\n    ```\n    x = 1\n    ```\n";
    book_t *b;
    typeset_t ts;
    set_book(md, &ps, &d, &b, &ts);
    buf_t dump;
    buf_init(&dump);
    typeset_dump(&ts, fs, &dump);
    /* in the mono face, as inline code, its spaces kept (as glue, which the dump
       does not print: the run is five mono advances of 4.32 pt wide) */
    CHECK_CONTAINS(strstr(dump.data, "== note"),
                   "0.00..21.60 NotoSansMono-Regular.ttf 7.20 \"x=1\"");
    CHECK(d.warnings == 1 &&
          strstr(d.v[0].msg, "code block inside a note or cell is set line by line"));
    buf_free(&dump);
    typeset_free(&ts);
    book_free(b);
    diags_free(&d);
}

/* <u> and <ins> were set plain (the Mina book's "<u>any</u>"): underlined now */
static void test_underline(void) {
    diags_t d;
    diags_init(&d);
    book_t *b;
    typeset_t ts;
    set_book("# U\n\nA <u>under</u> B <ins>inserted</ins> C.\n", &ps, &d, &b, &ts);
    buf_t dump;
    buf_init(&dump);
    typeset_dump(&ts, fs, &dump);
    CHECK_CONTAINS(dump.data, "10.50 under \"under\"");
    CHECK_CONTAINS(dump.data, "10.50 under \"inserted\"");
    CHECK_CONTAINS(dump.data, "10.50 \"A\"");
    buf_free(&dump);
    typeset_free(&ts);
    book_free(b);
    diags_free(&d);
}

int main(void) {
    setenv("GHB_NO_SYSTEM_FONTS", "1", 1);
    diags_t d;
    diags_init(&d);
    CHECK(print_load(&ps, NULL, &d) == 0);
    char *dir = fontset_default_dir(NULL);
    fs = fontset_open(dir, (const char *const(*)[CHAIN_MAX])ps.fonts, &d);
    free(dir);
    CHECK(fs && d.errors == 0);
    test_style_keys();
    test_quote_geometry();
    test_list_indent();
    test_set_para();
    test_typeset_text_align();
    test_unknown_kinds();
    test_code_in_note();
    test_underline();
    fontset_free(fs);
    print_free(&ps);
    para_release();
    diags_free(&d);
    return check_done();
}
