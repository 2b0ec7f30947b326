/* Unit tests of the paginator: widows, orphans, headings kept with their text,
   chapters on right-hand pages, notes at the foot of the page that refers to
   them. Boxes are synthetic; no fonts are involved. */
#include "check.h"
#include "layout/vlist.h"
#include <stdlib.h>

static void para(vlist_t *l, int id, int lines) {
    for (int i = 0; i < lines; i++) {
        vbox_t *b = vlist_add(l, 10);
        b->para = id, b->line_no = i, b->line_count = lines;
    }
}

/* The page holding box i. */
static size_t page_of(const pages_t *p, size_t i) {
    for (size_t k = 0; k < p->n; k++)
        if (!p->v[k].blank && i >= p->v[k].first && i < p->v[k].first + p->v[k].count) return k;
    return SIZE_MAX;
}

static void test_widow_and_orphan(void) {
    /* pages of 10 lines: 8 lines, then a 3-line paragraph: 2 + 1 would leave a widow */
    vlist_t l = {0};
    para(&l, 0, 8);
    para(&l, 1, 3);
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(p.n == 2);
    CHECK(page_of(&p, 9) == page_of(&p, 10)); /* the last line has company */
    CHECK(page_of(&p, 8) == page_of(&p, 9));  /* and the first line is not left alone */
    pages_free(&p);
    vlist_free(&l);
    /* 9 lines, then a 4-line paragraph: its first line alone at the foot would be an orphan */
    para(&l, 0, 9);
    para(&l, 1, 4);
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(page_of(&p, 9) == page_of(&p, 10));
    pages_free(&p);
    vlist_free(&l);
}

static void test_heading_kept(void) {
    vlist_t l = {0};
    para(&l, 0, 9);
    vbox_t *h = vlist_add(&l, 10);
    h->keep_with_next = true;
    para(&l, 1, 3);
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(page_of(&p, 9) == page_of(&p, 10)); /* the heading moved with its first line */
    CHECK(p.v[0].count == 9);
    pages_free(&p);
    vlist_free(&l);
}

static void test_recto_chapters(void) {
    vlist_t l = {0};
    para(&l, 0, 3);
    vbox_t *b = vlist_add(&l, 10);
    b->new_page = b->recto = true;
    para(&l, 1, 2);
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(p.n == 3);
    if (p.n == 3) {
        CHECK(p.v[1].blank);        /* page 2 (verso) left blank */
        CHECK(page_of(&p, 3) == 2); /* the chapter opens page 3 */
    }
    pages_free(&p);
    vlist_free(&l);
}

static void test_notes(void) {
    /* a note of 6 lines referenced from the 8th line of a 10-line page: it starts
       on that page and continues on the next */
    pnote_t note = {0};
    for (int i = 0; i < 6; i++)
        vlist_add(&note.lines, 10);
    vlist_t l = {0};
    para(&l, 0, 12);
    vbox_t *ref = &l.v[7];
    ref->notes = malloc(sizeof(int));
    ref->notes[0] = 0;
    ref->n_notes = 1;
    pages_t p;
    paginate(&l, 100, &note, 1, 5, &p);
    size_t pg = page_of(&p, 7);
    CHECK(pg != SIZE_MAX && p.v[pg].n_notes == 1 && p.v[pg].note_lines >= 1);
    if (pg != SIZE_MAX && pg + 1 < p.n) {
        CHECK(p.v[pg + 1].n_notes >= 1 && p.v[pg + 1].notes[0] == 0);
        CHECK(p.v[pg + 1].continued && p.v[pg + 1].note_first_line == p.v[pg].note_lines);
        CHECK(p.v[pg].note_lines + p.v[pg + 1].note_lines == 6);
    }
    /* the body and notes of a page never exceed its height */
    for (size_t k = 0; k < p.n; k++) {
        float h = p.v[k].note_lines ? 5 + 10.0f * (float)p.v[k].note_lines : 0;
        for (size_t b = p.v[k].first; b < p.v[k].first + p.v[k].count; b++)
            h += l.v[b].height;
        CHECK(h <= 100.01f);
    }
    pages_free(&p);
    vlist_free(&l);
    vlist_free(&note.lines);
}

/* A heading followed by a short table at the foot of a page moves to the next
   page with the table: a page does not end on a heading with no text under it. */
static void test_heading_before_table(void) {
    vlist_t l = {0};
    para(&l, 0, 6);
    vbox_t *h = vlist_add(&l, 10);
    h->keep_with_next = true;
    h->heading = 0;
    vbox_t *head = vlist_add(&l, 10);
    head->keep_with_next = true;
    size_t hi = l.n - 1;
    for (int r = 0; r < 3; r++)
        vlist_add(&l, 10)->repeat = (long)hi;
    para(&l, 1, 3);
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    /* 6 + heading + header + 2 rows fill the page, which would end on the table */
    CHECK(page_of(&p, 6) == page_of(&p, 11)); /* the heading is on the page of the text after */
    CHECK(p.v[0].count == 6);
    pages_free(&p);
    vlist_free(&l);
}

/* A long table breaks with at least two body rows on each side. */
static void test_table_rows(void) {
    vlist_t l = {0};
    para(&l, 0, 5);
    vbox_t *head = vlist_add(&l, 10);
    head->keep_with_next = true;
    size_t hi = l.n - 1;
    for (int r = 0; r < 5; r++)
        vlist_add(&l, 10)->repeat = (long)hi;
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    /* 5 + header + 4 rows fit, leaving the last row alone on the next page: 3 + 2 instead */
    CHECK(page_of(&p, 9) == page_of(&p, 10));
    CHECK(page_of(&p, 8) != page_of(&p, 9));
    pages_free(&p);
    vlist_free(&l);
}

/* A paragraph whose last line fills the measure does not end a page: the next
   page's first line would read as its widow. */
static void test_full_last_line(void) {
    vlist_t l = {0};
    para(&l, 0, 8);
    para(&l, 1, 2); /* its last line (box 9) is full: it ends page 1 exactly */
    op_t *o = vbox_op(&l.v[9], OP_GLYPHS, 0, 0);
    o->line.width = o->line.natural = 300;
    para(&l, 2, 1);
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(p.v[0].count == 8); /* paragraph 1 went over with what follows */
    CHECK(page_of(&p, 9) == page_of(&p, 10));
    pages_free(&p);
    /* a last line that ends short may end the page */
    o->line.natural = 200;
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(p.v[0].count == 10);
    pages_free(&p);
    vlist_free(&l);
}

/* A heading followed by a one-line paragraph at the foot of a page goes over
   with it: at least two lines of text under a heading. */
static void test_heading_two_lines(void) {
    vlist_t l = {0};
    para(&l, 0, 7);
    vbox_t *h = vlist_add(&l, 10);
    h->keep_with_next = true;
    h->heading = 0;
    para(&l, 1, 1);
    para(&l, 2, 4);
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    /* 7 + heading + 1 line + 1 line of a 4-line paragraph: an orphan, so the break
       falls before paragraph 2, leaving the heading with one line */
    CHECK(p.v[0].count == 7);
    CHECK(page_of(&p, 7) == page_of(&p, 9));
    pages_free(&p);
    vlist_free(&l);
}

/* Sets box b's text: n glyphs of which `small` are set at 0.9 of the size (inline code). */
static void glyphs(vbox_t *b, int n, int small) {
    op_t *o = vbox_op(b, OP_GLYPHS, 0, 0);
    o->line.g = calloc((size_t)n, sizeof *o->line.g);
    o->line.n = (size_t)n;
    o->line.width = 300, o->line.natural = 200;
    for (int i = 0; i < n; i++) {
        o->line.g[i].cp = 'x';
        o->line.g[i].nchars = 1;
        o->line.g[i].size = i < small ? 9 : 10;
    }
}

/* A paragraph whose lines on the next page are inline code but its last: that
   last line of prose would read as a widow; and a paragraph ending on a line of
   mostly code does not end a page (the full line above it reads as its end). */
static void test_code_lines(void) {
    vlist_t l = {0};
    para(&l, 0, 6);
    para(&l, 1, 6);
    for (size_t i = 6; i < 12; i++)
        glyphs(&l.v[i], 40, i == 10 ? 30 : 0);
    pages_t p;
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(p.v[0].count == 9); /* not 10: line 4 (code) + line 5 (prose) alone */
    pages_free(&p);
    vlist_free(&l);
    /* the same with a line of mostly formula (set larger than the prose) */
    para(&l, 0, 6);
    para(&l, 1, 6);
    for (size_t i = 6; i < 12; i++)
        glyphs(&l.v[i], 40, 0);
    for (size_t g = 0; g < 30; g++)
        l.v[10].ops[0].line.g[g].size = 11.5f;
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(p.v[0].count == 9);
    pages_free(&p);
    vlist_free(&l);
    para(&l, 0, 8);
    para(&l, 1, 2);
    glyphs(&l.v[8], 40, 0);
    glyphs(&l.v[9], 40, 30); /* the last line, mostly code, would end page 1 */
    para(&l, 2, 2);
    paginate(&l, 100, NULL, 0, 5, &p);
    CHECK(p.v[0].count == 8);
    pages_free(&p);
    vlist_free(&l);
}

int main(void) {
    test_widow_and_orphan();
    test_heading_kept();
    test_recto_chapters();
    test_notes();
    test_heading_before_table();
    test_table_rows();
    test_full_last_line();
    test_heading_two_lines();
    test_code_lines();
    return check_done();
}
