/* The TeX math parser and MathML writer: every formula of a textbook fixture
   parses without a diagnostic and gives well-formed MathML; crafted formulas
   give the tree shapes the layout and the writer depend on. */
#include "check.h"
#include "book/book.h"
#include "book/mathmd.h"
#include "book/mdutil.h"
#include "math/texmath.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int n, first_off;
    char msg[256];
} diagcap;

static void cap(void *ctx, int off, const char *msg) {
    diagcap *d = ctx;
    if (d->n++ == 0) {
        d->first_off = off;
        snprintf(d->msg, sizeof d->msg, "%s", msg);
    }
}

static math_t *parse(const char *s, diagcap *d) {
    memset(d, 0, sizeof *d);
    return math_parse(s, strlen(s), cap, d);
}

static bool well_formed(const char *xml) {
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "m.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) return false;
    xmlFreeDoc(doc);
    return true;
}

static void fixture(const char *path) {
    size_t len;
    char *text = read_file(path, &len);
    CHECK(text != NULL);
    if (!text) return;
    int formulas = 0, bad = 0, badxml = 0, badlin = 0;
    buf_t cur;
    buf_init(&cur);
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        bool blank = l == 0;
        if (!blank && p[0] != '%') {
            buf_put(&cur, p, l);
            buf_putc(&cur, '\n');
        }
        if ((blank || !nl || !nl[1]) && cur.len) {
            diagcap d;
            math_t *m = parse(cur.data, &d);
            formulas++;
            if (d.n) {
                bad++;
                fprintf(stderr, "diagnostic '%s' at %d in: %s\n", d.msg, d.first_off, cur.data);
            }
            char *ml = math_to_mathml(m, cur.data, cur.len, true, NULL, NULL);
            if (!well_formed(ml)) {
                badxml++;
                fprintf(stderr, "bad MathML: %s\n", ml);
            }
            free(ml);
            /* its inline form in parts, where a line may break: well-formed too */
            ml = math_to_mathml_split(m, cur.data, cur.len, NULL, NULL, NULL, 0);
            if (ml && !well_formed(ml)) {
                badxml++;
                fprintf(stderr, "bad MathML in parts: %s\n", ml);
            }
            free(ml);
            char *lin = math_linear(m, NULL, NULL);
            if (strchr(lin, '\\') || !*lin) {
                badlin++;
                fprintf(stderr, "linear text keeps TeX: '%s' for %s\n", lin, cur.data);
            }
            free(lin);
            math_free(m);
            cur.len = 0;
            cur.data[0] = '\0';
        }
        if (!nl) break;
        p = nl + 1;
    }
    buf_free(&cur);
    free(text);
    printf("fixture: %d formulas, %d with diagnostics, %d bad MathML\n", formulas, bad, badxml);
    CHECK(formulas >= 150);
    CHECK(bad == 0);
    CHECK(badxml == 0);
    CHECK(badlin == 0);
}

/* align numbers its rows: each row keeps its own \tag, \label and \notag */
static void rows(void) {
    diagcap d;
    math_t *m = parse("\\begin{align} a &= b \\label{x} \\\\ c &= d \\notag \\\\ e &= f "
                      "\\tag{T} \\\\ \\end{align}",
                      &d);
    CHECK(d.n == 0 && m->numbered && m->n_rows == 3);
    if (m->n_rows == 3) {
        CHECK_STR(m->rows[0].label, "x");
        CHECK(!m->rows[0].tag && !m->rows[0].notag);
        CHECK(m->rows[1].notag && !m->rows[1].label);
        CHECK_STR(m->rows[2].tag, "T");
    }
    CHECK(!m->label && !m->tag && !m->notag);
    math_free(m);
    /* in MathML each row's number is a last cell, level with it, with its id */
    m = parse("\\begin{align} a &= b \\\\ c &= d \\notag \\end{align}", &d);
    const char *labels[] = {"1.1", NULL}, *ids[] = {"eq-a", NULL};
    char *ml = math_to_mathml_rows(m, "x", 1, true, NULL, NULL, labels, ids);
    CHECK(strstr(ml, "<mtd id=\"eq-a\"><mspace width=\"2em\"/><mtext>(1.1)</mtext></mtd></mtr>") !=
          NULL);
    CHECK(strstr(ml, "<mtd><mspace width=\"2em\"/></mtd></mtr>") != NULL);
    CHECK(well_formed(ml));
    free(ml);
    math_free(m);
    m = parse("\\begin{align*} a &= b \\\\ c &= d \\end{align*}", &d);
    CHECK(m->n_rows == 0 && !m->numbered);
    math_free(m);
    /* nested (bad TeX): the outer rows keep theirs, nothing leaks */
    m = parse("\\begin{align} a &= \\begin{align} b \\tag{i} \\\\ c \\end{align} \\tag{o} "
              "\\\\ d &= e \\end{align}",
              &d);
    CHECK(m->n_rows == 2);
    if (m->n_rows == 2) CHECK_STR(m->rows[0].tag, "o");
    math_free(m);
    m = parse("\\begin{equation} a = b \\label{y} \\end{equation}", &d);
    CHECK(m->n_rows == 0 && m->numbered);
    CHECK_STR(m->label, "y");
    math_free(m);
}

/* alternate text: what a screen reader gets instead of TeX */
static void linear(void) {
    static const char *const cases[][2] = {
        {"x^2 + y^2 = z^2", "x^2 + y^2 = z^2"},
        {"\\frac{a+b}{c}", "(a + b)/c"},
        {"\\sqrt{x_i}", "\xe2\x88\x9a(x_i)"},
        {"\\sum_{i=1}^{n} x_i", "\xe2\x88\x91_(i = 1)^n x_i"},
        {"\\mathbf{W}^\\top \\alpha", "W^\xe2\x8a\xa4 \xce\xb1"},
        {"f'(x) \\leq \\text{最大}", "f\xe2\x80\xb2(x) \xe2\x89\xa4 最大"},
        {"\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}", "(a, b; c, d)"},
        {"\\color{red}{x} \\cdot \\hat{y}", "x \xe2\x8b\x85 y\xcc\x82"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        diagcap d;
        math_t *m = parse(cases[i][0], &d);
        char *t = math_linear(m, NULL, NULL);
        CHECK_STR(t, cases[i][1]);
        free(t);
        math_free(m);
    }
}

static const mnode_t *only(const math_t *m) {
    return m->root->n_kids >= 1 ? m->root->kids[0] : NULL;
}

static void shapes(void) {
    diagcap d;
    math_t *m = parse("\\frac{a}{b}", &d);
    CHECK(only(m) && only(m)->kind == MK_FRAC && only(m)->rule);
    math_free(m);

    m = parse("\\binom{n}{k}", &d);
    CHECK(only(m)->kind == MK_FRAC && !only(m)->rule && only(m)->l == '(');
    math_free(m);

    m = parse("\\sum_{i=1}^{n} x_i", &d);
    CHECK(m->root->n_kids == 2);
    CHECK(only(m)->kind == MK_UNDEROVER && only(m)->kids[1] && only(m)->kids[2]);
    CHECK(m->root->kids[1]->kind == MK_SCRIPTS && m->root->kids[1]->kids[1]);
    math_free(m);

    m = parse("\\int_0^1 f", &d); /* integrals take scripts, not limits */
    CHECK(only(m)->kind == MK_SCRIPTS);
    math_free(m);

    m = parse("\\int\\limits_0^1 f", &d);
    CHECK(only(m)->kind == MK_UNDEROVER);
    math_free(m);

    m = parse("\\lim_{x \\to 0}", &d);
    CHECK(only(m)->kind == MK_UNDEROVER && only(m)->kids[0]->kind == MK_OPNAME);
    math_free(m);

    m = parse("\\mathbf{x}\\mathbb{R}", &d);
    CHECK(m->root->kids[0]->kids[0]->variant == MV_BOLD &&
          m->root->kids[1]->kids[0]->variant == MV_DOUBLE);
    CHECK(math_variant_cp('R', MV_DOUBLE) == 0x211D);
    CHECK(math_variant_cp('x', MV_DEFAULT) == 0x1D465);
    CHECK(math_variant_cp('h', MV_DEFAULT) == 0x210E);
    CHECK(math_variant_cp(0x3B1, MV_DEFAULT) == 0x1D6FC);
    CHECK(math_variant_cp(0x3A3, MV_DEFAULT) == 0x3A3);
    math_free(m);

    m = parse("\\begin{cases} 1 & x>0 \\\\ 0 & \\text{否则} \\end{cases}", &d);
    CHECK(d.n == 0);
    CHECK(only(m)->kind == MK_TABLE && only(m)->nrows == 2 && only(m)->ncols == 2);
    CHECK(only(m)->l == '{' && only(m)->r == 0);
    CHECK(only(m)->kids[3]->kids[0]->kind == MK_TEXT);
    CHECK_STR(only(m)->kids[3]->kids[0]->text, "否则");
    math_free(m);

    /* DeepLearning-500-questions: KaTeX's \newline (and \cr) end a row as \\ does */
    m = parse("\\begin{align} &P=0.471 \\newline &Q=0.529 \\end{align}", &d);
    CHECK(d.n == 0);
    CHECK(only(m)->kind == MK_TABLE && only(m)->nrows == 2);
    math_free(m);
    m = parse("a \\cr b", &d); /* a bare row break: the formula is gathered lines */
    CHECK(d.n == 0 && m->root->kind == MK_TABLE && m->root->nrows == 2);
    math_free(m);
    m = parse("x \\newline y", &d);
    CHECK(d.n == 0 && m->root->kind == MK_TABLE && m->root->nrows == 2);
    math_free(m);

    m = parse("\\begin{array}{c|l} a & b \\end{array}", &d);
    CHECK_STR(only(m)->align, "cl");
    math_free(m);

    m = parse("\\left( x \\middle| y \\right]", &d);
    CHECK(d.n == 0 && only(m)->kind == MK_FENCED && only(m)->l == '(' && only(m)->r == ']');
    math_free(m);

    m = parse("\\left. x \\right|", &d);
    CHECK(only(m)->l == 0 && only(m)->r == '|');
    math_free(m);

    m = parse("\\sqrt[3]{x}", &d);
    CHECK(only(m)->kind == MK_SQRT && only(m)->kids[1] != NULL);
    math_free(m);

    m = parse("\\underbrace{a+b}_{\\text{two}}", &d);
    CHECK(only(m)->kind == MK_UNDEROVER && only(m)->kids[0]->kind == MK_ACCENT);
    math_free(m);

    /* KaTeX's HTML-entity names and its Latin-looking Greek capitals (round 9a) */
    m = parse("\\Alpha \\Chi \\isin", &d);
    CHECK(d.n == 0);
    CHECK(m->root->n_kids == 3);
    if (m->root->n_kids == 3) {
        CHECK_STR(m->root->kids[0]->text, "\xce\x91");
        CHECK_STR(m->root->kids[1]->text, "\xce\xa7");
        CHECK_STR(m->root->kids[2]->text, "\xe2\x88\x88");
    }
    math_free(m);

    m = parse("x \\not= y \\not\\in A", &d);
    CHECK_STR(m->root->kids[1]->text, "\xe2\x89\xa0");
    CHECK_STR(m->root->kids[3]->text, "\xe2\x88\x89");
    math_free(m);

    m = parse("a \\tag{2.1} \\label{eq:a}", &d);
    CHECK_STR(m->tag, "2.1");
    CHECK_STR(m->label, "eq:a");
    math_free(m);

    m = parse("\\begin{equation} E = mc^2 \\end{equation}", &d);
    CHECK(m->numbered && d.n == 0);
    math_free(m);

    /* an unknown command: one diagnostic at its offset, the rest still parsed */
    m = parse("a + \\foo{b} + c", &d);
    CHECK(d.n == 1 && d.first_off == 4);
    CHECK(strstr(d.msg, "\\foo") != NULL);
    CHECK(m->root->n_kids == 6); /* a + \\foo {b} + c */
    CHECK(m->root->kids[2]->kind == MK_ERROR);
    math_free(m);

    /* hostile input: unbalanced, deep, truncated */
    const char *bad[] = {"{{{{", "}}}}",      "\\left(",    "\\right)", "\\begin{pmatrix",
                         "x^",   "\\frac",    "\\sqrt[",    "\\end{x}", "&&\\\\&",
                         "\\",   "a_b_c^d^e", "\\color{red"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        m = parse(bad[i], &d);
        char *ml = math_to_mathml(m, bad[i], strlen(bad[i]), false, NULL, NULL);
        CHECK(well_formed(ml));
        free(ml);
        math_free(m);
    }
    buf_t deep;
    buf_init(&deep);
    for (int i = 0; i < 5000; i++)
        buf_puts(&deep, "\\frac");
    m = parse(deep.data, &d);
    CHECK(d.n >= 1);
    math_free(m);
    buf_free(&deep);
}

/* KaTeX commands the sixth round of public books used: \mod and \pod, the size
   switches, and the generalized fractions written between their parts. */
static void katex_round6(void) {
    diagcap d;
    /* \text with formulas in it: text and math in a row, \$ stays a dollar */
    math_t *m = parse("\\text{if $x_1 > 0$ or \\$5}", &d);
    CHECK(d.n == 0);
    char *ml = math_to_mathml(m, "", 0, false, NULL, NULL);
    CHECK_CONTAINS(ml, "<mtext>if </mtext><mrow><msub><mi>x</mi><mn>1</mn></msub><mo>&gt;</mo>");
    CHECK_CONTAINS(ml, "<mtext> or $5</mtext>");
    free(ml);
    math_free(m);
    m = parse("\\text{a $b}", &d); /* unclosed: said where the $ is */
    CHECK(d.n == 1 && d.first_off == 8 && strstr(d.msg, "unclosed $") != NULL);
    math_free(m);
    m = parse("(x+y) \\mod p", &d);
    CHECK(d.n == 0);
    ml = math_to_mathml(m, "", 0, false, NULL, NULL);
    CHECK_CONTAINS(ml, "<mi>mod</mi><mspace width=\"0.3333em\"/><mi>p</mi>");
    free(ml);
    math_free(m);
    m = parse("a \\equiv b \\pod{m} \\pmod{7} \\bmod 2", &d);
    CHECK(d.n == 0);
    char *t = math_linear(m, NULL, NULL);
    CHECK_STR(t, "a ≡ b (m) (mod 7) mod 2");
    free(t);
    math_free(m);

    /* a size switch sizes the rest of its group, by KaTeX's factor */
    m = parse("{\\small s} {\\huge H} \\tiny t", &d);
    CHECK(d.n == 0 && m->root->n_kids == 3);
    const mnode_t *sw = m->root->kids[0]->kids[0];
    CHECK(sw->kind == MK_SIZE && sw->mu > 0.89f && sw->mu < 0.91f);
    CHECK(m->root->kids[2]->kind == MK_SIZE && m->root->kids[2]->mu == 0.5f);
    ml = math_to_mathml(m, "", 0, false, NULL, NULL);
    CHECK_CONTAINS(ml, "<mstyle mathsize=\"0.9em\"><mi>s</mi></mstyle>");
    CHECK_CONTAINS(ml, "<mstyle mathsize=\"2.074em\"><mi>H</mi></mstyle>");
    free(ml);
    math_free(m);
    m = parse("{\\Large L {\\small s}}", &d); /* nested: the formula's size times 0.9 */
    ml = math_to_mathml(m, "", 0, false, NULL, NULL);
    CHECK_CONTAINS(ml, "mathsize=\"1.44em\"");
    CHECK_CONTAINS(ml, "mathsize=\"0.625em\"");
    free(ml);
    math_free(m);

    /* \atop, \over, \choose: the group before is the numerator */
    m = parse("x = {a \\atop b} + {n \\choose k} + {1 \\over 2} + {p \\above 1pt q}", &d);
    CHECK(d.n == 0);
    const mnode_t *f = m->root->kids[2]->kids[0];
    CHECK(f->kind == MK_FRAC && !f->rule && !f->l);
    CHECK(f->kids[0]->kids[0]->kind == MK_ATOM && f->kids[1]->kids[0]->kind == MK_ATOM);
    f = m->root->kids[4]->kids[0];
    CHECK(f->kind == MK_FRAC && !f->rule && f->l == '(' && f->r == ')');
    CHECK(m->root->kids[6]->kids[0]->kind == MK_FRAC && m->root->kids[6]->kids[0]->rule);
    CHECK(m->root->kids[8]->kids[0]->kind == MK_FRAC && m->root->kids[8]->kids[0]->rule);
    t = math_linear(m, NULL, NULL);
    CHECK_STR(t, "x = (a, b) + C(n, k) + 1/2 + p/q");
    free(t);
    ml = math_to_mathml(m, "", 0, true, NULL, NULL);
    CHECK_CONTAINS(ml, "<mfrac linethickness=\"0\"><mi>a</mi><mi>b</mi></mfrac>");
    CHECK(well_formed(ml));
    free(ml);
    math_free(m);
    /* colours: #rrggbb in MathML (EPUB's schema takes few names); an unknown
       name warns at its place and stays black */
    m = parse("\\textcolor{darkred}{A} \\color{BrickRed} B", &d);
    CHECK(d.n == 0);
    ml = math_to_mathml(m, "", 0, false, NULL, NULL);
    CHECK_CONTAINS(ml, "<mstyle mathcolor=\"#8B0000\"><mi>A</mi></mstyle>");
    CHECK_CONTAINS(ml, "<mstyle mathcolor=\"#B80000\"><mi>B</mi></mstyle>");
    free(ml);
    math_free(m);
    m = parse("x + \\color{ blurple } y", &d);
    CHECK(d.n == 1 && d.first_off == 12);
    CHECK_CONTAINS(d.msg, "unknown colour ' blurple ' in \\color");
    ml = math_to_mathml(m, "", 0, false, NULL, NULL);
    CHECK(strstr(ml, "mathcolor") == NULL && well_formed(ml));
    free(ml);
    math_free(m);

    m = parse("a \\over b \\over c", &d); /* TeX: ambiguous */
    CHECK(d.n == 1 && only(m)->kind == MK_FRAC);
    math_free(m);
}

static void mathml(void) {
    diagcap d;
    const char *tex = "\\hat{y}_j = \\frac{e^{o_j}}{\\sum_k e^{o_k}} < 1";
    math_t *m = parse(tex, &d);
    char *ml = math_to_mathml(m, tex, strlen(tex), true, NULL, NULL);
    CHECK(strstr(ml, "display=\"block\"") != NULL);
    /* alttext is readable text, the TeX is in the annotation */
    CHECK(strstr(ml, "alttext=\"y\xcc\x82_j = e^(o_j)/(\xe2\x88\x91_k e^(o_k)) &lt; 1\"") != NULL);
    CHECK(strstr(ml, "<annotation encoding=\"application/x-tex\">") != NULL);
    CHECK(strstr(ml, "<mfrac>") != NULL);
    CHECK(strstr(ml, "<munder><mo>\xe2\x88\x91</mo>") != NULL);
    CHECK(strstr(ml, "&lt;") != NULL);
    free(ml);
    math_free(m);
}

static char *fake_link(void *ctx, const char *key, bool paren) {
    (void)ctx;
    char *h = malloc(64);
    snprintf(h, 64, "<a href=\"#%s\">%s</a>", key, paren ? "(9)" : "9");
    return h;
}

/* An inline formula in parts where a line may break (browsers never break
   inside <math>): after a relation, operator or comma, each part 12 bytes of
   TeX or more (so not after f(x) =). */
static void split(void) {
    diagcap d;
    const char *tex = "f(x) = \\alpha_{11} x + \\beta_{22} y, \\gamma_{33} z";
    math_t *m = parse(tex, &d);
    const mnode_t *row = math_top_row(m);
    CHECK(row != NULL);
    bool before[32] = {0};
    CHECK(row->n_kids < 32 && math_breaks(row, before) == 3);
    CHECK(math_to_mathml_split(m, tex, strlen(tex), NULL, NULL, NULL, 100) == NULL); /* short */
    char *ml = math_to_mathml_split(m, tex, strlen(tex), NULL, NULL, NULL, 0);
    CHECK_CONTAINS(ml,
                   "<span class=\"math\" data-tex=\"f(x) = \\alpha_{11} x + \\beta_{22} y, "
                   "\\gamma_{33} z\" role=\"math\" aria-label=\"f(x) = α_11 x + β_22 y, γ_33 z\">"
                   "<span aria-hidden=\"true\">");
    size_t parts = 0;
    for (const char *p = ml; (p = strstr(p, "<math ")); p++)
        parts++;
    CHECK(parts == 3);
    CHECK_CONTAINS(ml, "alttext=\"f(x) = α_11 x +\"><mi>f</mi>");
    CHECK_CONTAINS(ml, "<mo form=\"infix\">+</mo></math>");
    CHECK_CONTAINS(ml, "alttext=\"β_22 y,\">");
    CHECK_CONTAINS(ml, "alttext=\"γ_33 z\">");
    free(ml);
    math_free(m);
    /* fuzz finds: an argument that is one atom (\sqrt\sqrt), a row cut off by the end */
    static const char *const odd[] = {"\\sqrt\\sqrt{\\pi} = x + y + z + w",
                                      "\\begin{align} a &= b \\label{eq:z} &"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        m = parse(odd[i], &d);
        ml = math_to_mathml(m, odd[i], strlen(odd[i]), false, NULL, NULL);
        CHECK(well_formed(ml));
        free(ml);
        ml = math_to_mathml_split(m, odd[i], strlen(odd[i]), NULL, fake_link, NULL, 0);
        CHECK(!ml || well_formed(ml));
        free(ml);
        math_free(m);
    }
    /* a \eqref of the top row: a link between the parts, which stay readable */
    tex = "x \\le 1 \\quad \\eqref{eq:a}";
    m = parse(tex, &d);
    ml = math_to_mathml_split(m, tex, strlen(tex), NULL, fake_link, NULL, 100);
    CHECK(ml && !strstr(ml, "aria-hidden"));
    CHECK_CONTAINS(ml, "</math><a href=\"#eq:a\">(9)</a></span>");
    free(ml);
    math_free(m);
}

/* the math nodes of a one-chapter book, in order */
static size_t maths_of(const char *md, book_t **out, diags_t *d) {
    diags_init(d);
    *out = book_from_markdown(md, strlen(md), d);
    return (*out)->n_maths;
}

static const char *lit(book_t *b, size_t i) {
    return cmark_node_get_literal(b->maths[i].node);
}

static void markdown(void) {
    diags_t d;
    book_t *b;
    CHECK(maths_of("Sum $\\sum_{i}x_i^a$ and _em_ $y_a$.\n", &b, &d) == 2);
    CHECK_STR(lit(b, 0), "\\sum_{i}x_i^a");
    CHECK_STR(lit(b, 1), "y_a");
    CHECK(!b->maths[0].display);
    char *plain = md_plain_text(b->chapters[0].doc);
    CHECK(strstr(plain, "and em") != NULL); /* emphasis outside math still works */
    free(plain);
    book_free(b), diags_free(&d);

    CHECK(maths_of("价格 $5 到 $10，或 $ x $ 与 $5/ 10$1。\n", &b, &d) == 0);
    book_free(b), diags_free(&d);
    /* as KaTeX reads them (easy-rl): a $ before a digit closes a formula with no
       space; spaces inside the $ signs of TeX (statistical-learning-method) */
    CHECK(maths_of("价值是 $-$16，或 $ z_t $ 与 $a$1。\n", &b, &d) == 3);
    CHECK_STR(lit(b, 0), "-");
    CHECK_STR(lit(b, 1), "z_t");
    book_free(b), diags_free(&d);
    /* a $ never pairs with one inside a code span (MathJax skips code): rust-book */
    CHECK(maths_of("will be *$HOME/.cargo/bin*. Ensure it is in your `$PATH` now.\n", &b, &d) == 0);
    book_free(b), diags_free(&d);
    CHECK(maths_of("`$x` and $y$\n", &b, &d) == 1);
    book_free(b), diags_free(&d);
    /* a $ inside braces closes nothing (MathJax's reading): \text{if $x$} */
    CHECK(maths_of("Cases $f = \\text{if $x > 0$, else $y$}$ end and $5 or $10.\n", &b, &d) == 1);
    CHECK_STR(lit(b, 0), "f = \\text{if $x > 0$, else $y$}");
    book_free(b), diags_free(&d);

    CHECK(maths_of(
              "text\n\n$$\n\\begin{aligned} a &= b \\\\\n c &= d_1 * e_2 * f\n\\end{aligned}\n$$\n",
              &b, &d) == 1);
    CHECK(b->maths[0].display);
    CHECK(strstr(lit(b, 0), "\\end{aligned}") != NULL);
    CHECK(strstr(lit(b, 0), "d_1 * e_2 * f") != NULL);
    CHECK(b->maths[0].number == NULL);
    CHECK(d.warnings == 0);
    book_free(b), diags_free(&d);

    CHECK(maths_of("```math\nE = mc^2\n```\n\n\\\\( a_1 \\\\) and \\\\[\nb\n\\\\]\n", &b, &d) == 2);
    CHECK(b->maths[0].display);
    CHECK_STR(lit(b, 0), "E = mc^2");
    CHECK_STR(lit(b, 1), " a_1 ");
    book_free(b), diags_free(&d);

    /* a $$ block: its lines are TeX even when they look like Markdown blocks */
    CHECK(maths_of("text\n$$\na\n- b\n+ c\n# d\n> e\n1. f \\\\\n$$\nafter\n", &b, &d) == 1);
    CHECK(b->maths[0].display);
    CHECK_STR(lit(b, 0), "a\n- b\n+ c\n# d\n> e\n1. f \\\\");
    CHECK(d.warnings == 0);
    cmark_node *after = cmark_node_next(cmark_node_parent(b->maths[0].node));
    CHECK(after && cmark_node_get_type(after) == CMARK_NODE_PARAGRAPH);
    book_free(b), diags_free(&d);
    CHECK(maths_of("$$\nE = mc^2 \\label{eq:e} $$\n\n$$ x\n\nnot math\n", &b, &d) == 2);
    CHECK_STR(lit(b, 0), "E = mc^2 \\label{eq:e}");
    CHECK_STR(b->maths[0].number, "1.1");
    CHECK(d.warnings == 1); /* the unclosed $$ */
    book_free(b), diags_free(&d);

    CHECK(maths_of("\\\\[\nx^2\n\\\\]\n", &b, &d) == 1);
    CHECK(b->maths[0].display && strstr(lit(b, 0), "x^2"));
    book_free(b), diags_free(&d);

    /* numbering and references */
    CHECK(maths_of("# A\n\n$$a \\label{eq:a}$$\n\n$$b$$\n\n$$c \\tag{*}$$\n\n"
                   "$$\\begin{equation}d\\end{equation}$$\n\n见式 \\eqref{eq:a}。\n",
                   &b, &d) == 5);
    CHECK_STR(b->maths[0].number, "1.1");
    CHECK(b->maths[1].number == NULL);
    CHECK_STR(b->maths[2].number, "*");
    CHECK_STR(b->maths[3].number, "1.2");
    CHECK_STR(lit(b, 4), "\\eqref{eq:a}");
    CHECK(book_math_label(b, "eq:a") == &b->maths[0]);
    CHECK(mathmd_display_of(b, cmark_node_parent(b->maths[1].node)) == b->maths[1].node);
    CHECK(d.warnings == 0);
    book_free(b), diags_free(&d);

    /* an unknown command: a warning at its file:line:col */
    CHECK(maths_of("line one\n\nline $a + \\foo b$ end\n", &b, &d) == 1);
    CHECK(d.warnings == 1);
    CHECK(d.n == 1 && d.v[0].line == 3 && d.v[0].col == 11);
    book_free(b), diags_free(&d);

    CHECK(maths_of("see \\ref{nope}\n", &b, &d) == 1);
    CHECK(d.warnings == 1);
    book_free(b), diags_free(&d);
}

int main(int argc, char **argv) {
    markdown();
    fixture(argc > 1 ? argv[1] : "tests/data/math/textbook.tex");
    shapes();
    mathml();
    katex_round6();
    split();
    linear();
    rows();
    return check_done();
}
