/* Tables: columns sized from their content (shrunk to fit, the whole table set
   smaller when even the longest words do not fit), cells ragged and broken
   between words only, the header row shaded and repeated after a page break.
   Markdown tables and raw-HTML tables (custom nodes from src/book/rawhtml.c,
   with colspan and rowspan) are read into one grid and set by one path. */
#include "tsctx.h"
#include "cellimg.h"
#include "htmlnode.h"
#include "../book/mdutil.h"
#include "../book/rawhtml.h"
#include "../util/xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPAN 100 /* larger colspan/rowspan values are read as this (HTML caps at 1000) */

typedef struct {
    cmark_node *node; /* the cell: its children are its content */
    int row, col, rows, cols;
    bool head;
    char align; /* 'l', 'c', 'r' or 0 */
    para_t *p;  /* NULL for a cell of pictures only */
    lines_t lines;
    float natural, least;
    cellimgs_t imgs; /* its Markdown pictures, drawn under its text */
} gcell_t;

typedef struct {
    gcell_t *c;
    size_t n, cap;
    int n_rows, n_cols;
    bool *head_row;      /* [n_rows]: a header row (shaded, repeated after a break) */
    unsigned char *used; /* [n_rows * cap_cols]: slots taken, while reading HTML */
    int cap_cols;
} grid_t;

static void add_cell(grid_t *g, gcell_t c) {
    XGROW(g->c, g->cap, g->n);
    g->c[g->n++] = c;
    if (c.col + c.cols > g->n_cols) g->n_cols = c.col + c.cols;
}

/* ---------------------------------------------------------------- reading */

static void gfm_grid(cmark_node *n, grid_t *g) {
    int cols = cmark_gfm_extensions_get_table_columns(n);
    uint8_t *align = cmark_gfm_extensions_get_table_alignments(n);
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), g->n_rows++) {
        bool head = md_is(r, "table_header");
        g->head_row = xrealloc(g->head_row, (size_t)(g->n_rows + 1));
        g->head_row[g->n_rows] = head;
        int ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < cols;
             c = cmark_node_next(c), ci++)
            add_cell(g, (gcell_t){c, g->n_rows, ci, 1, 1, head, align ? (char)align[ci] : 0});
    }
    g->n_cols = cols;
}

static bool tag_is(cmark_node *n, const char *tag) {
    char t[16];
    return cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK &&
           !strcmp(rawhtml_tag(n, t, sizeof t), tag);
}

static int span_of(cmark_node *n, const char *attr) {
    char *v = rawhtml_attr(n, attr);
    long s = v ? strtol(v, NULL, 10) : 1;
    free(v);
    return s < 1 ? 1 : s > MAX_SPAN ? MAX_SPAN : (int)s;
}

static unsigned char *slot(grid_t *g, int r, int c) {
    return &g->used[(size_t)r * (size_t)g->cap_cols + (size_t)c];
}

/* Makes room for rows up to r and columns up to c in the slot map. */
static void grow_slots(grid_t *g, int rows, int cols) {
    if (cols > g->cap_cols) {
        int nc = cols * 2;
        unsigned char *u = xcalloc((size_t)(g->n_rows > rows ? g->n_rows : rows) * (size_t)nc, 1);
        for (int r = 0; r < g->n_rows; r++)
            memcpy(u + (size_t)r * (size_t)nc, g->used + (size_t)r * (size_t)g->cap_cols,
                   (size_t)g->cap_cols);
        free(g->used);
        g->used = u, g->cap_cols = nc;
    }
    if (rows > g->n_rows) {
        g->used = xrealloc(g->used, (size_t)rows * (size_t)g->cap_cols);
        memset(g->used + (size_t)g->n_rows * (size_t)g->cap_cols, 0,
               (size_t)(rows - g->n_rows) * (size_t)g->cap_cols);
        g->head_row = xrealloc(g->head_row, (size_t)rows);
        for (int r = g->n_rows; r < rows; r++)
            g->head_row[r] = false;
        g->n_rows = rows;
    }
}

/* One <tr>: its cells go to the first free slots (HTML's table model). */
static void html_row(grid_t *g, cmark_node *tr, int r, int n_rows, bool in_head) {
    grow_slots(g, r + 1, g->cap_cols ? g->cap_cols : 1);
    bool all_th = true, any = false;
    int col = 0;
    for (cmark_node *c = cmark_node_first_child(tr); c; c = cmark_node_next(c)) {
        bool th = tag_is(c, "th");
        if (!th && !tag_is(c, "td")) continue;
        int cs = span_of(c, "colspan"), rs = span_of(c, "rowspan");
        if (rs > n_rows - r) rs = n_rows - r;
        grow_slots(g, r + 1, col + 1);
        while (*slot(g, r, col)) {
            col++;
            grow_slots(g, r + 1, col + 1);
        }
        grow_slots(g, r + rs, col + cs);
        for (int y = r; y < r + rs; y++)
            for (int x = col; x < col + cs; x++)
                *slot(g, y, x) = 1;
        char *al = rawhtml_attr(c, "align");
        char a = al && (*al == 'c' || *al == 'r') ? *al : 0;
        free(al);
        add_cell(g, (gcell_t){c, r, col, rs, cs, th || in_head, a});
        all_th &= th, any = true;
        col += cs;
    }
    g->head_row[r] = any && (in_head || all_th);
}

/* The rows of a raw-HTML table in order: thead's, then the body's and tfoot's. */
static size_t html_rows(cmark_node *n, cmark_node ***rows, bool **in_head) {
    size_t k = 0, cap = 0;
    *rows = NULL, *in_head = NULL;
    for (int pass = 0; pass < 2; pass++) /* thead first, wherever it is written */
        for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
            bool head = tag_is(c, "thead");
            if (head != (pass == 0)) continue;
            bool group = head || tag_is(c, "tbody") || tag_is(c, "tfoot");
            for (cmark_node *r = group ? cmark_node_first_child(c) : c; r;
                 r = group ? cmark_node_next(r) : NULL) {
                if (!tag_is(r, "tr")) continue;
                XGROW(*rows, cap, k);
                *in_head = xrealloc(*in_head, cap);
                (*rows)[k] = r, (*in_head)[k++] = head;
            }
        }
    return k;
}

static void html_grid(cmark_node *n, grid_t *g) {
    cmark_node **rows;
    bool *in_head;
    size_t nr = html_rows(n, &rows, &in_head);
    for (size_t r = 0; r < nr; r++)
        html_row(g, rows[r], (int)r, (int)nr, in_head[r]);
    if (g->n_rows < (int)nr) grow_slots(g, (int)nr, 1);
    free(rows), free(in_head), free(g->used);
    g->used = NULL;
}

/* ---------------------------------------------------------------- sizing */

/* A cell's paragraph: ragged and broken only between words (its column is at
   least as wide as its longest word), so never hyphenated. */
static para_t *cell_para(ts_t *t, cmark_node *c, float size, bool head) {
    t->node = c;
    pspec_t s = {.node = c,
                 .style = {head ? ts_head_role(t) : ROLE_BODY, size, 0, -1, -1, false},
                 .ragged = true,
                 .words_only = true};
    return ts_para_new(t, &s);
}

/* The height a row's pictures may take (a row does not break across pages). */
static float pics_max(const ts_t *t) {
    return (float)t->ps->lines * t->ps->pitch * 0.6f;
}

static void measure(ts_t *t, gcell_t *cell, float size, float pad) {
    cellimgs_collect(t->b, t->ch, cell->node, &cell->imgs);
    float pics = 0;
    for (size_t k = 0; k < cell->imgs.n; k++)
        pics = fmaxf(pics, cell->imgs.v[k].w);
    if (cell->imgs.only) {
        cell->natural = pics + 2 * pad;
        return;
    }
    cell->p = cell_para(t, cell->node, size, cell->head);
    cell->least = para_min_width(cell->p) + 2 * pad;
    lines_t probe;
    para_layout(cell->p, 1e5f, 0, &probe, ts_missing, t);
    cell->natural = 0;
    for (size_t k = 0; k < probe.n; k++)
        if (probe.lines[k].natural > cell->natural) cell->natural = probe.lines[k].natural;
    lines_free(&probe);
    cell->natural = fmaxf(cell->natural, pics) + 2 * pad;
}

/* What a spanning cell needs beyond its columns' sum goes to them evenly. */
static void widen(float *v, int from, int n, float need) {
    float have = 0;
    for (int i = from; i < from + n; i++)
        have += v[i];
    if (need > have)
        for (int i = from; i < from + n; i++)
            v[i] += (need - have) / (float)n;
}

static float span_sum(const float *v, int from, int n) {
    float s = 0;
    for (int i = from; i < from + n; i++)
        s += v[i];
    return s;
}

/* Column widths from content. A table too wide gives each column at least its
   longest word (and 3 em), the rest in proportion to what each wants; when even
   the words do not fit, the whole table is set smaller (returns the scale). */
static float column_widths(ts_t *t, grid_t *g, float size, float *nat) {
    int cols = g->n_cols;
    float *least = xcalloc((size_t)cols, sizeof *least);
    for (int pass = 0; pass < 2; pass++) /* single columns first, then spans */
        for (size_t i = 0; i < g->n; i++) {
            gcell_t *c = &g->c[i];
            if ((c->cols > 1) != pass) continue;
            widen(nat, c->col, c->cols, c->natural);
            widen(least, c->col, c->cols, c->least);
        }
    float total = 0, floor_sum = 0;
    for (int c = 0; c < cols; c++) {
        least[c] = fminf(nat[c], fmaxf(least[c], 3 * size));
        total += nat[c], floor_sum += least[c];
    }
    float scale = 1;
    if (total > t->w) {
        if (floor_sum >= t->w) {
            scale = t->w / floor_sum;
            for (int c = 0; c < cols; c++)
                nat[c] = least[c] * scale;
        } else {
            float room = t->w - floor_sum, want = total - floor_sum;
            for (int c = 0; c < cols; c++)
                nat[c] = least[c] + room * (nat[c] - least[c]) / want;
        }
    }
    free(least);
    return scale;
}

/* ---------------------------------------------------------------- drawing */

static void draw_cell(ts_t *t, vbox_t *b, int tr, gcell_t *c, bool row_head, float x, float w,
                      float h, float pitch, float size, float pad) {
    if (c->head) {
        op_t *bg = vbox_op(b, OP_RECT, x, 0);
        bg->w = w, bg->h = h, bg->gray = 0.9f;
    }
    int cn = stree_add(&t->out->tree, tr, c->head ? S_TH : S_TD, NULL);
    /* the Tagged PDF's /Scope, /ColSpan and /RowSpan */
    t->out->tree.v[cn].attr = STREE_CELL(c->head, c->head && row_head, c->cols, c->rows);
    size_t prev_op = 0;
    for (size_t k = 0; k < c->lines.n; k++) {
        line_t *ln = &c->lines.lines[k];
        html_ruby_line(ln);
        if (k) mathset_relink(&b->ops[prev_op], &(op_t){.line = *ln}); /* ruby's new glyphs */
        float room = w - 2 * pad - ln->natural, dx = 0;
        if (c->align == 'r') dx = room;
        if (c->align == 'c') dx = room / 2;
        op_t *o = vbox_op(b, OP_GLYPHS, x + pad + (ln->justified ? 0 : dx),
                          pad + (float)k * pitch + ts_ascent(pitch, size));
        o->line = *ln;
        o->tag = TAG_OF(cn);
        ts_note_ids(b, ln);
        ln->g = NULL;
        size_t op = b->n_ops - 1;
        mathset_line(t->ms, b, op);
        if (k) mathset_relink(&b->ops[prev_op], &b->ops[op]);
        prev_op = op;
    }
    float iy = pad + (float)c->lines.n * pitch + (c->lines.n ? CELLIMG_GAP : 0);
    cellimgs_draw(&c->imgs, b, x + pad, iy, w - 2 * pad, pics_max(t), &t->out->tree, cn);
    lines_free(&c->lines);
    /* its right and bottom edges (a spanning cell's reach over what it covers);
       the first row and column add the table's top and left */
    if (c->col == 0) ts_rule(x, 0, 0, h, b);
    ts_rule(x + w, 0, 0, h, b);
    if (c->row == 0) ts_rule(x, 0, w, 0, b);
    ts_rule(x, h, w, 0, b);
}

static void set_grid(ts_t *t, grid_t *g) {
    const print_t *ps = t->ps;
    if (!g->n_cols || !g->n_rows) return;
    float pad = 0.4f * ps->table_size, size = ps->table_size;
    for (size_t i = 0; i < g->n; i++)
        measure(t, &g->c[i], size, pad);
    float *nat = xcalloc((size_t)g->n_cols, sizeof *nat);
    float scale = column_widths(t, g, size, nat);
    float pitch = ps->table_pitch * scale, tw = span_sum(nat, 0, g->n_cols);
    float x0 = t->x + (t->w - tw) / 2;
    pad *= scale;
    /* row heights: single rows first, then what spanning cells need beyond theirs */
    float *rh = xcalloc((size_t)g->n_rows, sizeof *rh);
    for (size_t i = 0; i < g->n; i++) {
        gcell_t *c = &g->c[i];
        if (!c->p) continue; /* pictures only */
        if (scale < 1) {     /* shrink the text with the table: set again at the smaller size */
            para_free(c->p);
            c->p = cell_para(t, c->node, size * scale, c->head);
        }
        float w = span_sum(nat, c->col, c->cols);
        para_layout(c->p, fmaxf(w - 2 * pad, size * scale), 0, &c->lines, ts_missing, t);
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < g->n; i++) {
            gcell_t *c = &g->c[i];
            if ((c->rows > 1) != pass) continue;
            float need = (float)(c->lines.n ? c->lines.n : 1) * pitch + 2 * pad;
            if (c->imgs.n)
                need = fmaxf(need,
                             (float)c->lines.n * pitch + (c->lines.n ? CELLIMG_GAP : 0) +
                                 cellimgs_height(&c->imgs, span_sum(nat, c->col, c->cols) - 2 * pad,
                                                 pics_max(t)) +
                                 2 * pad);
            float have = span_sum(rh, c->row, c->rows);
            if (need > have) rh[c->row + c->rows - 1] += need - have;
        }
    ts_space(t, 0.5f * ps->pitch);
    int sn = t->sn;
    t->sn = ts_snode(t, S_TABLE, NULL);
    long header = -1;
    int reach = 0; /* the last row a cell started so far reaches */
    size_t next = 0;
    /* the first row is repeated after a page break when it is a header row of its own */
    bool head_repeats = g->head_row[0] && g->n_rows > 1;
    for (size_t i = 0; i < g->n && g->c[i].row == 0; i++)
        head_repeats &= g->c[i].rows == 1;
    for (int r = 0; r < g->n_rows; r++) {
        int tr = stree_add(&t->out->tree, t->sn, S_TR, NULL);
        vbox_t *b = ts_box(t, rh[r]);
        bool head = r == 0 && head_repeats;
        b->repeat = head ? -1 : header;
        if (head) header = (long)(t->out->body.n - 1), b->keep_with_next = true;
        for (; next < g->n && g->c[next].row == r; next++) {
            gcell_t *c = &g->c[next];
            float x = x0 + span_sum(nat, 0, c->col), w = span_sum(nat, c->col, c->cols);
            draw_cell(t, b, tr, c, !g->head_row[r], x, w, span_sum(rh, r, c->rows), pitch,
                      size * scale, pad);
            if (r + c->rows - 1 > reach) reach = r + c->rows - 1;
        }
        /* rows a cell spans stay on one page */
        if (reach > r) b->keep_with_next = true;
    }
    t->sn = sn;
    for (size_t i = 0; i < g->n; i++)
        para_free(g->c[i].p), cellimgs_free(&g->c[i].imgs);
    free(nat), free(rh);
    ts_space(t, 0.5f * ps->pitch);
}

static void grid_free(grid_t *g) {
    free(g->c), free(g->head_row), free(g->used);
}

void ts_table(ts_t *t, cmark_node *n) {
    grid_t g = {0};
    gfm_grid(n, &g);
    set_grid(t, &g);
    grid_free(&g);
}

void ts_html_table(ts_t *t, cmark_node *n) {
    size_t first = t->out->body.n;
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
        if (tag_is(c, "caption")) { /* above the table, centred, kept with it */
            t->node = c;
            pspec_t s = {.node = c, .style = ts_text_style(t), .w = t->w, .ragged = true};
            size_t from = ts_set_para(t, &s, S_CAPTION, t->ps->pitch);
            for (size_t i = from; i < t->out->body.n; i++) {
                vbox_t *b = &t->out->body.v[i];
                op_t *o = &b->ops[b->n_ops - 1];
                o->x += (t->w - o->line.natural) / 2;
                b->keep_with_next = true;
            }
        }
    grid_t g = {0};
    html_grid(n, &g);
    set_grid(t, &g);
    grid_free(&g);
    /* a numbered table (its <caption>) is found at its first box */
    const xref_t *x = t->b ? book_xref_of(t->b, n) : NULL;
    for (size_t i = first; x && x->anchor >= 0 && i < t->out->body.n; i++)
        if (!t->out->body.v[i].discardable && t->out->body.v[i].height > 0) {
            if (t->out->body.v[i].anchor < 0) t->out->body.v[i].anchor = (int)x->anchor;
            break;
        }
}
