/* Unit tests of shaping (para.c through HarfBuzz), system font fallback
   (fontset.c through fontconfig) and our own font embedding (fontembed.c). */
#include "check.h"
#include "layout/para.h"
#include "pdf/fontembed.h"
#include "util/xalloc.h"
#include <hpdf.h>
#include <stdlib.h>
#include <string.h>

static fontset_t *fs;
static const float EM = 10.5f;

static pstyle_t body(void) {
    return (pstyle_t){ROLE_BODY, EM, 0, -1, -1, false};
}

static void count_missing(void *ctx, uint32_t cp, size_t i) {
    (void)i;
    if (!(cp & PARA_RTL)) ++*(int *)ctx;
}

static lines_t layout(const char *text, int *missing) {
    para_t *p = para_new(fs, EM);
    para_text(p, text, strlen(text), body());
    lines_t l;
    int dummy = 0;
    para_layout(p, 40 * EM, 0, &l, count_missing, missing ? missing : &dummy);
    para_free(p);
    return l;
}

static void test_latin_kerning(void) {
    /* Noto Serif kerns A and V: V starts before A's advance ends */
    lines_t l = layout("AV", NULL);
    CHECK(l.n == 1 && l.lines[0].n == 2);
    if (l.n == 1 && l.lines[0].n == 2) {
        const glyph_t *a = &l.lines[0].g[0], *v = &l.lines[0].g[1];
        float nominal = (float)fontset_advance(fs, a->font, 'A') * EM;
        CHECK(v->x - a->x < nominal - 0.1f);
        CHECK(a->gid == fontset_gid(fs, a->font, 'A'));
    }
    lines_free(&l);
}

static void test_devanagari_conjunct(void) {
    /* क्ष (ka, virama, ssa) is one conjunct glyph; its cluster holds three characters */
    int missing = 0;
    lines_t l = layout("क्ष", &missing);
    CHECK(missing == 0);
    CHECK(l.n == 1 && l.lines[0].n == 1);
    if (l.n == 1 && l.lines[0].n == 1) {
        const glyph_t *g = &l.lines[0].g[0];
        CHECK(g->nchars == 3);
        CHECK(g->gid != fontset_gid(fs, g->font, 0x0915)); /* not the plain ka */
        const uint32_t *text;
        size_t n = fontset_glyph_text(fs, g->font, g->gid, &text);
        CHECK(n == 3 && text[0] == 0x0915 && text[1] == 0x094D && text[2] == 0x0937);
        CHECK(fontset_is_system(fs, g->font)); /* no bundled font has Devanagari */
    }
    lines_free(&l);
    /* कि: the vowel sign i is drawn before ka, both in one cluster */
    l = layout("कि", NULL);
    CHECK(l.n == 1 && l.lines[0].n == 2);
    if (l.n == 1 && l.lines[0].n == 2) {
        CHECK(l.lines[0].g[0].nchars == 2 && l.lines[0].g[1].nchars == 0);
        CHECK(l.lines[0].g[0].gid != fontset_gid(fs, l.lines[0].g[0].font, 0x0915));
    }
    lines_free(&l);
}

static void test_astral(void) {
    /* 𠮷 (Ext B) and 𝑥 (math italic) are drawn, from installed fonts */
    int missing = 0;
    lines_t l = layout("𠮷𝑥", &missing);
    CHECK(missing == 0);
    CHECK(l.n == 1 && l.lines[0].n == 2);
    if (l.n == 1 && l.lines[0].n == 2) {
        CHECK(l.lines[0].g[0].cp == 0x20BB7 && l.lines[0].g[0].gid != 0);
        CHECK(l.lines[0].g[1].cp == 0x1D465 && l.lines[0].g[1].gid != 0);
    }
    lines_free(&l);
}

static void test_emoji(void) {
    /* a skin-toned thumb is one colour glyph for two characters; its text is
       carried under the image by an outline glyph */
    int missing = 0;
    lines_t l = layout("👍🏽👨‍👩‍👧", &missing);
    CHECK(missing == 0);
    CHECK(l.n == 1 && l.lines[0].n == 2);
    if (l.n == 1 && l.lines[0].n == 2) {
        const glyph_t *g = &l.lines[0].g[0], *fam = &l.lines[0].g[1];
        CHECK(fontset_is_color(fs, g->font));
        CHECK(g->nchars == 2 && fam->nchars == 5);
        const uint32_t *text;
        CHECK(fontset_glyph_text(fs, g->font, g->gid, &text) == 2 && text[1] == 0x1F3FD);
        CHECK(fontset_glyph_text(fs, fam->font, fam->gid, &text) == 5 && text[1] == 0x200D);
        int cf;
        uint32_t cg;
        CHECK(fontset_carrier(fs, g->font, g->gid, &cf, &cg) && !fontset_is_color(fs, cf));
    }
    lines_free(&l);
    /* ❤ is in a bundled font, but VS16 asks for the emoji */
    l = layout("❤️", NULL);
    CHECK(l.n == 1 && l.lines[0].n == 1 && fontset_is_color(fs, l.lines[0].g[0].font));
    lines_free(&l);
}

static void rtl_count(void *ctx, uint32_t cp, size_t i) {
    (void)i;
    if (cp & PARA_RTL) ++*(int *)ctx;
}

static void test_rtl_warning(void) {
    int rtl = 0;
    para_t *p = para_new(fs, EM);
    para_text(p, "abc שלום", strlen("abc שלום"), body());
    lines_t l;
    para_layout(p, 40 * EM, 0, &l, rtl_count, &rtl);
    CHECK(rtl == 1);
    lines_free(&l);
    para_free(p);
}

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user) {
    (void)detail;
    *(HPDF_STATUS *)user = e;
}

static void test_embedding(void) {
    /* glyphs drawn get CIDs in the subset, others none; a page takes the run */
    lines_t l = layout("Type 字 𠮷", NULL);
    HPDF_STATUS err = 0;
    HPDF_Doc pdf = HPDF_New(on_error, &err);
    diags_t d;
    diags_init(&d);
    fontembed_t *fe = fontembed_new(pdf, NULL, fs, &d);
    CHECK(fe != NULL && d.errors == 0);
    if (fe && l.n == 1) {
        for (size_t i = 0; i < l.lines[0].n; i++) {
            const glyph_t *g = &l.lines[0].g[i];
            if (g->cp != ' ') CHECK(fontembed_cid(fe, g->font, g->gid) > 0);
        }
        const glyph_t *t = &l.lines[0].g[0];
        CHECK(fontembed_cid(fe, t->font, fontset_gid(fs, t->font, 'Q')) == -1);
        HPDF_Page pg = HPDF_AddPage(pdf);
        HPDF_Page_BeginText(pg);
        fontembed_line(fe, pg, &l.lines[0], 72, 700);
        HPDF_Page_EndText(pg);
        CHECK(HPDF_SaveToStream(pdf) == HPDF_OK);
        CHECK(err == 0);
    }
    fontembed_free(fe);
    HPDF_Free(pdf);
    diags_free(&d);
    lines_free(&l);
}

/* The document of one line, its fonts subset now (out NULL) or, for the CJK
   font, on the deflating thread with the original font's CIDs (#14). */
static void embedded_doc(const lines_t *l, bool later, buf_t *bytes) {
    HPDF_STATUS err = 0;
    HPDF_Doc pdf = HPDF_New(on_error, &err);
    pdfout_t *out = pdfout_new(pdf);
    diags_t d;
    diags_init(&d);
    fontembed_t *fe = fontembed_new(pdf, later ? out : NULL, fs, &d);
    CHECK(fe != NULL && d.errors == 0);
    if (fe) {
        pdfout_streams_done(out);
        HPDF_Page pg = HPDF_AddPage(pdf);
        HPDF_Page_BeginText(pg);
        fontembed_line(fe, pg, &l->lines[0], 72, 700);
        HPDF_Page_EndText(pg);
        CHECK(pdfout_write(out, true, bytes) == 0 && err == 0);
    }
    fontembed_free(fe);
    pdfout_free(out);
    HPDF_Free(pdf);
    diags_free(&d);
}

/* The bytes of the k-th stream (from 0) of a written document. */
static bool nth_stream(const buf_t *doc, int k, const char **s, size_t *n) {
    const char *p = doc->data, *end = doc->data + doc->len;
    for (int i = 0; p && p < end; i++) {
        p = memmem(p, (size_t)(end - p), "stream\r\n", 8);
        if (!p) return false;
        p += 8;
        const char *e = memmem(p, (size_t)(end - p), "\nendstream", 10);
        if (!e) return false;
        if (i == k) return *s = p, *n = (size_t)(e - p), true;
        p = e;
    }
    return false;
}

static void test_embedding_later(void) {
    /* the subsets made beside the drawing are the ones made at once: every font
       program (each stream, in order) the same bytes; only /W is written
       differently (a text object of pdfout's, or a libharu array) */
    lines_t l = layout("Type 字体排印 𠮷 — 中文", NULL);
    buf_t now = {0}, later = {0};
    CHECK(l.n == 1);
    if (l.n == 1) {
        embedded_doc(&l, false, &now);
        embedded_doc(&l, true, &later);
        CHECK(now.len > 1000 && later.len > 1000);
        int k = 0, same = 0;
        const char *a, *b;
        size_t na, nb;
        for (; nth_stream(&now, k, &a, &na) && nth_stream(&later, k, &b, &nb); k++)
            same += na == nb && memcmp(a, b, na) == 0;
        CHECK(k >= 6 && same == k); /* fonts, ToUnicode maps, the page */
    }
    buf_free(&now), buf_free(&later);
    lines_free(&l);
}

int main(void) {
    const char *chains[ROLE_COUNT][CHAIN_MAX] = {
        {"NotoSerif-Regular.ttf", "NotoSerifCJKsc-Regular.otf"},
        {"NotoSans-Regular.ttf", "NotoSansCJKsc-Regular.otf"},
        {"LXGWWenKai-Regular.ttf", "NotoSerifCJKsc-Regular.otf"},
        {"NotoSansMono-Regular.ttf", "NotoSansCJKsc-Regular.otf"}};
    diags_t d;
    diags_init(&d);
    char *dir = fontset_default_dir(NULL);
    fs = fontset_open(dir, chains, &d);
    free(dir);
    CHECK(d.errors == 0);
    test_latin_kerning();
    test_devanagari_conjunct();
    test_astral();
    test_rtl_warning();
    test_emoji();
    test_embedding();
    test_embedding_later();
    fontset_free(fs);
    para_release();
    diags_free(&d);
    return check_done();
}
