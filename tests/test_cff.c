/* Unit tests of our CID-keyed CFF subsetter (fonts/cff.c): every glyph of the
   subset draws the outline of its original (HarfBuzz's own CFF interpreter
   reads both), keeps its CID, and a damaged table is refused, never read past. */
#include "check.h"
#include "fonts/cff.h"
#include "fonts/fontset.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/xalloc.h"
#include <hb-ot.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- outlines as text */

static void move_to(hb_draw_funcs_t *f, void *b, hb_draw_state_t *s, float x, float y, void *u) {
    (void)f, (void)s, (void)u;
    buf_printf(b, "M%g,%g ", x, y);
}
static void line_to(hb_draw_funcs_t *f, void *b, hb_draw_state_t *s, float x, float y, void *u) {
    (void)f, (void)s, (void)u;
    buf_printf(b, "L%g,%g ", x, y);
}
static void cubic_to(hb_draw_funcs_t *f, void *b, hb_draw_state_t *s, float x1, float y1, float x2,
                     float y2, float x, float y, void *u) {
    (void)f, (void)s, (void)u;
    buf_printf(b, "C%g,%g,%g,%g,%g,%g ", x1, y1, x2, y2, x, y);
}
static void close_path(hb_draw_funcs_t *f, void *b, hb_draw_state_t *s, void *u) {
    (void)f, (void)s, (void)u;
    buf_puts(b, "Z ");
}

static hb_draw_funcs_t *pen(void) {
    hb_draw_funcs_t *f = hb_draw_funcs_create();
    hb_draw_funcs_set_move_to_func(f, move_to, NULL, NULL);
    hb_draw_funcs_set_line_to_func(f, line_to, NULL, NULL);
    hb_draw_funcs_set_cubic_to_func(f, cubic_to, NULL, NULL);
    hb_draw_funcs_set_close_path_func(f, close_path, NULL, NULL);
    return f;
}

static void outline(hb_font_t *font, unsigned gid, hb_draw_funcs_t *f, buf_t *out) {
    out->len = 0;
    buf_puts(out, "");
    hb_font_get_glyph_shape(font, gid, f, out);
}

/* A bare CFF table made a font HarfBuzz can draw: the table, and a maxp
   giving its glyph count. */
static hb_font_t *font_of_cff(const buf_t *cff, unsigned n_glyphs) {
    hb_face_t *builder = hb_face_builder_create();
    hb_blob_t *t = hb_blob_create(cff->data, (unsigned)cff->len, HB_MEMORY_MODE_READONLY, 0, 0);
    hb_face_builder_add_table(builder, HB_TAG('C', 'F', 'F', ' '), t);
    char maxp[6] = {0, 0, 0x50, 0, (char)(n_glyphs >> 8), (char)n_glyphs};
    hb_blob_t *m = hb_blob_create(maxp, 6, HB_MEMORY_MODE_DUPLICATE, 0, 0);
    hb_face_builder_add_table(builder, HB_TAG('m', 'a', 'x', 'p'), m);
    hb_blob_t *whole = hb_face_reference_blob(builder);
    hb_face_t *face = hb_face_create(whole, 0);
    hb_font_t *font = hb_font_create(face);
    hb_blob_destroy(t), hb_blob_destroy(m), hb_blob_destroy(whole);
    hb_face_destroy(face), hb_face_destroy(builder);
    return font;
}

/* ---------------------------------------------------------------- the tests */

typedef struct {
    hb_face_t *face;
    hb_font_t *font;
    hb_blob_t *cff;
    const unsigned char *d;
    unsigned len, n;
} orig_t;

static bool open_font(const char *name, orig_t *o) {
    char *dir = fontset_default_dir(NULL),
         *path = name[0] == '/' ? xstrdup(name) : path_join(dir, name);
    hb_blob_t *file = hb_blob_create_from_file_or_fail(path);
    free(dir), free(path);
    if (!file) return false;
    o->face = hb_face_create(file, 0);
    hb_blob_destroy(file);
    o->font = hb_font_create(o->face);
    o->cff = hb_face_reference_table(o->face, HB_TAG('C', 'F', 'F', ' '));
    o->d = (const unsigned char *)hb_blob_get_data(o->cff, &o->len);
    o->n = hb_face_get_glyph_count(o->face);
    return o->len > 0;
}

static void close_font(orig_t *o) {
    hb_blob_destroy(o->cff);
    hb_font_destroy(o->font);
    hb_face_destroy(o->face);
}

/* Subsets every step-th glyph of the font (glyph 0 left to the subsetter)
   and compares each glyph's outline, and its CID, with the original's. */
static void same_outlines(const char *name, unsigned step) {
    orig_t o;
    CHECK(open_font(name, &o));
    if (!o.len) return close_font(&o);
    CHECK(cff_subsettable(o.d, o.len));
    size_t n = 0;
    uint32_t *glyphs = xmalloc((o.n / step + 2) * sizeof *glyphs);
    for (unsigned g = step; g < o.n; g += step)
        glyphs[n++] = g;
    if (glyphs[n - 1] != o.n - 1) glyphs[n++] = o.n - 1; /* the last glyph, past the last step */
    buf_t sub = {0};
    CHECK(cff_subset(o.d, o.len, glyphs, n, &sub));
    unsigned n_sub = (unsigned)n + 1;
    uint32_t *cid_orig = xmalloc(o.n * sizeof *cid_orig),
             *cid_sub = xmalloc(n_sub * sizeof *cid_sub);
    bool keyed = false;
    CHECK(cff_cids(o.d, o.len, o.n, cid_orig, NULL));
    CHECK(cff_cids((const unsigned char *)sub.data, sub.len, n_sub, cid_sub, &keyed) && keyed);
    hb_font_t *sf = font_of_cff(&sub, n_sub);
    CHECK(hb_face_get_glyph_count(hb_font_get_face(sf)) == n_sub);
    hb_draw_funcs_t *f = pen();
    buf_t a = {0}, b = {0};
    int differ = 0, cids = 0, empty = 0;
    for (unsigned i = 0; i < n_sub; i++) {
        unsigned g = i ? glyphs[i - 1] : 0;
        outline(o.font, g, f, &a);
        outline(sf, i, f, &b);
        if (strcmp(a.data, b.data) != 0 && differ++ < 3)
            fprintf(stderr, "%s glyph %u:\n  %.200s\n  %.200s\n", name, g, a.data, b.data);
        cids += cid_sub[i] != cid_orig[g];
        empty += a.len == 0;
    }
    CHECK(differ == 0);
    CHECK(cids == 0);
    CHECK(empty < (int)n_sub / 4); /* outlines were compared, not nothing with nothing */
    /* smaller than the font by far: no subroutines, only the glyphs asked for */
    CHECK(n * 4 > o.n || sub.len < o.len / 4);
    buf_free(&a), buf_free(&b), buf_free(&sub);
    hb_draw_funcs_destroy(f);
    hb_font_destroy(sf);
    free(glyphs), free(cid_orig), free(cid_sub);
    close_font(&o);
}

/* A table cut short or overwritten anywhere is refused or read in bounds
   (ASan and valgrind watch the reads); out is unchanged on refusal. */
static void damaged(void) {
    orig_t o;
    CHECK(open_font("NotoSansCJKsc-Regular.otf", &o));
    if (!o.len) return close_font(&o);
    uint32_t glyphs[] = {0, 1, 2, 3, 17, 1000, 20000, 65000};
    buf_t out = {0};
    buf_puts(&out, "kept");
    int refused = 0, cases = 0;
    for (unsigned cut = 0; cut < 4096; cut += 7, cases++) {
        bool ok = cff_subset(o.d, cut, glyphs, 8, &out);
        refused += !ok;
        if (!ok) CHECK(out.len == 4);
        out.len = 4;
    }
    CHECK(refused == cases); /* the charstrings lie far past 4 KB */
    unsigned char *copy = xmalloc(o.len);
    for (unsigned at = 0; at < 3000; at += 5) {
        memcpy(copy, o.d, o.len);
        copy[at] ^= 0xA5;
        cff_subset(copy, o.len, glyphs, 8, &out);
        out.len = 4;
    }
    /* and anywhere in the file, with glyphs all over it to read */
    uint32_t many[400];
    for (unsigned i = 0; i < 400; i++)
        many[i] = i * 163;
    uint32_t seed = 12345;
    for (int k = 0; k < 300; k++) {
        memcpy(copy, o.d, o.len);
        for (int j = 0; j < 8; j++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 4) % o.len] = (unsigned char)(seed >> 24);
        }
        cff_subset(copy, o.len, many, 400, &out);
        out.len = 4;
    }
    CHECK(!cff_subsettable((const unsigned char *)"\1\0\4\4", 4));
    CHECK(!cff_subset((const unsigned char *)"", 0, glyphs, 8, &out) && out.len == 4);
    free(copy);
    buf_free(&out);
    close_font(&o);
}

/* A Latin OpenType font's CFF is not CID-keyed: left to hb-subset. */
static void not_keyed(void) {
    const unsigned char name_keyed[] = {1, 0, 4, 1, 0, 1, 1, 1, 2, 'A', 0, 1, 1, 1, 2, 139, 17};
    CHECK(!cff_subsettable(name_keyed, sizeof name_keyed));
}

int main(int argc, char **argv) {
    /* the whole fonts with a step of 1; every 5th glyph by default; more
       fonts (absolute paths, face 0 of a collection) may follow */
    unsigned step = argc > 1 ? (unsigned)atoi(argv[1]) : 5;
    if (!step) step = 1;
    for (int i = 2; i < argc; i++)
        same_outlines(argv[i], step);
    same_outlines("NotoSerifCJKsc-Regular.otf", step);
    same_outlines("NotoSansCJKsc-Bold.otf", step + 2);
    same_outlines("NotoSansCJKsc-Regular.otf", step + 4);
    damaged();
    not_keyed();
    return check_done();
}
