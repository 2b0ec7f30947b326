/* Presentation MathML from the math tree: what EPUB readers render natively.
   The TeX source rides along as alttext and as an application/x-tex
   annotation, so assistive technology and copy-paste get it back. */
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include "texmath.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    buf_t *b;
    math_ref_fn ref;
    void *ctx;
    const mnode_t *rows_of;    /* the table whose rows carry numbers, or NULL */
    const char *const *labels; /* its rows' numbers ("2.3", NULL for none) */
    const char *const *ids;    /* and their anchors */
    const mnode_t *infix;      /* the operator a part of a split formula ends with */
    float size;                /* the size switch in force (\small: 0.9), 0 for none */
} wctx;

static void w_node(wctx *w, const mnode_t *x);

static void put_cp(buf_t *b, uint32_t cp) {
    char u[8];
    size_t l = utf8_encode(cp, u);
    xml_escape(b, u, l);
}

static const char *variant_name(mvariant v) {
    switch (v) {
    case MV_NORMAL:
        return "normal";
    case MV_BOLD:
        return "bold";
    case MV_ITALIC:
        return "italic";
    case MV_BOLD_ITALIC:
        return "bold-italic";
    case MV_SCRIPT:
        return "script";
    case MV_DOUBLE:
        return "double-struck";
    case MV_FRAKTUR:
        return "fraktur";
    case MV_SANS:
        return "sans-serif";
    case MV_MONO:
        return "monospace";
    default:
        return NULL;
    }
}

static bool is_letter(uint32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0x391 && cp <= 0x3F5) ||
           cp == 0x2113 || cp == 0x210F || cp == 0x2202 || cp == 0x221E || cp == 0x2207 ||
           cp == 0x2205 || cp == 0x2135;
}

/* an upright Latin letter (\mathrm{softmax}, \text-like names) */
static bool upright_letter(const mnode_t *x) {
    return x && x->kind == MK_ATOM && x->variant == MV_NORMAL && x->cls == MC_ORD && x->text[0] &&
           !x->text[1] &&
           ((x->text[0] >= 'a' && x->text[0] <= 'z') || (x->text[0] >= 'A' && x->text[0] <= 'Z'));
}

static void w_row_kids(wctx *w, const mnode_t *x) {
    if (x->kind != MK_ROW) { /* \sqrt\sqrt x: an argument that is one atom, not a group */
        w_node(w, x);
        return;
    }
    for (int i = 0; i < x->n_kids; i++) {
        /* a run of upright letters is one name: <mi>softmax</mi> */
        if (upright_letter(x->kids[i]) && i + 1 < x->n_kids && upright_letter(x->kids[i + 1])) {
            buf_puts(w->b, "<mi>");
            while (i < x->n_kids && upright_letter(x->kids[i]))
                buf_puts(w->b, x->kids[i++]->text);
            buf_puts(w->b, "</mi>");
            i--;
            continue;
        }
        w_node(w, x->kids[i]);
        /* \log K: TeX's thin space between an operator name and an ordinary atom
           (MathML gives an <mi> none) */
        const mnode_t *next = i + 1 < x->n_kids ? x->kids[i + 1] : NULL;
        if (x->kids[i]->kind == MK_OPNAME && next && next->kind != MK_SPACE) {
            mclass c = math_box_class(next);
            if (c == MC_ORD || c == MC_OP || c == MC_INNER)
                buf_puts(w->b, "<mspace width=\"0.1667em\"/>");
        }
    }
}

/* a child that must be one element */
static void w_one(wctx *w, const mnode_t *x) {
    if (!x) {
        buf_puts(w->b, "<mrow/>");
        return;
    }
    if (x->kind == MK_ROW && x->n_kids != 1) {
        buf_puts(w->b, "<mrow>");
        w_row_kids(w, x);
        buf_puts(w->b, "</mrow>");
    } else if (x->kind == MK_ROW)
        w_one(w, x->kids[0]);
    else
        w_node(w, x);
}

static void w_mo(wctx *w, uint32_t cp, const char *attrs) {
    buf_puts(w->b, "<mo");
    if (attrs) buf_puts(w->b, attrs);
    buf_putc(w->b, '>');
    if (cp) put_cp(w->b, cp);
    buf_puts(w->b, "</mo>");
}

static const char *big_size(int lv) {
    static const char *s[] = {"", "1.2em", "1.8em", "2.4em", "3em"};
    return s[lv > 4 ? 4 : lv < 0 ? 0 : lv];
}

static void w_atom(wctx *w, const mnode_t *x) {
    uint32_t cp = 0;
    utf8_decode(x->text, strlen(x->text), &cp);
    if (x->size) {
        buf_printf(w->b, "<mo minsize=\"%s\" maxsize=\"%s\">", big_size(x->size),
                   big_size(x->size));
        xml_escape_str(w->b, x->text);
        buf_puts(w->b, "</mo>");
        return;
    }
    if (x->stretchy) {
        buf_puts(w->b, "<mo stretchy=\"true\">");
        xml_escape_str(w->b, x->text);
        buf_puts(w->b, "</mo>");
        return;
    }
    if (x->cls == MC_ORD && is_letter(cp)) {
        const char *v = variant_name(x->variant);
        bool capgreek = cp >= 0x391 && cp <= 0x3A9;
        if (x->variant == MV_DEFAULT && capgreek) v = "normal";
        if (x->variant == MV_ITALIC) v = NULL; /* single-letter mi is italic already */
        if (x->variant == MV_ITALIC && capgreek) v = "italic";
        if (v) {
            buf_puts(w->b, "<mi mathvariant=\"");
            buf_puts(w->b, v);
            buf_puts(w->b, "\">");
        } else {
            buf_puts(w->b, "<mi>");
        }
        xml_escape_str(w->b, x->text);
        buf_puts(w->b, "</mi>");
        return;
    }
    if (x->cls == MC_ORD && cp != '/' && cp != '|' && cp != 0x2016 && cp != '.') {
        buf_puts(w->b, "<mi mathvariant=\"normal\">");
        xml_escape_str(w->b, x->text);
        buf_puts(w->b, "</mi>");
        return;
    }
    const char *attr = "";
    if (x->cls == MC_OPEN || x->cls == MC_CLOSE) attr = " stretchy=\"false\"";
    if (x->cls == MC_OP) attr = x->limits ? "" : " movablelimits=\"false\"";
    if (x->cls == MC_ORD && (cp == '/' || cp == '|')) attr = " stretchy=\"false\"";
    /* last in its <math>, an operator would take its postfix spacing */
    if (x == w->infix) attr = " form=\"infix\"";
    buf_puts(w->b, "<mo");
    buf_puts(w->b, attr);
    buf_putc(w->b, '>');
    xml_escape_str(w->b, x->text);
    buf_puts(w->b, "</mo>");
}

static void w_table(wctx *w, const mnode_t *x) {
    bool fence = x->l || x->r;
    if (fence) {
        buf_puts(w->b, "<mrow>");
        if (x->l) w_mo(w, x->l, " fence=\"true\" stretchy=\"true\"");
    }
    buf_puts(w->b, "<mtable");
    if (x->align && x->ncols) {
        buf_puts(w->b, " columnalign=\"");
        for (int c = 0; c < x->ncols; c++)
            buf_printf(w->b, "%s%s", c ? " " : "",
                       x->align[c] == 'l'   ? "left"
                       : x->align[c] == 'r' ? "right"
                                            : "center");
        buf_puts(w->b, "\"");
    }
    bool aligned = x->align && x->ncols > 1 && x->align[0] == 'r' && x->align[1] == 'l';
    if (aligned) buf_puts(w->b, " columnspacing=\"0em\" displaystyle=\"true\"");
    buf_puts(w->b, ">");
    for (int r = 0; r < x->nrows; r++) {
        buf_puts(w->b, "<mtr>");
        for (int c = 0; c < x->ncols; c++) {
            buf_puts(w->b, "<mtd>");
            const mnode_t *cell = x->kids[r * x->ncols + c];
            if (cell) w_row_kids(w, cell);
            buf_puts(w->b, "</mtd>");
        }
        if (x == w->rows_of) { /* align: the row's number in a last column, level with it */
            const char *l = w->labels[r], *id = w->ids ? w->ids[r] : NULL;
            buf_puts(w->b, "<mtd");
            if (l && id) {
                buf_puts(w->b, " id=\"");
                xml_escape_attr(w->b, id);
                buf_puts(w->b, "\"");
            }
            buf_puts(w->b, "><mspace width=\"2em\"/>");
            if (l) {
                buf_puts(w->b, "<mtext>(");
                xml_escape_str(w->b, l);
                buf_puts(w->b, ")</mtext>");
            }
            buf_puts(w->b, "</mtd>");
        }
        buf_puts(w->b, "</mtr>");
    }
    buf_puts(w->b, "</mtable>");
    if (fence) {
        if (x->r) w_mo(w, x->r, " fence=\"true\" stretchy=\"true\"");
        buf_puts(w->b, "</mrow>");
    }
}

/* A size switch: mathsize in em of the size around it, so that a switch
   inside another gives the formula's size times its own factor, as KaTeX's
   (which writes mathsize in em too). */
static void w_size(wctx *w, const mnode_t *x) {
    float around = w->size > 0 ? w->size : 1;
    buf_printf(w->b, "<mstyle mathsize=\"%.4gem\">", x->mu / around);
    w->size = x->mu;
    w_one(w, x->kids[0]);
    w->size = around;
    buf_puts(w->b, "</mstyle>");
}

static void w_node(wctx *w, const mnode_t *x) {
    buf_t *b = w->b;
    const char *v;
    switch (x->kind) {
    case MK_ROW:
        if (x->n_kids == 1)
            w_node(w, x->kids[0]);
        else {
            buf_puts(b, "<mrow>");
            w_row_kids(w, x);
            buf_puts(b, "</mrow>");
        }
        break;
    case MK_ATOM:
        w_atom(w, x);
        break;
    case MK_NUM:
        v = x->variant == MV_DEFAULT || x->variant == MV_NORMAL || x->variant == MV_ITALIC
                ? NULL
                : variant_name(x->variant);
        if (v)
            buf_printf(b, "<mn mathvariant=\"%s\">", v);
        else
            buf_puts(b, "<mn>");
        xml_escape_str(b, x->text);
        buf_puts(b, "</mn>");
        break;
    case MK_TEXT:
        v = x->variant == MV_NORMAL ? NULL : variant_name(x->variant);
        if (v)
            buf_printf(b, "<mtext mathvariant=\"%s\">", v);
        else
            buf_puts(b, "<mtext>");
        xml_escape_str(b, x->text);
        buf_puts(b, "</mtext>");
        break;
    case MK_OPNAME:
        buf_puts(b, "<mi>");
        xml_escape_str(b, x->text);
        buf_puts(b, "</mi>");
        break;
    case MK_FRAC: {
        bool st = x->style == MS_DISPLAY || x->style == MS_TEXT;
        if (st)
            buf_printf(b, "<mstyle displaystyle=\"%s\">",
                       x->style == MS_DISPLAY ? "true" : "false");
        if (x->l) buf_puts(b, "<mrow>"), w_mo(w, x->l, NULL);
        buf_puts(b, x->rule ? "<mfrac>" : "<mfrac linethickness=\"0\">");
        w_one(w, x->kids[0]);
        w_one(w, x->kids[1]);
        buf_puts(b, "</mfrac>");
        if (x->l) w_mo(w, x->r, NULL), buf_puts(b, "</mrow>");
        if (st) buf_puts(b, "</mstyle>");
        break;
    }
    case MK_SQRT:
        if (x->kids[1]) {
            buf_puts(b, "<mroot>");
            w_one(w, x->kids[0]);
            w_one(w, x->kids[1]);
            buf_puts(b, "</mroot>");
        } else {
            buf_puts(b, "<msqrt>");
            w_row_kids(w, x->kids[0]);
            buf_puts(b, "</msqrt>");
        }
        break;
    case MK_SCRIPTS:
    case MK_UNDEROVER: {
        bool uo = x->kind == MK_UNDEROVER;
        const mnode_t *sub = x->kids[1], *sup = x->kids[2];
        const char *tag = sub && sup ? (uo ? "munderover" : "msubsup")
                          : sub      ? (uo ? "munder" : "msub")
                                     : (uo ? "mover" : "msup");
        buf_putc(b, '<');
        buf_puts(b, tag);
        buf_putc(b, '>');
        w_one(w, x->kids[0]);
        if (sub) w_one(w, sub);
        if (sup) w_one(w, sup);
        buf_puts(b, "</");
        buf_puts(b, tag);
        buf_putc(b, '>');
        break;
    }
    case MK_FENCED:
        buf_puts(b, "<mrow>");
        w_mo(w, x->l, " fence=\"true\" stretchy=\"true\"");
        w_row_kids(w, x->kids[0]);
        w_mo(w, x->r, " fence=\"true\" stretchy=\"true\"");
        buf_puts(b, "</mrow>");
        break;
    case MK_ACCENT:
        buf_puts(b, x->under ? "<munder accentunder=\"true\">" : "<mover accent=\"true\">");
        w_one(w, x->kids[0]);
        w_mo(w, x->r, x->stretchy ? " stretchy=\"true\"" : " stretchy=\"false\"");
        buf_puts(b, x->under ? "</munder>" : "</mover>");
        break;
    case MK_SPACE:
        buf_printf(b, "<mspace width=\"%.4gem\"/>", x->mu > 0 ? x->mu / 18.0 : 0.0);
        break;
    case MK_TABLE:
        w_table(w, x);
        break;
    case MK_BOX:
        buf_puts(b, "<menclose notation=\"box\">");
        w_one(w, x->kids[0]);
        buf_puts(b, "</menclose>");
        break;
    case MK_COLOR: {
        /* #rrggbb: EPUB's MathML schema takes few names, and an unknown one
           (the parser warned) stays black, as in the PDF */
        long rgb = math_color(x->text);
        if (rgb >= 0)
            buf_printf(b, "<mstyle mathcolor=\"#%06lX\">", (unsigned long)rgb);
        else
            buf_puts(b, "<mstyle>");
        w_one(w, x->kids[0]);
        buf_puts(b, "</mstyle>");
        break;
    }
    case MK_STYLE:
        buf_printf(b, "<mstyle displaystyle=\"%s\"%s>", x->style == MS_DISPLAY ? "true" : "false",
                   x->style == MS_SCRIPT         ? " scriptlevel=\"1\""
                   : x->style == MS_SCRIPTSCRIPT ? " scriptlevel=\"2\""
                                                 : "");
        w_one(w, x->kids[0]);
        buf_puts(b, "</mstyle>");
        break;
    case MK_SIZE:
        w_size(w, x);
        break;
    case MK_REF: {
        const char *num = w->ref ? w->ref(w->ctx, x->text) : NULL;
        buf_puts(b, "<mtext>");
        if (x->paren) buf_putc(b, '(');
        xml_escape_str(b, num ? num : "?");
        if (x->paren) buf_putc(b, ')');
        buf_puts(b, "</mtext>");
        break;
    }
    case MK_ERROR:
        buf_puts(b, "<merror><mtext>");
        xml_escape_str(b, x->text);
        buf_puts(b, "</mtext></merror>");
        break;
    }
}

char *math_to_mathml(const math_t *m, const char *tex, size_t len, bool display, math_ref_fn ref,
                     void *ctx) {
    return math_to_mathml_rows(m, tex, len, display, ref, ctx, NULL, NULL);
}

char *math_to_mathml_rows(const math_t *m, const char *tex, size_t len, bool display,
                          math_ref_fn ref, void *ctx, const char *const *labels,
                          const char *const *ids) {
    buf_t b;
    buf_init(&b);
    wctx w = {&b, ref, ctx, NULL, labels, ids, NULL};
    const mnode_t *only = m->root;
    while (only && only->kind == MK_ROW && only->n_kids == 1)
        only = only->kids[0];
    if (labels && only && only->kind == MK_TABLE && only->nrows == m->n_rows) w.rows_of = only;
    /* alttext is what a reader speaks when it cannot render MathML: readable
       text, not TeX (the TeX stays in the annotation) */
    char *src = math_linear(m, ref, ctx);
    /* inline is MathML's default: not written (thousands of formulas a book) */
    buf_puts(&b, display ? "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\" "
                           "alttext=\""
                         : "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"");
    xml_escape_attr(&b, src);
    buf_puts(&b, "\"><semantics>");
    buf_puts(&b, "<mrow>");
    if (display) buf_puts(&b, "<mstyle displaystyle=\"true\">");
    w_row_kids(&w, m->root);
    if (display) buf_puts(&b, "</mstyle>");
    buf_puts(&b, "</mrow><annotation encoding=\"application/x-tex\">");
    xml_escape(&b, tex, len);
    buf_puts(&b, "</annotation></semantics></math>");
    free(src);
    return buf_detach(&b);
}

/* Part [from, to) of an inline formula's top row as a <math> of its own, with
   its own readable text (the whole formula's TeX is the wrapper's data-tex: a
   TeX annotation in every part made the markup half as large again). */
static void w_part(wctx *w, const math_t *m, const mnode_t *row, int from, int to) {
    mnode_t part = *row;
    part.kids = row->kids + from, part.n_kids = to - from;
    math_t pm = *m;
    pm.root = &part;
    char *alt = math_linear(&pm, w->ref, w->ctx);
    buf_puts(w->b, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"");
    xml_escape_attr(w->b, alt);
    buf_puts(w->b, "\">");
    free(alt);
    w->infix = to < row->n_kids ? row->kids[to - 1] : NULL;
    w_row_kids(w, &part);
    w->infix = NULL;
    buf_puts(w->b, "</math>");
}

#define PART_TEX 12

char *math_to_mathml_split(const math_t *m, const char *tex, size_t len, math_ref_fn ref,
                           math_ref_html_fn ref_html, void *ctx, size_t min_chars) {
    const mnode_t *row = math_top_row(m);
    if (!row || row->n_kids < 2) return NULL;
    bool *before = xcalloc((size_t)row->n_kids + 1, sizeof *before);
    int cuts = math_breaks(row, before);
    /* a \ref of the top row is a link: a part of its own, written as HTML */
    bool links = false;
    for (int i = 0; ref_html && i < row->n_kids; i++)
        if (row->kids[i]->kind == MK_REF) links = true;
    char *alt = cuts || links ? math_linear(m, ref, ctx) : NULL;
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)alt; p && *p; p++)
        chars += (*p & 0xC0) != 0x80;
    if (chars < min_chars) /* short: whole, unless a link needs parts */
        memset(before, 0, (size_t)row->n_kids * sizeof *before), cuts = 0;
    for (int i = 0; links && i < row->n_kids; i++)
        if (row->kids[i]->kind == MK_REF) before[i] = before[i + 1] = true;
    if (!cuts && !links) {
        free(alt), free(before);
        return NULL;
    }
    buf_t b;
    buf_init(&b);
    wctx w = {&b, ref, ctx, NULL, NULL, NULL, NULL};
    buf_puts(&b, "<span class=\"math\" data-tex=\"");
    char *src = xstrndup(tex, len);
    xml_escape_attr(&b, src);
    free(src);
    if (links) { /* the parts and links are read one by one (a link must stay reachable) */
        buf_puts(&b, "\">");
    } else { /* MathML takes no aria-hidden: a span holds the parts */
        buf_puts(&b, "\" role=\"math\" aria-label=\"");
        xml_escape_attr(&b, alt);
        buf_puts(&b, "\"><span aria-hidden=\"true\">");
    }
    /* parts of PART_TEX bytes of TeX or more: a <math> for every term of a sum
       would add half the markup again, for breaks a line seldom needs */
    size_t start = (size_t)row->kids[0]->off;
    for (int i = 1; i < row->n_kids; i++) {
        if (!before[i]) continue;
        bool ref = links && (row->kids[i]->kind == MK_REF || row->kids[i - 1]->kind == MK_REF);
        size_t at = (size_t)row->kids[i]->off;
        if (!ref && (at < start + PART_TEX || at + PART_TEX > len)) {
            before[i] = false;
            continue;
        }
        start = at;
    }
    int from = 0;
    for (int i = 1; i <= row->n_kids; i++) {
        if (i < row->n_kids && !before[i]) continue;
        if (links && i == from + 1 && row->kids[from]->kind == MK_REF) {
            /* the space a \text{} next to it holds (MathML drops it at a token's end) */
            char *h = ref_html(ctx, row->kids[from]->text, row->kids[from]->paren);
            const mnode_t *pk = from > 0 ? row->kids[from - 1] : NULL,
                          *nk = i < row->n_kids ? row->kids[i] : NULL;
            size_t pl = pk && pk->kind == MK_TEXT ? strlen(pk->text) : 0;
            if (pl && pk->text[pl - 1] == ' ') buf_putc(&b, ' ');
            buf_puts(&b, h);
            if (nk && nk->kind == MK_TEXT && nk->text[0] == ' ') buf_putc(&b, ' ');
            free(h);
        } else {
            w_part(&w, m, row, from, i);
        }
        from = i;
    }
    buf_puts(&b, links ? "</span>" : "</span></span>");
    free(alt), free(before);
    return buf_detach(&b);
}
