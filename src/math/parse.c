/* A recursive-descent parser for the TeX math subset. It never fails: an
   unknown command becomes an MK_ERROR node (shown as written) plus one
   diagnostic, and parsing goes on with the rest of the formula. */
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "texmath.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 120 };

typedef struct {
    const char *s;
    size_t n, i;
    size_t end_at; /* where the terminator the last parse_row stopped at begins */
    int depth;
    mvariant variant;
    bool in_text;
    bool in_rows; /* inside an environment that numbers its rows: one at a time */
    math_t *m;
    math_diag_fn diag;
    void *ctx;
} parser;

/* what ended a row */
typedef enum {
    END_EOF,
    END_BRACE,
    END_BRACKET,
    END_AMP,
    END_NEWLINE,
    END_RIGHT,
    END_MIDDLE,
    END_END
} endkind;

static void warn(parser *p, int off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(parser *p, int off, const char *fmt, ...) {
    p->m->errors++;
    if (!p->diag) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->diag(p->ctx, off, msg);
}

static mnode_t *node(parser *p, mkind k) {
    mnode_t *x = xcalloc(1, sizeof *x);
    x->kind = k;
    x->off = (int)p->i;
    return x;
}

/* kids arrays hold a power of two (at least 4): add grows them by doubling */
static void add(mnode_t *row, mnode_t *kid) {
    if (!kid) return;
    int n = row->n_kids;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0))
        row->kids = xrealloc(row->kids, (size_t)(n < 4 ? 4 : 2 * n) * sizeof *row->kids);
    row->kids[row->n_kids++] = kid;
}

static mnode_t *with_kids(parser *p, mkind k, int n) {
    mnode_t *x = node(p, k);
    x->kids = xcalloc(n < 4 ? 4 : (size_t)n, sizeof *x->kids);
    x->n_kids = n;
    return x;
}

static void node_free(mnode_t *x) {
    if (!x) return;
    for (int i = 0; i < x->n_kids; i++)
        node_free(x->kids[i]);
    free(x->kids);
    free(x->text);
    free(x->align);
    free(x);
}

static void skip_space(parser *p) {
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            p->i++;
        else if (c == '%') { /* a comment runs to the end of the line */
            while (p->i < p->n && p->s[p->i] != '\n')
                p->i++;
        } else
            break;
    }
}

/* Reads "\name" (letters, or one other character) at p->i (on the backslash). */
static char *read_command(parser *p) {
    size_t st = ++p->i;
    if (p->i >= p->n) return xstrdup("");
    if (isalpha((unsigned char)p->s[p->i])) {
        while (p->i < p->n && isalpha((unsigned char)p->s[p->i]))
            p->i++;
        if (p->i < p->n && p->s[p->i] == '*' &&
            (strncmp(p->s + st, "operatorname", 12) == 0 || strncmp(p->s + st, "tag", 3) == 0))
            p->i++;
    } else {
        uint32_t cp;
        size_t l = utf8_decode(p->s + p->i, p->n - p->i, &cp);
        p->i += l ? l : 1;
    }
    return xstrndup(p->s + st, p->i - st);
}

static bool peek_cmd(parser *p, const char *name) {
    if (p->s[p->i] != '\\') return false; /* most calls: not a command at all */
    size_t l = strlen(name);
    return p->i + 1 + l <= p->n && strncmp(p->s + p->i + 1, name, l) == 0 &&
           (p->i + 1 + l == p->n || !isalpha((unsigned char)p->s[p->i + 1 + l]));
}

/* The raw text of a {...} group (nested braces kept), for \text, \color, \label... */
static char *read_raw_group(parser *p) {
    skip_space(p);
    if (p->i >= p->n || p->s[p->i] != '{') {
        /* a single token */
        if (p->i >= p->n) return xstrdup("");
        size_t st = p->i;
        if (p->s[p->i] == '\\')
            free(read_command(p));
        else {
            uint32_t cp;
            size_t l = utf8_decode(p->s + p->i, p->n - p->i, &cp);
            p->i += l ? l : 1;
        }
        return xstrndup(p->s + st, p->i - st);
    }
    size_t st = ++p->i;
    int depth = 1;
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '\\' && p->i + 1 < p->n) {
            p->i += 2;
            continue;
        }
        if (c == '{') depth++;
        if (c == '}' && --depth == 0) break;
        p->i++;
    }
    char *r = xstrndup(p->s + st, p->i - st);
    if (p->i < p->n)
        p->i++;
    else
        warn(p, (int)st - 1, "unclosed { in math");
    return r;
}

/* An optional [...] argument; NULL when there is none. */
static char *read_optional_raw(parser *p) {
    skip_space(p);
    if (p->i >= p->n || p->s[p->i] != '[') return NULL;
    size_t st = ++p->i;
    int depth = 0;
    while (p->i < p->n && (p->s[p->i] != ']' || depth > 0)) {
        if (p->s[p->i] == '{') depth++;
        if (p->s[p->i] == '}') depth--;
        p->i++;
    }
    char *r = xstrndup(p->s + st, p->i - st);
    if (p->i < p->n) p->i++;
    return r;
}

static mnode_t *parse_row(parser *p, endkind *end);

/* Hands the terminator a row stopped at back to the enclosing row (a style
   switch runs to the end of the row that holds it): }, &, \\, \right,
   \middle or \end. */
static void unread_end(parser *p, endkind e) {
    /* where it began, not a length back: "\\\\" takes the spaces and a
       "[2pt]" after it too (an unbraced \displaystyle in a cell lost its row) */
    if (e != END_EOF) p->i = p->end_at;
}
static mnode_t *parse_atom(parser *p);

/* A row that must end at '}' (after an opening brace already consumed). */
static mnode_t *group_body(parser *p, size_t open_off) {
    endkind e;
    mnode_t *r = parse_row(p, &e);
    if (e == END_NEWLINE) {
        /* _{j=1 \\ j\neq i}: lines in a group stack, as \substack does (MathJax's reading) */
        mnode_t *t = node(p, MK_TABLE);
        t->size = 1;
        t->ncols = 1;
        t->align = xstrdup("c");
        add(t, r);
        t->nrows = 1;
        while (e == END_NEWLINE) {
            add(t, parse_row(p, &e));
            t->nrows++;
        }
        r = node(p, MK_ROW);
        add(r, t);
    }
    if (e != END_BRACE) warn(p, (int)open_off, "unclosed { in math");
    return r;
}

/* A macro argument: a {group} or a single token. */
static mnode_t *parse_arg(parser *p) {
    skip_space(p);
    if (p->i >= p->n) {
        warn(p, (int)p->i, "missing argument");
        return node(p, MK_ROW);
    }
    if (p->s[p->i] == '{') {
        size_t o = p->i++;
        return group_body(p, o);
    }
    if (isdigit((unsigned char)p->s[p->i])) { /* \frac12: one digit each */
        mnode_t *x = node(p, MK_NUM);
        x->text = xstrndup(p->s + p->i, 1);
        p->i++;
        return x;
    }
    mnode_t *a = parse_atom(p);
    return a ? a : node(p, MK_ROW);
}

/* Parses an argument with another alphanumeric variant in force. */
static mnode_t *arg_in_variant(parser *p, mvariant v) {
    mvariant old = p->variant;
    p->variant = v;
    mnode_t *x = parse_arg(p);
    p->variant = old;
    return x;
}

/* An optional [..] argument parsed as math (\sqrt[n], \xrightarrow[below]). */
static mnode_t *optional_math(parser *p) {
    skip_space(p);
    if (p->i >= p->n || p->s[p->i] != '[') return NULL;
    size_t st = p->i + 1;
    free(read_optional_raw(p));
    size_t end = p->i;
    if (end > st && p->s[end - 1] == ']') end--;
    parser q = *p; /* the same formula, cut at the closing bracket */
    q.i = st;
    q.n = end;
    endkind e;
    return parse_row(&q, &e);
}

static mnode_t *atom_cp(parser *p, uint32_t cp, mclass cls, mvariant v) {
    mnode_t *x = node(p, MK_ATOM);
    char u[8];
    size_t l = utf8_encode(cp, u);
    x->text = xstrndup(u, l);
    x->cls = cls;
    x->variant = v;
    return x;
}

/* A delimiter after \left, \right, \middle, \big: its code point, 0 for '.'. */
static uint32_t read_delim(parser *p) {
    skip_space(p);
    if (p->i >= p->n) return 0;
    if (p->s[p->i] == '\\') {
        size_t at = p->i;
        char *c = read_command(p);
        const msym_t *s = math_symbol(c);
        uint32_t cp = s ? s->cp : 0;
        if (!s) warn(p, (int)at, "unknown delimiter \\%s", c);
        free(c);
        return cp;
    }
    uint32_t cp;
    size_t l = utf8_decode(p->s + p->i, p->n - p->i, &cp);
    p->i += l ? l : 1;
    if (cp == '.') return 0;
    if (cp == '<') return 0x27E8;
    if (cp == '>') return 0x27E9;
    return cp;
}

/* TeX inside text, in place: \% \_ \$ \& \# \{ \} become the character, grouping
   braces and font switches ({\rm s.t.}, \textbf{…}) go. */
static void clean_text(char *t) {
    static const char *const switches[] = {"rm",     "bf",     "it",       "sf",      "tt",
                                           "textbf", "textit", "textrm",   "emph",    "mathrm",
                                           "textsf", "texttt", "bfseries", "itshape", NULL};
    char *w = t;
    for (char *r = t; *r; r++) {
        if (*r == '\\' && r[1] && strchr("%_$&#{} ", r[1])) {
            *w++ = *++r;
            continue;
        }
        if (*r == '{' || *r == '}') continue;
        if (*r == '\\' && isalpha((unsigned char)r[1])) {
            size_t l = 1;
            while (isalpha((unsigned char)r[l]))
                l++;
            bool sw = false;
            for (const char *const *k = switches; *k && !sw; k++)
                sw = strlen(*k) == l - 1 && strncmp(*k, r + 1, l - 1) == 0;
            if (sw) {
                r += l - 1;
                if (r[1] == ' ') r++;
                continue;
            }
        }
        *w++ = *r;
    }
    *w = '\0';
}

/* Where the next $ not written \$ is in t from i, or its length. */
static size_t next_dollar(const char *t, size_t i) {
    for (; t[i]; i++) {
        if (t[i] == '\\' && t[i + 1])
            i++;
        else if (t[i] == '$')
            return i;
    }
    return i;
}

static mnode_t *text_piece(parser *p, const char *s, size_t n, mvariant v) {
    mnode_t *x = node(p, MK_TEXT);
    x->text = xstrndup(s, n);
    clean_text(x->text);
    x->variant = v;
    return x;
}

/* \text{…}: text, or, with $…$ in it (\text{if $x > 0$}, as KaTeX and
   amsmath read it), a row of text and the formulas between the dollars, parsed
   where they stand in the source (their diagnostics at their own columns). */
static mnode_t *text_node(parser *p, mvariant v) {
    skip_space(p);
    bool braced = p->i < p->n && p->s[p->i] == '{';
    size_t st = p->i + 1;
    char *raw = read_raw_group(p);
    size_t n = strlen(raw), d = braced ? next_dollar(raw, 0) : n;
    if (d == n) {
        mnode_t *x = text_piece(p, raw, n, v);
        free(raw);
        return x;
    }
    mnode_t *row = node(p, MK_ROW);
    size_t after = p->i, end = p->n;
    for (size_t a = 0; a < n;) {
        d = next_dollar(raw, a);
        if (d > a) add(row, text_piece(p, raw + a, d - a, v));
        if (d >= n) break;
        size_t close = next_dollar(raw, d + 1);
        if (close >= n) warn(p, (int)(st + d), "unclosed $ in \\text");
        p->i = st + d + 1, p->n = st + close;
        endkind e;
        add(row, parse_row(p, &e));
        p->n = end;
        a = close + 1;
    }
    p->i = after;
    free(raw);
    return row;
}

static mnode_t *frac(parser *p, bool rule, mstyle st, uint32_t l, uint32_t r) {
    mnode_t *x = with_kids(p, MK_FRAC, 2);
    x->kids[0] = parse_arg(p);
    x->kids[1] = parse_arg(p);
    x->rule = rule;
    x->style = st;
    x->l = l;
    x->r = r;
    return x;
}

static double unit_mu(const char *u) {
    if (strncmp(u, "em", 2) == 0) return 18;
    if (strncmp(u, "ex", 2) == 0) return 8;
    if (strncmp(u, "mu", 2) == 0) return 1;
    if (strncmp(u, "pt", 2) == 0) return 1.8;
    if (strncmp(u, "mm", 2) == 0) return 5.1;
    if (strncmp(u, "cm", 2) == 0) return 51;
    if (strncmp(u, "in", 2) == 0) return 130;
    return 1.8;
}

static mnode_t *space_mu(parser *p, float mu) {
    mnode_t *x = node(p, MK_SPACE);
    x->mu = mu;
    return x;
}

static mnode_t *parse_env(parser *p, size_t at);

static const struct {
    const char *name;
    float mu;
} spaces[] = {{",", 3},
              {":", 4},
              {">", 4},
              {";", 5},
              {"!", -3},
              {" ", 6},
              {"\n", 6}, /* "\" at a line's end: TeX's control space, as "\ " */
              {"\t", 6},
              {"quad", 18},
              {"qquad", 36},
              {"enspace", 9},
              {"thinspace", 3},
              {"medspace", 4},
              {"thickspace", 5},
              {"negthinspace", -3},
              {"space", 6},
              {"enskip", 9},
              {"negmedspace", -4},
              {"negthickspace", -5}};

static const struct {
    const char *name;
    mvariant v;
} fonts[] = {{"mathbf", MV_BOLD},
             {"boldsymbol", MV_BOLD_ITALIC},
             {"bm", MV_BOLD_ITALIC},
             {"pmb", MV_BOLD_ITALIC},
             {"mathrm", MV_NORMAL},
             {"rm", MV_NORMAL},
             {"mathit", MV_ITALIC},
             {"mathcal", MV_SCRIPT},
             {"mathscr", MV_SCRIPT},
             {"mathbb", MV_DOUBLE},
             {"Bbb", MV_DOUBLE},
             {"mathfrak", MV_FRAKTUR},
             {"mathsf", MV_SANS},
             {"mathtt", MV_MONO},
             {"mathnormal", MV_DEFAULT},
             {"textnormal", MV_NORMAL},
             {"bf", MV_BOLD},
             {"bold", MV_BOLD},
             {"tt", MV_MONO},
             {"sf", MV_SANS},
             {"it", MV_ITALIC},
             {"cal", MV_SCRIPT}};

static const struct {
    const char *name;
    mvariant v;
} texts[] = {{"text", MV_NORMAL}, {"textrm", MV_NORMAL}, {"mbox", MV_NORMAL}, {"hbox", MV_NORMAL},
             {"textbf", MV_BOLD}, {"textit", MV_ITALIC}, {"emph", MV_ITALIC}, {"textsf", MV_SANS},
             {"texttt", MV_MONO}, {"textup", MV_NORMAL}};

/* LaTeX's size switches, with KaTeX's factors of the formula's own size (not
   of the size around them: {\large{\small x}} is small) */
static const struct {
    const char *name;
    float k;
} sizes[] = {{"tiny", 0.5f},    {"scriptsize", 0.7f}, {"footnotesize", 0.8f}, {"small", 0.9f},
             {"normalsize", 1}, {"large", 1.2f},      {"Large", 1.44f},       {"LARGE", 1.728f},
             {"huge", 2.074f},  {"Huge", 2.488f}};

/* \big( and friends: level 1..4 and the class the suffix asks for */
static int big_level(const char *c, mclass *cls) {
    static const char *names[] = {"big", "Big", "bigg", "Bigg"};
    for (int lv = 3; lv >= 0; lv--) {
        size_t l = strlen(names[lv]);
        if (strncmp(c, names[lv], l) != 0) continue;
        const char *s = c + l;
        if (!*s)
            *cls = MC_ORD;
        else if (strcmp(s, "l") == 0)
            *cls = MC_OPEN;
        else if (strcmp(s, "r") == 0)
            *cls = MC_CLOSE;
        else if (strcmp(s, "m") == 0)
            *cls = MC_REL;
        else
            continue;
        return lv + 1;
    }
    return 0;
}

static mnode_t *fenced(parser *p, size_t at) {
    mnode_t *x = with_kids(p, MK_FENCED, 1);
    x->l = read_delim(p);
    x->cls = MC_INNER;
    mnode_t *body = node(p, MK_ROW);
    for (;;) {
        endkind e;
        mnode_t *seg = parse_row(p, &e);
        add(body, seg);
        if (e == END_MIDDLE) {
            mnode_t *m = atom_cp(p, read_delim(p), MC_REL, MV_NORMAL);
            m->stretchy = true;
            add(body, m);
            continue;
        }
        if (e == END_RIGHT)
            x->r = read_delim(p);
        else
            warn(p, (int)at, "\\left without \\right");
        break;
    }
    x->kids[0] = body;
    return x;
}

/* \substack{a \\ b}: lines stacked under a big operator */
static mnode_t *substack(parser *p) {
    mnode_t *x = node(p, MK_TABLE);
    x->size = 1;
    x->ncols = 1;
    x->align = xstrdup("c");
    skip_space(p);
    if (p->i >= p->n || p->s[p->i] != '{') {
        add(x, parse_arg(p));
        x->nrows = 1;
        return x;
    }
    size_t open = p->i++;
    for (;;) {
        endkind e;
        add(x, parse_row(p, &e));
        x->nrows++;
        if (e == END_BRACE) break;
        if (e != END_NEWLINE && e != END_AMP) {
            warn(p, (int)open, "unclosed { in math");
            break;
        }
    }
    return x;
}

static mnode_t *mod_word(parser *p) {
    mnode_t *op = node(p, MK_OPNAME);
    op->text = xstrdup("mod");
    op->cls = MC_ORD;
    return op;
}

/* amsmath's \pmod{n} "(mod n)", \pod{n} "(n)" and \mod{n} "mod n", each after
   a space (text style's: the parser does not know the style) */
static mnode_t *mod_row(parser *p, const char *c) {
    mnode_t *x = node(p, MK_ROW);
    bool paren = c[0] == 'p';
    add(x, space_mu(p, paren ? 8 : 12));
    if (paren) add(x, atom_cp(p, '(', MC_OPEN, MV_NORMAL));
    if (strcmp(c, "pod") != 0) {
        add(x, mod_word(p));
        add(x, space_mu(p, 6));
    }
    add(x, parse_arg(p));
    if (paren) add(x, atom_cp(p, ')', MC_CLOSE, MV_NORMAL));
    return x;
}

/* The command at p->i (on the backslash). */
static mnode_t *parse_command(parser *p) {
    size_t at = p->i;
    char *c = read_command(p);
    mnode_t *x = NULL;
    const msym_t *s;
    bool limits;
    uint32_t lcp, mcp;
    bool under, stretchy;
    mclass bcls;
    int lv;

    if ((s = math_symbol(c))) { /* the common case first (a hash lookup) */
        x = atom_cp(p, s->cp, s->cls, p->variant);
        goto done;
    }
    /* the tables are read in order for every other command: a first letter that
       differs answers without a call */
    for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++)
        if (c[0] == spaces[i].name[0] && strcmp(c, spaces[i].name) == 0) {
            x = space_mu(p, spaces[i].mu);
            goto done;
        }
    for (size_t i = 0; i < sizeof fonts / sizeof *fonts; i++)
        if (c[0] == fonts[i].name[0] && strcmp(c, fonts[i].name) == 0) {
            x = arg_in_variant(p, fonts[i].v);
            goto done;
        }
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (c[0] == texts[i].name[0] && strcmp(c, texts[i].name) == 0) {
            x = text_node(p, texts[i].v);
            goto done;
        }
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (strcmp(c, sizes[i].name) == 0) { /* it sizes the rest of its group */
            x = with_kids(p, MK_SIZE, 1);
            x->mu = sizes[i].k;
            endkind e;
            x->kids[0] = parse_row(p, &e);
            unread_end(p, e);
            goto done;
        }
    if ((s = math_symbol(c))) {
        mvariant v = p->variant;
        /* \boldsymbol and \mathbf make Greek bold too; plain Greek lowercase is italic */
        x = atom_cp(p, s->cp, s->cls, v);
    } else if ((s = math_bigop(c, &limits))) {
        x = atom_cp(p, s->cp, MC_OP, MV_NORMAL);
        x->limits = limits;
    } else if (math_function(c, &limits)) {
        x = node(p, MK_OPNAME);
        x->text = strcmp(c, "argmax") == 0   ? xstrdup("arg max")
                  : strcmp(c, "argmin") == 0 ? xstrdup("arg min")
                                             : xstrdup(c);
        x->limits = limits;
        x->cls = MC_OP;
    } else if (math_accent(c, &lcp, &mcp, &under, &stretchy)) {
        x = with_kids(p, MK_ACCENT, 1);
        x->kids[0] = parse_arg(p);
        x->l = lcp;
        x->r = mcp;
        x->under = under;
        x->stretchy = stretchy;
    } else if (!strcmp(c, "frac") || !strcmp(c, "cfrac"))
        x = frac(p, true, MS_AUTO, 0, 0);
    else if (!strcmp(c, "dfrac"))
        x = frac(p, true, MS_DISPLAY, 0, 0);
    else if (!strcmp(c, "tfrac"))
        x = frac(p, true, MS_TEXT, 0, 0);
    else if (!strcmp(c, "binom"))
        x = frac(p, false, MS_AUTO, '(', ')');
    else if (!strcmp(c, "dbinom"))
        x = frac(p, false, MS_DISPLAY, '(', ')');
    else if (!strcmp(c, "tbinom"))
        x = frac(p, false, MS_TEXT, '(', ')');
    else if (!strcmp(c, "sqrt")) {
        x = with_kids(p, MK_SQRT, 2);
        x->kids[1] = optional_math(p);
        x->kids[0] = parse_arg(p);
    } else if (!strcmp(c, "left"))
        x = fenced(p, at);
    else if (!strcmp(c, "right") || !strcmp(c, "middle")) {
        warn(p, (int)at, "\\%s without \\left", c);
        uint32_t d = read_delim(p);
        x = d ? atom_cp(p, d, MC_ORD, MV_NORMAL) : NULL;
    } else if ((lv = big_level(c, &bcls))) {
        x = atom_cp(p, read_delim(p), bcls, MV_NORMAL);
        x->size = lv;
    } else if (!strcmp(c, "mathop")) { /* \mathop{\arg\max}: what it holds, as an operator */
        x = parse_arg(p);
        x->cls = MC_OP;
        x->limits = true;
    } else if (!strcmp(c, "operatorname") || !strcmp(c, "operatorname*")) {
        x = node(p, MK_OPNAME);
        x->text = read_raw_group(p);
        x->limits = c[strlen(c) - 1] == '*';
        x->cls = MC_OP;
    } else if (!strcmp(c, "operatornamewithlimits")) {
        x = node(p, MK_OPNAME);
        x->text = read_raw_group(p);
        x->limits = true;
        x->cls = MC_OP;
    } else if (!strcmp(c, "overset") || !strcmp(c, "stackrel") || !strcmp(c, "underset")) {
        x = with_kids(p, MK_UNDEROVER, 3);
        mnode_t *a = parse_arg(p);
        x->kids[0] = parse_arg(p);
        x->kids[c[0] == 'u' ? 1 : 2] = a;
        x->cls = c[1] == 't' ? MC_REL : MC_ORD;
        if (x->kids[0]->kind == MK_ATOM) x->cls = x->kids[0]->cls;
    } else if (!strcmp(c, "xrightarrow") || !strcmp(c, "xleftarrow") || !strcmp(c, "xRightarrow") ||
               !strcmp(c, "xLeftarrow") || !strcmp(c, "xleftrightarrow") || !strcmp(c, "xmapsto")) {
        static const struct {
            const char *n;
            uint32_t cp;
        } xa[] = {{"xrightarrow", 0x2192}, {"xleftarrow", 0x2190},      {"xRightarrow", 0x21D2},
                  {"xLeftarrow", 0x21D0},  {"xleftrightarrow", 0x2194}, {"xmapsto", 0x21A6}};
        uint32_t cp = 0x2192;
        for (size_t i = 0; i < sizeof xa / sizeof *xa; i++)
            if (!strcmp(c, xa[i].n)) cp = xa[i].cp;
        x = with_kids(p, MK_UNDEROVER, 3);
        x->kids[1] = optional_math(p);
        x->kids[2] = parse_arg(p);
        x->kids[0] = atom_cp(p, cp, MC_REL, MV_NORMAL);
        x->kids[0]->stretchy = true;
        x->cls = MC_REL;
    } else if (!strcmp(c, "not")) {
        skip_space(p);
        mnode_t *a = p->i < p->n ? parse_atom(p) : NULL;
        if (a && a->kind == MK_ATOM) {
            uint32_t cp;
            utf8_decode(a->text, strlen(a->text), &cp);
            uint32_t neg = math_negate(cp);
            char u[16];
            size_t l = neg ? utf8_encode(neg, u) : utf8_encode(cp, u);
            if (!neg) l += utf8_encode(0x338, u + l);
            free(a->text);
            a->text = xstrndup(u, l);
            a->cls = MC_REL;
        }
        x = a;
    } else if (!strcmp(c, "textcircled") || !strcmp(c, "circled")) {
        x = text_node(p, MV_NORMAL);
        int v = atoi(x->text);
        char u[16];
        size_t l = 0;
        if (v >= 1 && v <= 20 && strspn(x->text, "0123456789") == strlen(x->text))
            l = utf8_encode(0x2460 + (uint32_t)(v - 1), u); /* ① .. ⑳ */
        else if (strlen(x->text) < 8) {
            memcpy(u, x->text, strlen(x->text));
            l = strlen(x->text) + utf8_encode(0x20DD, u + strlen(x->text));
        }
        if (l) {
            free(x->text);
            x->text = xstrndup(u, l);
        }
    } else if (!strcmp(c, "bmod")) { /* a mod b: "mod" as a binary operator */
        x = node(p, MK_OPNAME);
        x->text = xstrdup("mod");
        x->cls = MC_BIN;
    } else if (!strcmp(c, "pmod") || !strcmp(c, "pod") || !strcmp(c, "mod")) {
        x = mod_row(p, c);
    } else if (!strcmp(c, "substack")) {
        x = substack(p);
    } else if (!strcmp(c, "boxed") || !strcmp(c, "fbox")) {
        x = with_kids(p, MK_BOX, 1);
        x->kids[0] = !strcmp(c, "fbox") ? text_node(p, MV_NORMAL) : parse_arg(p);
    } else if (!strcmp(c, "color") || !strcmp(c, "textcolor")) {
        x = with_kids(p, MK_COLOR, 1);
        size_t name_at = p->i;
        x->text = read_raw_group(p);
        if (math_color(x->text) < 0) {
            while (name_at < p->n && (p->s[name_at] == ' ' || p->s[name_at] == '{'))
                name_at++;
            warn(p, (int)name_at, "unknown colour '%.40s' in \\%s; set in black", x->text, c);
        }
        if (c[0] == 't') {
            x->kids[0] = parse_arg(p);
        } else { /* \color{red} colours the rest of the group */
            endkind e;
            x->kids[0] = parse_row(p, &e);
            unread_end(p, e);
        }
    } else if (!strcmp(c, "displaystyle") || !strcmp(c, "textstyle") || !strcmp(c, "scriptstyle") ||
               !strcmp(c, "scriptscriptstyle")) {
        x = with_kids(p, MK_STYLE, 1);
        x->style = c[0] == 'd'   ? MS_DISPLAY
                   : c[0] == 't' ? MS_TEXT
                   : c[6] == 's' ? MS_SCRIPTSCRIPT
                                 : MS_SCRIPT;
        endkind e;
        x->kids[0] = parse_row(p, &e);
        unread_end(p, e);
    } else if (!strcmp(c, "hspace") || !strcmp(c, "mspace") || !strcmp(c, "kern") ||
               !strcmp(c, "mkern") || !strcmp(c, "hskip") || !strcmp(c, "mskip")) {
        char *arg = c[0] == 'h' && c[1] == 's' && c[2] == 'p' ? read_raw_group(p) : NULL;
        if (!arg && !strcmp(c, "mspace")) arg = read_raw_group(p);
        if (!arg) { /* \kern1em: number and unit follow directly */
            skip_space(p);
            size_t st = p->i;
            while (p->i < p->n && (isdigit((unsigned char)p->s[p->i]) || strchr(".-", p->s[p->i])))
                p->i++;
            if (p->i + 2 <= p->n) p->i += 2;
            arg = xstrndup(p->s + st, p->i - st);
        }
        char *e;
        double v = strtod(arg, &e);
        while (*e == ' ')
            e++;
        x = space_mu(p, (float)(v * unit_mu(e)));
        free(arg);
    } else if (!strcmp(c, "phantom") || !strcmp(c, "hphantom") || !strcmp(c, "vphantom")) {
        node_free(parse_arg(p));
        x = space_mu(p, 0);
    } else if (!strcmp(c, "tag") || !strcmp(c, "tag*")) {
        free(p->m->tag);
        p->m->tag = read_raw_group(p);
    } else if (!strcmp(c, "label")) {
        free(p->m->label);
        p->m->label = read_raw_group(p);
    } else if (!strcmp(c, "nonumber") || !strcmp(c, "notag")) {
        p->m->notag = true;
    } else if (!strcmp(c, "eqref") || !strcmp(c, "ref")) {
        x = node(p, MK_REF);
        x->text = read_raw_group(p);
        x->paren = c[0] == 'e';
    } else if (!strcmp(c, "begin")) {
        x = parse_env(p, at);
    } else if (!strcmp(c, "limits") || !strcmp(c, "nolimits") || !strcmp(c, "nonscript") ||
               !strcmp(c, "strut") || !strcmp(c, "relax") || !strcmp(c, "allowbreak") ||
               !strcmp(c, "left.") || !strcmp(c, "smash") || !strcmp(c, "hline") ||
               !strcmp(c, "hdashline")) {
        /* (an array's rules are not drawn) */
        /* handled by the scripts loop (limits) or without visible effect */
    } else if (!strcmp(c, "\\") || !strcmp(c, "cr")) {
        /* a line break outside an environment: ignored */
    } else if (!strcmp(c, "mathstrut")) {
        x = space_mu(p, 0);
    } else {
        if ((unsigned char)c[0] < 0x20) /* a diagnostic is one line */
            warn(p, (int)at, "unknown math command: \\ before control character U+%04X",
                 (unsigned)(unsigned char)c[0]);
        else
            warn(p, (int)at, "unknown math command \\%s", c);
        x = node(p, MK_ERROR);
        size_t l = strlen(c);
        x->text = xmalloc(l + 2);
        x->text[0] = '\\';
        memcpy(x->text + 1, c, l + 1);
    }
done:
    if (x) x->off = (int)at;
    free(c);
    return x;
}

/* One atom: a letter, digit run, symbol, group or command (without scripts). */
static mnode_t *parse_atom1(parser *p);
static mnode_t *parse_atom(parser *p) {
    if (++p->depth > MAX_DEPTH) { /* \frac\frac\frac... recurses without braces */
        warn(p, (int)p->i, "math nested too deeply");
        p->i = p->n;
        p->depth--;
        return NULL;
    }
    mnode_t *x = parse_atom1(p);
    p->depth--;
    return x;
}

static mnode_t *parse_atom1(parser *p) {
    skip_space(p);
    if (p->i >= p->n) return NULL;
    char ch = p->s[p->i];
    size_t at = p->i;
    if (ch == '\\') return parse_command(p);
    if (ch == '{') {
        p->i++;
        mnode_t *r = group_body(p, at);
        r->off = (int)at;
        return r;
    }
    if (isdigit((unsigned char)ch) ||
        (ch == '.' && p->i + 1 < p->n && isdigit((unsigned char)p->s[p->i + 1]))) {
        mnode_t *x = node(p, MK_NUM);
        size_t st = p->i;
        while (p->i < p->n &&
               (isdigit((unsigned char)p->s[p->i]) ||
                (p->s[p->i] == '.' && p->i + 1 < p->n && isdigit((unsigned char)p->s[p->i + 1]))))
            p->i++;
        x->text = xstrndup(p->s + st, p->i - st);
        x->variant = p->variant;
        return x;
    }
    uint32_t cp;
    size_t l = utf8_decode(p->s + p->i, p->n - p->i, &cp);
    p->i += l ? l : 1;
    if (cp == '~') return space_mu(p, 6);
    if (cp == '\'') return atom_cp(p, 0x2032, MC_ORD, MV_NORMAL);
    if (cp >= 0x80 && (cp_is_cjk_wide(cp) || cp > 0x2FFF)) {
        /* Chinese written straight into math: set as text */
        mnode_t *x = node(p, MK_TEXT);
        size_t st = at;
        while (p->i < p->n) {
            uint32_t c2;
            size_t l2 = utf8_decode(p->s + p->i, p->n - p->i, &c2);
            if (!l2 || !(c2 >= 0x80 && (cp_is_cjk_wide(c2) || c2 > 0x2FFF))) break;
            p->i += l2;
        }
        x->text = xstrndup(p->s + st, p->i - st);
        x->variant = MV_NORMAL;
        return x;
    }
    if (cp == '-') cp = 0x2212;
    if (cp == '*') cp = 0x2217;
    mnode_t *x = atom_cp(p, cp, math_char_class(cp), p->variant);
    x->off = (int)at;
    return x;
}

static bool is_limits_base(const mnode_t *b) {
    return (b->kind == MK_ATOM && b->cls == MC_OP) || b->kind == MK_OPNAME ||
           (b->kind == MK_ROW && b->cls == MC_OP) ||
           (b->kind == MK_ACCENT &&
            (b->l == 0x23DE || b->l == 0x23DF || b->l == 0x23DC || b->l == 0x23DD));
}

/* An atom with its ^ _ and primes. */
static mnode_t *parse_scripted(parser *p) {
    mnode_t *base = parse_atom(p);
    if (!base) return NULL;
    mnode_t *sub = NULL, *sup = NULL;
    bool primes = false; /* sup holds only primes so far */
    for (;;) {
        skip_space(p);
        if (p->i >= p->n) break;
        char ch = p->s[p->i];
        if (peek_cmd(p, "limits") || peek_cmd(p, "nolimits")) {
            bool lim = p->s[p->i + 1] == 'l';
            free(read_command(p));
            if (lim)
                base->limits = base->explicit_limits = true, base->nolimits = false;
            else
                base->nolimits = true, base->limits = false;
            continue;
        }
        if (ch == '\'') {
            p->i++;
            if (!sup) sup = node(p, MK_ROW);
            add(sup, atom_cp(p, 0x2032, MC_ORD, MV_NORMAL));
            primes = true;
            continue;
        }
        if (ch != '^' && ch != '_') break;
        size_t at = p->i++;
        p->depth++;
        mnode_t *s = p->depth > MAX_DEPTH ? NULL : parse_arg(p);
        p->depth--;
        if (!s) {
            warn(p, (int)at, "math nested too deeply");
            break;
        }
        mnode_t **slot = ch == '^' ? &sup : &sub;
        if (ch == '^' && primes) { /* x'^2 is x^{\prime 2} */
            add(sup, s);
            primes = false;
        } else if (*slot) {
            warn(p, (int)at, "double %s", ch == '^' ? "superscript" : "subscript");
            mnode_t *r = node(p, MK_ROW);
            add(r, *slot);
            add(r, s);
            *slot = r;
        } else
            *slot = s;
    }
    if (!sub && !sup) return base;
    bool lim = is_limits_base(base) && (base->limits || base->kind == MK_ACCENT) && !base->nolimits;
    mnode_t *x = with_kids(p, lim ? MK_UNDEROVER : MK_SCRIPTS, 3);
    x->kids[0] = base;
    x->kids[1] = sub;
    x->kids[2] = sup;
    x->cls = base->kind == MK_ATOM || base->kind == MK_OPNAME || base->kind == MK_UNDEROVER ||
                     (base->kind == MK_ROW && base->cls == MC_OP)
                 ? base->cls
                 : MC_ORD;
    x->limits = lim;
    x->off = base->off;
    return x;
}

/* TeX's generalized fractions, written between their parts: what the group
   holds before one is the numerator, the rest of the group the denominator */
static const struct {
    const char *name;
    bool rule;
    uint32_t l, r;
} infix[] = {{"over", true, 0, 0},        {"atop", false, 0, 0},      {"above", true, 0, 0},
             {"choose", false, '(', ')'}, {"brack", false, '[', ']'}, {"brace", false, '{', '}'}};

static int infix_at(parser *p) {
    if (p->s[p->i] != '\\') return -1;
    for (int k = 0; k < (int)(sizeof infix / sizeof *infix); k++)
        if (peek_cmd(p, infix[k].name)) return k;
    return -1;
}

/* Reads the infix command k at p->i; the row so far becomes its numerator
   (*row starts again, for the denominator). TeX allows one per group. */
static void infix_frac(parser *p, int k, mnode_t **row, mnode_t **fr) {
    size_t at = p->i;
    free(read_command(p));
    if (!strcmp(infix[k].name, "above")) { /* \above 1pt: the rule's thickness is not kept */
        skip_space(p);
        if (p->i < p->n && p->s[p->i] == '{')
            free(read_raw_group(p));
        else {
            while (p->i < p->n && (isdigit((unsigned char)p->s[p->i]) || strchr(".-", p->s[p->i])))
                p->i++;
            if (p->i + 2 <= p->n && isalpha((unsigned char)p->s[p->i])) p->i += 2;
        }
    }
    if (*fr) {
        warn(p, (int)at, "ambiguous \\%s: a group takes one \\over, \\atop or \\choose",
             infix[k].name);
        return;
    }
    *fr = with_kids(p, MK_FRAC, 2);
    (*fr)->off = (int)at;
    (*fr)->rule = infix[k].rule;
    (*fr)->l = infix[k].l, (*fr)->r = infix[k].r;
    (*fr)->kids[0] = *row;
    *row = node(p, MK_ROW);
}

static mnode_t *parse_row(parser *p, endkind *end) {
    mnode_t *row = node(p, MK_ROW);
    mnode_t *fr = NULL; /* an \\over or \\atop seen: the fraction */
    *end = END_EOF;
    if (++p->depth > MAX_DEPTH) {
        warn(p, (int)p->i, "math nested too deeply");
        p->i = p->n;
        p->depth--;
        return row;
    }
    for (;;) {
        skip_space(p);
        if (p->i >= p->n) break;
        char ch = p->s[p->i];
        p->end_at = p->i;
        if (ch == '}') {
            p->i++;
            *end = END_BRACE;
            break;
        }
        if (ch == '&') {
            p->i++;
            *end = END_AMP;
            break;
        }
        if (ch == '\\' && p->i + 1 < p->n && p->s[p->i + 1] == '\\') {
            p->i += 2;
            free(read_optional_raw(p)); /* \\[2pt] */
            *end = END_NEWLINE;
            break;
        }
        if (peek_cmd(p, "newline") || peek_cmd(p, "cr")) { /* KaTeX's other names for \\ */
            p->i += peek_cmd(p, "cr") ? 3 : 8;
            *end = END_NEWLINE;
            break;
        }
        if (peek_cmd(p, "right")) {
            p->i += 6;
            *end = END_RIGHT;
            break;
        }
        if (peek_cmd(p, "middle")) {
            p->i += 7;
            *end = END_MIDDLE;
            break;
        }
        if (peek_cmd(p, "end")) {
            p->i += 4;
            *end = END_END;
            break;
        }
        if (ch == '^' || ch == '_') { /* a script with no base: attach to an empty one */
            mnode_t *x = with_kids(p, MK_SCRIPTS, 3);
            x->kids[0] = node(p, MK_ROW);
            p->i++;
            x->kids[ch == '^' ? 2 : 1] = parse_arg(p);
            add(row, x);
            continue;
        }
        int k = infix_at(p);
        if (k >= 0) {
            infix_frac(p, k, &row, &fr);
            continue;
        }
        mnode_t *a = parse_scripted(p);
        if (a) add(row, a);
    }
    if (fr) {
        fr->kids[1] = row;
        row = node(p, MK_ROW);
        row->off = fr->kids[0]->off;
        add(row, fr);
    }
    p->depth--;
    return row;
}

/* --- environments --- */

static const struct {
    const char *name;
    uint32_t l, r;
    char align; /* 'c' all centred, 'a' r/l pairs, 'l' left, 's' from a spec */
    bool numbered;
} envs[] = {{"matrix", 0, 0, 'c', false},      {"pmatrix", '(', ')', 'c', false},
            {"bmatrix", '[', ']', 'c', false}, {"Bmatrix", '{', '}', 'c', false},
            {"vmatrix", '|', '|', 'c', false}, {"Vmatrix", 0x2016, 0x2016, 'c', false},
            {"smallmatrix", 0, 0, 'c', false}, {"cases", '{', 0, 'l', false},
            {"dcases", '{', 0, 'l', false},    {"rcases", 0, '}', 'l', false},
            {"aligned", 0, 0, 'a', false},     {"align", 0, 0, 'a', true},
            {"align*", 0, 0, 'a', false},      {"alignat", 0, 0, 'a', true},
            {"alignat*", 0, 0, 'a', false},    {"alignedat", 0, 0, 'a', false},
            {"split", 0, 0, 'a', false},       {"flalign", 0, 0, 'a', true},
            {"flalign*", 0, 0, 'a', false},    {"eqnarray", 0, 0, 'a', true},
            {"eqnarray*", 0, 0, 'a', false},   {"gathered", 0, 0, 'c', false},
            {"gather", 0, 0, 'c', true},       {"gather*", 0, 0, 'c', false},
            {"multline", 0, 0, 'c', true},     {"multline*", 0, 0, 'c', false},
            {"array", 0, 0, 's', false},       {"subarray", 0, 0, 's', false},
            {"equation", 0, 0, 'e', true},     {"equation*", 0, 0, 'e', false},
            {"displaymath", 0, 0, 'e', false}};

static int env_index(const char *name) {
    for (size_t i = 0; i < sizeof envs / sizeof *envs; i++)
        if (!strcmp(name, envs[i].name)) return (int)i;
    return -1;
}

static mnode_t *env_rows(parser *p, size_t at, char *name, int k, char *spec, bool bare);

static mnode_t *parse_env(parser *p, size_t at) {
    char *name = read_raw_group(p);
    int k = env_index(name);
    if (k < 0) warn(p, (int)at, "unknown environment %s", name);
    char mode = k >= 0 ? envs[k].align : 'c';
    if (k >= 0 && envs[k].numbered) p->m->numbered = true;
    char *spec = NULL;
    if (mode == 's') spec = read_raw_group(p);
    if (!strncmp(name, "alignat", 7) || !strcmp(name, "alignedat")) free(read_raw_group(p));
    return env_rows(p, at, name, k, spec, false);
}

/* An environment's rows and cells up to its \end (bare: a whole formula
   whose top level has & or \\, up to its end); takes name and spec. */
static mnode_t *env_rows(parser *p, size_t at, char *name, int k, char *spec, bool bare) {
    char mode = k >= 0 ? envs[k].align : 'c';
    mnode_t *x = node(p, MK_TABLE);
    x->off = (int)at;
    if (k >= 0) x->l = envs[k].l, x->r = envs[k].r;
    x->size = !strcmp(name, "smallmatrix") || !strcmp(name, "subarray");
    int row = 0, col = 0, ncols = 0;
    mnode_t **cells = NULL;
    size_t cap = 0, n = 0;
    endkind e = END_EOF;
    /* align and gather number each row: \tag, \label and \notag belong to theirs */
    bool per_row = k >= 0 && envs[k].numbered && mode != 'e' && strcmp(name, "multline") != 0 &&
                   !p->in_rows && !p->m->rows;
    if (per_row) p->in_rows = true;
    mrowtag_t outer = {p->m->tag, p->m->label, p->m->notag};
    if (per_row) p->m->tag = p->m->label = NULL, p->m->notag = false;
    while (p->i < p->n) {
        mnode_t *cell = parse_row(p, &e);
        if (per_row && e != END_AMP) { /* the row ends: what it said is its own */
            p->m->rows = xrealloc(p->m->rows, (size_t)(row + 1) * sizeof *p->m->rows);
            p->m->rows[row] = (mrowtag_t){p->m->tag, p->m->label, p->m->notag};
            p->m->n_rows = row + 1;
            p->m->tag = p->m->label = NULL, p->m->notag = false;
        }
        XGROW(cells, cap, n + 3);
        /* the cell's (row, col) ride in its nrows/ncols until the table is built */
        cell->nrows = row;
        cell->ncols = col;
        cells[n++] = cell;
        if (col + 1 > ncols) ncols = col + 1;
        if (e == END_AMP)
            col++;
        else if (e == END_NEWLINE)
            row++, col = 0;
        else
            break;
    }
    if (e == END_END && !bare) {
        char *endname = read_raw_group(p);
        if (strcmp(endname, name))
            warn(p, (int)at, "\\begin{%s} ended by \\end{%s}", name, endname);
        free(endname);
    } else if (!bare) {
        warn(p, (int)at, "\\begin{%s} without \\end", name);
    } else if (e != END_EOF && e != END_NEWLINE && e != END_AMP) {
        /* an unmatched }, \\right or \\end: the rest is left out, said so */
        p->i = p->n;
        warn(p, (int)at, "unbalanced math: %s",
             e == END_BRACE ? "unmatched }" : "\\right or \\end without its opening");
    }
    /* a trailing \\ leaves one empty last row */
    int nrows = n ? cells[n - 1]->nrows + 1 : 0;
    if (n && cells[n - 1]->n_kids == 0 && cells[n - 1]->ncols == 0 && nrows > 1) {
        node_free(cells[--n]);
        nrows--;
        if (per_row && p->m->n_rows > nrows) { /* and no number */
            mrowtag_t *t = &p->m->rows[--p->m->n_rows];
            free(t->tag), free(t->label);
        }
    }
    if (per_row) { /* what was said before the environment is the display's again */
        free(p->m->tag), free(p->m->label); /* a last row cut off by the end of input */
        p->m->tag = outer.tag, p->m->label = outer.label, p->m->notag = outer.notag;
        p->in_rows = false;
    }
    if (mode == 'e') { /* equation: one row, no table */
        mnode_t *r = node(p, MK_ROW);
        for (size_t i = 0; i < n; i++)
            add(r, cells[i]);
        free(cells);
        free(name);
        free(spec);
        node_free(x);
        r->off = (int)at;
        return r;
    }
    x->nrows = nrows;
    x->ncols = ncols;
    x->kids = xcalloc((size_t)(nrows * ncols) + 1, sizeof *x->kids);
    x->n_kids = nrows * ncols;
    for (size_t i = 0; i < n; i++) {
        int r = cells[i]->nrows, c = cells[i]->ncols;
        cells[i]->nrows = cells[i]->ncols = 0;
        if (r < nrows && c < ncols && !x->kids[r * ncols + c])
            x->kids[r * ncols + c] = cells[i];
        else
            node_free(cells[i]);
    }
    free(cells);
    x->align = xcalloc((size_t)ncols + 1, 1);
    const char *sp = spec;
    for (int c = 0; c < ncols; c++) {
        char a = 'c';
        if (mode == 'a') a = c % 2 ? 'l' : 'r';
        if (mode == 'l') a = 'l';
        if (mode == 's' && sp) {
            while (*sp && !strchr("lcr", *sp))
                sp++;
            if (*sp) a = *sp++;
        }
        x->align[c] = a;
    }
    free(spec);
    free(name);
    x->cls = MC_INNER;
    return x;
}

/* What the formula's top level (outside braces and environments) holds: 1 a
   "\\\\", 2 a "&" too, 0 neither. KaTeX sets a display's top-level \\\\ as
   lines (gathered); & there aligns (aligned). */
static int bare_rows(const char *s, size_t n) {
    int depth = 0, env = 0, lr = 0, found = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (depth < 0 || env < 0 || lr < 0) return 0; /* unbalanced: parsed as it comes */
        if (c == '{') {
            depth++;
        } else if (c == '}') {
            depth--;
        } else if (c == '&' && depth == 0 && env == 0 && lr == 0) {
            found = 2;
        } else if (c == '\\' && i + 1 < n) {
            if (s[i + 1] == '\\' && depth == 0 && env == 0 && lr == 0 && !found) found = 1;
            if (isalpha((unsigned char)s[i + 1])) {
                size_t e = i + 1;
                while (e < n && isalpha((unsigned char)s[e]))
                    e++;
                if (e - i - 1 == 5 && !memcmp(s + i + 1, "begin", 5)) env++;
                if (e - i - 1 == 3 && !memcmp(s + i + 1, "end", 3)) env--;
                if (e - i - 1 == 4 && !memcmp(s + i + 1, "left", 4)) lr++;
                if (e - i - 1 == 5 && !memcmp(s + i + 1, "right", 5)) lr--;
                if (((e - i - 1 == 7 && !memcmp(s + i + 1, "newline", 7)) ||
                     (e - i - 1 == 2 && !memcmp(s + i + 1, "cr", 2))) &&
                    depth == 0 && env == 0 && lr == 0 && !found)
                    found = 1;
                i = e - 1;
            } else {
                i++; /* \{ \} \& \\ and the like */
            }
        }
    }
    return depth == 0 && env == 0 && lr == 0 ? found : 0;
}

math_t *math_parse(const char *tex, size_t len, math_diag_fn diag, void *ctx) {
    math_t *m = xcalloc(1, sizeof *m);
    parser p = {.s = tex, .n = len, .m = m, .diag = diag, .ctx = ctx, .variant = MV_DEFAULT};
    int bare = bare_rows(tex, len);
    if (bare) {
        const char *env = bare == 2 ? "aligned" : "gathered";
        m->root = env_rows(&p, 0, xstrdup(env), env_index(env), NULL, true);
        return m;
    }
    m->root = node(&p, MK_ROW);
    while (p.i < p.n) {
        endkind e;
        mnode_t *r = parse_row(&p, &e);
        add(m->root, r);
        if (e == END_BRACE)
            warn(&p, (int)p.i - 1, "unmatched } in math");
        else if (e == END_RIGHT) {
            warn(&p, (int)p.i - 6, "\\right without \\left");
            read_delim(&p);
        } else if (e == END_MIDDLE) {
            warn(&p, (int)p.i - 7, "\\middle without \\left");
            read_delim(&p);
        } else if (e == END_END) {
            warn(&p, (int)p.i - 4, "\\end without \\begin");
            free(read_raw_group(&p));
        }
    }
    /* one row under the root: flatten */
    if (m->root->n_kids == 1 && m->root->kids[0]->kind == MK_ROW) {
        mnode_t *only = m->root->kids[0];
        free(m->root->kids);
        free(m->root);
        m->root = only;
    }
    return m;
}

void math_free(math_t *m) {
    if (!m) return;
    node_free(m->root);
    free(m->tag);
    free(m->label);
    for (int i = 0; i < m->n_rows; i++)
        free(m->rows[i].tag), free(m->rows[i].label);
    free(m->rows);
    free(m);
}
