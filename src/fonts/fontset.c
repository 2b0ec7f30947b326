#include "fontset.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *file;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem;
    hb_set_t *used;
    bool han; /* covers 中: a Han font */
} face_t;

struct fontset {
    face_t f[FONT_MAX];
    int n;
    int chain[ROLE_COUNT][CHAIN_MAX];
    int n_chain[ROLE_COUNT];
};

static int open_face(fontset_t *fs, const char *dir, const char *file, diags_t *d) {
    for (int i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].file, file) == 0) return i;
    if (fs->n >= FONT_MAX) return -1;
    char *path = path_join(dir, file);
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob) {
        diag_add(d, DIAG_ERROR, path, 1, 1, "cannot read font");
        free(path);
        return -1;
    }
    free(path);
    face_t *f = &fs->f[fs->n];
    f->file = xstrdup(file);
    f->blob = blob;
    f->face = hb_face_create(blob, 0);
    f->font = hb_font_create(f->face);
    f->upem = hb_face_get_upem(f->face);
    f->used = hb_set_create();
    hb_codepoint_t g;
    f->han = hb_font_get_nominal_glyph(f->font, 0x4E2D, &g);
    return fs->n++;
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

void fontset_free(fontset_t *fs) {
    if (!fs) return;
    for (int i = 0; i < fs->n; i++) {
        hb_font_destroy(fs->f[i].font);
        hb_face_destroy(fs->f[i].face);
        hb_blob_destroy(fs->f[i].blob);
        hb_set_destroy(fs->f[i].used);
        free(fs->f[i].file);
    }
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

int fontset_pick(fontset_t *fs, font_role role, uint32_t cp) {
    /* libharu reaches only the BMP: an astral character cannot be drawn */
    if (cp > 0xFFFF) return -1;
    /* CJK-wide characters (also “ ” — …) take the chain's Han font first */
    if (cp_is_cjk_wide(cp))
        for (int k = 0; k < fs->n_chain[role]; k++)
            if (fs->f[fs->chain[role][k]].han && has(fs, fs->chain[role][k], cp))
                return fs->chain[role][k];
    for (int k = 0; k < fs->n_chain[role]; k++)
        if (has(fs, fs->chain[role][k], cp)) return fs->chain[role][k];
    for (int id = 0; id < fs->n; id++)
        if (has(fs, id, cp)) return id;
    return -1;
}

int fontset_pick_latin(fontset_t *fs, font_role role, uint32_t cp) {
    if (cp > 0xFFFF) return -1;
    for (int k = 0; k < fs->n_chain[role]; k++)
        if (!fs->f[fs->chain[role][k]].han && has(fs, fs->chain[role][k], cp))
            return fs->chain[role][k];
    return fontset_pick(fs, role, cp);
}

double fontset_advance(fontset_t *fs, int font, uint32_t cp) {
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(fs->f[font].font, cp, &g)) g = 0;
    return (double)hb_font_get_glyph_h_advance(fs->f[font].font, g) / fs->f[font].upem;
}

void fontset_use(fontset_t *fs, int font, uint32_t cp) {
    hb_set_add(fs->f[font].used, cp);
}

bool fontset_used(const fontset_t *fs, int font) {
    return !hb_set_is_empty(fs->f[font].used);
}

static void put16(unsigned char *p, unsigned v) {
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A cmap of one format-4 subtable with a segment per 256-code block, glyphs
   listed through idRangeOffset. libharu looks characters up by walking the
   segments, once for each of the 65536 BMP codes when it loads a font; a subset's
   own cmap has a segment per run of used characters (thousands for a Han font),
   this one has one per block (a hundred or so). NULL when it would not fit. */
static hb_blob_t *block_cmap(hb_face_t *face) {
    hb_set_t *cps = hb_set_create();
    hb_face_collect_unicodes(face, cps);
    hb_font_t *font = hb_font_create(face);
    unsigned lo[256], hi[256], nseg = 0, entries = 0;
    bool used[256] = {false};
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(cps, &cp) && cp < 0xFFFF) {
        unsigned b = cp >> 8;
        if (!used[b]) used[b] = true, lo[b] = cp, hi[b] = cp;
        hi[b] = cp;
    }
    for (unsigned b = 0; b < 256; b++)
        if (used[b]) nseg++, entries += hi[b] - lo[b] + 1;
    nseg++; /* the closing 0xFFFF segment */
    size_t len = 16 + 8 * (size_t)nseg + 2 * (size_t)entries;
    if (len > 65535) {
        hb_font_destroy(font);
        hb_set_destroy(cps);
        return NULL;
    }
    unsigned char *t = xcalloc(12 + len, 1);
    put16(t + 2, 1); /* one encoding record: */
    put16(t + 4, 3); /* Windows */
    put16(t + 6, 1); /* Unicode BMP */
    t[11] = 12;      /* at offset 12 */
    unsigned char *st = t + 12;
    unsigned search = 1, sel = 0;
    while (search * 2 <= nseg)
        search *= 2, sel++;
    put16(st, 4);
    put16(st + 2, (unsigned)len);
    put16(st + 6, nseg * 2);
    put16(st + 8, search * 2);
    put16(st + 10, sel);
    put16(st + 12, nseg * 2 - search * 2);
    unsigned char *end = st + 14, *start = end + 2 * nseg + 2, *delta = start + 2 * nseg,
                  *range = delta + 2 * nseg, *glyphs = range + 2 * nseg;
    unsigned k = 0, at = 0;
    for (unsigned b = 0; b < 256; b++) {
        if (!used[b]) continue;
        put16(end + 2 * k, hi[b]);
        put16(start + 2 * k, lo[b]);
        put16(range + 2 * k, 2 * (nseg - k) + 2 * at);
        for (unsigned c = lo[b]; c <= hi[b]; c++, at++) {
            hb_codepoint_t g = 0;
            if (hb_set_has(cps, c)) hb_font_get_nominal_glyph(font, c, &g);
            put16(glyphs + 2 * at, g);
        }
        k++;
    }
    put16(end + 2 * k, 0xFFFF);
    put16(start + 2 * k, 0xFFFF);
    put16(delta + 2 * k, 1);
    hb_font_destroy(font);
    hb_set_destroy(cps);
    return hb_blob_create((const char *)t, (unsigned)(12 + len), HB_MEMORY_MODE_WRITABLE, t, free);
}

/* The subset with its cmap replaced by block_cmap's (or as it is). Caller destroys. */
static hb_blob_t *with_block_cmap(hb_face_t *built) {
    /* the subsetter's face is a builder: read its tables back from its bytes */
    hb_blob_t *bytes = hb_face_reference_blob(built);
    hb_face_t *sub = hb_face_create(bytes, 0);
    hb_blob_t *cmap = block_cmap(sub);
    if (!cmap) {
        hb_face_destroy(sub);
        return bytes;
    }
    hb_face_t *b = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned n = 64;
    hb_face_get_table_tags(sub, 0, &n, tags);
    for (unsigned i = 0; i < n; i++) {
        if (tags[i] == HB_TAG('c', 'm', 'a', 'p')) continue;
        hb_blob_t *tb = hb_face_reference_table(sub, tags[i]);
        hb_face_builder_add_table(b, tags[i], tb);
        hb_blob_destroy(tb);
    }
    hb_face_builder_add_table(b, HB_TAG('c', 'm', 'a', 'p'), cmap);
    hb_blob_destroy(cmap);
    hb_blob_t *out = hb_face_reference_blob(b);
    hb_face_destroy(b);
    hb_face_destroy(sub);
    hb_blob_destroy(bytes);
    return out;
}

int fontset_subset(const fontset_t *fs, int font, const char *path) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return -1;
    hb_set_union(hb_subset_input_unicode_set(in), fs->f[font].used);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *sub = hb_subset_or_fail(fs->f[font].face, in);
    hb_subset_input_destroy(in);
    if (!sub) return -1;
    hb_blob_t *blob = with_block_cmap(sub);
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    /* a scratch file only libharu reads: no need for write_atomic's sync */
    FILE *f = fopen(path, "wb");
    int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0) rc = -1;
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    return rc;
}

char *fontset_default_dir(const char *argv0) {
    const char *env = getenv("GHB_FONT_DIR");
    if (env && *env) return xstrdup(env);
#ifdef GHB_SOURCE_FONT_DIR
    if (path_is_dir(GHB_SOURCE_FONT_DIR)) return xstrdup(GHB_SOURCE_FONT_DIR);
#endif
    char *exe_dir = path_dirname(argv0 ? argv0 : "");
    char *dir = path_join(exe_dir[0] ? exe_dir : ".", "../share/ghb-book/fonts");
    free(exe_dir);
    return dir;
}
