#include "code.h"
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

static int pick(picks_t *p, fontset_t *fs, bool bold, uint32_t cp) {
    font_role role = bold ? ROLE_MONO_BOLD : ROLE_MONO;
    if (cp >= 128) return fontset_pick(fs, role, cp);
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

/* ---------------------------------------------------------------- prepared blocks */

typedef struct {
    const char *text, *info; /* the tree's strings (not changed while the book is set) */
    size_t len;
    bool done; /* set by the thread with linenos and cls, under the lock */
    bool linenos;
    unsigned char *cls;
} prep_block_t;

struct code_prep {
    prep_block_t *v;
    size_t n, next; /* next: where code_set looks first (blocks come in order) */
    pthread_mutex_t mu;
    pthread_cond_t ready;
    pthread_t thread;
    bool threaded, quit;
};

/* The thread: every block in order. The highlighter takes its own lock per
   call, so a block set outside the book's tree (no prepared classes) can
   still be highlighted by the typesetting thread meanwhile. */
static void *prep_run(void *arg) {
    code_prep_t *p = arg;
    for (size_t k = 0; k < p->n; k++) {
        pthread_mutex_lock(&p->mu);
        bool quit = p->quit;
        pthread_mutex_unlock(&p->mu);
        if (quit) break;
        prep_block_t *bl = &p->v[k];
        bool linenos = false;
        const char *lang = hl_language(bl->info, &linenos);
        unsigned char *cls = xmalloc(bl->len + 1);
        hl_highlight(lang, bl->text, bl->len, cls); /* plain when lang is NULL */
        pthread_mutex_lock(&p->mu);
        bl->linenos = linenos, bl->cls = cls, bl->done = true;
        pthread_cond_broadcast(&p->ready);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

/* Block s's prepared classes, once the thread has them; NULL when s is not
   one of the prepared blocks. */
static const prep_block_t *prepared(code_prep_t *p, const char *s, size_t len) {
    if (!p) return NULL;
    size_t k = p->next < p->n && p->v[p->next].text == s ? p->next : p->n;
    for (size_t i = 0; k == p->n && i < p->n; i++)
        if (p->v[i].text == s) k = i;
    if (k == p->n || p->v[k].len != len) return NULL;
    p->next = k + 1;
    pthread_mutex_lock(&p->mu);
    while (!p->v[k].done)
        pthread_cond_wait(&p->ready, &p->mu);
    pthread_mutex_unlock(&p->mu);
    return &p->v[k];
}

void code_set(vlist_t *out, const code_env_t *env, const char *s, const char *info, float x,
              float w) {
    const print_t *ps = env->ps;
    float size = ps->code_size, pitch = ps->code_pitch, pad = 0.5f * ps->body;
    size_t len = strlen(s);
    bool linenos = false;
    const prep_block_t *pb = prepared(env->prep, s, len);
    unsigned char *own = NULL; /* the classes when the block was not prepared */
    const unsigned char *cls = pb ? pb->cls : (own = xmalloc(len + 1));
    if (pb) {
        linenos = pb->linenos;
    } else {
        const char *lang = hl_language(info, &linenos);
        if (ps->code_theme.off)
            memset(own, HL_PLAIN, len);
        else
            hl_highlight(lang, s, len, own);
    }
    linenos |= ps->code_linenos;
    const hl_theme_t *th = &ps->code_theme;
    picks_t picks;
    for (size_t k = 0; k < 128; k++)
        picks.font[0][k] = picks.font[1][k] = picks.adv_font[0][k] = picks.adv_font[1][k] = -2;
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
    size_t i = 0;
    int line_no = 1;
    bool line_start = true;
    while (i < len) {
        line_t ln = {0};
        size_t cap = 0;
        float pen = text_x;
        bool wrapped = false;
        if (linenos && line_start) number(env, &ln, &cap, line_no, size, gutter);
        while (i < len && s[i] != '\n') {
            uint32_t cp;
            size_t l = utf8_decode(s + i, len - i, &cp);
            if (!l) l = 1;
            int reps = cp == '\t' ? 4 : 1;
            if (cp == '\t') cp = ' ';
            hl_class c = cls[i] < HL_COUNT ? (hl_class)cls[i] : HL_PLAIN;
            uint8_t face = th->face[c];
            int f = -1;
            if (face & HL_FACE_BOLD) { /* the mono bold face, where it has the character */
                f = pick(&picks, env->fs, true, cp);
                if (f >= 0 && pick(&picks, env->fs, false, cp) != f)
                    face &= ~HL_FACE_BOLD;
                else
                    f = -1;
            }
            if (f < 0) f = pick(&picks, env->fs, false, cp);
            if (f < 0) {
                if (env->missing) env->missing(env->ctx, cp, i);
                i += l;
                continue;
            }
            float adv = advance(&picks, env->fs, f, cp) * size;
            if (pen + adv * reps > text_x + avail + 0.01f && ln.n) {
                wrapped = true;
                break;
            }
            uint32_t gid = fontset_use(env->fs, f, cp);
            for (int r = 0; r < reps; r++) {
                put(&ln, &cap,
                    (glyph_t){.cp = cp,
                              .font = f,
                              .size = size,
                              .x = pen,
                              .adv = adv,
                              .link = -1,
                              .note = -1,
                              .gid = gid,
                              .nchars = 1,
                              .color = th->color[c],
                              .face = face});
                pen += adv;
            }
            i += l;
        }
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
        vbox_t *b = box(out, env, pitch);
        shade(b, x, w, pitch);
        op_t *o = vbox_op(b, OP_GLYPHS, x + pad, ascent(pitch, size));
        o->line = ln;
        o->tag = env->tag;
        b->para = env->para;
        b->line_no = (int)(out->n - 1 - first_line);
    }
    free(own);
    for (size_t k = first_line; k < out->n; k++)
        out->v[k].line_count = (int)(out->n - first_line);
    if (out->n > first_line) out->v[out->n - 1].keep_with_next = true;
    shade(box(out, env, pad * 0.6f), x, w, pad * 0.6f);
    box(out, env, 0.5f * ps->pitch)->discardable = true;
}

code_prep_t *code_prepare(const book_t *b, const print_t *ps) {
    if (ps->code_theme.off) return NULL;
    code_prep_t *p = xcalloc(1, sizeof *p);
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
            p->v[p->n++] = (prep_block_t){.text = s,
                                          .info = cmark_node_get_fence_info(n),
                                          .len = strlen(s)};
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

void code_prep_free(code_prep_t *p) {
    if (!p) return;
    if (p->threaded) {
        pthread_mutex_lock(&p->mu);
        p->quit = true;
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    for (size_t k = 0; k < p->n; k++)
        free(p->v[k].cls);
    free(p->v);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->ready);
    free(p);
}
