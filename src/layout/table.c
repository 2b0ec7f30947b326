/* Tables: columns sized from their content (shrunk to fit, the whole table set
   smaller when even the longest words do not fit), cells ragged and broken
   between words only, the header row shaded and repeated after a page break. */
#include "tsctx.h"
#include "../book/mdutil.h"
#include "../util/xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
    lines_t lines;
    para_t *p;
    float natural;
} cell_t;

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

void ts_table(ts_t *t, cmark_node *n) {
    const print_t *ps = t->ps;
    int cols = cmark_gfm_extensions_get_table_columns(n);
    uint8_t *align = cmark_gfm_extensions_get_table_alignments(n);
    size_t rows = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r))
        rows++;
    if (!cols || !rows) return;
    cell_t *cells = xcalloc(rows * (size_t)cols, sizeof *cells);
    float pad = 0.4f * ps->table_size, size = ps->table_size;
    float *nat = xcalloc((size_t)cols, sizeof *nat), *least = xcalloc((size_t)cols, sizeof *least);
    size_t ri = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), ri++) {
        bool head = md_is(r, "table_header");
        int ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < cols;
             c = cmark_node_next(c), ci++) {
            cell_t *cell = &cells[ri * (size_t)cols + (size_t)ci];
            cell->p = cell_para(t, c, size, head);
            float word = para_min_width(cell->p) + 2 * pad;
            if (word > least[ci]) least[ci] = word;
            lines_t probe;
            para_layout(cell->p, 1e5f, 0, &probe, ts_missing, t);
            for (size_t k = 0; k < probe.n; k++)
                if (probe.lines[k].natural > cell->natural) cell->natural = probe.lines[k].natural;
            lines_free(&probe);
            if (cell->natural + 2 * pad > nat[ci]) nat[ci] = cell->natural + 2 * pad;
        }
    }
    /* column widths from content. A table too wide gives each column at least
       its longest word (and 3 em), the rest in proportion to what each wants;
       when even the words do not fit, the whole table is set smaller. */
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
    float pitch = ps->table_pitch * scale, tw = 0;
    for (int c = 0; c < cols; c++)
        tw += nat[c];
    float x0 = t->x + (t->w - tw) / 2;
    ts_space(t, 0.5f * ps->pitch);
    long header = -1;
    ri = 0;
    int sn = t->sn;
    t->sn = ts_snode(t, S_TABLE, NULL);
    int tr = -1;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), ri++) {
        bool head = md_is(r, "table_header");
        tr = stree_add(&t->out->tree, t->sn, S_TR, NULL);
        size_t maxl = 1;
        for (int c = 0; c < cols; c++) {
            cell_t *cell = &cells[ri * (size_t)cols + (size_t)c];
            if (!cell->p) continue;
            if (scale < 1) {
                /* shrink the text with the table: set again at the smaller size */
                para_free(cell->p);
                cmark_node *cn = cmark_node_first_child(r);
                for (int k = 0; k < c && cn; k++)
                    cn = cmark_node_next(cn);
                cell->p = cell_para(t, cn, size * scale, head);
            }
            para_layout(cell->p, fmaxf(nat[c] - 2 * pad * scale, size * scale), 0, &cell->lines,
                        ts_missing, t);
            if (cell->lines.n > maxl) maxl = cell->lines.n;
        }
        float h = (float)maxl * pitch + 2 * pad * scale;
        vbox_t *b = ts_box(t, h);
        b->repeat = head ? -1 : header;
        if (head) {
            header = (long)(t->out->body.n - 1);
            b->keep_with_next = true;
            op_t *bg = vbox_op(b, OP_RECT, x0, 0);
            bg->w = tw, bg->h = h, bg->gray = 0.9f;
        }
        float cx = x0;
        for (int c = 0; c < cols; c++) {
            cell_t *cell = &cells[ri * (size_t)cols + (size_t)c];
            int cn = stree_add(&t->out->tree, tr, head ? S_TH : S_TD, NULL);
            t->out->tree.v[cn].attr = head;
            for (size_t k = 0; k < cell->lines.n; k++) {
                line_t *ln = &cell->lines.lines[k];
                float room = nat[c] - 2 * pad * scale - ln->natural, dx = 0;
                if (align && align[c] == 'r') dx = room;
                if (align && align[c] == 'c') dx = room / 2;
                op_t *o = vbox_op(b, OP_GLYPHS, cx + pad * scale + (ln->justified ? 0 : dx),
                                  pad * scale + (float)k * pitch + ts_ascent(pitch, size * scale));
                o->line = *ln;
                o->tag = TAG_OF(cn);
                ts_note_ids(b, ln);
                ln->g = NULL;
                mathset_line(t->ms, b, b->n_ops - 1);
            }
            lines_free(&cell->lines);
            ts_rule(cx, 0, 0, h, b);
            cx += nat[c];
        }
        ts_rule(cx, 0, 0, h, b);
        ts_rule(x0, 0, tw, 0, b);
        if (!cmark_node_next(r)) ts_rule(x0, h, tw, 0, b);
    }
    t->sn = sn;
    for (size_t k = 0; k < rows * (size_t)cols; k++)
        para_free(cells[k].p);
    free(cells);
    free(nat);
    free(least);
    ts_space(t, 0.5f * ps->pitch);
}
