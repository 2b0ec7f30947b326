#include "fontset.h"
#include "../util/exepath.h"
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
    hb_set_t *used;   /* characters drawn */
    hb_set_t *glyphs; /* glyphs drawn */
    bool han;         /* covers 中: a Han font */
    unsigned n_glyphs;
    uint32_t *text_at; /* glyph -> 1 + offset of its text in pool, 0: none (lazy) */
    uint32_t *pool;    /* per text: its length, then its characters */
    size_t n_pool, cap_pool;
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
    f->glyphs = hb_set_create();
    f->n_glyphs = hb_face_get_glyph_count(f->face);
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
        hb_set_destroy(fs->f[i].glyphs);
        free(fs->f[i].text_at);
        free(fs->f[i].pool);
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
    for (int k = 0; k < fs->n_chain[role]; k++)
        if (!fs->f[fs->chain[role][k]].han && has(fs, fs->chain[role][k], cp))
            return fs->chain[role][k];
    return fontset_pick(fs, role, cp);
}

uint32_t fontset_gid(fontset_t *fs, int font, uint32_t cp) {
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(fs->f[font].font, cp, &g) ? g : 0;
}

double fontset_glyph_advance(fontset_t *fs, int font, uint32_t gid) {
    return (double)hb_font_get_glyph_h_advance(fs->f[font].font, gid) / fs->f[font].upem;
}

double fontset_advance(fontset_t *fs, int font, uint32_t cp) {
    return fontset_glyph_advance(fs, font, fontset_gid(fs, font, cp));
}

void fontset_use_glyph(fontset_t *fs, int font, uint32_t gid, const uint32_t *text, size_t n) {
    face_t *f = &fs->f[font];
    if (gid >= f->n_glyphs) return;
    hb_set_add(f->glyphs, gid);
    for (size_t i = 0; i < n; i++)
        hb_set_add(f->used, text[i]);
    if (!n) return;
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
    uint32_t gid = fontset_gid(fs, font, cp);
    fontset_use_glyph(fs, font, gid, &cp, 1);
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
