/* Runs a compiled grammar over text, line by line, the way GtkSourceView's
   context engine does: inside the innermost open context, the earliest match
   among its end and its candidates wins (the end on a tie). Each candidate's
   next match is cached for the line, so a line costs about one regex search
   per candidate plus one per token. */
#include "grammar.h"
#include "hl.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define NO_MATCH ((size_t)-1)
#define MAX_DEPTH 48

typedef struct {
    gctx_t *ctx;
    pcre2_code *end;
    bool own_end;
    int style, outer;
    const gcand_t *cands;
    size_t n;
    size_t *from, *at, *to; /* per candidate, [n] the end: searched from, match start, end */
    unsigned char *used;    /* per candidate: has started here (once-only) */
    size_t cap;
    const gscan_t *scans;
    size_t n_scans, scap;
    size_t *s_from, *s_at, *s_to, *s_k; /* per scan: as above, and the candidate found */
    size_t start_pos;                   /* where in the line it started, or NO_MATCH */
} frame_t;

/* One search's result on the current line, shared by every context that
   searches with the same regex (a pure one, gfirst_t.pure): JavaScript's
   contexts open and close at each token, and each would search again for
   what its siblings found. Direct-mapped by the regex; gen names the line. */
#define SHARED 256
typedef struct {
    const pcre2_code *re;
    size_t gen, from, at, to, alt;
} shared_t;

typedef struct {
    grammar_t *g;
    pcre2_match_data *md;
    shared_t shared[SHARED];
    size_t gen;
    frame_t fr[MAX_DEPTH];
    int depth;
    const char *line;
    size_t len;
    unsigned char *cls;
    uint64_t bytes[4]; /* the bytes the line holds */
} run_t;

static void frame_reset(frame_t *f) {
    for (size_t i = 0; i <= f->n; i++)
        f->from[i] = NO_MATCH;
    for (size_t i = 0; i < f->n_scans; i++)
        f->s_from[i] = NO_MATCH;
}

static void push(run_t *r, gctx_t *c, pcre2_code *end, bool own, int style, int outer) {
    frame_t *f = &r->fr[r->depth++];
    f->ctx = c;
    f->end = end;
    f->own_end = own;
    f->style = style;
    f->outer = outer;
    f->cands = gctx_cands(r->g, c, &f->n);
    if (f->cap < f->n + 1) {
        f->cap = f->n + 1;
        f->from = xrealloc(f->from, f->cap * sizeof *f->from);
        f->at = xrealloc(f->at, f->cap * sizeof *f->at);
        f->to = xrealloc(f->to, f->cap * sizeof *f->to);
        f->used = xrealloc(f->used, f->cap);
    }
    memset(f->used, 0, f->n + 1);
    f->scans = gctx_scans(r->g, c, &f->n_scans);
    if (f->scap < f->n_scans) {
        f->scap = f->n_scans;
        f->s_from = xrealloc(f->s_from, f->scap * sizeof *f->s_from);
        f->s_at = xrealloc(f->s_at, f->scap * sizeof *f->s_at);
        f->s_to = xrealloc(f->s_to, f->scap * sizeof *f->s_to);
        f->s_k = xrealloc(f->s_k, f->scap * sizeof *f->s_k);
    }
    f->start_pos = NO_MATCH;
    frame_reset(f);
}

/* pcre2_jit_match skips pcre2_match's checks (a tenth of the highlighting
   time); a pattern the JIT could not compile takes the interpreter. */
/* Regexes the JIT refused (rare): not tried again. */
static const pcre2_code **no_jit;
static size_t n_no_jit;

static bool jit_failed(const pcre2_code *re) {
    for (size_t i = 0; i < n_no_jit; i++)
        if (no_jit[i] == re) return true;
    return false;
}

static void jit_failed_add(const pcre2_code *re) {
    no_jit = xrealloc(no_jit, (n_no_jit + 1) * sizeof *no_jit);
    no_jit[n_no_jit++] = re;
}

/* The search: pcre2_jit_match (it skips pcre2_match's checks), the regex
   JIT-compiled on its first search (grammar_compile leaves that to here: most
   of a language's universe never runs on a book). An end made from the
   start's text is new each time: compiling it would cost more than it saves,
   so it (compile false) runs in the interpreter. */
static int re_match(const pcre2_code *re, const run_t *r, size_t pos, bool compile) {
    static int jit = -1;
    if (jit < 0) {
        uint32_t have = 0;
        pcre2_config(PCRE2_CONFIG_JIT, &have);
        jit = have != 0;
    }
    int rc = PCRE2_ERROR_JIT_BADOPTION;
    if (jit) {
        rc = pcre2_jit_match(re, (PCRE2_SPTR)r->line, r->len, pos, 0, r->md, NULL);
        if (rc == PCRE2_ERROR_JIT_BADOPTION && compile && !jit_failed(re)) {
            if (pcre2_jit_compile((pcre2_code *)re, PCRE2_JIT_COMPLETE) == 0)
                rc = pcre2_jit_match(re, (PCRE2_SPTR)r->line, r->len, pos, 0, r->md, NULL);
            else
                jit_failed_add(re);
        }
    }
    if (rc == PCRE2_ERROR_JIT_BADOPTION)
        rc = pcre2_match(re, (PCRE2_SPTR)r->line, r->len, pos, 0, r->md, NULL);
    return rc;
}

static void pop(run_t *r) {
    frame_t *f = &r->fr[--r->depth];
    if (f->own_end) pcre2_code_free(f->end);
    f->end = NULL;
    f->own_end = false;
}

/* Whether the line holds a byte a match of the filter's regex can start with. */
static bool may_match(const run_t *r, const gfirst_t *first) {
    if (!first || !first->on) return true;
    return (r->bytes[0] & first->bits[0]) | (r->bytes[1] & first->bits[1]) |
           (r->bytes[2] & first->bits[2]) | (r->bytes[3] & first->bits[3]);
}

/* The leftmost match of re from pos: [*at, *to) and the alternative's mark
   (0 without one) in *alt; false when none. A pure regex's result is taken
   from, and kept in, the line's shared slot. */
static bool search(run_t *r, const pcre2_code *re, const gfirst_t *first, size_t pos, size_t *at,
                   size_t *to, size_t *alt) {
    shared_t *sh = NULL;
    if (first && first->pure) {
        sh = &r->shared[((uintptr_t)re >> 4) % SHARED];
        if (sh->re == re && sh->gen == r->gen && sh->from <= pos &&
            (sh->at == NO_MATCH || sh->at >= pos)) {
            *at = sh->at, *to = sh->to, *alt = sh->alt;
            return sh->at != NO_MATCH;
        }
    }
    bool found = re_match(re, r, pos, first != NULL) >= 0;
    *at = NO_MATCH, *to = NO_MATCH, *alt = 0;
    if (found) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
        *at = ov[0];
        *to = ov[1] < ov[0] ? ov[0] : ov[1];
        for (PCRE2_SPTR m = pcre2_get_mark(r->md); m && *m >= '0' && *m <= '9'; m++)
            *alt = *alt * 10 + (size_t)(*m - '0');
    }
    if (sh) *sh = (shared_t){re, r->gen, pos, *at, *to, *alt};
    return found;
}

/* The next match of re at or after pos, through the frame's cache slot k
   (first: what re's matches start with, or NULL). */
static size_t next_match(run_t *r, frame_t *f, size_t k, const pcre2_code *re, gfirst_t *first,
                         size_t pos) {
    if (!re) return NO_MATCH;
    if (f->from[k] != NO_MATCH && f->from[k] <= pos && (f->at[k] == NO_MATCH || f->at[k] >= pos))
        return f->at[k];
    f->from[k] = pos;
    f->at[k] = NO_MATCH;
    if (!may_match(r, first)) return NO_MATCH; /* cached: not searched again on this line */
    size_t at, to, alt;
    if (search(r, re, first, pos, &at, &to, &alt)) f->at[k] = at, f->to[k] = to;
    return f->at[k];
}

/* The earliest match of frame f's scan j at or after pos: the candidate
   found goes in s_k[j], and its own cache slot gets the match (no candidate
   of the scan matches earlier, so it is that candidate's leftmost from pos). */
static size_t scan_next(run_t *r, frame_t *f, size_t j, size_t pos) {
    const gscan_t *s = &f->scans[j];
    if (s->hi - s->lo == 1) {
        gctx_t *c = f->cands[s->lo].ctx;
        f->s_k[j] = s->lo;
        return next_match(r, f, s->lo, gctx_re(c), &c->first, pos);
    }
    if (f->s_from[j] != NO_MATCH && f->s_from[j] <= pos &&
        (f->s_at[j] == NO_MATCH || f->s_at[j] >= pos))
        return f->s_at[j];
    f->s_from[j] = pos;
    f->s_at[j] = NO_MATCH;
    size_t at, to, alt; /* the mark is the alternative's number */
    if (!may_match(r, &s->first) || !search(r, s->re, &s->first, pos, &at, &to, &alt))
        return NO_MATCH;
    size_t k = s->lo + alt < s->hi ? s->lo + alt : s->lo;
    f->s_k[j] = k;
    f->s_at[j] = f->at[k] = at;
    f->s_to[j] = f->to[k] = to;
    f->from[k] = pos;
    return at;
}

static void paint(run_t *r, size_t a, size_t b, int style) {
    if (style < 0 || a >= b) return;
    memset(r->cls + a, style, b - a);
}

/* Runs re at pos again, for its groups. Not PCRE2_ANCHORED: the JIT does not
   take that option at match time (the interpreter would run instead), and
   the leftmost match from pos is the one found before at pos. */
static bool rematch(run_t *r, const pcre2_code *re, size_t pos, bool compile) {
    return re_match(re, r, pos, compile) >= 0 && pcre2_get_ovector_pointer(r->md)[0] == pos;
}

static void paint_subs(run_t *r, gctx_t *c, bool at_end) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    uint32_t n = pcre2_get_ovector_count(r->md);
    for (size_t i = 0; i < c->n_subs; i++) {
        const gsub_t *s = &c->subs[i];
        if (s->at_end != at_end) continue;
        int grp = s->group;
        if (grp < 0) {
            if (at_end) continue; /* named groups of an end: rare, left plain */
            grp = pcre2_substring_number_from_name(gctx_re(c), (PCRE2_SPTR)s->name);
        }
        if (grp < 0 || (uint32_t)grp >= n || ov[2 * grp] == PCRE2_UNSET) continue;
        paint(r, ov[2 * grp], ov[2 * grp + 1], s->style);
    }
}

#define MAX_DYN 16

/* An end regex that quotes what the start matched (\%{name@start}): one of
   the context's kept ones when the text is the same (*own false), else new
   (and kept while there are fewer than MAX_DYN). */
static pcre2_code *dynamic_end(run_t *r, gctx_t *c, bool *own) {
    buf_t b;
    buf_init(&b);
    for (const char *s = c->end_src; *s;) {
        const char *e;
        if (!strncmp(s, "\\%{", 3) && (e = strchr(s, '}')) && memchr(s, '@', (size_t)(e - s))) {
            const char *at = memchr(s, '@', (size_t)(e - s));
            char *name = xstrndup(s + 3, (size_t)(at - s - 3));
            char *endp;
            long num = strtol(name, &endp, 10);
            PCRE2_UCHAR *val = NULL;
            PCRE2_SIZE vl = 0;
            int rc = *name && !*endp
                         ? pcre2_substring_get_bynumber(r->md, (uint32_t)num, &val, &vl)
                         : pcre2_substring_get_byname(r->md, (PCRE2_SPTR)name, &val, &vl);
            if (rc == 0) {
                for (PCRE2_SIZE i = 0; i < vl; i++) {
                    unsigned char ch = val[i];
                    if (ch < 0x80 && !((ch | 32) >= 'a' && (ch | 32) <= 'z') &&
                        !(ch >= '0' && ch <= '9'))
                        buf_putc(&b, '\\');
                    buf_putc(&b, (char)ch);
                }
                pcre2_substring_free(val);
            }
            free(name);
            s = e + 1;
        } else {
            buf_putc(&b, *s++);
        }
    }
    buf_putc(&b, 0);
    for (size_t i = 0; i < c->n_dyn; i++)
        if (!strcmp(c->dyn[i].src, b.data)) {
            buf_free(&b);
            *own = false;
            return c->dyn[i].re;
        }
    pcre2_code *re = grammar_compile(b.data, c->end_flags);
    *own = c->n_dyn >= MAX_DYN || !re;
    if (!*own) {
        c->dyn = xrealloc(c->dyn, (c->n_dyn + 1) * sizeof *c->dyn);
        c->dyn[c->n_dyn++] = (gdyn_t){buf_detach(&b), re};
    }
    buf_free(&b);
    return re;
}

static int own_style(const gcand_t *k, int inherited) {
    return k->ctx->style >= 0 && !k->ignore_style ? k->ctx->style : inherited;
}

/* Whether candidate k of frame f may start at best (GtkSourceView's rules:
   first-line-only, once-only, no zero-length simple match unless it ends its
   parent, no zero-length container start twice at one place). */
static bool may_start(frame_t *f, size_t k, size_t best, bool first_line, bool end_here,
                      const gctx_t *just_closed) {
    const gctx_t *c = f->cands[k].ctx;
    if (c->first_line_only && !first_line) return false;
    if (!c->extend_parent && end_here) return false;
    if (c->once_only && f->used[k]) return false;
    bool empty = f->to[k] == best;
    if (empty && c->simple && (!c->end_parent || f->start_pos == best)) return false;
    if (empty && c->container && c == just_closed) return false;
    return true;
}

/* A frame's end filter: none for an end made from the start's text. */
static gfirst_t *end_first(const frame_t *f) {
    return f->own_end ? NULL : &f->ctx->end_first;
}

/* Whether scan s is of one candidate that can no longer start (once-only
   and used, or first-line-only after the first line). Left out of the search
   for the earliest match: where only it matches, nothing would happen. */
static bool dead(const frame_t *f, const gscan_t *s, bool first_line) {
    return (s->once && f->used[s->lo]) || (s->first_line && !first_line);
}

/* The first candidate that matches at best and may start there, from the
   first matching there: later ones are searched one by one only when it may
   not (all match at best or later). */
static long winner(run_t *r, frame_t *f, size_t first, size_t from, size_t best, bool first_line,
                   bool end_here, const gctx_t *just_closed) {
    if (may_start(f, first, best, first_line, end_here, just_closed)) return (long)first;
    for (size_t i = first + 1; i < f->n; i++) {
        gctx_t *k = f->cands[i].ctx;
        if (next_match(r, f, i, gctx_re(k), &k->first, from) == best &&
            may_start(f, i, best, first_line, end_here, just_closed))
            return (long)i;
    }
    return -1;
}

static void do_line(run_t *r, bool first_line) {
    size_t pos = 0, from = 0, steps = 0;
    const gctx_t *just_closed = NULL;
    size_t closed_at = NO_MATCH;
    for (int i = 0; i < r->depth; i++) {
        frame_reset(&r->fr[i]);
        r->fr[i].start_pos = NO_MATCH;
    }
    while (from <= r->len && steps++ < 100000) {
        frame_t *f = &r->fr[r->depth - 1];
        frame_t *p = r->depth > 1 && !f->ctx->extend_parent ? &r->fr[r->depth - 2] : NULL;
        /* the earliest place anything happens */
        size_t best = next_match(r, f, f->n, f->end, end_first(f), from);
        if (p) {
            size_t a = next_match(r, p, p->n, p->end, end_first(p), from);
            if (a < best) best = a;
        }
        size_t first_at = NO_MATCH; /* the first candidate matching earliest */
        long first = -1;
        for (size_t j = 0; j < f->n_scans; j++) {
            if (dead(f, &f->scans[j], first_line)) continue;
            size_t a = scan_next(r, f, j, from);
            if (a < first_at) first_at = a, first = (long)f->s_k[j];
        }
        if (first_at < best) best = first_at;
        if (best == NO_MATCH) break;
        if (closed_at != best) just_closed = NULL;
        paint(r, pos, best, f->style);
        pos = best;
        /* what happens there, in GtkSourceView's order: a non-extended
           ancestor's end, the candidates in order, the context's own end */
        if (p && p->at[p->n] == best) {
            size_t e = p->to[p->n];
            paint(r, best, e, p->ctx->style_inside ? p->outer : p->style);
            just_closed = p->ctx, closed_at = e;
            pop(r), pop(r);
            pos = from = e;
            continue;
        }
        bool end_here = f->end && f->at[f->n] == best;
        long win = -1;
        if (first >= 0 && first_at == best)
            win = winner(r, f, (size_t)first, from, best, first_line, end_here, just_closed);
        if (win >= 0) {
            const gcand_t *k = &f->cands[win];
            size_t e = f->to[win];
            int st = own_style(k, f->style);
            f->used[win] = 1;
            if (k->ctx->simple) {
                paint(r, best, e, st);
                if (k->ctx->n_subs && rematch(r, gctx_re(k->ctx), best, true))
                    paint_subs(r, k->ctx, false);
                if (k->ctx->end_parent)
                    while (r->depth > 1) {
                        bool more = r->fr[r->depth - 1].ctx->end_parent;
                        pop(r);
                        if (!more) break;
                    }
            } else if (r->depth < MAX_DEPTH) {
                paint(r, best, e, k->ctx->style_inside ? f->style : st);
                bool again = k->ctx->n_subs || k->ctx->end_dynamic;
                if (again && rematch(r, gctx_re(k->ctx), best, true)) paint_subs(r, k->ctx, false);
                pcre2_code *end = gctx_end(k->ctx);
                bool own = false;
                if (k->ctx->end_dynamic && again) end = dynamic_end(r, k->ctx, &own);
                push(r, k->ctx, end, own, st, f->style);
                r->fr[r->depth - 1].start_pos = e;
            } else {
                paint(r, best, e, st);
            }
            pos = from = e;
            continue;
        }
        if (end_here) {
            size_t e = f->to[f->n];
            paint(r, best, e, f->ctx->style_inside ? f->outer : f->style);
            if (f->ctx->n_subs && rematch(r, f->end, best, !f->own_end))
                paint_subs(r, f->ctx, true);
            just_closed = f->ctx, closed_at = e;
            while (r->depth > 2 && r->fr[r->depth - 1].ctx->end_parent)
                pop(r);
            if (r->depth > 1) pop(r);
            pos = from = e;
            continue;
        }
        /* nothing may happen here: look again from the next character */
        from = best + 1;
        while (from < r->len && ((unsigned char)r->line[from] & 0xC0) == 0x80)
            from++;
    }
    paint(r, pos, r->len, r->fr[r->depth - 1].style);
    /* contexts that end at the line's end close, with everything inside them */
    for (int i = 1; i < r->depth; i++) {
        if (!r->fr[i].ctx->end_at_eol) continue;
        while (r->depth > i)
            pop(r);
        break;
    }
}

/* The frames' arrays and the match data, kept from one run to the next (a
   book runs the engine once a block, and once a line of a console session). */
static run_t scratch;

void grammar_run_release(void) {
    run_t *r = &scratch;
    while (r->depth)
        pop(r);
    for (int i = 0; i < MAX_DEPTH; i++) {
        free(r->fr[i].from);
        free(r->fr[i].at);
        free(r->fr[i].to);
        free(r->fr[i].used);
        free(r->fr[i].s_from);
        free(r->fr[i].s_at);
        free(r->fr[i].s_to);
        free(r->fr[i].s_k);
    }
    pcre2_match_data_free(r->md);
    memset(r, 0, sizeof *r);
}

void grammar_run(grammar_t *g, const char *text, size_t len, unsigned char *cls) {
    run_t *r = &scratch;
    if (!r->md) r->md = pcre2_match_data_create(64, NULL);
    r->g = g;
    r->cls = cls;
    push(r, g->main, NULL, false, HL_PLAIN, HL_PLAIN);
    size_t i = 0;
    bool first = true;
    while (i <= len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        r->line = text + i;
        r->len = e - i;
        memset(r->bytes, 0, sizeof r->bytes);
        for (size_t k = i; k < e; k++)
            r->bytes[(unsigned char)text[k] >> 6] |= 1ull << ((unsigned char)text[k] & 63);
        r->cls = cls + i;
        r->gen++;
        do_line(r, first);
        if (e < len) cls[e] = HL_PLAIN;
        first = false;
        i = e + 1;
    }
    while (r->depth)
        pop(r);
}
