#include "../util/xalloc.h"
#include "vlist.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const vlist_t *l;
    float h, gap;
    const pnote_t *notes;
    size_t n_notes;
    pages_t *out;
    /* notes carried from the page before: ids, and lines of the first already set */
    int *carry;
    size_t n_carry, carry_skip;
} pctx;

static float note_height(const pnote_t *n, size_t skip) {
    float s = 0;
    for (size_t i = skip; i < n->lines.n; i++)
        s += n->lines.v[i].height;
    return s;
}

static bool has_key(const pctx *c, const int *ids, size_t n, int id) {
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id || (c->notes[ids[i]].key && c->notes[id].key &&
                             strcmp(c->notes[ids[i]].key, c->notes[id].key) == 0))
            return true;
    return false;
}

static void add_note_id(const pctx *c, int **ids, size_t *n, size_t *cap, int id);

/* The notes a note's own lines refer to (the URL notes of a footnote's links),
   set right after it. */
static void add_note_refs(const pctx *c, int **ids, size_t *n, size_t *cap, int id) {
    const vlist_t *l = &c->notes[id].lines;
    for (size_t b = 0; b < l->n; b++)
        for (size_t k = 0; k < l->v[b].n_notes; k++)
            if (l->v[b].notes[k] != id) add_note_id(c, ids, n, cap, l->v[b].notes[k]);
}

static void add_note_id(const pctx *c, int **ids, size_t *n, size_t *cap, int id) {
    if (id < 0 || (size_t)id >= c->n_notes || has_key(c, *ids, *n, id)) return;
    XGROW(*ids, *cap, *n);
    (*ids)[(*n)++] = id;
    add_note_refs(c, ids, n, cap, id);
}

/* The notes a page holding boxes [first, end) sets at its foot, carried ones first. */
static size_t page_notes(const pctx *c, size_t first, size_t end, int **ids) {
    size_t n = 0, cap = 0;
    *ids = NULL;
    for (size_t i = 0; i < c->n_carry; i++) {
        XGROW(*ids, cap, n);
        (*ids)[n++] = c->carry[i];
    }
    for (size_t b = first; b < end; b++)
        for (size_t k = 0; k < c->l->v[b].n_notes; k++)
            add_note_id(c, ids, &n, &cap, c->l->v[b].notes[k]);
    return n;
}

static float body_height(const pctx *c, size_t first, size_t end, const vbox_t *header) {
    float s = header ? header->height : 0;
    for (size_t b = first; b < end; b++)
        s += c->l->v[b].height;
    return s;
}

static float notes_height(const pctx *c, const int *ids, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++)
        s += note_height(&c->notes[ids[i]], i == 0 && c->n_carry ? c->carry_skip : 0);
    return s;
}

/* Whether boxes [first, end) fit on a page: all their notes, or all but the tail
   of the last note the last box references (a footnote, not a URL note), of which at least the
   first line is set (the rest then continues on the next page): every note number on a page has its
   note starting on that page. */
static bool fits(const pctx *c, size_t first, size_t end, const vbox_t *header) {
    float body = body_height(c, first, end, header);
    if (body > c->h + 0.01f) return false;
    int *ids;
    size_t n = page_notes(c, first, end, &ids);
    bool ok = body + (n ? c->gap + notes_height(c, ids, n) : 0) <= c->h + 0.01f;
    if (!ok && n && end > first) {
        int *prev;
        size_t np = page_notes(c, first, end - 1, &prev);
        float min = c->gap + notes_height(c, ids, n - 1);
        if (c->notes[ids[n - 1]].lines.n) min += c->notes[ids[n - 1]].lines.v[0].height;
        /* a URL is never split across pages: a reader copies it from one place */
        ok = np < n && !c->notes[ids[n - 1]].key && body + min <= c->h + 0.01f;
        free(prev);
    }
    free(ids);
    return ok;
}

/* The rules every break keeps: a heading stays with what follows it (space
   is transparent: a heading followed by the space before a list or a code
   block is still kept with what follows the space), and no paragraph leaves
   its first or last line alone. */
static bool legal_break(const vlist_t *l, size_t k) {
    const vbox_t *a = &l->v[k - 1], *b = &l->v[k];
    if (a->keep_with_next) return false;
    for (size_t j = k - 1; j > 0 && l->v[j].discardable; j--)
        if (l->v[j - 1].keep_with_next) return false;
    if (b->para >= 0 && b->para == a->para) {
        if (b->line_no == b->line_count - 1) return false; /* a widow */
        if (a->line_no == 0) return false;                 /* an orphan */
    }
    return true;
}

/* Whether a box sets running text or code (a line of a paragraph), as opposed
   to a heading, a table row, an image, a rule or space. */
static bool is_text(const vbox_t *b) {
    return b->para >= 0;
}

/* A page ending before box k would end on a heading with fewer than two lines
   of text under it (tables, images and rules between do not count): the
   reader meets the heading at the foot with next to nothing to read. The
   heading then moves to the next page with what follows it, unless that leaves
   more than half a page empty (a long table: it may break after its heading
   row and two rows). */
static bool strands_heading(const vlist_t *l, size_t first, size_t k, float h) {
    size_t j = k;
    float span = 0;
    int text = 0;
    while (j > first && l->v[j - 1].heading < 0 && text < 2) {
        text += is_text(&l->v[j - 1]);
        span += l->v[--j].height;
    }
    if (j == first || l->v[j - 1].heading < 0) return false;
    return span + l->v[j - 1].height <= h / 2;
}

/* Rows of one table on each side of a break before box k: at least two body
   rows on either side, so no page holds a table's stub or its last row alone. */
static bool splits_table_thin(const vlist_t *l, size_t k) {
    long t = l->v[k].repeat;
    if (t < 0 || l->v[k - 1].repeat != t) return false;
    int before = 0, after = 0;
    for (size_t j = k; j > 0 && before < 2 && l->v[j - 1].repeat == t; j--)
        before++;
    for (size_t j = k; j < l->n && after < 2 && l->v[j].repeat == t; j++)
        after++;
    return before < 2 || after < 2;
}

/* The line of text a box sets (its last glyph run), or NULL. */
static const line_t *line_of(const vbox_t *b) {
    for (size_t i = b->n_ops; i > 0; i--)
        if (b->ops[i - 1].kind == OP_GLYPHS && b->ops[i - 1].line.n) return &b->ops[i - 1].line;
    return NULL;
}

static bool counts(const glyph_t *g) {
    return g->cp != ' ' && g->nchars;
}

typedef struct {
    float size;
    size_t n;
} size_count_t;

/* The size most of the glyphs of lines [from, to) are set at. */
static float prose_size_of(const vlist_t *l, size_t from, size_t to) {
    size_count_t seen[8];
    size_t n_seen = 0, best = 0;
    for (size_t j = from; j < to && j < l->n; j++) {
        const line_t *ln = line_of(&l->v[j]);
        for (size_t g = 0; ln && g < ln->n; g++) {
            if (!counts(&ln->g[g])) continue;
            size_t i = 0;
            while (i < n_seen && fabsf(seen[i].size - ln->g[g].size) > 0.01f)
                i++;
            if (i == n_seen && n_seen < 8) seen[n_seen++] = (size_count_t){ln->g[g].size, 0};
            if (i < n_seen && ++seen[i].n > seen[best].n) best = i;
        }
    }
    return n_seen ? seen[best].size : 0;
}

/* The last paragraph prose_size measured. The break search asks about every
   line of a paragraph, each time for the whole paragraph: without this a
   5,000-line code block took seconds (quadratic). paginate() bumps the
   generation, so a memo never outlives the list it was taken from. */
static _Thread_local struct {
    unsigned gen;
    const vbox_t *v;
    size_t from, to;
    float size;
} prose_memo;
static _Thread_local unsigned prose_gen;

/* The size most of the glyphs of box k's paragraph are set at: its prose. */
static float prose_size(const vlist_t *l, size_t k) {
    const vbox_t *b = &l->v[k];
    size_t from = k - (size_t)b->line_no, to = from + (size_t)b->line_count;
    if (prose_memo.gen == prose_gen && prose_memo.v == l->v && prose_memo.from == from &&
        prose_memo.to == to)
        return prose_memo.size;
    float size = prose_size_of(l, from, to);
    prose_memo.gen = prose_gen, prose_memo.v = l->v, prose_memo.from = from, prose_memo.to = to;
    prose_memo.size = size;
    return size;
}

/* Whether box k's line does not read as a line of prose: most of it is set
   smaller than its largest glyphs (inline code among text), or off the size
   most of its paragraph is set at (formulas). */
static bool off_size_line(const vlist_t *l, size_t k) {
    const line_t *ln = line_of(&l->v[k]);
    float base = prose_size(l, k), big = 0;
    for (size_t g = 0; ln && g < ln->n; g++)
        if (counts(&ln->g[g]) && ln->g[g].size > big) big = ln->g[g].size;
    size_t off = 0, small = 0, all = 0;
    for (size_t g = 0; ln && g < ln->n; g++) {
        if (!counts(&ln->g[g])) continue;
        all++;
        off += fabsf(ln->g[g].size - base) > 0.05f * base;
        small += ln->g[g].size < 0.95f * big;
    }
    return off * 2 > all || small * 2 > all;
}

/* Whether box j sets the last line of a paragraph without showing that the
   paragraph ends there: the line fills the measure, or it is mostly code or
   formula under a full line of prose (the eye takes the full line for the
   last). At the foot of a page the next page's first line then reads as its
   widow. */
static bool unclear_last_line(const vlist_t *l, size_t j) {
    const vbox_t *b = &l->v[j];
    if (!is_text(b) || b->line_no != b->line_count - 1) return false;
    if (b->line_count > 1 && off_size_line(l, j)) return true;
    for (size_t i = b->n_ops; i > 0; i--) {
        const op_t *o = &b->ops[i - 1];
        if (o->kind == OP_GLYPHS && o->line.width > 0)
            /* a reader (and pdf-audit) sees a line 1 pt short as full */
            return o->line.natural >= o->line.width - 1.5f;
    }
    return false;
}

static bool ends_ambiguously(const vlist_t *l, size_t first, size_t k) {
    size_t j = k;
    while (j > first + 1 && l->v[j - 1].n_ops == 0)
        j--;
    return j > first + 1 && unclear_last_line(l, j - 1);
}

/* A paragraph continued before box k whose lines on the next page are code or
   formulas but its last: its only line of prose there reads as a widow. */
static bool leaves_prose_widow(const vlist_t *l, size_t k) {
    const vbox_t *b = &l->v[k];
    if (b->para < 0 || l->v[k - 1].para != b->para) return false;
    size_t last = k + (size_t)(b->line_count - 1 - b->line_no);
    if (last >= l->n) return false;
    for (size_t j = k; j < last; j++)
        if (!off_size_line(l, j)) return false;
    return true;
}

/* The preferred breaks: the rules above and the softer ones, which give way
   when no break on the page keeps them. */
static bool good_break(const vlist_t *l, size_t first, size_t k, float h) {
    return legal_break(l, k) && !splits_table_thin(l, k) && !strands_heading(l, first, k, h) &&
           !ends_ambiguously(l, first, k) && !leaves_prose_widow(l, k);
}

static page_t *new_page(pctx *c, size_t first, int chapter) {
    XGROW(c->out->v, c->out->cap, c->out->n);
    page_t *p = &c->out->v[c->out->n++];
    memset(p, 0, sizeof *p);
    p->first = first;
    p->chapter = chapter;
    return p;
}

/* Closes the page of boxes [first, end): sets the notes that fit and carries the rest. */
static void finish(pctx *c, size_t first, size_t end, const vbox_t *header) {
    int chapter = c->l->n ? c->l->v[first < c->l->n ? first : c->l->n - 1].chapter : -1;
    page_t *p = new_page(c, first, chapter);
    p->count = end - first;
    p->header = header;
    p->n_notes = page_notes(c, first, end, &p->notes);
    p->note_first_line = c->n_carry ? c->carry_skip : 0;
    p->continued = c->n_carry > 0 && c->carry_skip > 0;
    float room = c->h - body_height(c, first, end, header) - c->gap;
    size_t lines = 0, i = 0, skip = p->note_first_line;
    for (; i < p->n_notes; i++, skip = 0) {
        const pnote_t *n = &c->notes[p->notes[i]];
        size_t k = skip;
        while (k < n->lines.n && room >= n->lines.v[k].height - 0.01f)
            room -= n->lines.v[k++].height;
        if (k == skip && lines == 0 && p->count == 0 && k < n->lines.n)
            k++; /* a note taller than a page */
        lines += k - skip;
        if (k < n->lines.n) {
            skip = k;
            break;
        }
    }
    p->note_lines = lines;
    /* what did not fit goes first on the next page */
    free(c->carry);
    c->carry = NULL;
    c->n_carry = 0;
    c->carry_skip = i < p->n_notes ? skip : 0;
    if (i < p->n_notes) {
        c->n_carry = p->n_notes - i;
        c->carry = xmalloc(c->n_carry * sizeof *c->carry);
        memcpy(c->carry, p->notes + i, c->n_carry * sizeof *c->carry);
    }
}

void paginate(const vlist_t *l, float h, const pnote_t *notes, size_t n_notes, float note_gap,
              pages_t *out) {
    memset(out, 0, sizeof *out);
    prose_gen++;
    pctx c = {l, h, note_gap, notes, n_notes, out, NULL, 0, 0};
    size_t first = 0, i = 0;
    const vbox_t *header = NULL;
    while (i < l->n) {
        const vbox_t *b = &l->v[i];
        if (first == i && b->discardable && !c.n_carry) {
            first = ++i;
            continue;
        }
        if (b->new_page && i > first) {
            finish(&c, first, i, header);
            first = i, header = NULL;
            continue;
        }
        if (b->new_page && first == i && b->recto && out->n % 2 == 1 && !c.n_carry) {
            page_t *blank = new_page(&c, i, b->chapter);
            blank->blank = true;
        }
        if (first == i && b->repeat >= 0 && i > 0 && l->v[i - 1].repeat == b->repeat)
            header = &l->v[b->repeat];
        if (fits(&c, first, i + 1, header)) {
            i++;
            continue;
        }
        size_t k = i;
        while (k > first + 1 && !good_break(l, first, k, h))
            k--;
        if (k == first + 1 && !good_break(l, first, k, h)) {
            k = i;
            while (k > first + 1 && !legal_break(l, k))
                k--;
            if (k == first + 1 && !legal_break(l, k)) k = i; /* nothing legal: break here anyway */
        }
        if (k == first) k = first + 1; /* a box taller than a page stands alone */
        finish(&c, first, k, header);
        first = i = k;
        header = NULL;
    }
    if (i > first || c.n_carry) finish(&c, first, i, header);
    /* notes still waiting get pages of their own */
    while (c.n_carry)
        finish(&c, l->n, l->n, NULL);
    free(c.carry);
}
