#include "code.h"
#include "para.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <cmark-gfm.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHADE 0.94f
#define WRAP_MARK 0x21A9 /* ↩ marks a wrapped line */

static float ascent(float pitch, float size) {
    return (pitch - size) / 2 + 0.88f * size;
}

static vbox_t *box(vlist_t *out, const code_env_t *env, float h) {
    vbox_t *b = vlist_add(out, h);
    b->chapter = env->chapter;
    return b;
}

static void shade(vbox_t *b, float x, float w, float h) {
    op_t *o = vbox_op(b, OP_RECT, x, 0);
    o->w = w, o->h = h, o->gray = SHADE;
}

static void put(line_t *ln, size_t *cap, glyph_t g) {
    XGROW(ln->g, *cap, ln->n);
    ln->g[ln->n++] = g;
}

/* The line number, right-aligned in a gutter of width gw, in grey. */
static void number(const code_env_t *env, line_t *ln, size_t *cap, int n, float size, float gw) {
    char s[16];
    int len = snprintf(s, sizeof s, "%d", n);
    float x = gw;
    for (int i = len - 1; i >= 0; i--) {
        int f = fontset_pick(env->fs, ROLE_MONO, (uint32_t)s[i]);
        if (f < 0) continue;
        float adv = (float)fontset_advance(env->fs, f, (uint32_t)s[i]) * size;
        x -= adv;
        uint32_t gid = fontset_use(env->fs, f, (uint32_t)s[i]);
        put(ln, cap,
            (glyph_t){.cp = (uint32_t)s[i],
                      .font = f,
                      .size = size,
                      .x = x,
                      .adv = adv,
                      .link = -1,
                      .note = -1,
                      .gid = gid,
                      .nchars = 1,
                      .color = 0x8C8C8C});
    }
}

/* Fonts and advances of ASCII characters, looked up once a block (code is
   mostly ASCII, and highlighting asks for the bold face too). */
typedef struct {
    int font[2][128];
    float adv[2][128];
    int adv_font[2][128];
} picks_t;

static void picks_init(picks_t *p) {
    for (size_t k = 0; k < 128; k++)
        p->font[0][k] = p->font[1][k] = p->adv_font[0][k] = p->adv_font[1][k] = -2;
}

/* Beyond ASCII, a code font's own glyph comes first where it has one: quotes,
   dashes, arrows and box drawing that a Chinese book's font chain gives its Han
   font (full width) keep code's columns, as an editor shows them. */
static int pick(picks_t *p, fontset_t *fs, bool bold, uint32_t cp) {
    font_role role = bold ? ROLE_MONO_BOLD : ROLE_MONO;
    if (cp >= 128)
        return cp_is_han(cp) ? fontset_pick(fs, role, cp) : fontset_pick_latin(fs, role, cp);
    if (p->font[bold][cp] == -2) p->font[bold][cp] = fontset_pick(fs, role, cp);
    return p->font[bold][cp];
}

static float advance(picks_t *p, fontset_t *fs, int f, uint32_t cp) {
    if (cp >= 128) return (float)fontset_advance(fs, f, cp);
    for (int k = 0; k < 2; k++) {
        if (p->adv_font[k][cp] == f) return p->adv[k][cp];
        if (p->adv_font[k][cp] == -2) {
            p->adv_font[k][cp] = f;
            return p->adv[k][cp] = (float)fontset_advance(fs, f, cp);
        }
    }
    return (float)fontset_advance(fs, f, cp);
}

/* The character at s[i] as code sets it: a tab is four spaces. Returns its length. */
static size_t next_char(const char *s, size_t len, size_t i, uint32_t *cp, int *reps) {
    size_t l = utf8_decode(s + i, len - i, cp);
    *reps = *cp == '\t' ? 4 : 1;
    if (*cp == '\t') *cp = ' ';
    return l ? l : 1;
}

/* ---------------------------------------------------------------- painting */

/* A set line's text glyphs: [skip, end) of g stand for the characters from
   byte `from` of the block's text on (line numbers before, a wrap mark after). */
typedef struct {
    glyph_t *g; /* owned by the line's op */
    size_t skip, end, from;
} coded_t;

/* Gives a block's glyphs their classes' colours and faces, and records them
   for the font subsets. Lines are set in the regular mono face, whose
   advances the bold one shares (code fonts are monospaced), so the classes
   never move a glyph: they can come later than the layout (code_prepare). A
   bold class takes the mono bold face where it has the character, else the
   regular one drawn stroked. cls NULL: all plain. */
static void paint(fontset_t *fs, picks_t *p, const hl_theme_t *th, const char *s, size_t len,
                  const unsigned char *cls, const coded_t *lines, size_t n) {
    for (size_t l = 0; l < n; l++) {
        size_t i = lines[l].from, k = lines[l].skip;
        while (k < lines[l].end && i < len) {
            uint32_t cp;
            int reps;
            size_t step = next_char(s, len, i, &cp, &reps);
            int f = pick(p, fs, false, cp);
            if (f >= 0) { /* else a character no font has: it was left out */
                hl_class c = cls && cls[i] < HL_COUNT ? (hl_class)cls[i] : HL_PLAIN;
                uint8_t face = th->face[c];
                int bold = face & HL_FACE_BOLD ? pick(p, fs, true, cp) : -1;
                if (bold >= 0 && bold != f) f = bold, face &= ~HL_FACE_BOLD;
                uint32_t gid = fontset_use(fs, f, cp);
                for (int r = 0; r < reps && k < lines[l].end; r++, k++) {
                    glyph_t *g = &lines[l].g[k];
                    g->font = f, g->gid = gid, g->color = th->color[c], g->face = face;
                }
            }
            i += step;
        }
    }
}

/* ---------------------------------------------------------------- prepared blocks */

typedef struct {
    const char *text, *info; /* the tree's strings (not changed while the book is set) */
    size_t len;
    bool done; /* set by the thread with cls, under the lock */
    unsigned char *cls;
} prep_block_t;

/* A block set before its classes were known: painted by code_finish. */
typedef struct {
    size_t block;
    coded_t *lines;
    size_t n_lines;
} pending_t;

struct code_prep {
    prep_block_t *v;
    size_t n, next; /* next: where code_set looks first (blocks come in order) */
    pending_t *pend;
    size_t n_pend, cap_pend;
    fontset_t *fs;
    const hl_theme_t *th;
    pthread_mutex_t mu;
    pthread_cond_t ready;
    pthread_t thread;
    bool threaded, quit;
};

/* The thread: every block in order. The highlighter takes its own lock per
   call, so a block outside the book's tree (not prepared) can still be
   highlighted by the typesetting thread meanwhile. */
static void *prep_run(void *arg) {
    code_prep_t *p = arg;
    for (size_t k = 0; k < p->n; k++) {
        pthread_mutex_lock(&p->mu);
        bool quit = p->quit;
        pthread_mutex_unlock(&p->mu);
        if (quit) break;
        prep_block_t *bl = &p->v[k];
        unsigned char *cls = xmalloc(bl->len + 1);
        hl_highlight(hl_language(bl->info, NULL), bl->text, bl->len, cls); /* plain: no language */
        pthread_mutex_lock(&p->mu);
        bl->cls = cls, bl->done = true;
        pthread_cond_broadcast(&p->ready);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

/* Which prepared block s is, or p->n when none. */
static size_t prepared(code_prep_t *p, const char *s, size_t len) {
    size_t k = p->next < p->n && p->v[p->next].text == s ? p->next : p->n;
    for (size_t i = 0; k == p->n && i < p->n; i++)
        if (p->v[i].text == s) k = i;
    if (k == p->n || p->v[k].len != len) return p->n;
    p->next = k + 1;
    return k;
}

/* A set block's colours: left to code_finish when the block is prepared (all
   such blocks are painted there, in order, whenever the thread finishes
   them, so the output does not depend on its timing), else classed now. */
static void colour(const code_env_t *env, picks_t *picks, const char *s, size_t len,
                   const char *info, coded_t *lines, size_t n) {
    code_prep_t *p = env->prep;
    size_t k = p ? prepared(p, s, len) : 0;
    if (p && k < p->n) {
        XGROW(p->pend, p->cap_pend, p->n_pend);
        p->pend[p->n_pend++] = (pending_t){k, lines, n};
        return;
    }
    const hl_theme_t *th = &env->ps->code_theme;
    unsigned char *cls = NULL;
    if (!th->off) {
        cls = xmalloc(len + 1);
        hl_highlight(hl_language(info, NULL), s, len, cls);
    }
    paint(env->fs, picks, th, s, len, cls, lines, n);
    free(cls);
    free(lines);
}

void code_set(vlist_t *out, const code_env_t *env, const char *s, const char *info, float x,
              float w) {
    const print_t *ps = env->ps;
    float size = ps->code_size, pitch = ps->code_pitch, pad = 0.5f * ps->body;
    size_t len = strlen(s);
    bool linenos = hl_linenos(info) || ps->code_linenos;
    picks_t picks;
    picks_init(&picks);
    int cont = fontset_pick(env->fs, ROLE_MONO, WRAP_MARK);
    float cont_w = cont >= 0 ? (float)fontset_advance(env->fs, cont, WRAP_MARK) * size : 0;
    /* the gutter holds the largest number and a space */
    int lines = 1;
    for (size_t i = 0; i + 1 < len; i++)
        lines += s[i] == '\n';
    int digit = fontset_pick(env->fs, ROLE_MONO, '0');
    float dw = digit >= 0 ? (float)fontset_advance(env->fs, digit, '0') * size : size * 0.6f;
    float gutter = linenos ? dw * (floorf(log10f((float)lines)) + 1) : 0;
    float text_x = linenos ? gutter + 1.5f * dw : 0;
    float avail = w - 2 * pad - cont_w - text_x;

    vbox_t *sp = box(out, env, 0.5f * ps->pitch);
    sp->discardable = true;
    vbox_t *top = box(out, env, pad * 0.6f);
    shade(top, x, w, pad * 0.6f);
    top->keep_with_next = true;
    size_t first_line = out->n;
    coded_t *coded = NULL;
    size_t n_coded = 0, cap_coded = 0;
    size_t i = 0;
    int line_no = 1;
    bool line_start = true;
    while (i < len) {
        line_t ln = {0};
        size_t cap = 0, from = i;
        float pen = text_x;
        bool wrapped = false;
        if (linenos && line_start) number(env, &ln, &cap, line_no, size, gutter);
        size_t skip = ln.n, last_at = i, last_n = ln.n; /* where the last character began */
        while (i < len && s[i] != '\n') {
            uint32_t cp;
            int reps;
            size_t l = next_char(s, len, i, &cp, &reps);
            int f = pick(&picks, env->fs, false, cp);
            if (f < 0) {
                if (env->missing) env->missing(env->ctx, cp, i);
                i += l;
                continue;
            }
            float adv = advance(&picks, env->fs, f, cp) * size, lead = 0;
            /* a wide character takes two columns, as editors and terminals show
               it: a Han glyph (1 em) centred in two of the code font's 0.6 em
               keeps a Chinese comment's or table's columns under the ASCII above */
            if (digit >= 0 && cp >= 0x1100 && adv > 1.5f * dw) lead = dw - adv / 2, adv = 2 * dw;
            if (pen + adv * reps > text_x + avail + 0.01f && ln.n) {
                /* blanks at a line's end past the margin are not a line of their own */
                size_t e = i;
                while (e < len && (s[e] == ' ' || s[e] == '\t'))
                    e++;
                if (e > i && (e == len || s[e] == '\n')) {
                    i = e;
                    break;
                }
                wrapped = true;
                /* a Chinese comment's ）。， does not open the continued line: the
                   character before it goes down with it (clreq's rule 1) */
                if (para_cjk_no_start(cp) && last_n > skip && last_at > from) {
                    for (size_t k = last_n; k < ln.n; k++)
                        pen -= ln.g[k].adv;
                    ln.n = last_n, i = last_at;
                }
                break;
            }
            last_at = i, last_n = ln.n;
            for (int r = 0; r < reps; r++) { /* glyph and colour: paint() */
                put(&ln, &cap,
                    (glyph_t){.cp = cp,
                              .font = f,
                              .size = size,
                              .x = pen + lead,
                              .adv = adv,
                              .cell = lead != 0,
                              .link = -1,
                              .note = -1,
                              .nchars = 1});
                pen += adv;
            }
            i += l;
        }
        size_t end = ln.n;
        if (wrapped && cont >= 0) {
            uint32_t gid = fontset_use(env->fs, cont, WRAP_MARK);
            put(&ln, &cap,
                (glyph_t){.cp = WRAP_MARK,
                          .font = cont,
                          .size = size,
                          .x = w - 2 * pad - cont_w,
                          .adv = cont_w,
                          .link = -1,
                          .note = -1,
                          .gid = gid,
                          .nchars = 1,
                          .color = 0x8C8C8C});
        }
        line_start = !wrapped;
        if (!wrapped) {
            line_no++;
            if (i < len) i++; /* the newline */
        }
        ln.natural = pen;
        ln.width = avail;
        XGROW(coded, cap_coded, n_coded);
        coded[n_coded++] = (coded_t){ln.g, skip, end, from};
        vbox_t *b = box(out, env, pitch);
        shade(b, x, w, pitch);
        op_t *o = vbox_op(b, OP_GLYPHS, x + pad, ascent(pitch, size));
        o->line = ln;
        o->tag = env->tag;
        b->para = env->para;
        b->line_no = (int)(out->n - 1 - first_line);
    }
    colour(env, &picks, s, len, info, coded, n_coded);
    for (size_t k = first_line; k < out->n; k++)
        out->v[k].line_count = (int)(out->n - first_line);
    if (out->n > first_line) out->v[out->n - 1].keep_with_next = true;
    shade(box(out, env, pad * 0.6f), x, w, pad * 0.6f);
    box(out, env, 0.5f * ps->pitch)->discardable = true;
}

code_prep_t *code_prepare(const book_t *b, fontset_t *fs, const print_t *ps) {
    if (ps->code_theme.off) return NULL;
    code_prep_t *p = xcalloc(1, sizeof *p);
    p->fs = fs, p->th = &ps->code_theme;
    size_t cap = 0;
    for (size_t c = 0; c < b->n_chapters; c++) {
        cmark_iter *it = cmark_iter_new(b->chapters[c].doc);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *n = cmark_iter_get_node(it);
            if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
                continue;
            const char *s = cmark_node_get_literal(n);
            if (!s) continue;
            XGROW(p->v, cap, p->n);
            p->v[p->n++] =
                (prep_block_t){.text = s, .info = cmark_node_get_fence_info(n), .len = strlen(s)};
        }
        cmark_iter_free(it);
    }
    if (!p->n) {
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    p->threaded = pthread_create(&p->thread, NULL, prep_run, p) == 0;
    if (!p->threaded) prep_run(p); /* no thread: the same work, first */
    return p;
}

code_prep_t *code_prep_fork(const code_prep_t *p) {
    if (!p) return NULL;
    code_prep_t *k = xcalloc(1, sizeof *k);
    k->v = p->v, k->n = p->n; /* the blocks' texts, which neither thread changes */
    k->fs = p->fs, k->th = p->th;
    return k;
}

void code_prep_join(code_prep_t *p, code_prep_t *fork) {
    if (!p || !fork) return;
    for (size_t k = 0; k < fork->n_pend; k++) {
        XGROW(p->pend, p->cap_pend, p->n_pend);
        p->pend[p->n_pend++] = fork->pend[k];
    }
    free(fork->pend);
    free(fork);
}

void code_prep_drop(code_prep_t *fork) {
    if (!fork) return;
    for (size_t k = 0; k < fork->n_pend; k++)
        free(fork->pend[k].lines);
    free(fork->pend);
    free(fork);
}

void code_finish(code_prep_t *p) {
    if (!p) return;
    picks_t picks;
    picks_init(&picks);
    for (size_t k = 0; k < p->n_pend; k++) {
        const pending_t *d = &p->pend[k];
        prep_block_t *bl = &p->v[d->block];
        pthread_mutex_lock(&p->mu);
        while (!bl->done)
            pthread_cond_wait(&p->ready, &p->mu);
        pthread_mutex_unlock(&p->mu);
        paint(p->fs, &picks, p->th, bl->text, bl->len, bl->cls, d->lines, d->n_lines);
        free(d->lines);
    }
    if (p->threaded) {
        pthread_mutex_lock(&p->mu);
        p->quit = true;
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    for (size_t k = 0; k < p->n; k++)
        free(p->v[k].cls);
    free(p->v);
    free(p->pend);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->ready);
    free(p);
}
