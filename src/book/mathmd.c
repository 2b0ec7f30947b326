/* Math in Markdown. A cmark-gfm inline extension takes $…$ and $$…$$ before
   emphasis, escapes and autolinks can touch them (pandoc's rules for $); a tree
   pass then turns ```math fences, mdBook's \\( \\) and \\[ \\], and \eqref/\ref
   written in text into the same node kind, numbers the displays per chapter
   and reports TeX problems at their file:line:col.

   One node kind for math: a CODE node whose user_data marks it (see
   DECISIONS.md); a backend that knows no math still shows the TeX as code. */
#include "mathmd.h"
#include "../math/texmath.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "index.h"
#include "mdutil.h"
#include "texmacro.h"
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm/chunk.h> /* the inline parser hands out its text as a chunk */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG_INLINE ((void *)(uintptr_t)-1)
#define TAG_DISPLAY ((void *)(uintptr_t)-2)

static bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char *unfill(const char *lit, size_t *l);

static cmark_node *math_node(const unsigned char *s, int len, bool display) {
    cmark_node *n = cmark_node_new(CMARK_NODE_CODE);
    size_t l = (size_t)len;
    /* $$ spanning lines of a paragraph: mathmd_fill_gaps' "%" lines go again */
    char *lit = memchr(s, '\n', l) ? unfill((const char *)s, &l) : xstrndup((const char *)s, l);
    cmark_node_set_literal(n, lit);
    free(lit);
    cmark_node_set_user_data(n, display ? TAG_DISPLAY : TAG_INLINE);
    return n;
}

/* Whether s[0, n) reads as TeX rather than prose: a command, a script or a group. */
static bool reads_as_tex(const unsigned char *s, int n) {
    for (int i = 0; i < n; i++)
        if (s[i] == '\\' || s[i] == '^' || s[i] == '_' || s[i] == '{') return true;
    return false;
}

/* The formula s[b, e) without the blanks around it, or NULL when that is nothing. */
static cmark_node *trimmed_math(const unsigned char *s, int b, int e, bool display) {
    while (b < e && is_space(s[b]))
        b++;
    while (e > b && is_space(s[e - 1]))
        e--;
    return b < e ? math_node(s + b, e - b, display) : NULL;
}

/* $$…$$ (any lines) or $…$ by pandoc's rules, as KaTeX relaxes them (below);
   NULL leaves the $ as text. */

static cmark_node *match_dollar(cmark_syntax_extension *ext, cmark_parser *parser,
                                cmark_node *parent, unsigned char c, cmark_inline_parser *ip) {
    (void)ext, (void)parser, (void)parent;
    if (c != '$') return NULL;
    cmark_chunk *ch = cmark_inline_parser_get_chunk(ip);
    const unsigned char *s = ch->data;
    int n = ch->len, at = cmark_inline_parser_get_offset(ip);
    if (at > 0 && s[at - 1] == '$') return NULL; /* the second of a $$ that did not match */
    if (at + 1 < n && s[at + 1] == '$') {
        for (int i = at + 2; i + 1 < n; i++) {
            if (s[i] == '\\') {
                i++;
                continue;
            }
            if (s[i] == '$' && s[i + 1] == '$') {
                cmark_node *m = trimmed_math(s, at + 2, i, true);
                if (m) cmark_inline_parser_set_offset(ip, i + 2);
                return m;
            }
        }
        return NULL;
    }
    if (at + 1 >= n) return NULL;
    /* pandoc's rule: no space inside the $ signs ("$5 and $10" is no formula).
       KaTeX's auto-render, which docsify, GitBook and mdbook-katex run, takes
       "$ z_t, \tilde{o}_{t+1} $" too: so does ghb-book, when what is between
       reads as TeX (its _ would otherwise make emphasis of the text) */
    bool lead = is_space(s[at + 1]);
    int depth = 0; /* braces opened since the $: one inside them closes nothing
                      (\text{if $x > 0$}), as MathJax finds formulas */
    for (int i = at + 1; i < n; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == '\n' && i + 1 < n && s[i + 1] == '\n') return NULL;
        if (s[i] == '{') depth++;
        if (s[i] == '}' && depth > 0) depth--;
        if (s[i] == '$' && depth > 0) continue;
        /* a code span before the closing $: MathJax and KaTeX, as mdBook, docsify
           and GitBook run them, never pair a $ with one inside code
           (*$HOME/.cargo/bin* … `$PATH` is no formula) */
        if (s[i] == '`') return NULL;
        if (s[i] != '$') continue;
        /* the next $ closes the formula or none does: a formula holds no bare $
           ("$5 and $10 today, and $x$": the $5 opens nothing, $x$ is one). A $
           before a digit closes only a formula with no space ("$-$16", as
           KaTeX reads it; "$5 and $10" is money) */
        if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9' &&
            memchr(s + at + 1, ' ', (size_t)(i - at - 1)))
            return NULL;
        /* a $ right before a capital or "_" closes nothing: shell variables
           ("$GOPATH/pkg/$GOOS_$GOARCH", "$HOME/bin:$PATH": build-web-application-
           with-golang), where a formula is followed by a space, a mark, a Han
           character or a lowercase suffix ("$n$th") */
        if (i + 1 < n && ((s[i + 1] >= 'A' && s[i + 1] <= 'Z') || s[i + 1] == '_')) return NULL;
        bool trail = is_space(s[i - 1]);
        if ((lead || trail) && !reads_as_tex(s + at + 1, i - at - 1)) return NULL;
        cmark_node *m = trimmed_math(s, at + 1, i, false);
        if (m) cmark_inline_parser_set_offset(ip, i + 1);
        return m;
    }
    return NULL;
}

/* A $$ display on lines of its own is a block: its lines are TeX, never list
   items, headings or quotes ("- x" inside a display is a minus). It opens at a
   line starting with $$ that does not also close it, and ends with the line
   that ends with $$ (or, unclosed, at a blank line). */
#define TAG_BLOCK_OPEN ((void *)(uintptr_t)-3)
#define TAG_BLOCK_CLOSED ((void *)(uintptr_t)-4)
#define TAG_BLOCK_TAIL ((void *)(uintptr_t)-5) /* closed by "$$text": mathmd_split_tails */

static bool is_tail(cmark_node *n, void *ctx) {
    (void)ctx;
    return cmark_node_get_user_data(n) == TAG_BLOCK_TAIL;
}

static bool ends_with_dollars(const unsigned char *s, int n) {
    while (n > 0 && is_space(s[n - 1]))
        n--;
    return n >= 2 && s[n - 1] == '$' && s[n - 2] == '$' && (n < 3 || s[n - 3] != '\\');
}

/* Where a line closing a display with text after its "$$" ("$$to recover
   the value.", as mdbook-katex reads it) has that text, or -1: "$$" after at
   most 3 spaces, then something other than "$". */
static int tail_after_close(const unsigned char *s, int n) {
    int i = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    if (i + 2 >= n || s[i] != '$' || s[i + 1] != '$' || s[i + 2] == '$') return -1;
    int t = i + 2;
    while (t < n && is_space(s[t]))
        t++;
    return t < n ? t : -1;
}

/* A line that closes a $$ display: "$$" at its end, or at its start with text after. */
static bool closes_display(const unsigned char *s, int n) {
    return ends_with_dollars(s, n) || tail_after_close(s, n) >= 0;
}

/* A line that is only "$$$$" (spaces aside). */
static bool is_double_close(const unsigned char *s, int n) {
    int i = 0;
    while (i < n && is_space(s[i]))
        i++;
    while (n > i && is_space(s[n - 1]))
        n--;
    return n - i == 4 && !memcmp(s + i, "$$$$", 4);
}

/* --- blank lines inside a $$ display, a quote's display (before parsing) --- */

/* Where a line's text starts after up to 3 spaces and any "> " quote marks
   (*quoted says whether there was one). */
static int quote_end(const unsigned char *s, int n, bool *quoted) {
    int i = 0;
    *quoted = false;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    while (i < n && s[i] == '>') {
        *quoted = true;
        i++;
        while (i < n && s[i] == ' ')
            i++;
    }
    return i;
}

/* Whether s[at, n) opens "$$" that the line does not close: $$…$$ on one line
   (or with text after it) stays inline. Backslash escapes are passed over. */
static bool opens_unclosed(const unsigned char *s, int at, int n) {
    if (at + 1 >= n || s[at] != '$' || s[at + 1] != '$') return false;
    for (int k = at + 2; k + 1 < n; k++) {
        if (s[k] == '\\') {
            k++;
            continue;
        }
        if (s[k] == '$' && s[k + 1] == '$') return false;
    }
    return true;
}

/* A line opening a $$ display as open_display does, in a quote or not: "$$"
   after at most 3 spaces (and the quote's marks), no second "$$" on the line.
   *pre is the length of what stands before the "$$". */
static bool opens_display(const unsigned char *s, int n, int *pre, bool *quoted) {
    int i = quote_end(s, n, quoted);
    if (!*quoted) { /* spaces only: at most 3 */
        i = 0;
        while (i < n && s[i] == ' ')
            i++;
        if (i > 3) return false;
    }
    if (!opens_unclosed(s, i, n)) return false;
    *pre = i;
    return true;
}

static int leading_spaces(const unsigned char *s, int n) {
    int i = 0;
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* A ``` or ~~~ fence line (at most 3 spaces before it). */
static bool fence_line(const unsigned char *s, int n) {
    int i = 0;
    while (i < n && s[i] == ' ')
        i++;
    return i <= 3 && i + 2 < n && (s[i] == '`' || s[i] == '~') && s[i + 1] == s[i] &&
           s[i + 2] == s[i];
}

static bool blank_line(const unsigned char *s, int n) {
    for (int i = 0; i < n; i++)
        if (!is_space(s[i])) return false;
    return true;
}

typedef struct {
    const unsigned char *s;
    size_t len, at; /* the next line starts at at */
} lines_t;

static bool next_line(lines_t *l, const unsigned char **line, int *n) {
    if (l->at >= l->len) return false;
    const unsigned char *e = memchr(l->s + l->at, '\n', l->len - l->at);
    size_t end = e ? (size_t)(e - l->s) : l->len;
    *line = l->s + l->at, *n = (int)(end - l->at);
    l->at = e ? end + 1 : l->len;
    return true;
}

/* A change to one line: its text becomes the opening line's prefix and "%"
   (fill), or the prefix goes before it (a quote's line that lacks its ">"). */
typedef struct {
    size_t at, pre_at;
    int pre_len;
    bool fill;
    size_t move; /* not 0: "$$" goes in at `at` (a line's end) and leaves move (see inline_gaps) */
} gap_t;

typedef struct {
    gap_t *v;
    size_t n, cap;
} gaps_t;

static void add_gap(gaps_t *g, size_t at, size_t pre_at, int pre_len, bool fill) {
    XGROW(g->v, g->cap, g->n);
    g->v[g->n++] = (gap_t){at, pre_at, pre_len, fill, 0};
}

/* Where the "$$" a line leaves open starts, or -1: text, then "$$" pairs
   until one is left unclosed ("其中$$", "we have $$"). Inline code and
   escapes are passed over; a line that opens a display block is not one. */
static int opens_inline(const unsigned char *s, int n) {
    int open = -1;
    for (int k = 0; k + 1 < n; k++) {
        if (s[k] == '\\') {
            k++;
        } else if (s[k] == '`') {
            while (k + 1 < n && s[k + 1] != '`')
                k++;
            k++;
        } else if (s[k] == '$' && s[k + 1] == '$') {
            open = open < 0 ? k : -1;
            k++;
        }
    }
    return open;
}

/* A display opened by "$$" at the end of a line of text: the blank lines up to
   the line that closes it become "%" (the paragraph goes on), and when that
   line starts with "$$" (which would open a display block, as "$$ and so on."
   does), the "$$" moves to the end of the line before it, two spaces in its
   place: line numbers and columns stay. The "%" lines take the opening line's
   indentation (pre_at, pre_len): a "$$" on a line of its own in a nested list
   item ("    * text" then "      $$") opens a display block there, and a "%" at
   the margin would end the item and, with it, the display. */
static void inline_gaps(lines_t *l, size_t pre_at, int pre_len, gaps_t *g) {
    size_t first = g->n, prev_end = l->at ? l->at - 1 : 0;
    const unsigned char *line;
    int n;
    while (next_line(l, &line, &n)) {
        size_t at = (size_t)(line - l->s);
        if (fence_line(line, n)) {
            l->at = at;
            break;
        }
        if (blank_line(line, n)) {
            add_gap(g, at, pre_at, pre_len, true);
            prev_end = at + (size_t)n;
            continue;
        }
        int i = 0;
        while (i < n && i < 3 && line[i] == ' ')
            i++;
        if (i + 1 < n && line[i] == '$' && line[i + 1] == '$') {
            add_gap(g, prev_end, 0, 0, false);
            g->v[g->n - 1].move = at + (size_t)i;
            return;
        }
        if (opens_inline(line, n) >= 0) return; /* closed on this line */
        prev_end = at + (size_t)n;
    }
    g->n = first; /* not closed */
}

/* The display opening at the line before l->at, whose "$$" follows pre_len
   bytes at pre_at: adds its changes when a later line closes it (a fence or
   the end leaves it open, unchanged); returns whether the closing line is
   "$$$$", which opens the next display. */
static bool display_gaps(lines_t *l, size_t pre_at, int pre_len, bool quoted, gaps_t *g) {
    size_t first = g->n;
    const unsigned char *line;
    int n;
    while (next_line(l, &line, &n)) {
        if (fence_line(line, n)) { /* the caller sees the fence */
            l->at = (size_t)(line - l->s);
            break;
        }
        bool q;
        int t = quote_end(line, n, &q);
        size_t at = (size_t)(line - l->s);
        if (blank_line(line + t, n - t)) {
            add_gap(g, at, pre_at, pre_len, true);
            continue;
        }
        if (quoted && !q) add_gap(g, at, pre_at, pre_len, false);
        if (closes_display(line + t, n - t)) return is_double_close(line + t, n - t);
    }
    g->n = first; /* not closed */
    return false;
}

char *mathmd_fill_gaps(const char *text, size_t len, size_t *out_len) {
    lines_t l = {(const unsigned char *)text, len, 0};
    gaps_t g = {NULL, 0, 0};
    const unsigned char *line;
    int n, pre = 0;
    size_t pre_at = 0;
    bool in_fence = false, opens = false, quoted = false;
    while (next_line(&l, &line, &n)) {
        if (fence_line(line, n)) in_fence = !in_fence;
        if (in_fence) continue;
        if (!opens) {
            if (!opens_display(line, n, &pre, &quoted)) {
                if (opens_inline(line, n) > 0)
                    inline_gaps(&l, (size_t)(line - l.s), leading_spaces(line, n), &g);
                continue;
            }
            pre_at = (size_t)(line - l.s);
        }
        opens = display_gaps(&l, pre_at, pre, quoted, &g);
    }
    if (!g.n) { /* the changes of displays left open were dropped */
        free(g.v);
        return NULL;
    }
    buf_t out;
    buf_init(&out);
    size_t from = 0;
    for (size_t i = 0; i < g.n; i++) {
        const gap_t *c = &g.v[i];
        if (c->move) {
            buf_put(&out, text + from, c->at - from);
            buf_puts(&out, "$$");
            buf_put(&out, text + c->at, c->move - c->at);
            buf_puts(&out, "  ");
            from = c->move + 2;
            continue;
        }
        buf_put(&out, text + from, c->at - from);
        buf_put(&out, text + c->pre_at, (size_t)c->pre_len);
        from = c->at;
        if (c->fill) {
            const char *e = memchr(text + c->at, '\n', len - c->at);
            buf_putc(&out, '%');
            from = e ? (size_t)(e - text) : len;
        }
    }
    buf_put(&out, text + from, len - from);
    free(g.v);
    *out_len = out.len;
    return out.data;
}

static cmark_node *open_display(cmark_syntax_extension *ext, int indented, cmark_parser *parser,
                                cmark_node *parent, unsigned char *input, int len) {
    if (indented) return NULL;
    int at = cmark_parser_get_first_nonspace(parser);
    if (!opens_unclosed(input, at, len)) return NULL;
    cmark_node *n = cmark_parser_add_child(parser, parent, CMARK_NODE_CODE_BLOCK,
                                           cmark_parser_get_offset(parser) + 1);
    cmark_node_set_syntax_extension(n, ext);
    cmark_node_set_user_data(n, TAG_BLOCK_OPEN);
    cmark_parser_advance_offset(parser, (const char *)input,
                                at + 2 - cmark_parser_get_offset(parser), 0);
    return n;
}

static int match_display(cmark_syntax_extension *ext, cmark_parser *parser, unsigned char *input,
                         int len, cmark_node *container) {
    (void)ext;
    if (cmark_node_get_user_data(container) != TAG_BLOCK_OPEN || cmark_parser_is_blank(parser))
        return 0;
    /* "$$$$": one display closes and the next opens (halo2); split in fences() */
    if (is_double_close(input, len)) return 1;
    int at = cmark_parser_get_first_nonspace(parser); /* in a quote: after its > */
    if (ends_with_dollars(input, len))
        cmark_node_set_user_data(container, TAG_BLOCK_CLOSED);
    else if (tail_after_close(input + at, len - at) >= 0)
        cmark_node_set_user_data(container, TAG_BLOCK_TAIL);
    return 1;
}

/* A display closed by "$$text": the display keeps its TeX and "$$", the text
   becomes the paragraph after it, parsed on its own line (the line numbers
   of its links and formulas are the source's). */
static void split_tail(cmark_node *blk) {
    const char *lit = cmark_node_get_literal(blk);
    size_t l = lit ? strlen(lit) : 0;
    while (l && is_space((unsigned char)lit[l - 1]))
        l--;
    size_t start = l;
    while (start && lit[start - 1] != '\n')
        start--;
    int t = tail_after_close((const unsigned char *)lit + start, (int)(l - start));
    if (t < 0) return;
    const char *dollars = memchr(lit + start, '$', l - start);
    int line = cmark_node_get_end_line(blk);
    buf_t src;
    buf_init(&src);
    for (int i = 1; i < line; i++)
        buf_putc(&src, '\n');
    buf_put(&src, lit + start + t, l - start - (size_t)t);
    cmark_node *doc = md_parse(src.data, src.len), *k;
    buf_free(&src);
    char *kept = xstrndup(lit, (size_t)(dollars - lit) + 2);
    cmark_node_set_literal(blk, kept);
    free(kept);
    cmark_node_set_user_data(blk, TAG_BLOCK_CLOSED);
    cmark_node *after = blk;
    while ((k = cmark_node_first_child(doc))) {
        cmark_node_insert_after(after, k);
        after = k;
    }
    cmark_node_free(doc);
}

void mathmd_split_tails(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_CODE_BLOCK, is_tail, NULL, &v);
    for (size_t i = 0; i < n; i++)
        split_tail(v[i]);
    free(v);
}

static const char *display_type(cmark_syntax_extension *ext, cmark_node *n) {
    (void)ext, (void)n;
    return "code_block";
}

static cmark_syntax_extension *math_extension(void) {
    static cmark_syntax_extension *ext;
    if (!ext) {
        ext = cmark_syntax_extension_new("ghb-math");
        cmark_syntax_extension_set_match_inline_func(ext, match_dollar);
        cmark_syntax_extension_set_open_block_func(ext, open_display);
        cmark_syntax_extension_set_match_block_func(ext, match_display);
        cmark_syntax_extension_set_get_type_string_func(ext, display_type);
        cmark_llist *chars =
            cmark_llist_append(cmark_get_default_mem_allocator(), NULL, (void *)(uintptr_t)'$');
        cmark_syntax_extension_set_special_inline_chars(ext, chars);
    }
    return ext;
}

void mathmd_attach(cmark_parser *p) {
    cmark_parser_attach_syntax_extension(p, math_extension());
}

/* --- the tree pass --- */

bool mathmd_is(cmark_node *n) {
    return cmark_node_get_type(n) == CMARK_NODE_CODE && cmark_node_get_user_data(n) != NULL;
}

static bool is_tagged(cmark_node *n, void *ctx) {
    (void)ctx;
    return mathmd_is(n);
}

static bool is_math_fence(cmark_node *n, void *ctx) {
    (void)ctx;
    void *u = cmark_node_get_user_data(n);
    if (u == TAG_BLOCK_OPEN || u == TAG_BLOCK_CLOSED || u == TAG_BLOCK_TAIL) return true;
    const char *info = cmark_node_get_fence_info(n);
    return info && strncmp(info, "math", 4) == 0 &&
           (info[4] == '\0' || is_space((unsigned char)info[4]));
}

static int line_len(const char *s, size_t n) {
    const char *e = memchr(s, '\n', n);
    return (int)(e ? (size_t)(e - s) : n);
}

/* The first *l bytes of lit with mathmd_fill_gaps' "%" lines blank again. */
static char *unfill(const char *lit, size_t *l) {
    buf_t out;
    buf_init(&out);
    for (size_t at = 0; at < *l;) {
        const char *e = memchr(lit + at, '\n', *l - at);
        size_t end = e ? (size_t)(e - lit) : *l, b = at;
        while (b < end && lit[b] == ' ')
            b++;
        if (!(b + 1 == end && lit[b] == '%')) buf_put(&out, lit + at, end - at);
        if (e) buf_putc(&out, '\n');
        at = end + 1;
    }
    *l = out.len;
    return out.data ? out.data : xstrdup("");
}

/* --- pictures of formulas (before indexing) --- */

/* The part of url after "http(s)://" or "//", or NULL. */
static const char *after_scheme(const char *url) {
    if (!strncmp(url, "https://", 8)) return url + 8;
    if (!strncmp(url, "http://", 7)) return url + 7;
    if (!strncmp(url, "//", 2)) return url + 2;
    return NULL;
}

/* Drops CodeCogs' own options before the TeX ("\dpi{120}", "\bg_white",
   "\bg{white}", "\fn_cm", "\inline"), which are no TeX. */
static const char *codecogs_options(const char *t) {
    for (;;) {
        while (*t == ' ')
            t++;
        size_t n = 0;
        if (!strncmp(t, "\\dpi{", 5) || !strncmp(t, "\\bg{", 4)) {
            const char *e = strchr(t, '}');
            if (!e) return t;
            n = (size_t)(e + 1 - t);
        } else if (!strncmp(t, "\\bg_", 4) || !strncmp(t, "\\fn_", 4)) {
            n = 4;
            while (t[n] >= 'a' && t[n] <= 'z')
                n++;
        } else if (!strncmp(t, "\\inline", 7) && !(t[7] >= 'a' && t[7] <= 'z')) {
            n = 7;
        }
        if (!n) return t;
        t += n;
    }
}

/* The TeX a picture of a formula is drawn from, or NULL: the address of a
   service that draws TeX it is given (Zhihu's equation, CodeCogs,
   GitHub's render/math), which books copied from Zhihu use for every
   formula. Caller frees. */
static char *equation_tex(const char *url) {
    const char *h = after_scheme(url), *q = NULL;
    if (!h) return NULL;
    bool plus_is_space = false, amp_ends = false;
    if (!strncmp(h, "www.zhihu.com/equation?tex=", 27) ||
        !strncmp(h, "zhihu.com/equation?tex=", 23)) {
        q = strchr(h, '=') + 1; /* a form's encoding: "+" a space, "&" the next field */
        plus_is_space = amp_ends = true;
    } else if (!strncmp(h, "render.githubusercontent.com/render/math?math=", 46)) {
        q = h + 46, plus_is_space = amp_ends = true;
    } else if (!strncmp(h, "latex.codecogs.com/", 19)) {
        const char *d = strchr(h + 19, '?'), *dot = strchr(h + 19, '.');
        const char *slash = strchr(h + 19, '/');
        if (!d || !dot || dot > d || (slash && slash < d)) return NULL;
        if (strncmp(dot, ".latex?", 7) && strncmp(dot, ".image?", 7)) return NULL;
        q = d + 1; /* TeX written as is: "+" and "&" are its own */
    }
    if (!q) return NULL;
    size_t n = amp_ends ? strcspn(q, "&") : strlen(q);
    char *raw = xstrndup(q, n);
    if (plus_is_space)
        for (char *p = raw; *p; p++)
            if (*p == '+') *p = ' ';
    char *tex = url_decode(raw, strlen(raw));
    free(raw);
    const char *t = codecogs_options(tex);
    size_t tl = strlen(t);
    while (tl && is_space((unsigned char)t[tl - 1]))
        tl--;
    char *out = tl ? xstrndup(t, tl) : NULL;
    free(tex);
    return out;
}

void mathmd_equation_images(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_IMAGE, NULL, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        const char *url = cmark_node_get_url(v[i]);
        char *tex = url ? equation_tex(url) : NULL;
        if (!tex) continue;
        cmark_node_insert_before(v[i],
                                 math_node((const unsigned char *)tex, (int)strlen(tex), false));
        cmark_node_free(v[i]);
        free(tex);
    }
    free(v);
}

/* ```math and $$ display blocks become a paragraph holding one display math node */
static void fences(book_t *b, int ch, cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_CODE_BLOCK, is_math_fence, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        const char *lit = cmark_node_get_literal(v[i]);
        size_t l = lit ? strlen(lit) : 0;
        while (l && is_space((unsigned char)lit[l - 1]))
            l--;
        void *u = cmark_node_get_user_data(v[i]);
        if (u == TAG_BLOCK_CLOSED && l >= 2) l -= 2; /* the closing $$ */
        if (u == TAG_BLOCK_OPEN)
            book_diag(b, DIAG_WARNING, ch, cmark_node_get_start_line(v[i]),
                      cmark_node_get_start_column(v[i]), "$$ display math without a closing $$");
        while (l && is_space((unsigned char)lit[l - 1]))
            l--;
        while (l && lit && is_space((unsigned char)*lit))
            lit++, l--;
        /* displays that follow each other on a "$$$$" line: one paragraph each */
        char *kept = unfill(lit ? lit : "", &l);
        const char *s = kept;
        for (size_t at = 0; at <= l;) {
            size_t e = at;
            while (e < l && !(s[e] == '\n' && is_double_close((const unsigned char *)s + e + 1,
                                                              line_len(s + e + 1, l - e - 1))))
                e++;
            size_t b = at, t = e;
            while (b < t && is_space((unsigned char)s[b]))
                b++;
            while (t > b && is_space((unsigned char)s[t - 1]))
                t--;
            if (t > b || (at == 0 && e >= l)) {
                cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
                cmark_node_append_child(
                    p, math_node((const unsigned char *)s + b, (int)(t - b), true));
                cmark_node_insert_before(v[i], p);
            }
            if (e >= l) break;
            at = e + 1 + line_len(s + e + 1, l - e - 1);
        }
        free(kept);
        cmark_node_free(v[i]);
    }
    free(v);
}

/* Finds the next "\(" "\[" "\eqref{" "\ref{" span in s; returns its start or -1 and
   sets the TeX range and the span's end. */
static long find_span(const char *s, size_t from, size_t *tb, size_t *te, size_t *end,
                      bool *display) {
    for (const char *p = strchr(s + from, '\\'); p; p = strchr(p + 1, '\\')) {
        size_t at = (size_t)(p - s);
        if (p[1] == '(' || p[1] == '[') {
            const char *close = strstr(p + 2, p[1] == '(' ? "\\)" : "\\]");
            if (!close) continue;
            *tb = at + 2;
            *te = (size_t)(close - s);
            *end = *te + 2;
            *display = p[1] == '[';
            if (*te > *tb) return (long)at;
        }
        if (strncmp(p, "\\eqref{", 7) == 0 || strncmp(p, "\\ref{", 5) == 0) {
            const char *close = strchr(p, '}');
            if (!close || close - p > 80) continue;
            *tb = at;
            *te = *end = (size_t)(close - s) + 1;
            *display = false;
            return (long)at;
        }
    }
    return -1;
}

/* \(…\) and \eqref{…} inside one text node: split it around math nodes */
static void text_spans(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_TEXT, NULL, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        const char *s = cmark_node_get_literal(v[i]);
        if (!s || !strchr(s, '\\')) continue;
        char *copy = xstrdup(s);
        size_t from = 0, tb, te, end;
        bool display, changed = false;
        long at;
        while ((at = find_span(copy, from, &tb, &te, &end, &display)) >= 0) {
            if ((size_t)at > from) {
                cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
                char *part = xstrndup(copy + from, (size_t)at - from);
                cmark_node_set_literal(t, part);
                free(part);
                cmark_node_insert_before(v[i], t);
            }
            cmark_node_insert_before(
                v[i], math_node((const unsigned char *)copy + tb, (int)(te - tb), display));
            from = end;
            changed = true;
        }
        if (changed) {
            if (copy[from])
                cmark_node_set_literal(v[i], copy + from);
            else
                cmark_node_free(v[i]);
        }
        free(copy);
    }
    free(v);
}

/* A paragraph that is "\[" softbreak … softbreak "\]" (mdBook's display on its
   own lines): one display node with the lines between. */
static void display_paragraphs(cmark_node *doc) {
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_PARAGRAPH, NULL, NULL, &v);
    for (size_t i = 0; i < n; i++) {
        cmark_node *f = cmark_node_first_child(v[i]), *l = cmark_node_last_child(v[i]);
        if (!f || f == l || cmark_node_get_type(f) != CMARK_NODE_TEXT ||
            cmark_node_get_type(l) != CMARK_NODE_TEXT)
            continue;
        const char *a = cmark_node_get_literal(f), *z = cmark_node_get_literal(l);
        size_t zl = strlen(z);
        if (strncmp(a, "\\[", 2) != 0 || zl < 2 || strcmp(z + zl - 2, "\\]") != 0) continue;
        char *text = md_plain_text(v[i]);
        buf_t tex;
        buf_init(&tex);
        /* plain text turns breaks into spaces: take the source-like text back with newlines */
        for (cmark_node *c = f; c; c = cmark_node_next(c)) {
            cmark_node_type t = cmark_node_get_type(c);
            if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
                buf_putc(&tex, '\n');
            else {
                char *pt = t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE
                               ? xstrdup(cmark_node_get_literal(c))
                               : md_plain_text(c);
                buf_puts(&tex, pt);
                free(pt);
            }
        }
        free(text);
        if (tex.len >= 4) {
            while (cmark_node_first_child(v[i]))
                cmark_node_free(cmark_node_first_child(v[i]));
            cmark_node_append_child(
                v[i], math_node((const unsigned char *)tex.data + 2, (int)tex.len - 4, true));
        }
        buf_free(&tex);
    }
    free(v);
}

/* --- numbering and diagnostics --- */

typedef struct {
    book_t *b;
    int ch, line, bytecol; /* where the TeX starts, once located */
    const char *tex;
    cmark_node *node;
    bool located;
} dctx;

static void locate(const book_t *b, int ch, cmark_node *n, const char *tex, int *line, int *col);

/* Finds where the formula is in the source the first time a diagnostic or an
   anchor needs it: a search of the chapter text that most formulas never need. */
static void where(dctx *d) {
    if (!d->located) locate(d->b, d->ch, d->node, d->tex, &d->line, &d->bytecol);
    d->located = true;
}

/* Where in source line l (1-based) the text tex[0, n) stands: its byte
   offset in the line, or -1. */
static int find_in_line(const chapter_t *c, int l, const char *tex, size_t n) {
    if (l < 1 || l > c->n_lines || !c->src || !n) return -1;
    const char *s = c->src + c->line_off[l - 1];
    const char *end = l < c->n_lines ? c->src + c->line_off[l] : s + strlen(s);
    for (const char *p = s; p + n <= end; p++)
        if (memcmp(p, tex, n) == 0) return (int)(p - s);
    return -1;
}

/* A diagnostic at byte off of the TeX. A formula's later lines are found in
   their own source lines, after whatever stands before them there (a
   quote's "> ", a list's indent), which the TeX does not hold. */
static void report(void *ctx, int off, const char *msg) {
    dctx *d = ctx;
    where(d);
    int line = d->line, col = d->bytecol, ls = 0; /* ls: where off's TeX line starts */
    for (int i = 0; i < off && d->tex[i]; i++)
        if (d->tex[i] == '\n') line++, ls = i + 1;
    if (ls == 0) {
        col += off;
    } else {
        size_t n = strcspn(d->tex + ls, "\n");
        int at = find_in_line(&d->b->chapters[d->ch], line, d->tex + ls, n);
        col = (at < 0 ? 0 : at) + (off - ls) + 1;
    }
    book_diag(d->b, DIAG_WARNING, d->ch, line, col, "%s", msg);
}

/* Where the node's TeX starts in the chapter source: its first line searched
   for from the line of its block on, since extension nodes carry no position
   of their own (a formula's later lines have a quote's "> " before them in
   the source, not in the TeX). */
static void locate(const book_t *b, int ch, cmark_node *n, const char *tex, int *line, int *col) {
    const chapter_t *c = &b->chapters[ch];
    cmark_node *blk = n;
    while (blk && cmark_node_get_start_line(blk) <= 0)
        blk = cmark_node_parent(blk);
    int l0 = blk ? cmark_node_get_start_line(blk) : 1;
    *line = l0, *col = 1;
    if (l0 < 1 || l0 > c->n_lines || !c->src) return;
    size_t first = strcspn(tex, "\n");
    int last = blk ? cmark_node_get_end_line(blk) : 0;
    if (last < l0) last = c->n_lines;
    for (int l = l0; first && l <= last; l++) {
        int at = find_in_line(c, l, tex, first);
        if (at >= 0) {
            *line = l, *col = at + 1;
            return;
        }
    }
}

void book_math_warn(const book_t *b, const mathinfo_t *mi, const char *fmt, ...) {
    int line, col; /* the TeX as written: it is what the source holds */
    locate(b, mi->chapter, mi->node, book_math_tex(mi), &line, &col);
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    book_diag(b, DIAG_WARNING, mi->chapter, line, col, "%s", msg);
}

/* The next number of chapter ch (or the \tag's text), an id and an anchor
   like a heading's, so that links (\eqref in the PDF) find its page. */
static void number_eq(book_t *b, int ch, int chn, int *eq, dctx *d, const char *tag, int row,
                      char **number, char **id, long *anchor) {
    where(d);
    buf_t nb;
    buf_init(&nb);
    if (tag)
        buf_puts(&nb, tag);
    else if (chn)
        buf_printf(&nb, "%d.%d", chn, ++*eq);
    else /* an unnumbered chapter (a preface): (1), (2) */
        buf_printf(&nb, "%d", ++*eq);
    *number = buf_detach(&nb);
    buf_init(&nb);
    buf_printf(&nb, "eq-%d-%zu", ch + 1, b->n_maths + 1);
    if (row >= 0) buf_printf(&nb, "-%d", row + 1); /* a row of an align: eq-1-4-2 */
    *anchor = (long)index_add_anchor(b, ch, nb.data, d->line, d->bytecol);
    buf_free(&nb);
    *id = xstrdup(b->anchors[*anchor].id);
}

/* labels are book-wide: maths index << 16 | (row + 1), row 0 for the whole display */
static void label_eq(book_t *b, int ch, dctx *d, const char *label, long value) {
    if (!label) return;
    if (strmap_get(&b->math_labels, label) < 0) {
        strmap_put(&b->math_labels, label, value);
        return;
    }
    where(d);
    book_diag(b, DIAG_WARNING, ch, d->line, d->bytecol, "equation label '%s' used twice", label);
}

void mathmd_chapter(book_t *b, int ch) {
    cmark_node *doc = b->chapters[ch].doc;
    if (!doc) return;
    fences(b, ch, doc);
    cmark_consolidate_text_nodes(doc);
    display_paragraphs(doc);
    text_spans(doc);
    cmark_node **v;
    size_t n = md_collect(doc, CMARK_NODE_CODE, is_tagged, NULL, &v);
    /* a section's numbers go on from its chapter's */
    int *counts = book_numbering(&b->eq_numbering, b, ch);
    int eq = counts[0], chn = book_chapter_number(b, ch);
    for (size_t i = 0; i < n; i++) {
        const char *tex = cmark_node_get_literal(v[i]);
        if (!tex) tex = "";
        bool display = cmark_node_get_user_data(v[i]) == TAG_DISPLAY;
        dctx d = {b, ch, 1, 1, tex, v[i], false};
        char *expanded = texmacros_expand(b->tex_macros, tex), *written = NULL;
        if (expanded) { /* the book's macros: both backends see plain TeX */
            where(&d);  /* in the source as written */
            if (strcmp(expanded, tex) != 0) written = xstrdup(tex);
            cmark_node_set_literal(v[i], expanded);
            free(expanded);
            d.tex = tex = cmark_node_get_literal(v[i]);
        }
        /* the same TeX is parsed once (books repeat $x$, $\\theta$...); a formula
           with a diagnostic is parsed again so that each place reports it */
        long same = strmap_get(&b->math_sources, tex);
        math_t *m = same >= 0 ? b->maths[same].math : math_parse(tex, strlen(tex), report, &d);
        XGROW(b->maths, b->cap_maths, b->n_maths);
        mathinfo_t *mi = &b->maths[b->n_maths];
        memset(mi, 0, sizeof *mi);
        mi->chapter = ch;
        mi->display = display;
        mi->node = v[i];
        mi->written = written;
        mi->anchor = mi->link = -1;
        bool numbered = display && !m->notag && (m->tag || m->label || m->numbered);
        if (numbered && m->n_rows > 0) {
            numbered = false; /* numbered row by row */
            mi->rows = xcalloc((size_t)m->n_rows, sizeof *mi->rows);
            mi->n_rows = m->n_rows;
            for (int r = 0; r < m->n_rows; r++) {
                const mrowtag_t *t = &m->rows[r];
                mi->rows[r].anchor = -1;
                if (t->notag) continue;
                number_eq(b, ch, chn, &eq, &d, t->tag, r, &mi->rows[r].number, &mi->rows[r].id,
                          &mi->rows[r].anchor);
                label_eq(b, ch, &d, t->label, ((long)b->n_maths << 16) | (r + 1));
                if (!mi->number)
                    mi->number = xstrdup(mi->rows[r].number), mi->id = xstrdup(mi->rows[r].id),
                    mi->anchor = mi->rows[r].anchor;
            }
        }
        if (numbered) {
            number_eq(b, ch, chn, &eq, &d, m->tag, -1, &mi->number, &mi->id, &mi->anchor);
            label_eq(b, ch, &d, m->label, (long)b->n_maths << 16);
        }
        cmark_node_set_user_data(v[i], (void *)(uintptr_t)(b->n_maths + 1));
        b->n_maths++;
        mi->math = m; /* parsed once: both backends read it */
        mi->shared = same >= 0;
        if (same < 0 && m->errors == 0) strmap_put(&b->math_sources, tex, (long)(b->n_maths - 1));
    }
    counts[0] = eq;
    free(v);
}

/* An internal link to the display labelled key (link_t.url "#id"), or -1. */
static long new_ref_link(book_t *b, int chapter, const char *key) {
    const char *id;
    long anchor;
    if (!book_math_ref(b, key, &id, &anchor) || anchor < 0) return -1;
    XGROW(b->links, b->cap_links, b->n_links);
    link_t *l = &b->links[b->n_links];
    memset(l, 0, sizeof *l);
    l->chapter = chapter;
    l->kind = LINK_INTERNAL;
    buf_t u;
    buf_init(&u);
    buf_printf(&u, "#%s", id);
    l->url = buf_detach(&u);
    l->target_chapter = b->anchors[anchor].chapter;
    l->target_anchor = anchor;
    l->note = -1;
    return (long)b->n_links++;
}

/* \eqref{key} or \ref{key} alone: an internal link to the display's anchor,
   which both backends draw like any other. */
static void ref_link(book_t *b, mathinfo_t *mi) {
    const mnode_t *r = mi->math->root;
    while (r && r->kind == MK_ROW && r->n_kids == 1)
        r = r->kids[0];
    if (r && r->kind == MK_REF) mi->link = new_ref_link(b, mi->chapter, r->text);
}

/* A reference inside a larger formula: one link per key, which the PDF puts
   on the number's glyphs and the EPUB on the number written between the
   formula's parts (book_math_ref_link). */
static void nested_ref_link(book_t *b, const mathinfo_t *mi, const char *key) {
    if (mi->link >= 0 || strmap_get(&b->math_ref_links, key) >= 0) return;
    long l = new_ref_link(b, mi->chapter, key);
    if (l >= 0) strmap_put(&b->math_ref_links, key, l);
}

long book_math_ref_link(const book_t *b, const char *key) {
    return strmap_get(&b->math_ref_links, key);
}

void mathmd_check_refs(book_t *b) {
    for (size_t i = 0; i < b->n_maths; i++) {
        mathinfo_t *mi = &b->maths[i];
        if (mi->link < 0) ref_link(b, mi);
        const char *tex = cmark_node_get_literal(mi->node);
        for (const char *p = tex ? strstr(tex, "ref{") : NULL; p; p = strstr(p + 1, "ref{")) {
            if (p == tex || p[-1] == '\\' || (p - tex >= 3 && strncmp(p - 3, "\\eq", 3) == 0)) {
                const char *e = strchr(p + 4, '}');
                if (!e) break;
                char *key = xstrndup(p + 4, (size_t)(e - p - 4));
                if (strmap_get(&b->math_labels, key) < 0) {
                    int line, col;
                    locate(b, mi->chapter, mi->node, tex, &line, &col);
                    book_diag(b, DIAG_WARNING, mi->chapter, line, col,
                              "no numbered equation has the label '%s'", key);
                } else {
                    nested_ref_link(b, mi, key);
                }
                free(key);
            }
        }
    }
}

const mathinfo_t *book_math_of(const book_t *b, cmark_node *n) {
    if (!n || cmark_node_get_type(n) != CMARK_NODE_CODE) return NULL;
    uintptr_t k = (uintptr_t)cmark_node_get_user_data(n);
    if (k == 0 || k > b->n_maths) return NULL;
    return &b->maths[k - 1];
}

const mathinfo_t *book_math_label(const book_t *b, const char *key) {
    long i = strmap_get(&b->math_labels, key);
    return i < 0 ? NULL : &b->maths[i >> 16];
}

const char *book_math_ref(const book_t *b, const char *key, const char **id, long *anchor) {
    long i = strmap_get(&b->math_labels, key);
    if (i < 0) return NULL;
    const mathinfo_t *mi = &b->maths[i >> 16];
    int row = (int)(i & 0xFFFF) - 1;
    bool r = row >= 0 && row < mi->n_rows;
    if (id) *id = r ? mi->rows[row].id : mi->id;
    if (anchor) *anchor = r ? mi->rows[row].anchor : mi->anchor;
    return r ? mi->rows[row].number : mi->number;
}

cmark_node *mathmd_display_of(const book_t *b, cmark_node *para) {
    cmark_node *only = NULL;
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) continue;
        if (t == CMARK_NODE_TEXT) {
            const char *s = cmark_node_get_literal(c);
            while (s && *s && is_space((unsigned char)*s))
                s++;
            if (s && !*s) continue;
        }
        const mathinfo_t *mi = book_math_of(b, c);
        if (!mi || !mi->display || only) return NULL;
        only = c;
    }
    return only;
}

const char *book_math_tex(const mathinfo_t *mi) {
    const char *tex = mi->written ? mi->written : cmark_node_get_literal(mi->node);
    return tex ? tex : "";
}

void mathmd_free(book_t *b) {
    for (size_t i = 0; i < b->n_maths; i++) {
        mathinfo_t *mi = &b->maths[i];
        for (int r = 0; r < mi->n_rows; r++)
            free(mi->rows[r].number), free(mi->rows[r].id);
        free(mi->rows);
        free(mi->number), free(mi->id), free(mi->written);
        if (!mi->shared) math_free(mi->math);
    }
    free(b->maths);
    strmap_free(&b->math_labels);
    strmap_free(&b->math_sources);
    strmap_free(&b->math_ref_links);
}

static const char *ref_number(void *ctx, const char *key) {
    return book_math_ref(ctx, key, NULL, NULL);
}

/* A formula's text is its readable linear form. */
static bool formula_text(cmark_node *c, buf_t *out, void *ctx) {
    const mathinfo_t *mi = book_math_of(ctx, c);
    if (!mi) return false;
    char *lin = math_linear(mi->math, ref_number, ctx);
    buf_puts(out, lin);
    free(lin);
    return true;
}

/* The text of first and the inlines after it. */
static void plain_from(const book_t *b, cmark_node *first, buf_t *out) {
    md_plain_from(first, out, formula_text, (void *)b);
}

char *book_plain_text(const book_t *b, cmark_node *n) {
    buf_t out;
    buf_init(&out);
    plain_from(b, cmark_node_first_child(n), &out);
    return buf_detach(&out);
}

/* Whether n is inside the tree at root (a node a pass removed is not looked at). */
static bool holds(cmark_node *root, cmark_node *n) {
    cmark_iter *it = cmark_iter_new(root);
    bool found = false;
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        found = ev == CMARK_EVENT_ENTER && cmark_iter_get_node(it) == n;
    cmark_iter_free(it);
    return found;
}

void mathmd_plain_titles(book_t *b) {
    if (!b->n_maths) return;
    for (size_t i = 0; i < b->n_xrefs; i++) {
        xref_t *x = &b->xrefs[i];
        if (!x->number_text || !holds(x->node, x->number_text)) continue;
        buf_t t;
        buf_init(&t);
        plain_from(b, x->number_text, &t);
        if (t.len >= x->number_len) {
            free(x->caption);
            x->caption = xstrdup(t.data + x->number_len);
        }
        buf_free(&t);
    }
    for (size_t i = 0; i < b->n_headings; i++) {
        heading_t *h = &b->headings[i];
        char *lin = book_plain_text(b, h->node);
        if (strcmp(lin, h->text) == 0) {
            free(lin);
            continue;
        }
        /* a chapter titled by this heading (no title in SUMMARY.md) reads it the same way */
        chapter_t *c = &b->chapters[h->chapter];
        if (c->title && strcmp(c->title, h->text) == 0 &&
            h->node == cmark_node_first_child(c->doc)) {
            free(c->title);
            c->title = xstrdup(lin);
        }
        free(h->text);
        h->text = lin;
    }
}
