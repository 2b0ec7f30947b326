#include "front.h"
#include "../book/front.h"
#include "../book/words.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static vlist_t *new_page(front_t *f) {
    f->pages = xrealloc(f->pages, (f->n + 1) * sizeof *f->pages);
    memset(&f->pages[f->n], 0, sizeof *f->pages);
    return &f->pages[f->n++];
}

static int add_xlink(front_t *f, xlink_t l) {
    XGROW(f->links, f->cap_links, f->n_links);
    f->links[f->n_links] = l;
    return XLINK_BASE - (int)f->n_links++;
}

static void set_link(vlist_t *v, size_t from, int link) {
    for (size_t i = from; i < v->n; i++)
        for (size_t k = 0; k < v->v[i].n_ops; k++)
            for (size_t g = 0; g < v->v[i].ops[k].line.n; g++)
                v->v[i].ops[k].line.g[g].link = link;
}

static void gap(vlist_t *v, float h) {
    vlist_add(v, h);
}

static void text(vlist_t *v, fontset_t *fs, const print_t *ps, const char *s, font_role role,
                 float size, int align) {
    if (!s || !*s) return;
    typeset_text(v, fs, ps, s, role, size, size * 1.6f, 0, ps->measure, align);
}

/* The cover image (book.yaml cover-image), at most the measure wide and a third of
   the text block high. Returns the height it took. */
static float cover(vlist_t *v, const book_t *b, const print_t *ps) {
    if (b->cover < 0) return 0;
    int pw, ph;
    bool ok = image_pixel_size(b->images[b->cover].file, &pw, &ph);
    if (!ok) return 0;
    float w = ps->measure, h = w * (float)ph / (float)pw, maxh = (float)ps->lines * ps->pitch / 3;
    if (h > maxh) w *= maxh / h, h = maxh;
    vbox_t *bx = vlist_add(v, h + ps->pitch);
    op_t *o = vbox_op(bx, OP_IMAGE, (ps->measure - w) / 2, 0);
    o->w = w, o->h = h, o->image = (int)b->cover;
    return h + ps->pitch;
}

/* The text of a front-matter line, or NULL when the book has none. */
static const char *line_text(const front_matter_t *fm, front_kind k) {
    const front_line_t *l = front_line(fm, k);
    return l ? l->text : NULL;
}

static void title_page(front_t *f, const book_t *b, const front_matter_t *fm, fontset_t *fs,
                       const print_t *ps) {
    vlist_t *v = new_page(f);
    float used = cover(v, b, ps);
    gap(v, used > ps->pitch * 7 ? ps->pitch : ps->pitch * 7 - used);
    bool latin = !lang_is_cjk(fm->lang); /* Latin: bold title, italic author */
    text(v, fs, ps, line_text(fm, FRONT_TITLE), latin ? ROLE_SANS_BOLD : ROLE_SANS,
         ps->h_size[0] * 1.4f, 1);
    gap(v, ps->pitch);
    text(v, fs, ps, line_text(fm, FRONT_SUBTITLE), ROLE_BODY, ps->h_size[2], 1);
    gap(v, ps->pitch * 4);
    text(v, fs, ps, line_text(fm, FRONT_AUTHOR), latin ? ROLE_ITALIC : ROLE_KAI, ps->h_size[2], 1);
    gap(v, ps->pitch * 8);
    const front_line_t *ed = front_line(fm, FRONT_EDITION);
    buf_t line;
    buf_init(&line);
    if (ed && ed->text) buf_puts(&line, ed->text);
    if (ed && ed->date)
        buf_printf(&line, "%s%s", line.len ? word(fm->lang, W_EDITION_SEP) : "", ed->date);
    /* no edition given: the foot of a title page still names the month (the
       book's date: SOURCE_DATE_EPOCH, book.yaml, the last commit or the newest file) */
    struct tm tm;
    time_t when = b->meta.epoch > 0 ? b->meta.epoch : b->meta.source_epoch;
    static const char *const month[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
    if (!line.len && when > 0 && gmtime_r(&when, &tm)) {
        if (lang_is_cjk(fm->lang))
            buf_printf(&line, "%d 年 %d 月", tm.tm_year + 1900, tm.tm_mon + 1);
        else
            buf_printf(&line, "%s %d", month[tm.tm_mon], tm.tm_year + 1900);
    }
    if (!line.len) {
        buf_free(&line);
        return;
    }
    text(v, fs, ps, line.data, ROLE_BODY, ps->body, 1);
    buf_free(&line);
}

/* A label and a URL, the URL printed whole and clickable. */
static void url_line(front_t *f, vlist_t *v, fontset_t *fs, const print_t *ps, const char *label,
                     const char *url) {
    buf_t s;
    buf_init(&s);
    buf_printf(&s, "%s%s", label, url);
    size_t first = v->n;
    typeset_text(v, fs, ps, s.data, ROLE_BODY, ps->note_size + 1, (ps->note_size + 1) * 1.6f, 0,
                 ps->measure, 0);
    set_link(v, first, add_xlink(f, (xlink_t){url, -1, 0}));
    buf_free(&s);
}

/* The copyright page: who and what, the addresses (printed whole: paper has no
   links), then rights, ISBN and the imprint. */
static void copyright_page(front_t *f, const front_matter_t *fm, fontset_t *fs, const print_t *ps) {
    lang_kind lk = fm->lang;
    vlist_t *v = new_page(f);
    gap(v, ps->pitch * 18);
    float size = ps->note_size + 1;
    text(v, fs, ps, line_text(fm, FRONT_TITLE), ROLE_SANS, size, 0);
    text(v, fs, ps, line_text(fm, FRONT_SUBTITLE), ROLE_BODY, size, 0);
    text(v, fs, ps, line_text(fm, FRONT_AUTHOR), ROLE_BODY, size, 0);
    gap(v, ps->pitch * 0.5f);
    for (size_t i = 0; i < fm->n; i++) {
        const front_line_t *l = &fm->v[i];
        if (!l->url) continue;
        buf_t label;
        buf_init(&label);
        if (l->kind == FRONT_SOURCE)
            buf_puts(&label, word(lk, W_SOURCE));
        else if (l->kind == FRONT_AUTHOR_LINK)
            buf_printf(&label, "%s%s", l->text, word(lk, W_COLON));
        else if (l->kind == FRONT_EDITION)
            buf_printf(&label, "%s%s%s", word(lk, W_VERSION), l->text ? l->text : "",
                       word(lk, W_COLON));
        url_line(f, v, fs, ps, label.data ? label.data : "", l->url);
        buf_free(&label);
    }
    gap(v, ps->pitch * 0.5f);
    text(v, fs, ps, line_text(fm, FRONT_RIGHTS), ROLE_BODY, size, 0);
    text(v, fs, ps, line_text(fm, FRONT_ISBN), ROLE_BODY, size, 0);
    text(v, fs, ps, line_text(fm, FRONT_IMPRINT), ROLE_BODY, size, 0);
}

/* One TOC line: the title at its level's indent, dot leaders, the folio flush right. */
static void toc_line(front_t *f, vlist_t *v, fontset_t *fs, const print_t *ps,
                     const toc_item_t *it) {
    float size = ps->body, indent = it->plain ? 0 : (float)(it->level - 1) * 2 * size;
    char folio[16];
    snprintf(folio, sizeof folio, "%d", it->page + 1);
    vlist_t tmp = {0};
    typeset_text(&tmp, fs, ps, folio, ROLE_BODY, size, ps->pitch, 0, ps->measure, 0);
    float fw = tmp.n ? tmp.v[0].ops[0].line.natural : 0;
    float room = ps->measure - indent - fw - 2 * size;
    size_t first = v->n;
    typeset_text(v, fs, ps, it->title, it->level == 1 && !it->plain ? ROLE_SANS : ROLE_BODY, size,
                 ps->pitch, indent, room, 0);
    if (v->n == first || !tmp.n) {
        vlist_free(&tmp);
        return;
    }
    vbox_t *last = &v->v[v->n - 1];
    line_t *ln = &last->ops[0].line;
    float end = last->ops[0].x + ln->natural + 0.5f * size;
    float stop = ps->measure - fw - 0.5f * size;
    /* leaders: dots on a fixed grid, so that they line up from entry to entry */
    int dot = fontset_pick(fs, ROLE_BODY, '.');
    op_t *lead = vbox_op(last, OP_GLYPHS, 0, last->ops[0].y);
    size_t cap = 0;
    float step = 0.5f * size;
    for (float x = step * (float)(int)(end / step + 1); dot >= 0 && x + step <= stop; x += step) {
        uint32_t gid = fontset_use(fs, dot, '.');
        XGROW(lead->line.g, cap, lead->line.n);
        lead->line.g[lead->line.n++] = (glyph_t){.cp = '.',
                                                 .font = dot,
                                                 .size = size,
                                                 .x = x,
                                                 .adv = (float)fontset_advance(fs, dot, '.') * size,
                                                 .link = -1,
                                                 .note = -1,
                                                 .gid = gid,
                                                 .nchars = 1};
    }
    op_t *num = vbox_op(last, OP_GLYPHS, ps->measure - fw, last->ops[0].y);
    num->line = tmp.v[0].ops[0].line;
    tmp.v[0].ops[0].line.g = NULL;
    vlist_free(&tmp);
    set_link(v, first, add_xlink(f, (xlink_t){NULL, it->page, it->y}));
}

/* The contents (or a list of figures or tables): a title, then one line an entry. */
static void toc_pages(front_t *f, fontset_t *fs, const print_t *ps, const char *title,
                      const toc_item_t *toc, size_t n) {
    vlist_t *v = new_page(f);
    float h = (float)ps->lines * ps->pitch, used = 0;
    gap(v, 3 * ps->pitch);
    size_t first = v->n;
    text(v, fs, ps, title, ROLE_SANS, ps->h_size[0], 0);
    gap(v, 2 * ps->pitch);
    for (size_t i = first - 1; i < v->n; i++)
        used += v->v[i].height;
    for (size_t i = 0; i < n; i++) {
        size_t before = v->n;
        /* a whole line before a chapter: the entries stay on the page's grid */
        if (toc[i].level == 1 && i > 0 && !toc[i].plain) gap(v, ps->pitch);
        toc_line(f, v, fs, ps, &toc[i]);
        float add = 0;
        for (size_t k = before; k < v->n; k++)
            add += v->v[k].height;
        if (used + add > h) {
            /* move the entry to a new page */
            vlist_t *nv = new_page(f);
            v = &f->pages[f->n - 2];
            for (size_t k = before; k < v->n; k++) {
                vbox_t *bx = vlist_add(nv, 0);
                *bx = v->v[k];
            }
            v->n = before;
            v = nv;
            used = 0;
            for (size_t k = 0; k < v->n; k++)
                used += v->v[k].height;
        } else {
            used += add;
        }
    }
}

void front_build_lists(front_t *f, const book_t *b, fontset_t *fs, const print_t *ps,
                       const toc_item_t *toc, size_t n_toc, const front_list_t *lists,
                       size_t n_lists) {
    memset(f, 0, sizeof *f);
    front_matter_t fm;
    front_matter_build(b, &fm);
    title_page(f, b, &fm, fs, ps);
    copyright_page(f, &fm, fs, ps);
    if (f->n % 2) gap(new_page(f), 0); /* the TOC opens a right-hand page */
    f->toc_first = f->n;
    toc_pages(f, fs, ps, word(fm.lang, W_CONTENTS), toc, n_toc);
    for (size_t i = 0; i < n_lists; i++) /* #10: lists of figures and tables */
        if (lists[i].n) toc_pages(f, fs, ps, lists[i].title, lists[i].items, lists[i].n);
    front_matter_free(&fm);
    if (f->n % 2) new_page(f); /* the body starts on a right-hand page */
}

void front_build(front_t *f, const book_t *b, fontset_t *fs, const print_t *ps,
                 const toc_item_t *toc, size_t n_toc) {
    front_build_lists(f, b, fs, ps, toc, n_toc, NULL, 0);
}

void front_free(front_t *f) {
    for (size_t i = 0; i < f->n; i++)
        vlist_free(&f->pages[i]);
    free(f->pages);
    free(f->links);
    memset(f, 0, sizeof *f);
}
