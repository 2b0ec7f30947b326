#include "cff.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- reading */

static unsigned be(const unsigned char *p, int n) {
    unsigned v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* An INDEX: count items at base + offsets (offsets count from 1). */
typedef struct {
    const unsigned char *d;
    size_t start, end; /* the whole INDEX */
    size_t offs, base;
    unsigned count;
    int os;
} cffidx_t;

static bool idx_read(const unsigned char *d, size_t len, size_t off, cffidx_t *x) {
    *x = (cffidx_t){.d = d, .start = off, .os = 1};
    if (off + 2 > len) return false;
    x->count = be(d + off, 2);
    if (!x->count) return x->end = off + 2, true;
    if (off + 3 > len) return false;
    x->os = d[off + 2];
    if (x->os < 1 || x->os > 4) return false;
    x->offs = off + 3;
    size_t data = x->offs + (size_t)(x->count + 1) * (size_t)x->os;
    if (data > len) return false;
    x->base = data - 1;
    x->end = x->base + be(d + x->offs + (size_t)x->count * (size_t)x->os, x->os);
    return x->end >= data && x->end <= len;
}

static bool idx_item(const cffidx_t *x, unsigned i, size_t *s, size_t *e) {
    if (i >= x->count) return false;
    const unsigned char *o = x->d + x->offs + (size_t)i * (size_t)x->os;
    *s = x->base + be(o, x->os);
    *e = x->base + be(o + x->os, x->os);
    return *s > x->base && *s <= *e && *e <= x->end;
}

/* A DICT number at *p (operand bytes, TN #5176 table 3); a real's value is
   not needed (only offsets and sizes are read), it counts as 0. */
static bool dict_num(const unsigned char *d, size_t *p, size_t e, long *v) {
    unsigned b = d[*p];
    if (b >= 32 && b <= 246) return *v = (long)b - 139, *p += 1, true;
    if (b >= 247 && b <= 250 && *p + 1 < e)
        return *v = ((long)b - 247) * 256 + d[*p + 1] + 108, *p += 2, true;
    if (b >= 251 && b <= 254 && *p + 1 < e)
        return *v = -((long)b - 251) * 256 - d[*p + 1] - 108, *p += 2, true;
    if (b == 28 && *p + 2 < e) return *v = (int16_t)be(d + *p + 1, 2), *p += 3, true;
    if (b == 29 && *p + 4 < e) return *v = (int32_t)be(d + *p + 1, 4), *p += 5, true;
    if (b != 30) return false;
    for (++*p; *p < e; ++*p) /* a real: nibbles up to the one that is 0xF */
        if ((d[*p] & 0x0F) == 0x0F || (d[*p] & 0xF0) == 0xF0) return *v = 0, ++*p, true;
    return false;
}

/* One DICT entry: its operands and operator (12 x as 1200 + x), its bytes
   [start, end), its last two operands (a[1] the last). */
typedef struct {
    int op;
    size_t start, end;
    long a[2];
    int n;
} dent_t;

static bool dict_next(const unsigned char *d, size_t *p, size_t e, dent_t *t) {
    t->start = *p, t->n = 0, t->a[0] = t->a[1] = 0;
    while (*p < e) {
        unsigned b = d[*p];
        if (b <= 21) {
            if (b == 12 && *p + 1 >= e) return false;
            t->op = b == 12 ? 1200 + d[*p + 1] : (int)b;
            *p += b == 12 ? 2 : 1;
            t->end = *p;
            return true;
        }
        long v;
        if (!dict_num(d, p, e, &v)) return false;
        t->a[0] = t->a[1], t->a[1] = v, t->n++;
    }
    return false;
}

enum {
    OP_CHARSET = 15,
    OP_ENCODING = 16,
    OP_CHARSTRINGS = 17,
    OP_PRIVATE = 18,
    OP_SUBRS = 19,
    OP_ROS = 1230,
    OP_CSTYPE = 1206,
    OP_FDARRAY = 1236,
    OP_FDSELECT = 1237
};

/* Private DICT hint entries (BlueValues, OtherBlues, FamilyBlues,
   FamilyOtherBlues, StdHW, StdVW, BlueScale, BlueShift, BlueFuzz, StemSnapH,
   StemSnapV, ForceBold, LanguageGroup, ExpansionFactor, initialRandomSeed):
   dropped with the charstrings' hints, as hb-subset's NO_HINTING does. */
static bool hint_entry(int op) {
    return (op >= 6 && op <= 11) || (op >= 1209 && op <= 1214) || (op >= 1217 && op <= 1219);
}

typedef struct {
    size_t font_s, font_e; /* its Font DICT */
    size_t priv_s, priv_e; /* its Private DICT */
    cffidx_t subrs;        /* count 0: none */
} cfffd_t;

typedef struct {
    const unsigned char *d;
    size_t len;
    cffidx_t names, tops, strings, gsubrs, chars, fds;
    size_t top_s, top_e;
    long charset;
    unsigned n_fd;
    cfffd_t *fd;
    unsigned char *fd_of; /* each glyph's Font DICT */
} cff_t;

static bool read_fd(cff_t *c, unsigned i) {
    cfffd_t *f = &c->fd[i];
    if (!idx_item(&c->fds, i, &f->font_s, &f->font_e)) return false;
    long size = -1, off = -1, subrs = 0;
    dent_t t;
    for (size_t p = f->font_s; p < f->font_e;) {
        if (!dict_next(c->d, &p, f->font_e, &t)) return false;
        if (t.op == OP_PRIVATE && t.n >= 2) size = t.a[0], off = t.a[1];
    }
    if (size < 0 || off < 0 || (size_t)off + (size_t)size > c->len) return false;
    f->priv_s = (size_t)off, f->priv_e = (size_t)off + (size_t)size;
    for (size_t p = f->priv_s; p < f->priv_e;) {
        if (!dict_next(c->d, &p, f->priv_e, &t)) return false;
        if (t.op == OP_SUBRS && t.n >= 1) subrs = t.a[1];
    }
    f->subrs = (cffidx_t){.d = c->d};
    return subrs <= 0 || idx_read(c->d, c->len, f->priv_s + (size_t)subrs, &f->subrs);
}

static bool read_fdselect(cff_t *c, long off) {
    const unsigned char *d = c->d;
    unsigned n = c->chars.count;
    if (off < 0 || (size_t)off >= c->len) return false;
    size_t p = (size_t)off + 1;
    c->fd_of = xmalloc(n + 1);
    if (d[off] == 0) {
        if (p + n > c->len) return false;
        memcpy(c->fd_of, d + p, n);
    } else if (d[off] == 3) {
        if (p + 2 > c->len) return false;
        unsigned ranges = be(d + p, 2);
        p += 2;
        if (p + (size_t)ranges * 3 + 2 > c->len || !ranges || be(d + p, 2) != 0) return false;
        for (unsigned r = 0; r < ranges; r++, p += 3) {
            unsigned first = be(d + p, 2), next = be(d + p + 3, 2);
            if (next < first || next > n) return false;
            memset(c->fd_of + first, d[p + 2], next - first);
        }
        if (be(d + p, 2) != n) return false;
    } else {
        return false;
    }
    for (unsigned g = 0; g < n; g++)
        if (c->fd_of[g] >= c->n_fd) return false;
    return true;
}

static void cff_close(cff_t *c) {
    free(c->fd);
    free(c->fd_of);
}

/* Reads the structure subsetting needs; false for any table but a readable
   CID-keyed one with Type 2 charstrings. */
static bool cff_open(cff_t *c, const unsigned char *d, size_t len) {
    *c = (cff_t){.d = d, .len = len, .charset = -1};
    if (len < 4 || d[0] != 1 || !idx_read(d, len, d[2], &c->names) ||
        !idx_read(d, len, c->names.end, &c->tops) || !idx_read(d, len, c->tops.end, &c->strings) ||
        !idx_read(d, len, c->strings.end, &c->gsubrs) ||
        !idx_item(&c->tops, 0, &c->top_s, &c->top_e))
        return false;
    long chars = -1, fdarray = -1, fdselect = -1, cstype = 2;
    bool cid = false;
    dent_t t;
    for (size_t p = c->top_s; p < c->top_e;) {
        if (!dict_next(d, &p, c->top_e, &t)) return false;
        long v = t.n ? t.a[1] : -1;
        if (t.op == OP_ROS)
            cid = true;
        else if (t.op == OP_CHARSTRINGS)
            chars = v;
        else if (t.op == OP_CHARSET)
            c->charset = v;
        else if (t.op == OP_FDARRAY)
            fdarray = v;
        else if (t.op == OP_FDSELECT)
            fdselect = v;
        else if (t.op == OP_CSTYPE)
            cstype = v;
    }
    if (!cid || cstype != 2 || chars < 0 || fdarray < 0 || c->charset < 0 ||
        !idx_read(d, len, (size_t)chars, &c->chars) || !c->chars.count ||
        !idx_read(d, len, (size_t)fdarray, &c->fds) || !c->fds.count || c->fds.count > 256)
        return false;
    c->n_fd = c->fds.count;
    c->fd = xcalloc(c->n_fd, sizeof *c->fd);
    for (unsigned i = 0; i < c->n_fd; i++)
        if (!read_fd(c, i)) return false;
    return read_fdselect(c, fdselect);
}

bool cff_subsettable(const unsigned char *d, size_t len) {
    cff_t c;
    bool ok = cff_open(&c, d, len);
    cff_close(&c);
    return ok;
}

bool cff_cids(const unsigned char *d, size_t len, unsigned n, uint32_t *cid, bool *keyed) {
    if (keyed) *keyed = false;
    for (unsigned g = 0; g < n; g++)
        cid[g] = g;
    cffidx_t names, tops;
    size_t s, e;
    if (len < 4 || !idx_read(d, len, d[2], &names) || !idx_read(d, len, names.end, &tops) ||
        !idx_item(&tops, 0, &s, &e))
        return false;
    long charset = -1;
    bool is_cid = false;
    dent_t t;
    for (size_t p = s; p < e && dict_next(d, &p, e, &t);) {
        if (t.op == OP_ROS) is_cid = true;
        if (t.op == OP_CHARSET && t.n) charset = t.a[1];
    }
    if (!is_cid) return true;
    if (keyed) *keyed = true;
    if (charset < 3 || (size_t)charset >= len) return false;
    size_t p = (size_t)charset + 1;
    unsigned fmt = d[charset], g = 1;
    while (g < n) {
        if (fmt == 0) {
            if (p + 2 > len) return false;
            cid[g++] = be(d + p, 2), p += 2;
        } else if (fmt == 1 || fmt == 2) {
            int nl = fmt == 1 ? 1 : 2;
            if (p + 2 + (size_t)nl > len) return false;
            unsigned first = be(d + p, 2), left = be(d + p + 2, nl);
            p += 2 + (size_t)nl;
            for (unsigned k = 0; k <= left && g < n; k++)
                cid[g++] = first + k;
        } else {
            return false;
        }
    }
    return true;
}

/* ---------------------------------------------------------------- charstrings */

/* One glyph's charstring being flattened: its operands as written to out
   (where each starts, its value), the stems counted for hintmask's bytes. */
typedef struct {
    buf_t *out;
    const cffidx_t *gsubrs, *lsubrs;
    size_t at[48]; /* where each operand starts in out (its value is read there when needed) */
    int n, stems, depth;
    bool cleared; /* a stack-clearing operator has been seen: no width to come */
    bool ended;   /* endchar */
} cs_t;

/* Takes the output back to len (what was written since goes). */
static void cut(buf_t *b, size_t len) {
    b->len = len;
    if (b->data) b->data[len] = '\0';
}

static long bias(unsigned count) {
    return count < 1240 ? 107 : count < 33900 ? 1131 : 32768;
}

/* A charstring number's length from its first byte b. */
static size_t cs_len(unsigned b) {
    return b == 28 ? 3 : b == 255 ? 5 : b >= 247 ? 2 : 1;
}

/* The value of the charstring number at p (whole: it numbers a subroutine). */
static long cs_num(const unsigned char *p) {
    unsigned b = *p;
    long v;
    if (b == 28)
        v = (int16_t)be(p + 1, 2);
    else if (b == 255)
        v = (int32_t)be(p + 1, 4) / 65536; /* 16.16 */
    else if (b >= 251)
        v = -((long)b - 251) * 256 - p[1] - 108;
    else if (b >= 247)
        v = ((long)b - 247) * 256 + p[1] + 108;
    else
        v = (long)b - 139;
    return v;
}

/* Appends k bytes where run() has made room: a charstring writes at most its
   own bytes (it copies or drops them); a subroutine's body makes its own room,
   and the caller makes room for its rest again after it. */
static void put(buf_t *b, const unsigned char *p, size_t k) {
    for (size_t i = 0; i < k; i++)
        b->data[b->len++] = (char)p[i];
}

/* Drops the operands of a hint operator, keeping the width when this is the
   first stack-clearing operator and the count is odd: the next operator
   written takes it as its own first operand, which is where a width goes. */
static void drop_hint_args(cs_t *s) {
    int keep = !s->cleared && (s->n & 1) ? 1 : 0;
    if (s->n > keep) cut(s->out, s->at[keep]);
    s->cleared = true, s->n = 0;
}

static bool run(cs_t *s, const unsigned char *p, const unsigned char *e);

static bool call(cs_t *s, const cffidx_t *subrs) {
    if (!s->n || !subrs || s->depth >= 10) return false;
    long i = cs_num((const unsigned char *)s->out->data + s->at[--s->n]) + bias(subrs->count);
    cut(s->out, s->at[s->n]); /* the subroutine's number goes; its body comes in */
    size_t a, b;
    if (i < 0 || !idx_item(subrs, (unsigned)i, &a, &b)) return false;
    s->depth++;
    bool ok = run(s, subrs->d + a, subrs->d + b);
    s->depth--;
    return ok;
}

static bool run(cs_t *s, const unsigned char *p, const unsigned char *e) {
    buf_reserve(s->out, (size_t)(e - p));
    while (p < e && !s->ended) {
        unsigned b = *p;
        if (b >= 32 || b == 28) {
            size_t k = cs_len(b);
            if ((size_t)(e - p) < k || s->n == 48) return false;
            s->at[s->n++] = s->out->len;
            put(s->out, p, k);
            p += k;
        } else if (b == 10 || b == 29) { /* callsubr, callgsubr */
            if (!call(s, b == 10 ? s->lsubrs : s->gsubrs)) return false;
            p++;
            buf_reserve(s->out, (size_t)(e - p)); /* the body took some of the room */
        } else if (b == 11) {                     /* return */
            return s->depth > 0;
        } else if (b == 1 || b == 3 || b == 18 || b == 23) { /* hstem, vstem, hstemhm, vstemhm */
            s->stems += s->n / 2;
            drop_hint_args(s);
            p++;
        } else if (b == 19 || b == 20) { /* hintmask, cntrmask: an implied vstem first */
            s->stems += s->n / 2;
            drop_hint_args(s);
            p += 1 + (size_t)(s->stems + 7) / 8;
            if (p > e) return false;
        } else if (b == 12) {
            if (p + 1 >= e) return false;
            unsigned x = p[1];
            if (x >= 34 && x <= 37) { /* flex */
                put(s->out, p, 2);
                s->cleared = true, s->n = 0;
            } else if (x != 0) { /* arithmetic and storage: not followed here */
                return false;
            } /* dotsection: an old hint, dropped */
            p += 2;
        } else if (b == 14) { /* endchar; four more operands would be seac */
            if (s->n - (s->cleared ? 0 : s->n & 1) != 0) return false;
            put(s->out, p, 1);
            s->ended = true;
        } else if ((b >= 4 && b <= 8) || (b >= 21 && b <= 27) || b == 30 || b == 31) {
            put(s->out, p, 1); /* the path operators */
            s->cleared = true, s->n = 0;
            p++;
        } else {
            return false; /* reserved */
        }
    }
    return s->ended || s->depth > 0;
}

/* ---------------------------------------------------------------- writing */

static void put_be(buf_t *b, unsigned v, int n) {
    char c[4];
    for (int i = 0; i < n; i++)
        c[i] = (char)(v >> (8 * (n - 1 - i)));
    buf_put(b, c, (size_t)n);
}

static int off_size(size_t last) {
    return last <= 0xFF ? 1 : last <= 0xFFFF ? 2 : last <= 0xFFFFFF ? 3 : 4;
}

static size_t index_size(unsigned count, size_t data) {
    return count ? 3 + (size_t)(count + 1) * (size_t)off_size(data + 1) + data : 2;
}

/* An INDEX of count items; ends[i] is where item i ends in data. */
static void put_index(buf_t *b, const size_t *ends, unsigned count, const char *data) {
    put_be(b, count, 2);
    if (!count) return;
    size_t total = ends[count - 1];
    int os = off_size(total + 1);
    put_be(b, (unsigned)os, 1);
    put_be(b, 1, os);
    for (unsigned i = 0; i < count; i++)
        put_be(b, (unsigned)(ends[i] + 1), os);
    buf_put(b, data, total);
}

enum { TOP_ENTRY = 6, PRIVATE_ENTRY = 11 }; /* put_entry's bytes: one operand, two */

/* A DICT entry with fixed-width operands, so a dictionary's size is known
   before the offsets it holds are. */
static void put_entry(buf_t *b, const long *args, int n, int op) {
    for (int i = 0; i < n; i++) {
        buf_putc(b, 29);
        put_be(b, (unsigned)args[i], 4);
    }
    if (op >= 1200) buf_putc(b, 12);
    buf_putc(b, (char)(op % 100));
}

/* A DICT's entries but those skip() names. */
static void copy_dict(buf_t *b, const unsigned char *d, size_t s, size_t e, bool (*skip)(int)) {
    dent_t t;
    for (size_t p = s; p < e && dict_next(d, &p, e, &t);)
        if (!skip(t.op)) buf_put(b, (const char *)d + t.start, t.end - t.start);
}

static bool top_offset(int op) {
    return op == OP_CHARSET || op == OP_ENCODING || op == OP_CHARSTRINGS || op == OP_PRIVATE ||
           op == OP_FDARRAY || op == OP_FDSELECT;
}
static bool font_offset(int op) {
    return op == OP_PRIVATE;
}
static bool private_dropped(int op) {
    return op == OP_SUBRS || hint_entry(op);
}

/* The subset's parts, built before they are laid out. */
typedef struct {
    unsigned n;           /* glyphs */
    uint32_t *gid;        /* original glyph of each */
    buf_t chars;          /* flattened charstrings */
    size_t *char_end;     /* n */
    int fd_new[256];      /* original Font DICT -> subset's, -1: unused */
    unsigned n_fd;        /* used */
    unsigned fd_old[256]; /* subset's Font DICT -> original */
    buf_t fonts, privs;   /* Font DICTs without their Private entry, Private DICTs */
    size_t font_end[256], priv_end[256];
} parts_t;

static bool flatten(const cff_t *c, parts_t *s) {
    for (unsigned i = 0; i < s->n; i++) {
        uint32_t g = s->gid[i];
        size_t a, b;
        if (!idx_item(&c->chars, g, &a, &b)) return false;
        const cfffd_t *f = &c->fd[c->fd_of[g]];
        cs_t st = {
            .out = &s->chars, .gsubrs = &c->gsubrs, .lsubrs = f->subrs.count ? &f->subrs : NULL};
        if (!run(&st, c->d + a, c->d + b)) return false;
        s->chars.data[s->chars.len] = '\0';
        s->char_end[i] = s->chars.len;
        if (s->fd_new[c->fd_of[g]] < 0) {
            s->fd_old[s->n_fd] = c->fd_of[g];
            s->fd_new[c->fd_of[g]] = (int)s->n_fd++;
        }
    }
    return true;
}

static void font_dicts(const cff_t *c, parts_t *s) {
    for (unsigned i = 0; i < s->n_fd; i++) {
        const cfffd_t *f = &c->fd[s->fd_old[i]];
        copy_dict(&s->fonts, c->d, f->font_s, f->font_e, font_offset);
        s->font_end[i] = s->fonts.len;
        copy_dict(&s->privs, c->d, f->priv_s, f->priv_e, private_dropped);
        s->priv_end[i] = s->privs.len;
    }
}

/* charset format 2 (ranges of consecutive CIDs) and FDSelect format 3. */
static void charset_of(const uint32_t *cid, const parts_t *s, buf_t *b) {
    buf_putc(b, 2);
    for (unsigned i = 1; i < s->n;) {
        unsigned j = i + 1;
        while (j < s->n && cid[s->gid[j]] == cid[s->gid[j - 1]] + 1 && j - i < 0xFFFF)
            j++;
        put_be(b, cid[s->gid[i]], 2);
        put_be(b, j - i - 1, 2);
        i = j;
    }
}

static void fdselect_of(const cff_t *c, const parts_t *s, buf_t *b) {
    buf_t r = {0};
    unsigned ranges = 0;
    for (unsigned i = 0; i < s->n; i++)
        if (!i || c->fd_of[s->gid[i]] != c->fd_of[s->gid[i - 1]]) {
            put_be(&r, i, 2);
            put_be(&r, (unsigned)s->fd_new[c->fd_of[s->gid[i]]], 1);
            ranges++;
        }
    buf_putc(b, 3);
    put_be(b, ranges, 2);
    buf_put(b, r.data, r.len);
    put_be(b, s->n, 2);
    buf_free(&r);
}

/* Lays the parts out: header, Name INDEX, Top DICT INDEX, String INDEX, an
   empty Global Subr INDEX, charset, FDSelect, CharStrings, FDArray, and the
   Private DICTs. */
static void assemble(const cff_t *c, const uint32_t *cid, parts_t *s, buf_t *out) {
    buf_t top = {0}, charset = {0}, fdsel = {0};
    copy_dict(&top, c->d, c->top_s, c->top_e, top_offset);
    charset_of(cid, s, &charset);
    fdselect_of(c, s, &fdsel);
    size_t top_len = top.len + 4 * TOP_ENTRY + 2; /* two of the four are 12 x operators */
    size_t at = 4 + (c->names.end - c->names.start) + index_size(1, top_len) +
                (c->strings.end - c->strings.start) + 2;
    long charset_at = (long)at, fdsel_at = charset_at + (long)charset.len;
    long chars_at = fdsel_at + (long)fdsel.len;
    long fds_at = chars_at + (long)index_size(s->n, s->chars.len);
    size_t private_entries = PRIVATE_ENTRY * s->n_fd;
    long priv_at = fds_at + (long)index_size(s->n_fd, s->fonts.len + private_entries);
    put_entry(&top, &charset_at, 1, OP_CHARSET);
    put_entry(&top, &chars_at, 1, OP_CHARSTRINGS);
    put_entry(&top, &fds_at, 1, OP_FDARRAY);
    put_entry(&top, &fdsel_at, 1, OP_FDSELECT);

    /* each Font DICT with its Private's size and place */
    buf_t fonts = {0};
    size_t fs = 0, ps = 0, font_end[256];
    for (unsigned i = 0; i < s->n_fd; i++) {
        buf_put(&fonts, s->fonts.data + fs, s->font_end[i] - fs);
        long pr[2] = {(long)(s->priv_end[i] - ps), priv_at + (long)ps};
        put_entry(&fonts, pr, 2, OP_PRIVATE);
        font_end[i] = fonts.len;
        fs = s->font_end[i], ps = s->priv_end[i];
    }

    const char header[4] = {(char)c->d[0], (char)c->d[1], 4, 4}; /* hdrSize, offSize */
    buf_put(out, header, 4);
    buf_put(out, (const char *)c->d + c->names.start, c->names.end - c->names.start);
    size_t top_end = top.len;
    put_index(out, &top_end, 1, top.data);
    buf_put(out, (const char *)c->d + c->strings.start, c->strings.end - c->strings.start);
    put_be(out, 0, 2);
    buf_put(out, charset.data, charset.len);
    buf_put(out, fdsel.data, fdsel.len);
    put_index(out, s->char_end, s->n, s->chars.data);
    put_index(out, font_end, s->n_fd, fonts.data);
    buf_put(out, s->privs.data, s->privs.len);
    buf_free(&top), buf_free(&charset), buf_free(&fdsel), buf_free(&fonts);
}

bool cff_subset(const unsigned char *d, size_t len, const uint32_t *glyphs, size_t n, buf_t *out) {
    cff_t c;
    if (!cff_open(&c, d, len)) return cff_close(&c), false;
    parts_t s = {0};
    s.gid = xmalloc((n + 1) * sizeof *s.gid);
    if (!n || glyphs[0] != 0) s.gid[s.n++] = 0;
    for (size_t i = 0; i < n; i++)
        if (glyphs[i] < c.chars.count && (!s.n || glyphs[i] > s.gid[s.n - 1]))
            s.gid[s.n++] = glyphs[i];
    s.char_end = xmalloc(s.n * sizeof *s.char_end);
    for (int i = 0; i < 256; i++)
        s.fd_new[i] = -1;
    uint32_t *cid = xmalloc((c.chars.count + 1) * sizeof *cid);
    bool ok = cff_cids(d, len, c.chars.count, cid, NULL) && flatten(&c, &s);
    if (ok) {
        font_dicts(&c, &s);
        assemble(&c, cid, &s, out);
    }
    free(cid);
    free(s.gid), free(s.char_end);
    buf_free(&s.chars), buf_free(&s.fonts), buf_free(&s.privs);
    cff_close(&c);
    return ok;
}
