/* A formula as readable linear text, for alternate descriptions (EPUB alttext,
   the PDF's /Alt on a Formula): Unicode characters and the linear notation
   people type in e-mail (x^2, a_i, (a + b)/c, √(x)), with no backslash and no
   TeX braces. A screen reader reads the symbols in the reader's language; a
   sentence in English ("x squared") would be wrong for a Chinese book. See
   DECISIONS.md (#11). */
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "texmath.h"
#include <string.h>

typedef struct {
    buf_t *b;
    math_ref_fn ref;
    void *ctx;
    int depth;
} lctx;

static void node(lctx *c, const mnode_t *x);

static void put_cp(buf_t *b, uint32_t cp) {
    char u[5];
    if (cp) buf_put(b, u, utf8_encode(cp, u));
}

/* A single space, never two, never at the start. */
static void space(buf_t *b) {
    if (b->len && b->data[b->len - 1] != ' ' && b->data[b->len - 1] != '(') buf_putc(b, ' ');
}

/* drops trailing spaces and commas (a cell that ends with its own comma) */
static void trim(buf_t *b, const char *chars) {
    while (b->len && strchr(chars, b->data[b->len - 1]))
        b->len--;
    buf_putc(b, 0);
    b->len--;
}

/* How many visible items a subtree shows in a row: one needs no parentheses. */
static bool simple(const mnode_t *x) {
    while (x && x->kind == MK_ROW && x->n_kids == 1)
        x = x->kids[0];
    if (!x) return true;
    switch (x->kind) {
    case MK_ATOM:
    case MK_NUM:
    case MK_OPNAME:
    case MK_FENCED:
    case MK_REF:
        return true;
    case MK_TEXT:
        return !strchr(x->text, ' ');
    case MK_SCRIPTS:
    case MK_ACCENT:
    case MK_SQRT:
        return true;
    case MK_COLOR:
    case MK_BOX:
    case MK_STYLE:
    case MK_SIZE:
        return simple(x->kids[0]);
    default:
        return false;
    }
}

/* x alone, in parentheses unless it is one item (a script's script: e^(o_j)) */
static void group_in(lctx *c, const mnode_t *x, bool script) {
    const mnode_t *y = x;
    while (y && y->kind == MK_ROW && y->n_kids == 1)
        y = y->kids[0];
    if (simple(x) && !(script && y && (y->kind == MK_SCRIPTS || y->kind == MK_UNDEROVER))) {
        node(c, x);
        return;
    }
    buf_putc(c->b, '(');
    node(c, x);
    trim(c->b, " ");
    buf_putc(c->b, ')');
}

static void group(lctx *c, const mnode_t *x) {
    group_in(c, x, false);
}

static void row(lctx *c, const mnode_t *x) {
    for (int i = 0; i < x->n_kids; i++) {
        const mnode_t *k = x->kids[i];
        bool op = k->kind == MK_ATOM && (k->cls == MC_REL || k->cls == MC_BIN);
        bool spaced = op || k->kind == MK_OPNAME || (k->kind == MK_ATOM && k->cls == MC_OP);
        if (spaced && !(op && i == 0)) space(c->b);
        node(c, k);
        /* x_i y_j, 1/2 x: a script or a fraction ends where a space says so */
        bool ends = k->kind == MK_SCRIPTS || k->kind == MK_FRAC || k->kind == MK_SQRT ||
                    k->kind == MK_ERROR;
        const mnode_t *n = i + 1 < x->n_kids ? x->kids[i + 1] : NULL;
        if (ends && n && n->kind == MK_ATOM &&
            (n->cls == MC_PUNCT || n->cls == MC_CLOSE || n->cls == MC_OPEN))
            ends = false;
        if (spaced || ends || (k->kind == MK_ATOM && k->cls == MC_PUNCT)) space(c->b);
    }
}

static void table(lctx *c, const mnode_t *x) {
    put_cp(c->b, x->l);
    bool aligned = x->align && x->ncols > 1 && x->align[0] == 'r' && x->align[1] == 'l';
    for (int r = 0; r < x->nrows; r++) {
        if (r) trim(c->b, " ,"), buf_puts(c->b, "; ");
        for (int k = 0; k < x->ncols; k++) {
            const mnode_t *cell = x->kids[r * x->ncols + k];
            if (k) trim(c->b, aligned ? " " : " ,"), buf_puts(c->b, aligned ? " " : ", ");
            if (cell) node(c, cell);
        }
    }
    trim(c->b, " ,");
    put_cp(c->b, x->r);
}

static void scripts(lctx *c, const mnode_t *x) {
    node(c, x->kids[0]);
    if (x->kids[1]) buf_putc(c->b, '_'), group_in(c, x->kids[1], true);
    if (x->kids[2]) {
        const mnode_t *s = x->kids[2];
        while (s->kind == MK_ROW && s->n_kids == 1)
            s = s->kids[0];
        if (s->kind == MK_ATOM && strcmp(s->text, "\xE2\x80\xB2") == 0) /* a prime: f′ */
            buf_puts(c->b, s->text);
        else
            buf_putc(c->b, '^'), group_in(c, x->kids[2], true);
    }
    if (x->kind == MK_UNDEROVER) space(c->b);
}

static void node1(lctx *c, const mnode_t *x) {
    buf_t *b = c->b;
    switch (x->kind) {
    case MK_ROW:
        row(c, x);
        return;
    case MK_ATOM:
    case MK_NUM:
    case MK_TEXT:
    case MK_OPNAME:
        buf_puts(b, x->text);
        return;
    case MK_ERROR:
        buf_puts(b, x->text[0] == '\\' ? x->text + 1 : x->text);
        return;
    case MK_FRAC:
        if (x->l || !x->rule) { /* \binom: (n choose k) reads as C(n, k) */
            /* \atop, \brack: the pair in its own brackets (round when it has none) */
            bool binom = x->l == '(';
            if (binom)
                buf_puts(b, "C(");
            else
                put_cp(b, x->l ? x->l : '(');
            node(c, x->kids[0]);
            buf_puts(b, ", ");
            node(c, x->kids[1]);
            trim(b, " ");
            put_cp(b, binom || !x->r ? ')' : x->r);
            return;
        }
        group(c, x->kids[0]);
        trim(b, " ");
        buf_putc(b, '/');
        group(c, x->kids[1]);
        return;
    case MK_SQRT:
        if (x->kids[1]) group(c, x->kids[1]);
        buf_puts(b, "\xE2\x88\x9A("); /* √( */
        node(c, x->kids[0]);
        trim(b, " ");
        buf_putc(b, ')');
        return;
    case MK_SCRIPTS:
    case MK_UNDEROVER:
        scripts(c, x);
        return;
    case MK_FENCED:
        put_cp(b, x->l);
        node(c, x->kids[0]);
        trim(b, " ");
        put_cp(b, x->r);
        return;
    case MK_ACCENT:
        group(c, x->kids[0]);
        /* a combining accent joins its letter (ŷ, x⃗); a bar or brace is read as the base */
        if ((x->r >= 0x300 && x->r < 0x370) || (x->l >= 0x300 && x->l < 0x370) || x->l == 0x20D7)
            put_cp(b, x->l >= 0x300 && x->l < 0x370 ? x->l : x->l == 0x20D7 ? x->l : x->r);
        return;
    case MK_SPACE:
        if (x->mu >= 3) space(b);
        return;
    case MK_TABLE:
        table(c, x);
        return;
    case MK_BOX:
    case MK_COLOR:
    case MK_STYLE:
    case MK_SIZE:
        node(c, x->kids[0]);
        return;
    case MK_REF: {
        const char *num = c->ref ? c->ref(c->ctx, x->text) : NULL;
        buf_printf(b, x->paren ? "(%s)" : "%s", num ? num : "?");
        return;
    }
    }
}

static void node(lctx *c, const mnode_t *x) {
    if (!x || c->depth > 200) return;
    c->depth++;
    node1(c, x);
    c->depth--;
}

char *math_linear(const math_t *m, math_ref_fn ref, void *ctx) {
    buf_t b;
    buf_init(&b);
    lctx c = {&b, ref, ctx, 0};
    node(&c, m->root);
    trim(&b, " ");
    return buf_detach(&b);
}
