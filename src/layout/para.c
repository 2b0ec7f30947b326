#include "para.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <hb.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

/* Character classes for spacing and breaking. */
enum { C_HAN, C_OPEN, C_CLOSE, C_MID, C_LATIN, C_OTHER, C_SPACE, C_BREAK, C_MARK, C_IGNORE };
/* Break kinds before a character. */
enum { B_NO, B_YES, B_URL, B_EMERGENCY };

typedef struct {
    uint32_t cp;
    pstyle_t st;
    uint8_t cls, brk;
    bool keep, url;
    int font;
    float adv;    /* the advance of the cluster this character starts, pt */
    bool cont;    /* a later character of a shaped cluster: no box of its own */
    uint16_t nch; /* characters in the cluster it starts */
    uint32_t g0;  /* its cluster's glyphs: sg[g0 .. g0 + ng) */
    uint32_t ng;
    bool latin;     /* ’ “ ” — … · set as Latin (the Latin font, its own width) */
    bool hyph;      /* a hyphen may follow this letter */
    int obj;        /* para_object: 1 + id, with adv its width */
    bool obj_after; /* para_object_after: a line may break before this object */
    bool obj_han;   /* para_object_han: the object spaces like a Han character (ruby) */
    bool rel;       /* after a relation (else a binary operator) */
    float gap;      /* and the math space before it, pt */
} pch_t;

/* A shaped glyph (HarfBuzz's output, in pt). */
typedef struct {
    uint32_t gid;
    float adv, dx, dy;
} sglyph_t;

struct para {
    fontset_t *fs;
    float em;
    float measure; /* the width para_layout sets it to (what an overlong number is) */
    bool ragged;
    pch_t *c;
    size_t n, cap;
    sglyph_t *sg;
    size_t n_sg, cap_sg;
    bool shaped;
    bool latin_text;          /* the text's language is written in Latin letters */
    const hyphenator_t *hyph; /* hyphenates Latin words, or NULL */
    bool words_only;          /* never break inside a word (no emergency breaks) */
    bool cut_overlong;        /* with words_only: but a word wider than the measure may go */
};

para_t *para_new(fontset_t *fs, float em) {
    para_t *p = xcalloc(1, sizeof *p);
    p->fs = fs;
    p->em = em;
    return p;
}

void para_free(para_t *p) {
    if (!p) return;
    free(p->c);
    free(p->sg);
    free(p);
}

size_t para_length(const para_t *p) {
    return p->n;
}
bool para_can_break_before(const para_t *p, size_t i) {
    return i < p->n && p->c[i].brk != B_NO;
}

/* Makes room for need elements in *v without clearing it (XGROW clears what it
   adds): for arrays written in full before they are read, sized up front. */
static void reserve(void **v, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return;
    size_t c = *cap * 2 > need ? *cap * 2 : need;
    *v = xrealloc(*v, c * elem);
    *cap = c;
}
#define RESERVE(v, cap, need) reserve((void **)&(v), &(cap), (need), sizeof *(v))

static void push(para_t *p, uint32_t cp, pstyle_t st, bool keep) {
    XGROW(p->c, p->cap, p->n);
    p->c[p->n++] = (pch_t){.cp = cp, .st = st, .keep = keep, .font = -1};
    p->shaped = false;
}

static void add_text(para_t *p, const char *s, size_t n, pstyle_t st, bool keep) {
    RESERVE(p->c, p->cap, p->n + n + 1); /* at most one character a byte */
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
        if (cp == '\n' || cp == '\r' || cp == '\t') cp = ' ';
        push(p, cp, st, keep);
    }
}

void para_set_ragged(para_t *p, bool ragged) {
    p->ragged = ragged;
}
void para_set_latin(para_t *p, bool latin) {
    p->latin_text = latin;
}
void para_set_hyphenator(para_t *p, const hyphenator_t *h) {
    p->hyph = h;
}
void para_set_words_only(para_t *p, bool words_only, bool cut_overlong) {
    p->words_only = words_only;
    p->cut_overlong = cut_overlong;
}
bool para_can_hyphenate_after(const para_t *p, size_t i) {
    return i < p->n && p->c[i].hyph;
}
bool para_is_latin(const para_t *p, size_t i) {
    return i < p->n && p->c[i].latin;
}

void para_text(para_t *p, const char *s, size_t n, pstyle_t st) {
    add_text(p, s, n, st, false);
}
void para_text_keep(para_t *p, const char *s, size_t n, pstyle_t st) {
    add_text(p, s, n, st, true);
}
void para_object(para_t *p, float w, int id, pstyle_t st) {
    push(p, 0xFFFC, st, true);
    p->c[p->n - 1].obj = id + 1;
    p->c[p->n - 1].adv = w;
}
void para_object_han(para_t *p, float w, int id, pstyle_t st) {
    para_object(p, w, id, st);
    p->c[p->n - 1].obj_han = true;
}
void para_object_after(para_t *p, float w, float gap, bool rel, int id, pstyle_t st) {
    para_object(p, w, id, st);
    p->c[p->n - 1].obj_after = true;
    p->c[p->n - 1].rel = rel;
    p->c[p->n - 1].gap = gap;
}
void para_break(para_t *p) {
    push(p, '\n', (pstyle_t){.link = -1, .note = -1}, false);
}

/* ---------------------------------------------------------------- classes */

static const uint32_t opening[] = {0xFF08, 0xFF3B, 0xFF5B, 0x3014, 0x3010, 0x3016,
                                   0x3018, 0x301A, 0xFF5F, 0x300A, 0x3008, 0x300C,
                                   0x300E, 0x201C, 0x2018, 0x301D, 0};
static const uint32_t closing[] = {0xFF09, 0xFF3D, 0xFF5D, 0x3015, 0x3011, 0x3017, 0x3019,
                                   0x301B, 0xFF60, 0x300B, 0x3009, 0x300D, 0x300F, 0x201D,
                                   0x2019, 0x301E, 0x301F, 0xFF0C, 0x3002, 0x3001, 0xFF1B,
                                   0xFF1A, 0xFF01, 0xFF1F, 0xFF0E, 0};
/* typography.md rule 1 and 2 (the half-width ones apply after Han text too) */
static const uint32_t no_start[] = {
    0x3001, 0xFF0C, 0x3002, 0xFF0E, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0x203C, 0x2047, 0x2048,
    0x2049, 0x201D, 0x2019, 0x300D, 0x300F, 0x301E, 0x301F, 0xFF09, 0xFF3D, 0xFF5D, 0x3015,
    0x3011, 0x3017, 0x3019, 0x301B, 0xFF60, 0x300B, 0x3009, 0xFF5E, 0x00B7, 0x30FB, 0x2027,
    '/',    0xFF0F, 0xFF05, 0x2030, 0x2103, 0x00B0, 0x2032, 0x2033, 0};
static const uint32_t no_end[] = {0x201C, 0x2018, 0x300C, 0x300E, 0x301D, 0xFF08, 0xFF3B, 0xFF5B,
                                  0x3014, 0x3010, 0x3016, 0x3018, 0x301A, 0xFF5F, 0x300A, 0x3008,
                                  0xFFE5, 0x00A5, 0xFF04, 0x00A3, 0x20AC, 0x2116, 0};
/* Half-width marks that may not start a line after CJK text (rule 1). */
static const uint32_t no_start_after_cjk[] = {',', '.', ';', ':', '?', '!', ')', ']', '}', '%', 0};

/* Han units and measure words that stay with the number before them (rule 4). */
static const uint32_t han_units[] = {0x5E74, 0x6708, 0x65E5, 0x65F6, 0x5206, 0x79D2, 0x4E2A, 0x5143,
                                     0x5C81, 0x53F7, 0x6B21, 0x500D, 0x4F4D, 0x4E07, 0x4EBF, 0x5343,
                                     0x767E, 0x540D, 0x79CD, 0x6761, 0x7AE0, 0x8282, 0x9875, 0x5468,
                                     0x5929, 0x5C0F, 0x7C73, 0x514B, 0};

/* The lists above as one bitmap over the BMP (every listed character is in it):
   a character's memberships are one load instead of a scan of each list, done
   for every character of every paragraph. Built once, for all threads. */
enum { K_OPEN = 1, K_CLOSE = 2, K_NO_START = 4, K_NO_END = 8, K_UNIT = 16, K_NO_START_CJK = 32 };
static uint8_t kinds[0x10000];
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void mark(const uint32_t *set, uint8_t bit) {
    for (; *set; set++)
        kinds[*set] |= bit;
}

static void build_kinds(void) {
    mark(opening, K_OPEN);
    mark(closing, K_CLOSE);
    mark(no_start, K_NO_START);
    mark(no_end, K_NO_END);
    mark(han_units, K_UNIT);
    mark(no_start_after_cjk, K_NO_START_CJK);
}

static inline bool is(uint32_t cp, uint8_t bit) {
    return cp < 0x10000 && (kinds[cp] & bit);
}

bool para_cjk_no_start(uint32_t cp) {
    pthread_once(&kinds_once, build_kinds);
    return cp >= 0x2000 && is(cp, K_NO_START);
}

static bool default_ignorable(uint32_t cp) {
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || cp == 0xAD ||
           (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

static uint8_t classify(const pch_t *c) {
    uint32_t cp = c->cp;
    if (c->obj) return c->obj_han ? C_HAN : C_LATIN; /* a formula spaces like a Latin word */
    if (c->st.note >= 0) return C_MARK;
    if (cp == '\n') return C_BREAK;
    if (cp == ' ' || cp == 0x3000) return c->keep ? C_OTHER : C_SPACE;
    if (default_ignorable(cp)) return C_IGNORE;
    if (is(cp, K_OPEN)) return C_OPEN;
    if (is(cp, K_CLOSE)) return C_CLOSE;
    if (cp_is_cjk_wide(cp)) return (cp == 0x2014 || cp == 0x2026 || cp == 0xB7) ? C_MID : C_HAN;
    if ((cp < 0x80 && ((cp | 32) - 'a' < 26 || cp - '0' < 10)) || (cp >= 0xC0 && cp < 0x250))
        return C_LATIN;
    return C_OTHER;
}

static bool is_cjk(uint8_t cls) {
    return cls == C_HAN || cls == C_OPEN || cls == C_CLOSE || cls == C_MID;
}
static bool is_punct(uint8_t cls) {
    return cls == C_OPEN || cls == C_CLOSE;
}

/* ---------------------------------------------------------------- break opportunities */

/* Opening ICU's line break iterator loads its rules: one is made and reused,
   one per thread (an iterator holds its text; para_release frees the calling
   thread's). */
static _Thread_local UBreakIterator *cached_breaker;

static UBreakIterator *line_breaker(void) {
    if (!cached_breaker) {
        UErrorCode err = U_ZERO_ERROR;
        cached_breaker = ubrk_open(UBRK_LINE, "zh", NULL, 0, &err);
        if (U_FAILURE(err)) cached_breaker = NULL;
    }
    return cached_breaker;
}

static _Thread_local hb_buffer_t *cached_buffer;

void para_release(void) {
    hyphen_release();
    para_release_thread();
}

void para_release_thread(void) {
    if (cached_breaker) ubrk_close(cached_breaker);
    cached_breaker = NULL;
    hb_buffer_destroy(cached_buffer);
    cached_buffer = NULL;
}

/* UAX #14 from ICU (locale zh, which is strict about Chinese punctuation). Marks
   and ignorables are left out of the text ICU sees. */
static void icu_breaks(para_t *p) {
    UChar *u = xmalloc((p->n * 2 + 1) * sizeof(UChar));
    int32_t *at = xmalloc((p->n * 2 + 1) * sizeof(int32_t)); /* utf16 index -> char index */
    int32_t len = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->c[i].cls == C_MARK) continue;
        uint32_t cp = p->c[i].cls == C_BREAK ? ' ' : p->c[i].cp;
        if (cp > 0xFFFF) {
            at[len] = (int32_t)i;
            u[len++] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
            at[len] = -1;
            u[len++] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            at[len] = (int32_t)i;
            u[len++] = (UChar)cp;
        }
    }
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = line_breaker();
    if (bi) ubrk_setText(bi, u, len, &err);
    if (bi && U_SUCCESS(err)) {
        for (int32_t b = ubrk_following(bi, 0); b != UBRK_DONE && b < len; b = ubrk_next(bi))
            if (at[b] >= 0) p->c[at[b]].brk = B_YES;
        ubrk_setText(bi, NULL, 0, &err); /* the text is freed below */
    }
    free(u);
    free(at);
}

static bool alnum(uint32_t cp);

static bool is_url_start(const para_t *p, size_t i) {
    if (p->c[i].cp != 'h' && p->c[i].cp != 'w') return false; /* asked of every character */
    static const char *const pre[] = {"http://", "https://", "www."};
    for (size_t k = 0; k < 3; k++) {
        size_t l = strlen(pre[k]), j = 0;
        while (j < l && i + j < p->n && p->c[i + j].cp == (uint32_t)pre[k][j])
            j++;
        if (j == l) return true;
    }
    return false;
}

/* typography.md rule 11: URLs break after / and before . , - _ ~ ? # %, and
   around = and &, with no hyphen. */
static void url_breaks(para_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        /* a URL starts a word or follows an opening mark: "(https://…" */
        if (!is_url_start(p, i) || (i > 0 && alnum(p->c[i - 1].cp))) continue;
        size_t e = i;
        while (e < p->n && p->c[e].cp > 0x20 && p->c[e].cp < 0x7F)
            e++;
        for (size_t k = i; k < e; k++)
            p->c[k].url = true;
        for (size_t k = i + 1; k < e; k++) {
            uint32_t a = p->c[k - 1].cp, b = p->c[k].cp;
            bool after = (a == '/' && b != '/') || a == '=' || a == '&';
            bool before = strchr(".,-_~?#%=&", (int)b) != NULL && b != 0;
            /* inside a URL only these points break (not after its hyphens, as UAX #14 would) */
            p->c[k].brk = (after || before) ? B_URL : B_NO;
        }
        i = e;
    }
}

static bool ascii_in(uint32_t cp, const char *set) {
    return cp > 0 && cp < 0x80 && strchr(set, (int)cp) != NULL;
}

static bool alnum(uint32_t cp) {
    return cp < 0x80 && ((cp | 32) - 'a' < 26 || cp - '0' < 10);
}

static bool is_digit(uint32_t cp) {
    return cp >= '0' && cp <= '9';
}

/* An identifier or path in inline code may break after _ . / :: and
   before a camelCase capital, with no hyphen (like a URL), rather than leave a
   loose line or be cut anywhere; a path or identifier in prose (tests/a_b.rs)
   after / and _ between letters. In Chinese text too: a long identifier
   (CustomSmartPointer) before which a line must end otherwise leaves that line
   letter-spaced. */
static void code_breaks(para_t *p) {
    for (size_t k = 1; k < p->n; k++) {
        pch_t *a = &p->c[k - 1], *b = &p->c[k];
        /* a URL's breaks are url_breaks' alone */
        if (b->brk != B_NO || b->cls == C_SPACE || a->cls == C_SPACE || b->url) continue;
        if (!a->keep && !b->keep && k >= 2 && (a->cp == '/' || a->cp == '_') &&
            alnum(p->c[k - 2].cp) && alnum(b->cp)) {
            b->brk = B_URL;
            continue;
        }
        if (!a->keep || !b->keep) continue;
        bool after = ascii_in(a->cp, "_./") || (a->cp == ':' && b->cp != ':');
        /* a version or a decimal (0.10.1) stays whole */
        if (a->cp == '.' && is_digit(b->cp) && k >= 2 && is_digit(p->c[k - 2].cp)) after = false;
        bool camel = b->cp >= 'A' && b->cp <= 'Z' && a->cp >= 'a' && a->cp <= 'z';
        if ((after && alnum(b->cp)) || camel) b->brk = B_URL;
    }
}

static bool keeps_cluster(const pch_t *prev, const pch_t *b) {
    return b->cls == C_MARK || b->cls == C_IGNORE || (b->cp >= 0x300 && b->cp < 0x370) ||
           (b->cp >= 0x1F1E6 && b->cp <= 0x1F1FF && prev->cp >= 0x1F1E6 && prev->cp <= 0x1F1FF) ||
           prev->cp == 0x200D;
}

/* The end of the run of digits starting at s, and whether it is wider than
   the measure. */
static size_t digit_run(const para_t *p, size_t s, bool *wide) {
    double w = 0;
    size_t e = s;
    for (; e < p->n && is_digit(p->c[e].cp); e++)
        w += p->c[e].adv;
    *wide = w > p->measure;
    return e;
}

/* Chinese tailoring on top of UAX #14 (typography.md rules 1, 2 and 4). With
   emergency, any other character boundary may break too, at a high cost: but
   not between a number's digits, unless the number alone is wider than the
   measure (the Mina book's 78-digit modulus ran off the page). */
static void tailor(para_t *p, bool emergency) {
    const pch_t *a = NULL; /* the previous visible character */
    size_t run_end = 0;    /* the digit run i is in ends here */
    bool wide = false;     /* and is wider than the measure */
    for (size_t i = 0; i < p->n; i++) {
        pch_t *b = &p->c[i];
        if (b->cls == C_SPACE || b->cls == C_BREAK) {
            b->brk = B_NO;
            if (b->cls == C_BREAK) a = NULL;
            continue;
        }
        if (b->cont) { /* inside a shaped cluster */
            b->brk = B_NO;
            continue;
        }
        if (!a || keeps_cluster(i ? &p->c[i - 1] : b, b)) {
            b->brk = B_NO;
            if (b->cls != C_MARK && b->cls != C_IGNORE && !a) a = b;
            continue;
        }
        if (emergency && b->brk == B_NO) b->brk = B_EMERGENCY;
        if (is_digit(b->cp) && i >= run_end) run_end = digit_run(p, i, &wide);
        bool dup = a->cp == b->cp && (a->cp == 0x2014 || a->cp == 0x2026 || a->cp == 0x22EF);
        bool unit = is_digit(a->cp) && !(is_digit(b->cp) && emergency && wide) &&
                    (is(b->cp, K_UNIT) || b->cls == C_LATIN || b->cp == '%' || b->cp == 0x2030 ||
                     b->cp == 0x2103 || b->cp == 0xFF05);
        bool money = (a->cp == '$' || a->cp == 0xA5 || a->cp == 0xFFE5 || a->cp == 0x20AC ||
                      a->cp == 0xA3) &&
                     is_digit(b->cp);
        if (is(b->cp, K_NO_START) || is(a->cp, K_NO_END) || dup || unit || money ||
            (is_cjk(a->cls) && is(b->cp, K_NO_START_CJK)))
            b->brk = B_NO;
        a = b;
    }
}

/* ---------------------------------------------------------------- Latin context */

/* Characters Unicode shares between Chinese and Western text: set full-width
   from the Han font beside Han text, and as Latin beside Latin text (clreq). */
static bool ambiguous(uint32_t cp) {
    return cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D || cp == 0x2014 ||
           cp == 0x2026 || cp == 0xB7;
}

enum { N_NONE, N_HAN, N_LATIN };

/* What stands beside character i in direction dir (past other ambiguous
   characters, marks and ignorables): nothing (a space, a break, the edge), Han
   text or other text. */
static int neighbour(const para_t *p, size_t i, int dir) {
    for (size_t k = i + (size_t)dir; k < p->n; k += (size_t)dir) {
        const pch_t *c = &p->c[k];
        if (c->cls == C_MARK || c->cls == C_IGNORE || ambiguous(c->cp)) continue;
        if (c->cls == C_SPACE || c->cls == C_BREAK) return N_NONE;
        return cp_is_cjk_wide(c->cp) ? N_HAN : N_LATIN;
    }
    return N_NONE;
}

static bool is_letter(const pch_t *c) {
    return c->cls == C_LATIN && !(c->cp >= '0' && c->cp <= '9');
}

/* Whether characters with these neighbours are Latin: Han beside any of them
   makes them full-width; else Latin text beside them makes them Latin; with
   nothing beside them, the paragraph's language decides. */
static bool latin_by(const para_t *p, const int *nb, size_t k) {
    bool han = false, latin = false;
    for (size_t i = 0; i < k; i++)
        han |= nb[i] == N_HAN, latin |= nb[i] == N_LATIN;
    return han ? false : latin ? true : p->latin_text;
}

static void set_latin(pch_t *c, bool latin) {
    c->latin = latin;
    if (latin) c->cls = C_OTHER;
}

/* Decides each ambiguous character's context. Quotes are paired (“ with ”, ‘
   with ’) so that both marks of a pair take the same form, full-width when Han
   text is beside either or inside; ’ between two letters is an apostrophe and
   always Latin ("we’ll"). */
static void latin_context(para_t *p) {
    /* most paragraphs have none of these characters: nothing to decide */
    bool any = false;
    for (size_t i = 0; i < p->n; i++) {
        p->c[i].latin = false;
        any |= ambiguous(p->c[i].cp);
    }
    if (!any) return;
    size_t *open = xmalloc((p->n + 1) * sizeof *open), depth = 0;
    size_t *han = xmalloc((p->n + 1) * sizeof *han); /* Han characters before i */
    han[0] = 0;
    for (size_t i = 0; i < p->n; i++)
        han[i + 1] = han[i] + cp_is_han(p->c[i].cp);
    for (size_t i = 0; i < p->n; i++) {
        pch_t *c = &p->c[i];
        c->latin = false;
        if (!ambiguous(c->cp) || c->cls == C_MARK) continue;
        if (c->cp == 0x2019 && i > 0 && i + 1 < p->n && is_letter(&p->c[i - 1]) &&
            is_letter(&p->c[i + 1])) {
            set_latin(c, true);
            continue;
        }
        if (c->cp == 0x201C || c->cp == 0x2018) {
            open[depth++] = i;
            continue;
        }
        int nb[4] = {neighbour(p, i, -1), neighbour(p, i, 1), N_NONE, N_NONE};
        uint32_t want = c->cp == 0x201D ? 0x201C : c->cp == 0x2019 ? 0x2018 : 0;
        if (want) {
            /* a closing quote: its opening one is the nearest unclosed of its kind */
            size_t k = depth;
            while (k > 0 && p->c[open[k - 1]].cp != want)
                k--;
            if (k > 0) {
                size_t o = open[k - 1];
                nb[2] = neighbour(p, o, -1), nb[3] = neighbour(p, o, 1);
                bool latin = han[i] == han[o] && latin_by(p, nb, 4);
                set_latin(&p->c[o], latin);
                set_latin(c, latin);
                depth = k - 1;
                continue;
            }
        }
        set_latin(c, latin_by(p, nb, 2));
    }
    for (size_t k = 0; k < depth; k++) { /* unpaired opening quotes */
        int nb[2] = {neighbour(p, open[k], -1), neighbour(p, open[k], 1)};
        set_latin(&p->c[open[k]], latin_by(p, nb, 2));
    }
    free(open);
    free(han);
}

/* ---------------------------------------------------------------- hyphenation */

/* A character that makes the text around it code, a path, an address or an
   identifier rather than a word of prose. */
static bool unwordly(uint32_t cp) {
    return (cp >= '0' && cp <= '9') || ascii_in(cp, "_/\\@#=<>{}[]|~^*+$%&:.");
}

/* Whether the letters [s, e) form a word prose may hyphenate: the whole token
   around them (up to spaces) holds no digit, underscore, inner dot, slash or the
   like, it is no URL or inline code, and the word is no camelCase or acronym. */
static bool hyphenable_token(const para_t *p, size_t s, size_t e, size_t *token_end) {
    size_t a = s, b = e;
    while (a > 0 && p->c[a - 1].cls != C_SPACE && p->c[a - 1].cls != C_BREAK &&
           !cp_is_cjk_wide(p->c[a - 1].cp))
        a--;
    while (b < p->n && p->c[b].cls != C_SPACE && p->c[b].cls != C_BREAK &&
           !cp_is_cjk_wide(p->c[b].cp))
        b++;
    *token_end = b;
    /* trailing punctuation ends a sentence or clause: "tokenization." is a word */
    while (b > e && ascii_in(p->c[b - 1].cp, ".,;:!?)]}\"'"))
        b--;
    for (size_t k = a; k < b; k++) {
        const pch_t *c = &p->c[k];
        if (c->keep || c->url || c->st.role == ROLE_MONO || c->st.role == ROLE_MONO_BOLD ||
            unwordly(c->cp))
            return false;
        if (k > a && c->cp == '-') return false; /* compounds keep their own hyphen */
    }
    return true;
}

static bool camel(const para_t *p, size_t s, size_t e) {
    for (size_t k = s + 1; k < e; k++)
        if (p->c[k].cp >= 'A' && p->c[k].cp <= 'Z') return true; /* camelCase, ACRONYMS */
    return false;
}

/* Marks where Latin words may take a hyphen. */
static void hyphen_points(para_t *p) {
    for (size_t i = 0; i < p->n; i++)
        p->c[i].hyph = false;
    if (!p->hyph) return;
    uint32_t w[64];
    bool after[64];
    /* the token a run of letters stands in is judged once for all its runs: a
       160,000-character URL of short runs was scanned whole for each (ailearning) */
    size_t token_end = 0;
    bool token_ok = false;
    for (size_t i = 0; i < p->n;) {
        if (!is_letter(&p->c[i]) || p->c[i].cp >= 0x80) {
            i++;
            continue;
        }
        size_t e = i;
        while (e < p->n && is_letter(&p->c[e]) && p->c[e].cp < 0x80)
            e++;
        /* a word that runs on into non-ASCII letters is not looked up */
        bool whole = (i == 0 || !is_letter(&p->c[i - 1])) && (e == p->n || !is_letter(&p->c[e]));
        bool word = whole && e - i >= 5 && e - i <= 64; /* one libhyphen looks up */
        if (word && i >= token_end) token_ok = hyphenable_token(p, i, e, &token_end);
        if (word && token_ok && !camel(p, i, e)) {
            for (size_t k = i; k < e; k++)
                w[k - i] = p->c[k].cp;
            if (hyphenate(p->hyph, w, e - i, after))
                for (size_t k = i; k + 1 < e; k++)
                    p->c[k].hyph = after[k - i] && p->c[k + 1].brk == B_NO;
        }
        i = e;
    }
}

/* ---------------------------------------------------------------- items */

enum { IT_BOX, IT_GLUE, IT_PEN };
#define INF_COST 10000
#define FORCED (-INF_COST)
#define HYPHEN_COST 50      /* TeX's \hyphenpenalty */
#define DOUBLE_HYPHEN 10000 /* TeX's \doublehyphendemerits: two hyphenated lines in a row */
#define FINAL_HYPHEN 5000   /* TeX's \finalhyphendemerits: a hyphen before the last line */

typedef struct {
    uint8_t t;
    bool breakable; /* glue: a legal break */
    float w, st, sh;
    int cost;
    size_t ch; /* box: its character */
    bool url;  /* glue between two characters of a URL (set_line) */
} item_t;

typedef struct {
    item_t *v;
    size_t n, cap;
} items_t;

static void item(items_t *it, item_t x) {
    XGROW(it->v, it->cap, it->n);
    it->v[it->n++] = x;
}

enum { URL_CUT = 8000 }; /* a cut beats only a line looser than badness ~7900 */

static int break_cost(uint8_t brk) {
    return brk == B_URL ? 50 : brk == B_EMERGENCY ? 3000 : 0;
}

/* How many spaces of inline code lie between a and b (they collapse into one glue). */
static size_t code_spaces(const pch_t *a, const pch_t *b) {
    size_t k = 0;
    for (const pch_t *c = a + 1; c < b; c++)
        k += c->keep && c->cls == C_SPACE && c->cp == ' ';
    return k ? k : 1;
}

/* The space between two visible characters a and b (space: whether a space was
   between). Full-width closing marks carry their blank half here, so that it
   is dropped at a line end (rule: half-width at the end) and beside other
   punctuation (rule 5); opening marks keep theirs in their box. */
static void join(items_t *it, const para_t *p, const pch_t *a, const pch_t *b, bool space,
                 float em) {
    uint8_t ca = a->cls, cb = b->cls;
    bool brk = b->brk != B_NO;
    int cost = break_cost(b->brk);
    float cjk_stretch = 0.1f * em, blank = ca == C_CLOSE ? 0.5f * a->st.size : 0;
    if (b->obj_after && a->obj) {
        /* the space after a relation or operator in a formula goes at a line
           break and flexes as TeX's: thick 5mu plus 5mu, medium 4mu plus 2mu minus 4mu */
        float g = b->gap;
        item(it, (item_t){IT_GLUE, brk, g, b->rel ? g : g / 2, b->rel ? 0 : g, cost, 0});
        return;
    }
    if (cb == C_MARK) {
        /* a mark sits on what it annotates; after a closing mark, past its blank half */
        item(it, (item_t){IT_GLUE, false, ca == C_MARK ? 0 : blank, 0, 0, 0, 0});
        return;
    }
    if (is_punct(cb) || (is_punct(ca) && space)) {
        float w = is_punct(cb) && is_punct(ca) ? 0 : blank;
        item(it, (item_t){IT_GLUE, brk, w, cjk_stretch, w, cost, 0});
        return;
    }
    bool han_a = ca == C_HAN || ca == C_MID, han_b = cb == C_HAN || cb == C_MID;
    if ((han_a && (cb == C_LATIN || (space && cb == C_OTHER))) ||
        (han_b && (ca == C_LATIN || (space && ca == C_OTHER)))) {
        /* rule 6: a quarter em between Han and Latin, 1/8 to 1/2 */
        item(it, (item_t){IT_GLUE, brk, 0.25f * em, 0.25f * em, 0.125f * em, cost, 0});
        return;
    }
    if (is_cjk(ca) && is_cjk(cb)) {
        /* a space the author put between two Han words stays: half an em */
        float w = blank + (space ? 0.5f * em : 0);
        item(it, (item_t){IT_GLUE, brk || space, w, cjk_stretch, blank, cost, 0});
        return;
    }
    if (space) {
        /* an object has no font: the space is the text's; in Latin text a space
           after inline code is the prose's space, not the code font's; a colour
           emoji font's space is a full em: take the text font's */
        const pch_t *sp = a->obj ? b : p->latin_text && a->keep && !b->keep ? b : a;
        int sf = sp->font;
        if (sf >= 0 && fontset_is_color(p->fs, sf)) sf = sp == a ? b->font : a->font;
        if (sf >= 0 && fontset_is_color(p->fs, sf)) sf = fontset_pick(p->fs, a->st.role, ' ');
        float w = sf >= 0 ? (float)fontset_advance(p->fs, sf, ' ') * sp->st.size : 0;
        if (w <= 0) w = 0.25f * em;
        if (a->keep && b->keep)
            /* a space inside inline code keeps all its spaces and may grow a little
               (never shrink): a line with a long command is not left to stretch its
               few Han characters or words alone */
            item(it, (item_t){IT_GLUE, brk, w * (float)code_spaces(a, b), w * 0.5f, 0, cost, 0});
        else if (p->latin_text)
            /* Latin text: a space may grow to 0.4 em before it counts as loose and
               shrink to about 0.2 em (the font's is about 1/4 em); hyphenation
               keeps most lines near their natural spacing */
            item(it, (item_t){IT_GLUE, brk, w, w * 0.6f, w * 0.25f, cost, 0});
        else
            item(it, (item_t){IT_GLUE, brk, w, w * 0.5f, w * 0.33f, cost, 0});
        return;
    }
    if (blank > 0 || is_cjk(ca) || is_cjk(cb))
        item(it, (item_t){IT_GLUE, brk, blank, cjk_stretch, blank, cost, 0});
    else if (a->url && b->url)
        /* a URL is letter-spaced a little, evenly, so that its lines can be
           justified (beside words only a little: set_line). A URL with no / . -
           ? near the margin may be cut anywhere, at a cost that only a very
           loose line exceeds */
        item(it, (item_t){IT_GLUE, brk, 0, 0.06f * em, 0, b->brk == B_EMERGENCY ? URL_CUT : cost, 0,
                          true});
    else if (brk)
        item(it, (item_t){IT_PEN, false, 0, 0, 0, cost, 0});
}

/* The width a character's box takes: full-width punctuation keeps only its ink half. */
static float box_width(const pch_t *c) {
    return c->cls == C_CLOSE ? c->adv - 0.5f * c->st.size : c->adv;
}

static void build_items(para_t *p, float indent, items_t *it) {
    /* a box and a glue per character, a few more for hyphens and breaks */
    RESERVE(it->v, it->cap, it->n + 2 * p->n + 8);
    /* a negative indent hangs the first line out (notes: the number stands out) */
    if (indent != 0) item(it, (item_t){IT_BOX, false, indent, 0, 0, 0, SIZE_MAX});
    const pch_t *prev = NULL;
    bool space = false;
    for (size_t i = 0; i < p->n; i++) {
        const pch_t *c = &p->c[i];
        if (c->cls == C_SPACE) {
            space = prev != NULL;
            continue;
        }
        if (c->cls == C_BREAK) {
            item(it, (item_t){IT_GLUE, false, 0, 1e6f, 0, 0, 0});
            item(it, (item_t){IT_PEN, false, 0, 0, 0, FORCED, 0});
            prev = NULL;
            space = false;
            continue;
        }
        if (c->cls == C_IGNORE || (c->font < 0 && !c->obj) || c->cont) continue;
        if (prev) join(it, p, prev, c, space, p->em);
        item(it, (item_t){IT_BOX, false, box_width(c), 0, 0, 0, i});
        if (c->hyph) {
            /* a discretionary break: the hyphen's width counts only when it breaks */
            float hw = (float)fontset_advance(p->fs, c->font, '-') * c->st.size;
            item(it, (item_t){IT_PEN, false, hw, 0, 0, HYPHEN_COST, i});
        }
        prev = c;
        space = false;
    }
    item(it, (item_t){IT_PEN, false, 0, 0, 0, INF_COST, 0});
    item(it, (item_t){IT_GLUE, false, 0, 1e6f, 0, 0, 0});
    item(it, (item_t){IT_PEN, false, 0, 0, 0, FORCED, 0});
}

/* ---------------------------------------------------------------- optimal fit */

typedef struct {
    size_t pos; /* the break item */
    int fitness;
    double demerits;
    long prev;
    int line;
    size_t start; /* the first item of the line after this break (line_start), found once */
    double need;  /* a break b is too far for it while W[b] + tol Y[b] (+ a hyphen) < need */
} node_t;

/* A discretionary hyphen: the only penalty with a width. */
static bool is_hyphen(const item_t *x) {
    return x->t == IT_PEN && x->w > 0;
}

static bool legal(const items_t *it, size_t i) {
    const item_t *x = &it->v[i];
    return (x->t == IT_PEN && x->cost < INF_COST) || (x->t == IT_GLUE && x->breakable);
}

/* The first item a line starting after break b holds: glue and penalties are discarded. */
static size_t line_start(const items_t *it, size_t b, bool first) {
    if (first) return 0;
    size_t s = b + 1;
    while (s < it->n && it->v[s].t != IT_BOX && !(it->v[s].t == IT_PEN && it->v[s].cost == FORCED))
        s++;
    return s;
}

/* How many Han characters (and other visible ones) the line [s, e) holds,
   counted up to three visible ones (all the caller asks is whether at most two). */
static void count_last(const para_t *p, const items_t *it, size_t s, size_t e, int *han, int *all) {
    *han = *all = 0;
    for (size_t i = s; i < e && *all <= 2; i++) {
        if (it->v[i].t != IT_BOX || it->v[i].ch == SIZE_MAX) continue;
        const pch_t *c = &p->c[it->v[i].ch];
        (*all)++;
        *han += c->cls == C_HAN;
    }
}

/* Knuth and Plass's algorithm; returns the number of breaks (into *brk, last
   first reversed by the caller), or 0 when nothing fits within the tolerance. */
static size_t optimal_breaks(const para_t *p, const items_t *it, double w, double tol, size_t **out,
                             double *demerits) {
    size_t n = it->n;
    bool final = isinf(tol);
    double *W = xmalloc((n + 1) * sizeof *W), *Y = xmalloc((n + 1) * sizeof *Y),
           *Z = xmalloc((n + 1) * sizeof *Z);
    W[0] = Y[0] = Z[0] = 0;
    for (size_t i = 0; i < n; i++) {
        bool glue = it->v[i].t == IT_GLUE, box = it->v[i].t == IT_BOX;
        W[i + 1] = W[i] + (glue || box ? it->v[i].w : 0);
        Y[i + 1] = Y[i] + (glue ? it->v[i].st : 0);
        Z[i + 1] = Z[i] + (glue ? it->v[i].sh : 0);
    }
    /* sized for a typical paragraph up front (a few nodes per line, a handful active) */
    size_t nn = 0, cap = 64 + n / 4, na = 0, cap_a = 32;
    node_t *nodes = xmalloc(cap * sizeof *nodes);
    long *active = xmalloc(cap_a * sizeof *active);
    /* each active node's need beside it: most nodes are passed over on need
       alone, without loading the node (#14) */
    double *act_need = xmalloc(cap_a * sizeof *act_need);
    /* the test of need skips most of the nodes whose line is still too short; with
       the loosest tolerances the sums are too large for its margin (none then) */
    bool skip = tol <= 100;
    nodes[nn++] = (node_t){0, 1, 0, -1, 0, 0, skip ? w - 0.01 : -INFINITY};
    act_need[na] = nodes[0].need;
    active[na++] = 0;
    for (size_t b = 0; b < n && na; b++) {
        if (!legal(it, b)) continue;
        const item_t *x = &it->v[b];
        double hyphen_w = is_hyphen(x) ? x->w : 0; /* a hyphen's width counts when it breaks */
        long best[4] = {-1, -1, -1, -1};
        double best_d[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        /* what depends only on the line [s, b): shared by the active nodes whose
           lines start at s (the fitness classes of one break come together) */
        size_t last_s = SIZE_MAX;
        double r = 0, d0 = 0;
        int fit = 0;
        bool lone = false;
        /* a node with need above this has a line shorter than w - tol stretch -
           0.01 (r > tol, however rounded): it stays, and nothing else happens */
        double reach = x->cost == FORCED ? INFINITY : W[b] + hyphen_w + tol * Y[b];
        for (size_t k = 0; k < na;) {
            if (reach < act_need[k]) {
                k++;
                continue;
            }
            node_t *a = &nodes[active[k]];
            size_t s = a->start;
            if (s != last_s) {
                last_s = s;
                double L = W[b] - W[s] + hyphen_w, st = Y[b] - Y[s], sh = Z[b] - Z[s];
                r = L < w ? (st > 0 ? (w - L) / st : (w - L < 0.01 ? 0 : INFINITY))
                          : (L > w ? (sh > 0 ? (w - L) / sh : (L - w < 0.01 ? 0 : -INFINITY)) : 0);
                if (r >= -1 && r <= tol) {
                    double bad = 100 * fabs(r) * fabs(r) * fabs(r);
                    if (bad > 10000) bad = 10000;
                    d0 = x->cost >= 0
                             ? (1 + bad + x->cost) * (1 + bad + x->cost)
                             : (x->cost > FORCED ? (1 + bad) * (1 + bad) - (double)x->cost * x->cost
                                                 : (1 + bad) * (1 + bad));
                    fit = r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
                    lone = false;
                    if (x->cost == FORCED && b == n - 1) {
                        int han, all;
                        count_last(p, it, s, b, &han, &all);
                        lone = han == 1 && all <= 2; /* rule 8: no lone character */
                    }
                }
            }
            /* the final pass never leaves nothing: when the last active node can
               reach no break without an overfull line (an unbreakable formula
               wider than the measure), that line is taken, as TeX's
               artificial_demerits do, rather than a break at every character */
            bool artificial = r < -1 && final && na == 1 && best[0] < 0 && best[1] < 0 &&
                              best[2] < 0 && best[3] < 0;
            if (r < -1 || x->cost == FORCED) {
                /* this node can reach no further break */
                --na;
                active[k] = active[na], act_need[k] = act_need[na];
            } else {
                k++;
            }
            if ((r >= -1 && r <= tol) || artificial) {
                double d = artificial ? 1e8 : d0;
                if (artificial) fit = 0;
                if (abs(fit - a->fitness) > 1) d += 3000;
                if ((hyphen_w > 0 || b == n - 1) && a->pos > 0 && is_hyphen(&it->v[a->pos]))
                    d += hyphen_w > 0 ? DOUBLE_HYPHEN : FINAL_HYPHEN;
                if (lone) d += 1e7;
                d += a->demerits;
                if (d < best_d[fit]) {
                    best_d[fit] = d;
                    best[fit] = (long)(a - nodes);
                }
            }
        }
        /* the lines after this break start at the same item, whichever node they follow */
        size_t next = best[0] >= 0 || best[1] >= 0 || best[2] >= 0 || best[3] >= 0
                          ? line_start(it, b, false)
                          : 0;
        for (int f = 0; f < 4; f++) {
            if (best[f] < 0) continue;
            XGROW(nodes, cap, nn);
            double need = skip ? W[next] + tol * Y[next] + w - 0.01 : -INFINITY;
            nodes[nn] = (node_t){b, f, best_d[f], best[f], nodes[best[f]].line + 1, next, need};
            if (na == cap_a) {
                cap_a *= 2;
                active = xrealloc(active, cap_a * sizeof *active);
                act_need = xrealloc(act_need, cap_a * sizeof *act_need);
            }
            act_need[na] = need;
            active[na++] = (long)nn++;
        }
    }
    /* the best node at the final break */
    long end = -1;
    for (size_t i = 0; i < nn; i++)
        if (nodes[i].pos == n - 1 && i > 0 && (end < 0 || nodes[i].demerits < nodes[end].demerits))
            end = (long)i;
    size_t count = 0;
    if (end >= 0) {
        *demerits = nodes[end].demerits;
        for (long k = end; k > 0; k = nodes[k].prev)
            count++;
        *out = xmalloc(count * sizeof **out);
        size_t j = count;
        for (long k = end; k > 0; k = nodes[k].prev)
            (*out)[--j] = nodes[k].pos;
    }
    free(nodes), free(active), free(act_need), free(W), free(Y), free(Z);
    return count;
}

/* ---------------------------------------------------------------- lines */

/* Appends a glyph of character c's font and style to ln. */
static void put_glyph_of(line_t *ln, size_t *cap, const pch_t *c, uint32_t cp, uint32_t gid,
                         double x, float adv, float dy, uint16_t nchars) {
    XGROW(ln->g, *cap, ln->n);
    ln->g[ln->n++] = (glyph_t){.cp = cp,
                               .font = c->font,
                               .size = c->st.size,
                               .rise = c->st.rise,
                               .x = (float)x,
                               .adv = adv,
                               .link = c->st.link,
                               .note = c->st.note,
                               .strike = c->st.strike,
                               .under = c->st.under,
                               .mark = c->st.mark,
                               .color = c->st.color,
                               .gid = gid,
                               .dy = dy,
                               .nchars = nchars};
}

static void set_line(const para_t *p, const items_t *it, size_t s, size_t e, float w, bool last,
                     line_t *ln) {
    double L = 0, st = 0, sh = 0, st_url = 0;
    const item_t *hyphen = e < it->n && is_hyphen(&it->v[e]) ? &it->v[e] : NULL;
    if (hyphen) L += hyphen->w;
    for (size_t i = s; i < e; i++) {
        const item_t *x = &it->v[i];
        if (x->t == IT_PEN) continue;
        L += x->w;
        if (x->t == IT_GLUE) st += x->st, sh += x->sh;
        if (x->t == IT_GLUE && x->url) st_url += x->st;
    }
    double r = 0;
    if (L < w && st > 0 && !last) r = (w - L) / st; /* a last or ragged line keeps its spacing */
    if (L > w && sh > 0) r = (w - L) / sh < -1 ? -1 : (w - L) / sh;
    /* beside word spaces (or Han text) a URL's letters spread no more than
       their stretch: the rest goes to the other glue ("h t t p : //" at the
       end of a loose line of words read as a spaced-out word) */
    double r_url = r;
    if (r > 1 && st_url > 0 && st > st_url) r_url = 1, r = (w - L - st_url) / (st - st_url);
    memset(ln, 0, sizeof *ln);
    ln->width = w;
    ln->justified = !last;
    /* its glyphs, counted first: the array is allocated once */
    size_t cap = hyphen ? 1 : 0;
    for (size_t i = s; i < e; i++)
        if (it->v[i].t == IT_BOX && it->v[i].ch != SIZE_MAX)
            cap += p->c[it->v[i].ch].ng + (p->c[it->v[i].ch].obj != 0);
    ln->g = cap ? xmalloc(cap * sizeof *ln->g) : NULL;
    double x = 0, ink_end = 0;
    for (size_t i = s; i < e; i++) {
        const item_t *t = &it->v[i];
        if (t->t == IT_GLUE) {
            double k = t->url ? r_url : r;
            x += t->w + (k > 0 ? k * t->st : k * t->sh);
        } else if (t->t == IT_BOX) {
            if (t->ch != SIZE_MAX) {
                const pch_t *c = &p->c[t->ch];
                if (c->obj) /* the placeholder glyph carries the object (glyph_object) */
                    put_glyph_of(ln, &cap, c, c->cp, (uint32_t)c->obj, x, c->adv, 0, 1);
                double pen = x;
                for (uint32_t k = 0; k < c->ng; k++) {
                    const sglyph_t *sg = &p->sg[c->g0 + k];
                    put_glyph_of(ln, &cap, c, c->cp, sg->gid, pen + sg->dx, sg->adv, sg->dy,
                                 (uint16_t)(k == 0 ? c->nch : 0));
                    pen += sg->adv;
                }
            }
            x += t->w;
            ink_end = x;
        }
    }
    if (hyphen) {
        /* the line ends in a hyphenated word: draw the hyphen in its letter's font */
        const pch_t *c = &p->c[hyphen->ch];
        uint32_t gid = fontset_use(p->fs, c->font, '-');
        put_glyph_of(ln, &cap, c, '-', gid, ink_end, hyphen->w, 0, 1);
        ink_end += hyphen->w;
        ln->hyphenated = true;
    }
    ln->natural = (float)ink_end;
}

/* Whether the break at item b, after a line starting at item s, falls inside a
   word: between two characters outside the CJK grid with no space between them. */
static bool breaks_word(const para_t *p, const items_t *it, size_t s, size_t b) {
    size_t a = b, z = line_start(it, b, false);
    while (a > s && !(it->v[a - 1].t == IT_BOX && it->v[a - 1].ch != SIZE_MAX))
        a--;
    if (a == s || z >= it->n || it->v[z].t != IT_BOX || it->v[z].ch == SIZE_MAX) return false;
    size_t x = it->v[a - 1].ch, y = it->v[z].ch;
    if (p->c[x].obj || p->c[y].obj) return false; /* a formula's pieces are no word */
    if (y <= x || cp_is_cjk_wide(p->c[x].cp) || cp_is_cjk_wide(p->c[y].cp)) return false;
    for (size_t i = x + 1; i < y; i++)
        if (p->c[i].cls == C_SPACE || p->c[i].cls == C_BREAK) return false;
    return p->c[x].cls != C_SPACE && p->c[y].cls != C_SPACE;
}

/* ---------------------------------------------------------------- shaping */

static uint32_t add_glyph(para_t *p, uint32_t gid, float adv, float dx, float dy) {
    XGROW(p->sg, p->cap_sg, p->n_sg);
    p->sg[p->n_sg] = (sglyph_t){gid, adv, dx, dy};
    return (uint32_t)p->n_sg++;
}

/* Whether a run is set glyph by glyph from the cmap: CJK-wide text has no
   kerning or ligatures in horizontal setting, and shaping it costs time. */
static bool plain_run(const para_t *p, size_t s, size_t e) {
    for (size_t i = s; i < e; i++)
        if (!cp_is_cjk_wide(p->c[i].cp) || (p->c[i].cp >= 0x3099 && p->c[i].cp <= 0x309A))
            return false;
    return true;
}

static void shape_plain(para_t *p, size_t s, size_t e) {
    for (size_t i = s; i < e; i++) {
        pch_t *c = &p->c[i];
        uint32_t gid = fontset_use(p->fs, c->font, c->cp);
        c->adv = (float)fontset_glyph_advance(p->fs, c->font, gid) * c->st.size;
        c->g0 = add_glyph(p, gid, c->adv, 0, 0);
        c->ng = 1, c->nch = 1;
    }
}

/* ---------------------------------------------------------------- shaped words */

/* HarfBuzz's output for a run, in font units: what a run of the same text in
   the same font always shapes to (segment properties are guessed from the text
   alone), so it is kept and scaled by each run's size. */
typedef struct {
    uint32_t gid, cluster;
    int32_t x_advance, x_offset, y_offset;
} sglyph_fu_t;

typedef struct {
    uint32_t hash, n; /* the key: n characters at keys[key] */
    size_t key, g0;   /* its glyphs: g[g0 .. g0 + ng) */
    uint32_t ng;
    bool rtl; /* HarfBuzz guessed right-to-left (set left to right, with a warning) */
} sentry_t;

/* A font's shaped runs (open addressing; a power-of-two table, at most half full). */
typedef struct {
    sentry_t *v;
    size_t cap, count;
    uint32_t *keys;
    size_t n_keys, cap_keys;
    sglyph_fu_t *g;
    size_t n_g, cap_g;
} shape_cache_t;

#define SHAPE_CACHE_MAX_RUN 256 /* longer runs (rare, seldom repeated) are shaped each time */

static void shape_cache_free(void *v) {
    shape_cache_t *c = v;
    free(c->v), free(c->keys), free(c->g), free(c);
}

/* The cache rides on the hb_font (freed with it, so never outlives its font).
   The key is per thread: threads that typeset at once keep caches of their own. */
static _Thread_local hb_user_data_key_t shape_cache_key;

static shape_cache_t *shape_cache(hb_font_t *font) {
    shape_cache_t *c = hb_font_get_user_data(font, &shape_cache_key);
    if (c) return c;
    c = xcalloc(1, sizeof *c);
    if (!hb_font_set_user_data(font, &shape_cache_key, c, shape_cache_free, false)) {
        shape_cache_free(c);
        return NULL;
    }
    return c;
}

static uint32_t run_hash(const para_t *p, size_t s, size_t e) {
    uint32_t h = 2166136261u; /* FNV-1a over the code points */
    for (size_t i = s; i < e; i++)
        h = (h ^ p->c[i].cp) * 16777619u;
    return h;
}

/* The slot of run [s, e) in c: its entry, or the empty slot it would take. */
static sentry_t *shape_slot(shape_cache_t *c, const para_t *p, size_t s, size_t e, uint32_t h) {
    for (size_t k = h & (c->cap - 1);; k = (k + 1) & (c->cap - 1)) {
        sentry_t *x = &c->v[k];
        if (!x->n) return x;
        if (x->hash != h || x->n != e - s) continue;
        size_t i = 0;
        while (i < x->n && c->keys[x->key + i] == p->c[s + i].cp)
            i++;
        if (i == x->n) return x;
    }
}

static void shape_cache_grow(shape_cache_t *c) {
    size_t old = c->cap;
    sentry_t *v = c->v;
    c->cap = old ? old * 2 : 256;
    c->v = xcalloc(c->cap, sizeof *c->v);
    for (size_t k = 0; k < old; k++) {
        if (!v[k].n) continue;
        size_t m = v[k].hash & (c->cap - 1);
        while (c->v[m].n)
            m = (m + 1) & (c->cap - 1);
        c->v[m] = v[k];
    }
    free(v);
}

/* Shapes [s, e) with HarfBuzz into the cache entry x (the slot shape_slot gave). */
static void shape_into(shape_cache_t *c, sentry_t *x, const para_t *p, size_t s, size_t e,
                       hb_font_t *font, uint32_t h) {
    if (!cached_buffer) cached_buffer = hb_buffer_create();
    hb_buffer_t *buf = cached_buffer;
    hb_buffer_clear_contents(buf);
    for (size_t i = s; i < e; i++)
        hb_buffer_add(buf, p->c[i].cp, (unsigned)(i - s));
    hb_buffer_set_content_type(buf, HB_BUFFER_CONTENT_TYPE_UNICODE);
    hb_buffer_set_flags(buf, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
    hb_buffer_guess_segment_properties(buf);
    bool rtl = HB_DIRECTION_IS_BACKWARD(hb_buffer_get_direction(buf));
    /* right-to-left is not supported yet: set it left to right (the caller warns) */
    if (rtl) hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_shape(font, buf, NULL, 0);
    unsigned n;
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(buf, &n);
    XGROW(c->keys, c->cap_keys, c->n_keys + (e - s));
    XGROW(c->g, c->cap_g, c->n_g + n);
    *x = (sentry_t){h, (uint32_t)(e - s), c->n_keys, c->n_g, n, rtl};
    for (size_t i = s; i < e; i++)
        c->keys[c->n_keys++] = p->c[i].cp;
    for (unsigned g = 0; g < n; g++)
        c->g[c->n_g++] = (sglyph_fu_t){gi[g].codepoint, gi[g].cluster, gp[g].x_advance,
                                       gp[g].x_offset, gp[g].y_offset};
    c->count++;
}

/* Shapes characters [s, e) of one font and size with HarfBuzz (or takes the
   shaping of the same text in the same font from the cache); glyphs go to
   the character that starts their cluster, later characters of a cluster are
   marked cont. */
static void shape_run(para_t *p, size_t s, size_t e, missing_fn warn, void *ctx) {
    const pch_t *first = &p->c[s];
    if (plain_run(p, s, e)) return shape_plain(p, s, e);
    hb_font_t *font = fontset_hb_font(p->fs, first->font);
    shape_cache_t *c = shape_cache(font), scratch = {0};
    if (!c || e - s > SHAPE_CACHE_MAX_RUN) c = &scratch; /* shaped, used, dropped */
    if (c->count * 2 >= c->cap) shape_cache_grow(c);
    uint32_t h = run_hash(p, s, e);
    sentry_t *x = shape_slot(c, p, s, e, h);
    /* a run seen before in this font was recorded (glyphs, their text) then */
    bool seen = x->n != 0;
    if (!seen) shape_into(c, x, p, s, e, font, h);
    if (x->rtl && warn) warn(ctx, PARA_RTL | first->cp, s);
    int xs, ys;
    hb_font_get_scale(font, &xs, &ys);
    float k = first->st.size / (float)xs;
    for (size_t i = s; i < e; i++)
        p->c[i].cont = true, p->c[i].adv = 0, p->c[i].ng = 0, p->c[i].nch = 0;
    for (uint32_t g = 0; g < x->ng; g++) {
        const sglyph_fu_t *sg = &c->g[x->g0 + g];
        pch_t *ch = &p->c[s + sg->cluster];
        if (ch->cont) ch->cont = false, ch->g0 = (uint32_t)p->n_sg;
        ch->ng++;
        ch->adv += (float)sg->x_advance * k;
        add_glyph(p, sg->gid, (float)sg->x_advance * k, (float)sg->x_offset * k,
                  (float)sg->y_offset * k);
    }
    /* each cluster's text, for the ToUnicode map */
    for (size_t i = s; i < e;) {
        size_t j = i + 1;
        while (j < e && p->c[j].cont)
            j++;
        pch_t *ch = &p->c[i];
        if (!ch->cont) {
            uint32_t text[32];
            size_t nt = 0;
            for (size_t m = i; m < j && nt < 32; m++)
                text[nt++] = p->c[m].cp;
            ch->nch = (uint16_t)(j - i);
            for (uint32_t q = 0; q < ch->ng && !seen; q++)
                fontset_use_glyph(p->fs, ch->font, p->sg[ch->g0 + q].gid, text, q == 0 ? nt : 0);
        }
        i = j;
    }
    if (c == &scratch) free(scratch.v), free(scratch.keys), free(scratch.g);
}

/* Runs of one font, size and rise between spaces; default ignorables (ZWJ,
   variation selectors, skin tones) join the run before them. */
static void shape(para_t *p, missing_fn warn, void *ctx) {
    p->n_sg = 0;
    RESERVE(p->sg, p->cap_sg, p->n + 8); /* about a glyph a character */
    for (size_t i = 0; i < p->n;) {
        pch_t *a = &p->c[i];
        a->cont = false, a->ng = 0, a->nch = 1;
        if (a->font < 0 || a->cls == C_SPACE || a->cls == C_BREAK || a->cls == C_IGNORE) {
            i++;
            continue;
        }
        size_t j = i + 1;
        for (; j < p->n; j++) {
            pch_t *b = &p->c[j];
            if (b->cls == C_IGNORE) {
                b->font = a->font;
                continue;
            }
            if (b->font != a->font || b->st.size != a->st.size || b->st.rise != a->st.rise ||
                b->cls == C_SPACE || b->cls == C_BREAK || (b->cls == C_MARK) != (a->cls == C_MARK))
                break;
        }
        shape_run(p, i, j, warn, ctx);
        i = j;
    }
    p->shaped = true;
}

static void analyse(para_t *p, bool emergency, missing_fn missing, void *ctx) {
    pthread_once(&kinds_once, build_kinds);
    for (size_t i = 0; i < p->n; i++) {
        pch_t *c = &p->c[i];
        c->cls = classify(c);
        c->brk = B_NO;
        c->url = false;
    }
    latin_context(p);
    for (size_t i = 0; i < p->n; i++)
        /* a space inside inline code is a break like a space between words: it is
           dropped at a line end (TeX's discardable glue) instead of leaving a gap
           at the margin, in Chinese text as in Latin */
        if (p->c[i].keep && p->c[i].cp == ' ') p->c[i].cls = C_SPACE;
    for (size_t i = 0; i < p->n; i++) {
        pch_t *c = &p->c[i];
        if (c->cls == C_SPACE || c->cls == C_BREAK || c->cls == C_IGNORE) continue;
        if (c->obj) continue; /* no font: its width was given */
        if (c->font < 0) {
            bool vs16 = i + 1 < p->n && p->c[i + 1].cp == 0xFE0F;
            c->font = vs16       ? fontset_pick_emoji(p->fs, c->st.role, c->cp)
                      : c->latin ? fontset_pick_latin(p->fs, c->st.role, c->cp)
                                 : fontset_pick(p->fs, c->st.role, c->cp);
            if (c->font < 0 && missing && !emergency) missing(ctx, c->cp, i);
        }
    }
    if (!p->shaped) shape(p, emergency ? NULL : missing, ctx);
    /* a quote a font without Han set narrow (blockchain_guide's italic “酸”。, the
       italic face having no Han font) has no blank half to give: halving its box
       drew 。 over ” */
    for (size_t i = 0; i < p->n; i++) {
        pch_t *c = &p->c[i];
        if ((c->cls == C_CLOSE || c->cls == C_OPEN) && !c->cont && c->adv < 0.75f * c->st.size)
            c->cls = C_OTHER;
    }
    icu_breaks(p);
    url_breaks(p);
    code_breaks(p);
    tailor(p, emergency);
    hyphen_points(p);
    /* pieces of one formula: breakable only where the formula says (at a URL's
       small cost: no hyphen), never by UAX #14's rule for U+FFFC */
    for (size_t i = 1; i < p->n; i++) {
        if (p->c[i].obj && p->c[i - 1].obj) p->c[i].brk = p->c[i].obj_after ? B_URL : B_NO;
        /* a formula and the word glued to it stay together: "$9$-bit" */
        if (p->c[i - 1].obj && !p->c[i].obj && (p->c[i].cp == '-' || alnum(p->c[i].cp)))
            p->c[i].brk = B_NO;
    }
}

void para_layout(para_t *p, float w, float indent, lines_t *out, missing_fn missing, void *ctx) {
    p->measure = w;
    memset(out, 0, sizeof *out);
    size_t *brk = NULL, nb = 0;
    items_t it = {0}, cand_it = {0};
    /* a looser pass only when the tighter one finds nothing, or only a lone last
       character (pass 2 adds emergency breaks, pass 3 takes any fit) */
    static const double tolerances[] = {2.5, 6, 1e9, INFINITY};
    double best = INFINITY;
    for (int pass = 0; pass < 4 && (!nb || (best >= 1e7 && pass < 2)); pass++) {
        /* passes 0 and 1 differ only in tolerance: the items are the same */
        if (pass != 1) {
            /* Latin text takes a loose line (pass 2) before cutting a word (pass 3);
               words_only never cuts one (a table measures its cells by what
               overflows), unless cut_overlong: titles and the contents cut a word
               wider than the measure in the last pass (a Java method's full name
               ran over its page number in the contents and off the page) */
            int cut_at = !p->words_only ? (p->latin_text ? 3 : 2) : p->cut_overlong ? 3 : 4;
            analyse(p, pass >= cut_at, missing, ctx);
            cand_it.n = 0;
            build_items(p, indent, &cand_it);
        } else if (it.n) {
            cand_it.n = 0;
            for (size_t i = 0; i < it.n; i++)
                item(&cand_it, it.v[i]);
        }
        size_t *cand = NULL;
        double d = INFINITY;
        size_t nc = optimal_breaks(p, &cand_it, w, tolerances[pass], &cand, &d);
        if (nc && d < best) {
            items_t t = it;
            it = cand_it, cand_it = t;
            free(brk);
            brk = cand, nb = nc, best = d;
        } else {
            free(cand);
        }
    }
    if (!nb && !it.n) {
        /* no pass found any fit (a word wider than the measure, with words_only):
           the last pass's items, broken wherever legal */
        items_t t = it;
        it = cand_it, cand_it = t;
    }
    free(cand_it.v);
    if (!nb) {
        /* nothing fits even with a break between any characters: break wherever legal */
        brk = xmalloc((it.n + 1) * sizeof *brk);
        for (size_t i = 0; i < it.n; i++)
            if (legal(&it, i) || i == it.n - 1) brk[nb++] = i;
    }
    out->lines = xcalloc(nb, sizeof *out->lines);
    size_t prev = 0;
    for (size_t k = 0; k < nb; k++) {
        size_t s = line_start(&it, prev, k == 0);
        bool ragged = it.v[brk[k]].t == IT_PEN && it.v[brk[k]].cost == FORCED;
        set_line(p, &it, s, brk[k], w, ragged || p->ragged, &out->lines[out->n]);
        out->lines[out->n].word_continues = k + 1 < nb && breaks_word(p, &it, s, brk[k]);
        if (out->lines[out->n].n || k + 1 < nb)
            out->n++;
        else
            free(out->lines[out->n].g);
        prev = brk[k];
    }
    for (size_t k = 0; k + 1 < out->n; k++)
        if (out->lines[k].word_continues)
            out->lines[k].next = out->lines[k + 1].g, out->lines[k].n_next = out->lines[k + 1].n;
    free(brk);
    free(it.v);
}

float para_min_width(para_t *p) {
    analyse(p, false, NULL, NULL);
    items_t it = {0};
    build_items(p, 0, &it);
    double run = 0, widest = 0;
    for (size_t i = 0; i < it.n; i++) {
        const item_t *x = &it.v[i];
        if (legal(&it, i)) {
            /* a line may end here: what came since the last break is one piece */
            double piece = run + (is_hyphen(x) ? x->w : 0);
            if (piece > widest) widest = piece;
            run = 0;
            continue;
        }
        if (x->t != IT_PEN) run += x->w;
    }
    free(it.v);
    return (float)widest;
}

void lines_free(lines_t *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->lines[i].g);
    free(l->lines);
    memset(l, 0, sizeof *l);
}
