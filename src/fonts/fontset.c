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

int fontset_count(const fontset_t *fs) { return fs->n; }
const char *fontset_file(const fontset_t *fs, int font) { return fs->f[font].file; }

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

double fontset_advance(fontset_t *fs, int font, uint32_t cp) {
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(fs->f[font].font, cp, &g)) g = 0;
    return (double)hb_font_get_glyph_h_advance(fs->f[font].font, g) / fs->f[font].upem;
}

void fontset_use(fontset_t *fs, int font, uint32_t cp) { hb_set_add(fs->f[font].used, cp); }

bool fontset_used(const fontset_t *fs, int font) { return !hb_set_is_empty(fs->f[font].used); }

int fontset_subset(const fontset_t *fs, int font, const char *path) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return -1;
    hb_set_union(hb_subset_input_unicode_set(in), fs->f[font].used);
    /* libharu reads glyph names it does not need; drop hinting to keep files small */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *sub = hb_subset_or_fail(fs->f[font].face, in);
    hb_subset_input_destroy(in);
    if (!sub) return -1;
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    char err[256];
    int rc = write_atomic(path, data, len, err, sizeof err);
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
