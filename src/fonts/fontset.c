#include "fontset.h"
#include "cpmap.h"
#include "clusters.h"
#include "fclib.h"
#include "../util/exepath.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <fcntl.h>
#include <hb-ot.h>
#include <hb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* fontconfig keeps process-wide state (its object names, caches), and two
   fontsets may ask on two threads (`epub` lays out the page list beside the
   EPUB's cover): one question at a time. */
static pthread_mutex_t fc_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
    char *file; /* as named in a role chain; for a system font its path (#index) */
    hb_blob_t *blob;
    void *map; /* the file mapped read-only, or NULL (the blob holds a copy) */
    size_t map_len;
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem;
    hb_set_t *used;   /* characters drawn */
    hb_set_t *glyphs; /* glyphs drawn */
    bool han;         /* covers 中: a Han font */
    unsigned n_glyphs;
    uint32_t *text_at; /* glyph -> 1 + offset of its text in pool, 0: none (lazy) */
    uint32_t *pool;    /* per text: its length, then its characters */
    size_t n_pool, cap_pool;
    bool system; /* found through fontconfig, not bundled */
    bool color;  /* colour bitmaps (CBDT) and no outlines: drawn as images */
    bool outlines;
    char *family;
    hb_map_t *carrier;  /* colour fonts: glyph -> (carrier font << 20 | its glyph) + 1 */
    cpmap_t *use_cache; /* fontset_use: cp -> 1 + its glyph, once recorded (#14: a
                           repeat is a lookup, recording again would change nothing) */
    cpmap_t *advance;   /* fontset_glyph_advance: glyph -> 1 + its advance in font units */
    cpmap_t *nominal;   /* fontset_gid: cp -> 1 + its glyph (0 when the font lacks it) */
} face_t;

typedef struct {
    uint32_t cp;
    int font;
} supply_t;

#define PEND_MAX 32

struct fontset {
    face_t f[FONT_MAX];
    int n;
    int chain[ROLE_COUNT][CHAIN_MAX];
    int n_chain[ROLE_COUNT];
    const fclib_t *fcl;              /* fontconfig's functions, once fc is loaded */
    FcConfig *fc;                    /* loaded on the first character no bundled font has */
    bool fc_failed;                  /* no fontconfig, or GHB_NO_SYSTEM_FONTS set */
    hb_map_t *sys_cache[3];          /* per mode: cp -> 1 + system font, 0: none on the machine */
    cpmap_t *pick_cache[ROLE_COUNT]; /* fontset_pick: cp -> 2 + font, 1: none (#14: the
                                        answer never changes, and every character asks) */
    supply_t *supplied;              /* first use of each character drawn from a system font */
    size_t n_supplied, cap_supplied;
    clusters_t *clusters; /* the text of clusters of several glyphs */
    /* the cluster being recorded: its first glyph came with its text, the rest follow */
    int pend_font;
    uint32_t pend_g[PEND_MAX], pend_t[PEND_MAX];
    size_t pend_ng, pend_nt;
    /* a fork (fontset_fork): its fontset_use_glyph calls, to be replayed in order
       (font, gid, n, then the n characters), and whether it needed an installed font */
    bool fork;
    bool refused;
    uint32_t *log;
    size_t n_log, cap_log;
};

static void flush_cluster(fontset_t *fs) {
    if ((fs->pend_ng >= 2 || fs->pend_nt >= 2) && fs->pend_nt) {
        if (!fs->clusters) fs->clusters = clusters_new();
        clusters_add(fs->clusters, fs->pend_font, fs->pend_g, fs->pend_ng, fs->pend_t, fs->pend_nt);
    }
    fs->pend_ng = 0;
}

/* Outlines we can embed: TrueType glyf or CFF (colour bitmaps and CFF2 not). */
static bool has_outlines(hb_face_t *face) {
    hb_blob_t *t = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    bool ok = hb_blob_get_length(t) > 0;
    hb_blob_destroy(t);
    if (ok) return true;
    t = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    ok = hb_blob_get_length(t) > 0;
    hb_blob_destroy(t);
    return ok;
}

typedef struct {
    void *at;
    size_t len;
} mapping_t;

static void unmap(void *m) {
    mapping_t *x = m;
    munmap(x->at, x->len);
    free(x);
}

/* The font file mapped read-only (so that fontset_drop_pages may let its
   pages go), else read as HarfBuzz reads it. */
static hb_blob_t *map_file(const char *path, void **at, size_t *len) {
    *at = NULL, *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *m = MAP_FAILED;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0) close(fd);
    if (m == MAP_FAILED) return hb_blob_create_from_file_or_fail(path);
    mapping_t *x = xmalloc(sizeof *x);
    *x = (mapping_t){m, (size_t)st.st_size};
    hb_blob_t *blob =
        hb_blob_create_or_fail(m, (unsigned)x->len, HB_MEMORY_MODE_READONLY, x, unmap);
    if (!blob) {
        unmap(x);
        return NULL;
    }
    *at = m, *len = x->len;
    return blob;
}

void fontset_drop_pages(fontset_t *fs, int font) {
    if (font < 0 || font >= fs->n || !fs->f[font].map) return;
    /* a private read-only file mapping: its pages come back from the file
       (the page cache) when touched again; the process stops counting them */
    madvise(fs->f[font].map, fs->f[font].map_len, MADV_DONTNEED);
}

/* Opens the font at path (face index) as font fs->n; -1 when it cannot be read. */
static int open_path(fontset_t *fs, const char *path, unsigned index, const char *name) {
    if (fs->n >= FONT_MAX) return -1;
    void *map;
    size_t map_len;
    hb_blob_t *blob = map_file(path, &map, &map_len);
    if (!blob) return -1;
    face_t *f = &fs->f[fs->n];
    memset(f, 0, sizeof *f);
    f->file = xstrdup(name);
    f->blob = blob;
    f->map = map, f->map_len = map_len;
    f->face = hb_face_create(blob, index);
    f->font = hb_font_create(f->face);
    f->upem = hb_face_get_upem(f->face);
    f->used = hb_set_create();
    f->glyphs = hb_set_create();
    f->n_glyphs = hb_face_get_glyph_count(f->face);
    hb_codepoint_t g;
    f->han = hb_font_get_nominal_glyph(f->font, 0x4E2D, &g);
    f->outlines = has_outlines(f->face);
    f->color = !f->outlines && hb_ot_color_has_png(f->face);
    return fs->n++;
}

static int open_face(fontset_t *fs, const char *dir, const char *file, diags_t *d) {
    for (int i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].file, file) == 0) return i;
    char *path = file[0] == '/' ? xstrdup(file) : path_join(dir, file); /* system fonts: absolute */
    int id = open_path(fs, path, 0, file);
    if (id < 0) diag_add(d, DIAG_ERROR, path, 1, 1, "cannot read font");
    free(path);
    return id;
}

fontset_t *fontset_open(const char *dir, const char *const chains[ROLE_COUNT][CHAIN_MAX],
                        diags_t *d) {
    fontset_t *fs = xcalloc(1, sizeof *fs);
    for (int r = 0; r < ROLE_COUNT; r++) {
        for (int k = 0; k < CHAIN_MAX && chains[r][k]; k++) {
            int id = open_face(fs, dir, chains[r][k], d);
            if (id >= 0) fs->chain[r][fs->n_chain[r]++] = id;
        }
    }
    return fs;
}

fontset_t *fontset_fork(const fontset_t *fs) {
    fontset_t *k = xcalloc(1, sizeof *k);
    k->n = fs->n;
    memcpy(k->chain, fs->chain, sizeof k->chain);
    memcpy(k->n_chain, fs->n_chain, sizeof k->n_chain);
    k->fork = true;
    for (int i = 0; i < fs->n; i++) {
        const face_t *f = &fs->f[i];
        face_t *g = &k->f[i];
        /* the blob and face are shared (HarfBuzz faces are safe to read from
           two threads); the font is the fork's own, for the caches that hang
           off a font as user data (para.c) */
        *g = (face_t){.file = xstrdup(f->file),
                      .blob = hb_blob_reference(f->blob),
                      .face = hb_face_reference(f->face),
                      .font = hb_font_create(f->face),
                      .upem = f->upem,
                      .used = hb_set_create(),
                      .glyphs = hb_set_create(),
                      .han = f->han,
                      .n_glyphs = f->n_glyphs,
                      .system = f->system,
                      .color = f->color,
                      .outlines = f->outlines,
                      .family = f->family ? xstrdup(f->family) : NULL};
    }
    return k;
}

bool fontset_fork_refused(const fontset_t *fork) {
    return fork->refused;
}

void fontset_join(fontset_t *fs, const fontset_t *fork) {
    for (size_t i = 0; i < fork->n_log;) {
        const uint32_t *e = fork->log + i;
        fontset_use_glyph(fs, (int)e[0], e[1], e + 3, e[2]);
        i += 3 + e[2];
    }
}

void fontset_free(fontset_t *fs) {
    if (!fs) return;
    for (int i = 0; i < fs->n; i++) {
        hb_font_destroy(fs->f[i].font);
        hb_face_destroy(fs->f[i].face);
        hb_blob_destroy(fs->f[i].blob);
        hb_set_destroy(fs->f[i].used);
        hb_set_destroy(fs->f[i].glyphs);
        free(fs->f[i].text_at);
        free(fs->f[i].pool);
        free(fs->f[i].family);
        hb_map_destroy(fs->f[i].carrier);
        cpmap_free(fs->f[i].use_cache);
        cpmap_free(fs->f[i].advance);
        cpmap_free(fs->f[i].nominal);
        free(fs->f[i].file);
    }
    pthread_mutex_lock(&fc_lock);
    if (fs->fc) fs->fcl->config_destroy(fs->fc);
    pthread_mutex_unlock(&fc_lock);
    for (int m = 0; m < 3; m++)
        hb_map_destroy(fs->sys_cache[m]);
    for (int r = 0; r < ROLE_COUNT; r++)
        cpmap_free(fs->pick_cache[r]);
    free(fs->supplied);
    clusters_free(fs->clusters);
    free(fs->log);
    free(fs);
}

int fontset_count(const fontset_t *fs) {
    return fs->n;
}
const char *fontset_file(const fontset_t *fs, int font) {
    return fs->f[font].file;
}

static bool has(fontset_t *fs, int font, uint32_t cp) {
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(fs->f[font].font, cp, &g) && g != 0;
}

/* ---------------------------------------------------------------- system fonts */

typedef struct {
    const char *file, *family;
    int index, score;
} cand_t;

/* Characters shown as emoji by default (Emoji_Presentation, roughly): these
   prefer a colour font. */
static bool emoji_cp(uint32_t cp) {
    static const uint16_t bmp[] = {
        0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614,
        0x2615, 0x2648, 0x2649, 0x264A, 0x264B, 0x264C, 0x264D, 0x264E, 0x264F, 0x2650, 0x2651,
        0x2652, 0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5,
        0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B,
        0x2728, 0x274C, 0x274E, 0x2753, 0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0,
        0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B55, 0};
    if (cp < 0x10000) {
        for (const uint16_t *p = bmp; *p; p++)
            if (*p == cp) return true;
        return false;
    }
    return (cp >= 0x1F1E6 && cp <= 0x1F1FF) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
           (cp >= 0x1F680 && cp <= 0x1F6FF) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
           (cp >= 0x1FA70 && cp <= 0x1FAFF) || cp == 0x1F004 || cp == 0x1F0CF || cp == 0x1F18E ||
           (cp >= 0x1F191 && cp <= 0x1F19A) || cp == 0x1F201 || cp == 0x1F21A || cp == 0x1F22F ||
           (cp >= 0x1F232 && cp <= 0x1F236) || (cp >= 0x1F238 && cp <= 0x1F23A) || cp == 0x1F250 ||
           cp == 0x1F251;
}

/* Which installed font is preferred: regular upright Noto of the role's kind;
   for emoji a colour font. */
static int score(const fclib_t *fl, FcPattern *p, font_role role, uint32_t cp) {
    int v = 0, weight = 0, slant = 0;
    FcBool color = FcFalse;
    if (fl->pattern_get_bool(p, FC_COLOR, 0, &color) == FcResultMatch && color)
        v += emoji_cp(cp) ? 30 : -30;
    FcChar8 *fam = NULL, *style = NULL;
    fl->pattern_get_string(p, FC_FAMILY, 0, &fam);
    fl->pattern_get_string(p, FC_STYLE, 0, &style);
    if (fl->pattern_get_integer(p, FC_WEIGHT, 0, &weight) == FcResultMatch)
        v -= abs(weight - FC_WEIGHT_REGULAR) / 10;
    if (fl->pattern_get_integer(p, FC_SLANT, 0, &slant) == FcResultMatch && slant != FC_SLANT_ROMAN)
        v -= 20;
    const char *f = fam ? (const char *)fam : "";
    if (strncmp(f, "Noto", 4) == 0) v += 10;
    bool serif = strstr(f, "Serif") != NULL;
    if (serif == (role == ROLE_BODY || role == ROLE_KAI)) v += 3;
    if (strstr(f, " SC") || strstr(f, "CJK SC")) v += 2; /* Simplified Chinese forms */
    if (strstr(f, "Mono") && role != ROLE_MONO) v -= 2;
    if (strstr(f, "Looped") || strstr(f, "Display") || strstr(f, "UI")) v -= 1;
    return v;
}

static int cand_cmp(const void *a, const void *b) {
    const cand_t *x = a, *y = b;
    if (x->score != y->score) return y->score - x->score;
    int c = strcmp(x->file, y->file);
    return c ? c : x->index - y->index;
}

/* fontconfig itself is loaded here, on first use (fclib.c): a machine without
   it finds no installed font, as with GHB_NO_SYSTEM_FONTS, and the character
   is reported missing as usual */
static bool load_fontconfig(fontset_t *fs) {
    if (fs->fc) return true;
    if (fs->fc_failed) return false;
    const char *off = getenv("GHB_NO_SYSTEM_FONTS");
    if (!(off && *off && strcmp(off, "0") != 0)) fs->fcl = fclib(NULL, 0);
    if (fs->fcl) fs->fc = fs->fcl->init_load_config_and_fonts();
    fs->fc_failed = !fs->fc;
    return fs->fc != NULL;
}

enum { ANY_OUTLINE, OUTLINE_OR_COLOR, COLOR_ONLY };

static bool fits(const face_t *f, int mode) {
    return mode == COLOR_ONLY ? f->color : f->outlines || (mode == OUTLINE_OR_COLOR && f->color);
}

static int find_system_font(fontset_t *fs, font_role role, uint32_t cp, int mode) {
    if (!load_fontconfig(fs) || fs->n >= FONT_MAX) return -1;
    const fclib_t *fl = fs->fcl;
    FcPattern *pat = fl->pattern_create();
    FcCharSet *cs = fl->charset_create();
    fl->charset_add_char(cs, cp);
    fl->pattern_add_charset(pat, FC_CHARSET, cs);
    fl->pattern_add_bool(pat, FC_SCALABLE, FcTrue);
    FcObjectSet *os = fl->object_set_build(FC_FILE, FC_INDEX, FC_FAMILY, FC_STYLE, FC_WEIGHT,
                                           FC_SLANT, FC_COLOR, (char *)NULL);
    FcFontSet *set = fl->font_list(fs->fc, pat, os);
    int found = -1;
    if (set && set->nfont > 0) {
        cand_t *c = xcalloc((size_t)set->nfont, sizeof *c);
        int n = 0;
        for (int i = 0; i < set->nfont; i++) {
            FcChar8 *file = NULL, *fam = NULL;
            int index = 0;
            if (fl->pattern_get_string(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
            fl->pattern_get_integer(set->fonts[i], FC_INDEX, 0, &index);
            fl->pattern_get_string(set->fonts[i], FC_FAMILY, 0, &fam);
            c[n++] = (cand_t){(const char *)file, fam ? (const char *)fam : "", index,
                              score(fl, set->fonts[i], role, cp)};
        }
        qsort(c, (size_t)n, sizeof *c, cand_cmp);
        for (int i = 0; i < n && found < 0; i++) {
            char name[1100];
            snprintf(name, sizeof name, c[i].index ? "%s#%d" : "%s", c[i].file, c[i].index);
            int id = -1;
            for (int k = 0; k < fs->n; k++)
                if (strcmp(fs->f[k].file, name) == 0) id = k;
            bool fresh = id < 0;
            if (fresh) id = open_path(fs, c[i].file, (unsigned)c[i].index, name);
            if (id < 0) continue;
            if (fresh) {
                fs->f[id].system = true;
                fs->f[id].family = xstrdup(c[i].family);
            }
            hb_codepoint_t g;
            if (fits(&fs->f[id], mode) && hb_font_get_nominal_glyph(fs->f[id].font, cp, &g))
                found = id;
        }
        free(c);
    }
    if (set) fl->font_set_destroy(set);
    fl->object_set_destroy(os);
    fl->charset_destroy(cs);
    fl->pattern_destroy(pat);
    return found;
}

static int system_font(fontset_t *fs, font_role role, uint32_t cp, int mode) {
    if (fs->fork) { /* which installed font, and its number, depend on the order of
                       asking: the fork's work is done again in order (fontset_fork) */
        fs->refused = true;
        return -1;
    }
    pthread_mutex_lock(&fc_lock);
    int id = find_system_font(fs, role, cp, mode);
    pthread_mutex_unlock(&fc_lock);
    return id;
}

/* ---------------------------------------------------------------- picking */

/* An installed font for cp (cached per character and mode): one already
   open, or the best fontconfig lists. */
static int system_pick(fontset_t *fs, font_role role, uint32_t cp, int mode) {
    hb_map_t **cache = &fs->sys_cache[mode];
    if (!*cache) *cache = hb_map_create();
    hb_codepoint_t v = hb_map_get(*cache, cp);
    if (v != HB_MAP_VALUE_INVALID) return (int)v - 1;
    int id = -1;
    for (int k = 0; k < fs->n && id < 0; k++)
        if (fs->f[k].system && fits(&fs->f[k], mode) && has(fs, k, cp)) id = k;
    if (id < 0) id = system_font(fs, role, cp, mode);
    hb_map_set(*cache, cp, (hb_codepoint_t)(id + 1));
    return id;
}

int fontset_pick_emoji(fontset_t *fs, font_role role, uint32_t cp) {
    int id = system_pick(fs, role, cp, COLOR_ONLY);
    return id >= 0 ? id : fontset_pick(fs, role, cp);
}

static int pick(fontset_t *fs, font_role role, uint32_t cp);

int fontset_pick(fontset_t *fs, font_role role, uint32_t cp) {
    uint32_t v = cpmap_get(fs->pick_cache[role], cp);
    if (v) return (int)v - 2;
    int id = pick(fs, role, cp);
    cpmap_set(&fs->pick_cache[role], cp, (uint32_t)(id + 2));
    return id;
}

static int pick(fontset_t *fs, font_role role, uint32_t cp) {
    /* emoji are shown in colour where a colour font has them */
    if (emoji_cp(cp)) {
        int id = system_pick(fs, role, cp, COLOR_ONLY);
        if (id >= 0) return id;
    }
    /* CJK-wide characters (also “ ” — …) take the chain's Han font first */
    if (cp_is_cjk_wide(cp))
        for (int k = 0; k < fs->n_chain[role]; k++)
            if (fs->f[fs->chain[role][k]].han && has(fs, fs->chain[role][k], cp))
                return fs->chain[role][k];
    for (int k = 0; k < fs->n_chain[role]; k++)
        if (has(fs, fs->chain[role][k], cp)) return fs->chain[role][k];
    for (int id = 0; id < fs->n; id++)
        if (!fs->f[id].system && has(fs, id, cp)) return id;
    /* beyond the bundled fonts: the installed ones, once per character */
    return system_pick(fs, role, cp, ANY_OUTLINE);
}

int fontset_pick_latin(fontset_t *fs, font_role role, uint32_t cp) {
    for (int k = 0; k < fs->n_chain[role]; k++)
        if (!fs->f[fs->chain[role][k]].han && has(fs, fs->chain[role][k], cp))
            return fs->chain[role][k];
    return fontset_pick(fs, role, cp);
}

uint32_t fontset_gid(fontset_t *fs, int font, uint32_t cp) {
    uint32_t v = cpmap_get(fs->f[font].nominal, cp);
    if (v) return v - 1;
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(fs->f[font].font, cp, &g)) g = 0;
    cpmap_set(&fs->f[font].nominal, cp, g + 1);
    return g;
}

double fontset_glyph_advance(fontset_t *fs, int font, uint32_t gid) {
    face_t *f = &fs->f[font];
    uint32_t v = cpmap_get(f->advance, gid);
    int32_t adv = v ? (int32_t)(v - 1) : hb_font_get_glyph_h_advance(f->font, gid);
    if (!v && (uint32_t)adv + 1) cpmap_set(&f->advance, gid, (uint32_t)adv + 1);
    return (double)adv / f->upem;
}

double fontset_advance(fontset_t *fs, int font, uint32_t cp) {
    return fontset_glyph_advance(fs, font, fontset_gid(fs, font, cp));
}

static void record(fontset_t *fs, int font, uint32_t gid, const uint32_t *text, size_t n,
                   bool report);

/* A colour glyph is an image; the text under it is drawn invisibly with an
   outline glyph for its first character (any font that has one, else a space). */
static void set_carrier(fontset_t *fs, int font, uint32_t gid, uint32_t cp) {
    face_t *f = &fs->f[font];
    if (!f->carrier) f->carrier = hb_map_create();
    if (hb_map_has(f->carrier, gid)) return;
    int cf = -1;
    for (int id = 0; id < fs->n && cf < 0; id++)
        if (!fs->f[id].system && has(fs, id, cp)) cf = id;
    if (cf < 0) cf = system_pick(fs, ROLE_BODY, cp, ANY_OUTLINE);
    if (cf < 0) cf = fontset_pick(fs, ROLE_BODY, cp = ' ');
    if (cf < 0) return;
    uint32_t cg = fontset_gid(fs, cf, cp);
    record(fs, cf, cg, &cp, 1, false);
    hb_map_set(f->carrier, gid, ((uint32_t)cf << 20 | cg) + 1);
}

static void log_use(fontset_t *fs, int font, uint32_t gid, const uint32_t *text, size_t n) {
    while (fs->n_log + 3 + n > fs->cap_log) {
        fs->cap_log = fs->cap_log ? fs->cap_log * 2 : 4096;
        fs->log = xrealloc(fs->log, fs->cap_log * sizeof *fs->log);
    }
    fs->log[fs->n_log++] = (uint32_t)font;
    fs->log[fs->n_log++] = gid;
    fs->log[fs->n_log++] = (uint32_t)n;
    memcpy(fs->log + fs->n_log, text, n * sizeof *text);
    fs->n_log += n;
}

void fontset_use_glyph(fontset_t *fs, int font, uint32_t gid, const uint32_t *text, size_t n) {
    if (fs->fork) log_use(fs, font, gid, text, n);
    if (n) {
        flush_cluster(fs);
        fs->pend_font = font, fs->pend_ng = 1, fs->pend_g[0] = gid;
        fs->pend_nt = n <= PEND_MAX ? n : 0; /* longer: not kept */
        memcpy(fs->pend_t, text, fs->pend_nt * sizeof *text);
    } else if (fs->pend_ng && fs->pend_font == font && fs->pend_ng < PEND_MAX) {
        fs->pend_g[fs->pend_ng++] = gid;
    }
    record(fs, font, gid, text, n, true);
}

size_t fontset_cluster_text(fontset_t *fs, int font, const uint32_t *gids, size_t ng,
                            const uint32_t **text) {
    flush_cluster(fs);
    return fs->clusters ? clusters_find(fs->clusters, font, gids, ng, text) : 0;
}

/* report: list characters a system font supplies (not for invisible carriers) */
static void record(fontset_t *fs, int font, uint32_t gid, const uint32_t *text, size_t n,
                   bool report) {
    face_t *f = &fs->f[font];
    if (gid >= f->n_glyphs) return;
    hb_set_add(f->glyphs, gid);
    for (size_t i = 0; i < n; i++) {
        if (report && f->system && !hb_set_has(f->used, text[i])) {
            XGROW(fs->supplied, fs->cap_supplied, fs->n_supplied);
            fs->supplied[fs->n_supplied++] = (supply_t){text[i], font};
        }
        hb_set_add(f->used, text[i]);
    }
    if (!n) return;
    if (f->color) set_carrier(fs, font, gid, text[0]);
    if (!f->text_at) f->text_at = xcalloc(f->n_glyphs, sizeof *f->text_at);
    if (f->text_at[gid]) return;
    while (f->n_pool + n + 1 > f->cap_pool) {
        f->cap_pool = f->cap_pool ? f->cap_pool * 2 : 1024;
        f->pool = xrealloc(f->pool, f->cap_pool * sizeof *f->pool);
    }
    f->text_at[gid] = (uint32_t)f->n_pool + 1;
    f->pool[f->n_pool++] = (uint32_t)n;
    memcpy(f->pool + f->n_pool, text, n * sizeof *text);
    f->n_pool += n;
}

uint32_t fontset_use(fontset_t *fs, int font, uint32_t cp) {
    uint32_t v = cpmap_get(fs->f[font].use_cache, cp);
    if (v) return v - 1;
    uint32_t gid = fontset_gid(fs, font, cp);
    fontset_use_glyph(fs, font, gid, &cp, 1);
    cpmap_set(&fs->f[font].use_cache, cp, gid + 1);
    return gid;
}

bool fontset_used(const fontset_t *fs, int font) {
    return !hb_set_is_empty(fs->f[font].glyphs);
}

const hb_set_t *fontset_glyphs(const fontset_t *fs, int font) {
    return fs->f[font].glyphs;
}

size_t fontset_glyph_text(const fontset_t *fs, int font, uint32_t gid, const uint32_t **text) {
    const face_t *f = &fs->f[font];
    if (!f->text_at || gid >= f->n_glyphs || !f->text_at[gid]) return 0;
    const uint32_t *p = f->pool + f->text_at[gid] - 1;
    *text = p + 1;
    return p[0];
}

hb_face_t *fontset_hb_face(const fontset_t *fs, int font) {
    return fs->f[font].face;
}

hb_font_t *fontset_hb_font(const fontset_t *fs, int font) {
    return fs->f[font].font;
}

char *fontset_default_dir(const char *argv0) {
    const char *env = getenv("GHB_FONT_DIR");
    if (env && *env) return xstrdup(env);
    /* installed: beside the program, wherever its prefix was moved */
    char *dir = exe_relative(argv0, "../share/ghb-book/fonts");
    if (path_is_dir(dir)) return dir;
#ifdef GHB_SOURCE_FONT_DIR
    /* an uninstalled build runs on its source tree's fonts (-DGHB_SOURCE_FONTS=OFF drops this) */
    if (path_is_dir(GHB_SOURCE_FONT_DIR)) {
        free(dir);
        return xstrdup(GHB_SOURCE_FONT_DIR);
    }
#endif
    return dir;
}

size_t fontset_supplied(const fontset_t *fs, size_t i, uint32_t *cp, int *font) {
    if (i >= fs->n_supplied) return fs->n_supplied;
    *cp = fs->supplied[i].cp;
    *font = fs->supplied[i].font;
    return fs->n_supplied;
}

bool fontset_is_system(const fontset_t *fs, int font) {
    return fs->f[font].system;
}

const char *fontset_family(const fontset_t *fs, int font) {
    return fs->f[font].family ? fs->f[font].family : fs->f[font].file;
}

bool fontset_is_color(const fontset_t *fs, int font) {
    return fs->f[font].color;
}

bool fontset_carrier(const fontset_t *fs, int font, uint32_t gid, int *cfont, uint32_t *cgid) {
    if (!fs->f[font].carrier) return false;
    hb_codepoint_t v = hb_map_get(fs->f[font].carrier, gid);
    if (v == HB_MAP_VALUE_INVALID) return false;
    *cfont = (int)((v - 1) >> 20);
    *cgid = (v - 1) & 0xFFFFF;
    return true;
}
