#ifndef GHB_TEXMATH_H
#define GHB_TEXMATH_H
/* TeX math: the subset real textbooks use, parsed into a small tree that the
   MathML writer (mathml.c) and the box layout (mbox.c) both read. No TeX, no
   JavaScript: the parser is ours and knows its commands from symbols.c. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    MK_ROW,       /* kids in order */
    MK_ATOM,      /* one symbol or letter: text (UTF-8), cls, variant */
    MK_NUM,       /* digits: text */
    MK_TEXT,      /* \text{...}: text, variant (MV_NORMAL or MV_BOLD...) */
    MK_OPNAME,    /* lim, max, sin, \operatorname{...}: text; limits */
    MK_FRAC,      /* kids[0] numerator, kids[1] denominator; rule; style; l/r for binom */
    MK_SQRT,      /* kids[0] body, kids[1] index or NULL */
    MK_SCRIPTS,   /* kids[0] base, kids[1] sub or NULL, kids[2] sup or NULL */
    MK_FENCED,    /* kids[0] body; l/r delimiters (0 = none); size 0 = fit */
    MK_ACCENT,    /* kids[0] base; l = accent for layout, r = for MathML; under; stretchy */
    MK_UNDEROVER, /* kids[0] base, kids[1] under or NULL, kids[2] over or NULL */
    MK_SPACE,     /* mu (1/18 em), may be negative */
    MK_TABLE,     /* kids row-major, nrows x ncols (NULL cells allowed); align; l/r */
    MK_BOX,       /* \boxed: kids[0] */
    MK_COLOR,     /* kids[0]; text = colour name */
    MK_STYLE,     /* kids[0]; style = display/text/script */
    MK_SIZE,      /* \small, \Large...: kids[0] at mu times the formula's size */
    MK_REF,       /* \ref/\eqref: text = key; paren for \eqref */
    MK_ERROR      /* an unknown command: text = as written */
} mkind;

typedef enum { MC_ORD, MC_OP, MC_BIN, MC_REL, MC_OPEN, MC_CLOSE, MC_PUNCT, MC_INNER } mclass;

typedef enum {
    MV_DEFAULT, /* letters italic, capital Greek upright */
    MV_NORMAL,
    MV_BOLD,
    MV_ITALIC,
    MV_BOLD_ITALIC,
    MV_SCRIPT,
    MV_DOUBLE,
    MV_FRAKTUR,
    MV_SANS,
    MV_MONO
} mvariant;

typedef enum { MS_AUTO, MS_DISPLAY, MS_TEXT, MS_SCRIPT, MS_SCRIPTSCRIPT } mstyle;

/* delimiter size for \big..\Bigg: 1..4 */
typedef struct mnode {
    mkind kind;
    mclass cls;
    mvariant variant;
    char *text;
    struct mnode **kids;
    int n_kids;
    uint32_t l, r; /* delimiters, accents */
    int size;      /* \big level; for MK_ATOM a stretchy middle/large delimiter */
    float mu;
    mstyle style;
    bool limits, nolimits, rule, under, stretchy, paren;
    bool explicit_limits; /* \limits written: limits even in text style */
    int nrows, ncols;
    char *align; /* MK_TABLE: one of l c r per column */
    int off;     /* byte offset in the source */
} mnode_t;

/* A diagnostic from the parser: a byte offset into the TeX source. */
typedef void (*math_diag_fn)(void *ctx, int off, const char *msg);

/* One row of an environment that numbers its rows (align, gather, eqnarray...). */
typedef struct {
    char *tag, *label; /* as math_t's, for this row */
    bool notag;
} mrowtag_t;

typedef struct math {
    mnode_t *root;
    char *tag;       /* \tag{...} text, NULL when none */
    char *label;     /* \label{...} key, NULL when none */
    bool numbered;   /* an equation/align/gather environment without a star */
    bool notag;      /* \nonumber / \notag */
    int errors;      /* diagnostics reported */
    mrowtag_t *rows; /* align, gather...: each row numbered on its own (the table's rows) */
    int n_rows;
} math_t;

/* Parses TeX math (without its $ delimiters). Never fails: unknown input
   becomes MK_ERROR nodes and a diagnostic through diag (which may be NULL). */
math_t *math_parse(const char *tex, size_t len, math_diag_fn diag, void *ctx);
void math_free(math_t *m);

/* --- symbols.c --- */
typedef struct {
    const char *name; /* without the backslash */
    uint32_t cp;
    mclass cls;
} msym_t;
const msym_t *math_symbol(const char *name);
/* big operators: \sum (limits) \int (no limits) */
const msym_t *math_bigop(const char *name, bool *limits);
/* \sin \lim ...: true when it exists; *limits for lim/max/min/sup/inf... */
bool math_function(const char *name, bool *limits);
/* accents: layout code point (combining or stretchy), MathML code point */
bool math_accent(const char *name, uint32_t *layout_cp, uint32_t *mathml_cp, bool *under,
                 bool *stretchy);
/* the class of a single ASCII/Unicode character in math */
mclass math_char_class(uint32_t cp);
/* \not applied to a relation: the negated character, or 0 */
uint32_t math_negate(uint32_t cp);
/* Maps a letter or digit to its Mathematical Alphanumeric Symbol for a variant
   (MV_DEFAULT italic for letters); returns cp when there is none. */
uint32_t math_variant_cp(uint32_t cp, mvariant v);

/* --- color.c --- */
/* A colour as \\color takes it: a CSS name (any case), a dvips name CSS lacks
   ("BrickRed"), #rgb, #rrggbb or rrggbb: 0xRRGGBB, or -1 when unknown. */
long math_color(const char *name);
/* The luminance of 0xRRGGBB, 0..1 (Rec. 709 weights, as press pictures without
   a profile are turned grey): press output's grey for a colour, and how light
   a colour is on paper. */
double color_luminance(uint32_t rgb);

/* --- mathml.c --- */
/* resolves \ref/\eqref keys to visible numbers ("2.3"); may return NULL */
typedef const char *(*math_ref_fn)(void *ctx, const char *key);
/* Appends <math>…</math> (Presentation MathML with alttext and a TeX
   annotation) for the parsed formula to a malloc'ed string; caller frees. */
char *math_to_mathml(const math_t *m, const char *tex, size_t len, bool display, math_ref_fn ref,
                     void *ctx);
/* The same for a display whose rows are numbered (math_t.rows): labels[r] is
   row r's number or NULL, ids[r] its anchor; each number stands in a last
   column of the table, level with its row. */
char *math_to_mathml_rows(const math_t *m, const char *tex, size_t len, bool display,
                          math_ref_fn ref, void *ctx, const char *const *labels,
                          const char *const *ids);

/* --- breaks.c: where an inline formula may break (after a top-level relation,
   binary operator or comma) --- */
/* the class a node spaces and breaks as */
mclass math_box_class(const mnode_t *x);
/* the class of row kid k after the previous one's (*prev: -1 at the start; a
   binary operator after an operator is ordinary, and may turn *prev ordinary) */
mclass math_next_class(const mnode_t *k, int *prev);
bool math_break_before(bool after_op, mclass cls);
bool math_break_after(const mnode_t *k, mclass cls);
/* the row whose kids an inline formula breaks between, or NULL */
const mnode_t *math_top_row(const math_t *m);
/* before[i]: a line may break before kid i of row (n_kids entries); returns how many */
int math_breaks(const mnode_t *row, bool *before);

/* An inline formula that may break (math_breaks) and whose readable text has at
   least min_chars characters, as consecutive <math> elements, one per part, in
   <span class="math" role="math" aria-label="readable text">: browsers never
   break a line inside one <math>. NULL when it has no break point or is
   shorter. Caller frees. */
/* A \ref/\eqref of the formula's top row as an HTML link (<a href>…</a>), for
   math_to_mathml_split: MathML Core has no links. Caller frees. */
typedef char *(*math_ref_html_fn)(void *ctx, const char *key, bool paren);
/* With ref_html, a \ref or \eqref of the top row is also written between the
   parts, as that link (the parts are then read one by one, not hidden). */
char *math_to_mathml_split(const math_t *m, const char *tex, size_t len, math_ref_fn ref,
                           math_ref_html_fn ref_html, void *ctx, size_t min_chars);

/* --- linear.c --- */
/* The formula as readable linear text for alternate descriptions: Unicode
   symbols and x^2, a_i, (a + b)/c, √(x); no backslash, no TeX braces. Caller
   frees. */
char *math_linear(const math_t *m, math_ref_fn ref, void *ctx);

#endif
