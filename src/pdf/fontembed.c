#include "fontembed.h"
#include "../fonts/cff.h"
#include "../fonts/cpmap.h"
#include "emoji.h"
#include "press.h"
#include "output.h"
#include "pdfnum.h"
#include "../math/texmath.h"
#include "../highlight/hl.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <hb-ot.h>
#include <hb-subset.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest run of code's wide characters one span holds. */
#define CELL_RUN_MAX 64

typedef struct {
    HPDF_Dict type0;   /* NULL: the font is not embedded */
    char res[16];      /* its resource name on pages */
    uint32_t *cid;     /* original glyph -> 1 + CID; 0: not in the subset */
    unsigned n_glyphs; /* of the original font */
    double to1000;     /* font units -> glyph space (1/1000 em) */
    cpmap_t *drawn_w;  /* original glyph -> 1 + width_of, 0: not asked yet (fontembed_line) */
} efont_t;

typedef struct {
    int font;
    uint32_t gid;
    HPDF_Image im; /* NULL: the glyph has no bitmap */
} emoji_t;

struct fontembed {
    HPDF_Doc pdf;
    pdfout_t *out; /* deflates the streams; subsets CID-keyed fonts on its thread */
    fontset_t *fs;
    efont_t *f;
    int n;
    buf_t ops;      /* scratch for one line's operators */
    emoji_t *emoji; /* colour glyphs turned into images so far */
    size_t n_emoji, cap_emoji;
    bool no_spans;        /* the caller gives clusters their ActualText (fontembed_spans) */
    bool relative;        /* a formula's runs: Td moves, Tf only on a change (fontembed_relative) */
    bool gray;            /* colours as DeviceGray luminance (fontembed_gray: press output) */
    const print_t *press; /* press output: emoji as its pictures (fontembed_press) */
    uint32_t cells[CELL_RUN_MAX]; /* cell_text's text */
    uint32_t
        cp; /* a one-character cluster's text, returned by pointer (glyph_t's cp is a bit-field) */
};

static unsigned be(const unsigned char *p, int n) {
    unsigned v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* ---------------------------------------------------------------- dictionaries */

static HPDF_Dict indirect(HPDF_Doc pdf) {
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (d) HPDF_Xref_Add(pdf->xref, d);
    return d;
}

static HPDF_Dict stream(HPDF_Doc pdf, const void *data, size_t len) {
    HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!d) return NULL;
    d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (len) HPDF_Stream_Write(d->stream, data, (HPDF_UINT)len);
    return d;
}

/* The PostScript name, cut to what a PDF name may hold unescaped. */
static void ps_name(hb_face_t *face, int font, char *out, size_t cap) {
    char raw[64];
    unsigned n = sizeof raw;
    n = hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &n, raw) ? n
                                                                                               : 0;
    size_t k = 0;
    for (unsigned i = 0; i < n && raw[i] && k + 1 < cap; i++)
        if (raw[i] > 0x20 && raw[i] < 0x7F && !strchr("()<>[]{}/%#", raw[i])) out[k++] = raw[i];
    if (!k) k = (size_t)snprintf(out, cap, "Font%d", font);
    out[k] = 0;
}

/* Six capitals naming this subset (PDF 9.6.4), the same for the same glyphs. */
static void subset_tag(const hb_set_t *glyphs, int font, char tag[7]) {
    uint32_t h = 2166136261u ^ (uint32_t)font;
    hb_codepoint_t g = HB_SET_VALUE_INVALID;
    while (hb_set_next(glyphs, &g))
        h = (h ^ g) * 16777619u;
    for (int i = 0; i < 6; i++, h /= 26)
        tag[i] = (char)('A' + h % 26);
    tag[6] = 0;
}

static int width_of(const efont_t *e, hb_font_t *font, uint32_t gid) {
    return (int)lround(hb_font_get_glyph_h_advance(font, gid) * e->to1000);
}

/* width_of for the glyphs of the text drawn, each asked of HarfBuzz once: the
   handbook's lines ask 47,000 times for a few hundred glyphs (#14). */
static int drawn_width(efont_t *e, hb_font_t *font, uint32_t gid) {
    uint32_t v = cpmap_get(e->drawn_w, gid);
    if (v) return (int)(v - 1);
    int w = width_of(e, font, gid);
    if ((uint32_t)w + 1) cpmap_set(&e->drawn_w, gid, (uint32_t)w + 1);
    return w;
}

/* The CIDs drawn, ascending: CIDs of a CJK font run to 65,535 and a book
   draws a thousand of them, which /W and ToUnicode then walk (#14: three walks
   of every CID of three CJK fonts were 3 M instructions). */
static uint32_t *drawn_cids(const uint32_t *gid_of, uint32_t n_cids, size_t *n) {
    uint32_t *v = xmalloc((n_cids + 1) * sizeof *v);
    *n = 0;
    for (uint32_t c = 0; c < n_cids; c++)
        if (gid_of[c] != UINT32_MAX) v[(*n)++] = c;
    return v;
}

/* /W: runs of consecutive CIDs with their widths. */
static HPDF_Array widths(HPDF_Doc pdf, const efont_t *e, hb_font_t *font, const uint32_t *gid_of,
                         const uint32_t *cids, size_t n_used) {
    HPDF_Array w = HPDF_Array_New(pdf->mmgr), run = NULL;
    /* libharu grows an array by 20 items, copying it byte by byte each time: a
       CJK font's thousands of entries took 4.4 M instructions (#14). Two a run. */
    HPDF_UINT n = 0;
    for (size_t i = 0; i < n_used; i++)
        n += i == 0 || cids[i - 1] + 1 != cids[i] ? 2 : 0;
    if (w && n > w->list->items_per_block) w->list->items_per_block = n;
    long last = -2;
    for (size_t i = 0; i < n_used; i++) {
        uint32_t c = cids[i];
        if ((long)c != last + 1) {
            HPDF_Array_AddNumber(w, (HPDF_INT32)c);
            run = HPDF_Array_New(pdf->mmgr);
            HPDF_Array_Add(w, run);
        }
        HPDF_Array_AddNumber(run, width_of(e, font, gid_of[c]));
        last = c;
    }
    return w;
}

/* /W as text for pdfout: "[c [w w …] c [w …] …]" (#14: a CJK font's thousand
   widths as libharu numbers and arrays were 2 M instructions on the drawing
   thread). */
static void widths_text(buf_t *b, const efont_t *e, hb_font_t *font, const uint32_t *gid_of,
                        const uint32_t *cids, size_t n_used) {
    buf_putc(b, '[');
    for (size_t i = 0; i < n_used; i++) {
        if (i == 0 || cids[i - 1] + 1 != cids[i]) {
            if (i) buf_puts(b, "] ");
            put_uint(b, cids[i]);
            buf_puts(b, " [");
        } else {
            buf_putc(b, ' ');
        }
        put_int(b, width_of(e, font, gid_of[cids[i]]));
    }
    buf_puts(b, n_used ? "]]" : "]");
}

static void put_utf16(buf_t *b, uint32_t cp) {
    if (cp > 0xFFFF) {
        put_hex4(b, 0xD800 + ((cp - 0x10000) >> 10));
        put_hex4(b, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
        put_hex4(b, cp);
    }
}

/* ToUnicode: each CID to the text its glyph was drawn for, in blocks of 100. */
static HPDF_Dict to_unicode(HPDF_Doc pdf, fontset_t *fs, int font, const uint32_t *gid_of,
                            const uint32_t *cids, size_t n_used) {
    buf_t b = {0}, body = {0};
    buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                 "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int in_block = 0;
    char s[32];
    for (size_t i = 0; i < n_used; i++) {
        uint32_t c = cids[i];
        const uint32_t *text;
        size_t n = fontset_glyph_text(fs, font, gid_of[c], &text);
        if (!n) continue;
        buf_putc(&body, '<'); /* a CID is below 65,536 */
        put_hex4(&body, c);
        buf_puts(&body, "> <");
        for (size_t k = 0; k < n; k++)
            put_utf16(&body, text[k]);
        buf_puts(&body, ">\n");
        if (++in_block == 100) {
            buf_puts(&b, "100 beginbfchar\n");
            buf_put(&b, body.data, body.len);
            buf_puts(&b, "endbfchar\n");
            body.len = 0, in_block = 0;
        }
    }
    if (in_block) {
        snprintf(s, sizeof s, "%d beginbfchar\n", in_block);
        buf_puts(&b, s);
        buf_put(&b, body.data, body.len);
        buf_puts(&b, "endbfchar\n");
    }
    buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Dict d = stream(pdf, b.data, b.len);
    buf_free(&b);
    buf_free(&body);
    return d;
}

static int16_t head_i16(hb_face_t *face, unsigned off) {
    hb_blob_t *t = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(t, &len);
    int16_t v = len >= off + 2 ? (int16_t)be(d + off, 2) : 0;
    hb_blob_destroy(t);
    return v;
}

static HPDF_Dict descriptor(HPDF_Doc pdf, const efont_t *e, hb_face_t *face, hb_font_t *font,
                            const char *name, HPDF_Dict file, bool cff) {
    HPDF_Dict d = indirect(pdf);
    HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    HPDF_Dict_AddName(d, "FontName", name);
    HPDF_Dict_AddNumber(d, "Flags", 4); /* symbolic: glyphs outside the standard Latin set */
    HPDF_Array bbox = HPDF_Array_New(pdf->mmgr);
    for (unsigned off = 36; off <= 42; off += 2)
        HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(head_i16(face, off) * e->to1000));
    HPDF_Dict_Add(d, "FontBBox", bbox);
    HPDF_Dict_AddNumber(d, "ItalicAngle", 0);
    hb_font_extents_t ext = {0};
    hb_font_get_h_extents(font, &ext);
    hb_position_t cap = 0;
    if (!hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap)) cap = ext.ascender;
    HPDF_Dict_AddNumber(d, "Ascent", (HPDF_INT32)lround(ext.ascender * e->to1000));
    HPDF_Dict_AddNumber(d, "Descent", (HPDF_INT32)lround(ext.descender * e->to1000));
    HPDF_Dict_AddNumber(d, "CapHeight", (HPDF_INT32)lround(cap * e->to1000));
    HPDF_Dict_AddNumber(d, "StemV", 80);
    HPDF_Dict_Add(d, cff ? "FontFile3" : "FontFile2", file);
    return d;
}

/* The subset's program: the bare CFF table, or the whole TrueType file. */
static HPDF_Dict program(HPDF_Doc pdf, hb_face_t *sub, bool *cff, hb_blob_t **cff_blob) {
    hb_blob_t *t = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const char *data = hb_blob_get_data(t, &len);
    *cff = len > 0;
    HPDF_Dict file;
    if (*cff) {
        file = stream(pdf, data, len);
        HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
        *cff_blob = t;
        return file;
    }
    hb_blob_destroy(t);
    hb_blob_t *all = hb_face_reference_blob(sub);
    data = hb_blob_get_data(all, &len);
    file = stream(pdf, data, len);
    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
    hb_blob_destroy(all);
    return file;
}

/* What to keep, given to hb-subset as characters where it can: given any
   glyph id, HarfBuzz 6.0 walks the font's whole cmap (13 % of the handbook's
   PDF time, for its CJK fonts); given characters only, it looks up just those.
   A glyph that is a character's own glyph goes in as that character; a glyph
   only shaping reaches (a ligature, a conjunct, a variant) as itself. */
static void keep(hb_subset_input_t *in, fontset_t *fs, int font, const hb_set_t *glyphs) {
    hb_font_t *hf = fontset_hb_font(fs, font);
    hb_set_t *gs = hb_subset_input_glyph_set(in), *us = hb_subset_input_unicode_set(in);
    hb_codepoint_t g = HB_SET_VALUE_INVALID, nominal;
    while (hb_set_next(glyphs, &g)) {
        const uint32_t *text;
        size_t n = fontset_glyph_text(fs, font, g, &text);
        bool own = false;
        for (size_t i = 0; i < n && !own; i++)
            own = hb_font_get_nominal_glyph(hf, text[i], &nominal) && nominal == g;
        for (size_t i = 0; i < n && own; i++)
            if (hb_font_get_nominal_glyph(hf, text[i], &nominal) && nominal == g)
                hb_set_add(us, text[i]);
        if (!own && g) hb_set_add(gs, g);
    }
}

/* What hb-subset is asked for: the font's glyphs, without the tables a PDF
   reader does not use. */
static hb_subset_input_t *subset_input(fontset_t *fs, int font) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    keep(in, fs, font, fontset_glyphs(fs, font));
    /* a PDF reader needs outlines and metrics only: shaping tables stay out */
    static const hb_tag_t drop[] = {
        HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
        HB_TAG('C', 'O', 'L', 'R'), HB_TAG('C', 'P', 'A', 'L'), HB_TAG('S', 'V', 'G', ' '),
        HB_TAG('C', 'B', 'D', 'T'), HB_TAG('C', 'B', 'L', 'C'), HB_TAG('s', 'b', 'i', 'x'),
        HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'),
        HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('S', 'T', 'A', 'T'),
        HB_TAG('n', 'a', 'm', 'e'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('h', 'd', 'm', 'x'),
        HB_TAG('L', 'T', 'S', 'H'), HB_TAG('V', 'D', 'M', 'X'), HB_TAG('g', 'a', 's', 'p')};
    hb_set_t *dt = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        hb_set_add(dt, drop[i]);
    /* of a CFF font the PDF takes the bare CFF table (program()): the sfnt
       tables around it would be subset for nothing (post's glyph names, cmap) */
    hb_blob_t *cff = hb_face_reference_table(fontset_hb_face(fs, font), HB_TAG('C', 'F', 'F', ' '));
    if (hb_blob_get_length(cff) > 0) {
        static const hb_tag_t sfnt[] = {HB_TAG('c', 'm', 'a', 'p'), HB_TAG('p', 'o', 's', 't'),
                                        HB_TAG('O', 'S', '/', '2'), HB_TAG('h', 'm', 't', 'x'),
                                        HB_TAG('h', 'h', 'e', 'a')};
        for (size_t i = 0; i < sizeof sfnt / sizeof *sfnt; i++)
            hb_set_add(dt, sfnt[i]);
    }
    hb_blob_destroy(cff);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
    return in;
}

static hb_face_t *make_subset(fontset_t *fs, int font, const hb_map_t **old_to_new,
                              hb_subset_plan_t **plan_out) {
    hb_face_t *face = fontset_hb_face(fs, font);
    hb_subset_input_t *in = subset_input(fs, font);
    if (!in) return NULL;
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
    hb_subset_input_destroy(in);
    if (!plan) return NULL;
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    *plan_out = plan;
    return sub;
}

/* A font's program in the PDF and its CIDs: e->cid (original glyph -> 1 + CID)
   and gid_of (CID -> original glyph, UINT32_MAX: none; n_cids of them). */
typedef struct {
    HPDF_Dict file;
    bool cff;
    uint32_t *gid_of, n_cids;
} program_t;

/* Subsets the font now: its CIDs are the subset's. */
static int subset_now(fontembed_t *fe, int font, program_t *p) {
    efont_t *e = &fe->f[font];
    const hb_set_t *used = fontset_glyphs(fe->fs, font);
    const hb_map_t *map = NULL; /* owned by the plan */
    hb_subset_plan_t *plan = NULL;
    hb_face_t *sub = make_subset(fe->fs, font, &map, &plan);
    if (!sub) {
        if (plan) hb_subset_plan_destroy(plan);
        return -1;
    }
    hb_blob_t *cff_blob = NULL;
    p->file = program(fe->pdf, sub, &p->cff, &cff_blob);
    unsigned n_new = hb_face_get_glyph_count(sub);
    uint32_t *cid_of_new = xmalloc((n_new + 1) * sizeof *cid_of_new);
    for (unsigned g = 0; g < n_new; g++)
        cid_of_new[g] = g;
    if (p->cff) {
        unsigned len;
        const unsigned char *d = (const unsigned char *)hb_blob_get_data(cff_blob, &len);
        cff_cids(d, len, n_new, cid_of_new, NULL);
        hb_blob_destroy(cff_blob);
    }
    /* original glyph -> CID, and back (for /W and ToUnicode) */
    e->cid = xcalloc(e->n_glyphs, sizeof *e->cid);
    uint32_t n_cids = 0;
    for (unsigned g = 0; g < n_new; g++)
        if (cid_of_new[g] + 1 > n_cids) n_cids = cid_of_new[g] + 1;
    uint32_t *gid_of = xmalloc((n_cids + 1) * sizeof *gid_of);
    memset(gid_of, 0xFF, n_cids * sizeof *gid_of); /* UINT32_MAX: none */
    hb_codepoint_t old = HB_SET_VALUE_INVALID;
    hb_set_t *all = hb_set_create();
    hb_set_union(all, used);
    hb_set_add(all, 0);
    while (hb_set_next(all, &old)) {
        hb_codepoint_t nw = hb_map_get(map, old);
        if (nw == HB_MAP_VALUE_INVALID || nw >= n_new || old >= e->n_glyphs) continue;
        e->cid[old] = cid_of_new[nw] + 1;
        gid_of[cid_of_new[nw]] = old;
    }
    hb_set_destroy(all);
    p->gid_of = gid_of, p->n_cids = n_cids;
    free(cid_of_new);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    fontset_drop_pages(fe->fs, font); /* the subset is made: the file's pages may go */
    return 0;
}

/* ---------------------------------------------------------------- subsetting on the second thread
 */

/* A CID-keyed CFF font (the CJK fonts) keeps its glyphs' CIDs in a subset:
   hb-subset writes the original CIDs into the subset's charset. So the pages
   can be drawn with the CIDs of the original font while the subset is made on
   the deflating thread (#14: the handbook's Serif CJK took 8-12 ms, a third of
   it planning, on the critical path). What that thread needs is its own: */
typedef struct {
    hb_face_t *face;       /* a reference */
    hb_subset_input_t *in; /* NULL: cff_subset makes the subset */
    uint32_t *cid;         /* e->cid's copy: original glyph -> 1 + CID drawn, 0: not drawn */
    unsigned n_glyphs;
    fontset_t *fs; /* for fontset_drop_pages once the subset is made */
    int font;
} later_t;

/* Every glyph drawn has in the subset the CID it was drawn with. */
static bool cids_kept(const later_t *l, hb_subset_plan_t *plan, hb_face_t *sub) {
    hb_blob_t *t = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
    unsigned len, n_new = hb_face_get_glyph_count(sub);
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(t, &len);
    uint32_t *cid = xmalloc((n_new + 1) * sizeof *cid);
    bool ok = len && cff_cids(d, len, n_new, cid, NULL);
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (unsigned old = 0; ok && old < l->n_glyphs; old++) {
        if (!l->cid[old]) continue;
        hb_codepoint_t nw = hb_map_get(map, old);
        ok = nw != HB_MAP_VALUE_INVALID && nw < n_new && cid[nw] + 1 == l->cid[old];
    }
    free(cid);
    hb_blob_destroy(t);
    return ok;
}

/* hb-subset's subset of a table cff_subset does not take, when it keeps
   every CID drawn. */
static bool hb_later(const later_t *l, buf_t *raw) {
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(l->face, l->in);
    hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    bool kept = sub && cids_kept(l, plan, sub);
    if (kept) {
        hb_blob_t *t = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
        unsigned len;
        const char *d = hb_blob_get_data(t, &len);
        buf_put(raw, d, len);
        hb_blob_destroy(t);
    }
    if (sub) hb_face_destroy(sub);
    if (plan) hb_subset_plan_destroy(plan);
    return kept;
}

/* Our own subset: the glyphs drawn, and glyph 0. */
static bool own_later(const later_t *l, const unsigned char *d, unsigned len, buf_t *raw) {
    uint32_t *glyphs = xmalloc((l->n_glyphs + 1) * sizeof *glyphs);
    size_t n = 0;
    for (unsigned g = 0; g < l->n_glyphs; g++)
        if (l->cid[g]) glyphs[n++] = g;
    bool ok = cff_subset(d, len, glyphs, n, raw);
    free(glyphs);
    return ok;
}

/* Runs on the deflating thread (pdfout_later): the subset's CFF table. Should
   the subset fail or not keep a CID (a HarfBuzz that renumbers them), the
   whole CFF table goes in instead: larger, but it draws what the pages say. */
static void make_later(void *arg, buf_t *raw) {
    later_t *l = arg;
    if (raw) {
        hb_blob_t *t = hb_face_reference_table(l->face, HB_TAG('C', 'F', 'F', ' '));
        unsigned len;
        const unsigned char *d = (const unsigned char *)hb_blob_get_data(t, &len);
        if (!(l->in ? hb_later(l, raw) : own_later(l, d, len, raw)))
            buf_put(raw, (const char *)d, len);
        hb_blob_destroy(t);
        fontset_drop_pages(l->fs, l->font); /* the file's pages may go */
    }
    if (l->in) hb_subset_input_destroy(l->in);
    hb_face_destroy(l->face);
    free(l->cid);
    free(l);
}

/* e->cid and the program's CIDs when every glyph drawn keeps in the subset a
   CID known now: orig[g] (a CID-keyed CFF's charset), or g itself (orig NULL:
   a TrueType font subset with its glyph ids retained). */
static void cids_from(fontembed_t *fe, int font, const uint32_t *orig, program_t *p) {
    efont_t *e = &fe->f[font];
    e->cid = xcalloc(e->n_glyphs, sizeof *e->cid);
    uint32_t n_cids = 0;
    hb_codepoint_t old = HB_SET_VALUE_INVALID;
    hb_set_t *all = hb_set_create();
    hb_set_union(all, fontset_glyphs(fe->fs, font));
    hb_set_add(all, 0);
    while (hb_set_next(all, &old))
        if (old < e->n_glyphs) {
            uint32_t c = orig ? orig[old] : old;
            e->cid[old] = c + 1;
            if (c + 1 > n_cids) n_cids = c + 1;
        }
    p->gid_of = xmalloc((n_cids + 1) * sizeof *p->gid_of);
    memset(p->gid_of, 0xFF, n_cids * sizeof *p->gid_of); /* UINT32_MAX: none */
    for (old = HB_SET_VALUE_INVALID; hb_set_next(all, &old);)
        if (old < e->n_glyphs) p->gid_of[orig ? orig[old] : old] = old;
    p->n_cids = n_cids;
    hb_set_destroy(all);
}

/* Runs make on the deflating thread, or now without one (the same bytes). */
static void program_later(fontembed_t *fe, program_t *p, pdfout_make_fn make, later_t *l,
                          bool length1) {
    if (fe->out) {
        pdfout_later(fe->out, p->file, make, l, length1);
        return;
    }
    buf_t raw = {0};
    make(l, &raw);
    HPDF_Stream_Write(p->file->stream, (const HPDF_BYTE *)raw.data, (HPDF_UINT)raw.len);
    if (length1) HPDF_Dict_AddNumber(p->file, "Length1", (HPDF_INT32)raw.len);
    buf_free(&raw);
}

/* The CIDs of a CID-keyed CFF font from its own charset, and the subset left
   to the deflating thread; false (nothing done) for any other font. */
static bool subset_later(fontembed_t *fe, int font, program_t *p) {
    efont_t *e = &fe->f[font];
    hb_face_t *face = fontset_hb_face(fe->fs, font);
    hb_blob_t *t = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(t, &len);
    uint32_t *orig = xmalloc((e->n_glyphs + 1) * sizeof *orig);
    bool keyed = false;
    bool ok = len && cff_cids(d, len, e->n_glyphs, orig, &keyed) && keyed;
    bool own = ok && cff_subsettable(d, len);
    hb_blob_destroy(t);
    hb_subset_input_t *in = ok && !own ? subset_input(fe->fs, font) : NULL;
    if (!own && !in) {
        free(orig);
        return false;
    }
    cids_from(fe, font, orig, p);
    free(orig);
    p->cff = true;
    p->file = stream(fe->pdf, NULL, 0);
    HPDF_Dict_AddName(p->file, "Subtype", "CIDFontType0C");
    later_t *l = xmalloc(sizeof *l);
    *l = (later_t){hb_face_reference(face),
                   in,
                   xmalloc(e->n_glyphs * sizeof *l->cid + 1),
                   e->n_glyphs,
                   fe->fs,
                   font};
    memcpy(l->cid, e->cid, e->n_glyphs * sizeof *l->cid);
    program_later(fe, p, make_later, l, false);
    return true;
}

/* Runs on the deflating thread: a TrueType font's subset with its glyph ids
   retained, or, should hb-subset fail, the whole font (whose ids they are). */
static void make_ttf_later(void *arg, buf_t *raw) {
    later_t *l = arg;
    if (raw) {
        hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(l->face, l->in);
        hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
        hb_blob_t *b = hb_face_reference_blob(sub ? sub : l->face);
        unsigned len;
        const char *d = hb_blob_get_data(b, &len);
        buf_put(raw, d, len);
        hb_blob_destroy(b);
        if (sub) hb_face_destroy(sub);
        if (plan) hb_subset_plan_destroy(plan);
        fontset_drop_pages(l->fs, l->font);
    }
    hb_subset_input_destroy(l->in);
    hb_face_destroy(l->face);
    free(l);
}

/* A TrueType font drawn with its own glyph ids as CIDs (CIDToGIDMap
   Identity): the subset keeps them (RETAIN_GIDS; the glyphs left out are
   empty), so it is made on the deflating thread like the CJK fonts' (#14: the
   drawing thread had waited 1-1.5 ms for the handbook's six). False (nothing
   done) for any other font. */
static bool subset_ttf_later(fontembed_t *fe, int font, program_t *p) {
    hb_face_t *face = fontset_hb_face(fe->fs, font);
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    bool ttf = hb_blob_get_length(glyf) > 0;
    hb_blob_destroy(glyf);
    hb_subset_input_t *in = ttf ? subset_input(fe->fs, font) : NULL;
    if (!in) return false;
    hb_subset_input_set_flags(in, hb_subset_input_get_flags(in) | HB_SUBSET_FLAGS_RETAIN_GIDS);
    cids_from(fe, font, NULL, p);
    p->cff = false;
    p->file = stream(fe->pdf, NULL, 0);
    later_t *l = xmalloc(sizeof *l);
    *l = (later_t){hb_face_reference(face), in, NULL, fe->f[font].n_glyphs, fe->fs, font};
    program_later(fe, p, make_ttf_later, l, true);
    return true;
}

/* ---------------------------------------------------------------- one font */

static int embed_one(fontembed_t *fe, int font) {
    efont_t *e = &fe->f[font];
    HPDF_Doc pdf = fe->pdf;
    hb_face_t *face = fontset_hb_face(fe->fs, font);
    hb_font_t *hf = fontset_hb_font(fe->fs, font);
    const hb_set_t *used = fontset_glyphs(fe->fs, font);
    e->n_glyphs = hb_face_get_glyph_count(face);
    e->to1000 = 1000.0 / hb_face_get_upem(face);
    program_t p = {0};
    if (!subset_later(fe, font, &p) && !subset_ttf_later(fe, font, &p) &&
        subset_now(fe, font, &p) != 0)
        return -1;
    HPDF_Dict file = p.file;
    bool cff = p.cff;
    uint32_t *gid_of = p.gid_of, n_cids = p.n_cids;
    char name[80], base[64], tag[7];
    ps_name(face, font, base, sizeof base);
    subset_tag(used, font, tag);
    snprintf(name, sizeof name, "%s+%s", tag, base);

    HPDF_Dict cid = indirect(pdf);
    HPDF_Dict_AddName(cid, "Type", "Font");
    HPDF_Dict_AddName(cid, "Subtype", cff ? "CIDFontType0" : "CIDFontType2");
    HPDF_Dict_AddName(cid, "BaseFont", name);
    HPDF_Dict info = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    HPDF_Dict_Add(cid, "FontDescriptor", descriptor(pdf, e, face, hf, name, file, cff));
    HPDF_Dict_AddNumber(cid, "DW", 1000);
    size_t n_used;
    uint32_t *cids = drawn_cids(gid_of, n_cids, &n_used);
    unsigned w_num = 0;
    void *w_obj = fe->out ? pdfout_reserve(fe->out, &w_num) : NULL;
    if (w_obj) {
        buf_t t = {0};
        widths_text(&t, e, hf, gid_of, cids, n_used);
        pdfout_text(fe->out, w_num, t.data, t.len);
        buf_free(&t);
        HPDF_Dict_Add(cid, "W", w_obj);
    } else {
        HPDF_Dict_Add(cid, "W", widths(pdf, e, hf, gid_of, cids, n_used));
    }
    if (!cff) HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");

    e->type0 = indirect(pdf);
    HPDF_Dict_AddName(e->type0, "Type", "Font");
    HPDF_Dict_AddName(e->type0, "Subtype", "Type0");
    char type0_name[96];
    snprintf(type0_name, sizeof type0_name, "%s%s", name, cff ? "-Identity-H" : "");
    HPDF_Dict_AddName(e->type0, "BaseFont", type0_name);
    HPDF_Dict_AddName(e->type0, "Encoding", "Identity-H");
    HPDF_Array desc = HPDF_Array_New(pdf->mmgr);
    HPDF_Array_Add(desc, cid);
    HPDF_Dict_Add(e->type0, "DescendantFonts", desc);
    HPDF_Dict_Add(e->type0, "ToUnicode", to_unicode(pdf, fe->fs, font, gid_of, cids, n_used));
    free(cids);
    snprintf(e->res, sizeof e->res, "GF%d", font);

    free(gid_of);
    return 0;
}

fontembed_t *fontembed_new(HPDF_Doc pdf, pdfout_t *out, fontset_t *fs, diags_t *d) {
    fontembed_t *fe = xcalloc(1, sizeof *fe);
    fe->pdf = pdf;
    fe->out = out;
    fe->fs = fs;
    fe->n = fontset_count(fs);
    fe->f = xcalloc((size_t)fe->n + 1, sizeof *fe->f);
    for (int i = 0; i < fe->n; i++) {
        if (!fontset_used(fs, i) || fontset_is_color(fs, i)) continue;
        if (embed_one(fe, i) != 0) {
            diag_add(d, DIAG_ERROR, fontset_file(fs, i), 1, 1, "cannot subset this font");
            fontembed_free(fe);
            return NULL;
        }
    }
    return fe;
}

void fontembed_free(fontembed_t *fe) {
    if (!fe) return;
    for (int i = 0; i < fe->n; i++)
        free(fe->f[i].cid), cpmap_free(fe->f[i].drawn_w);
    free(fe->f);
    free(fe->emoji);
    buf_free(&fe->ops);
    free(fe);
}

long fontembed_cid(const fontembed_t *fe, int font, uint32_t gid) {
    if (font < 0 || font >= fe->n || !fe->f[font].cid || gid >= fe->f[font].n_glyphs) return -1;
    return (long)fe->f[font].cid[gid] - 1;
}

/* ---------------------------------------------------------------- text */

/* Makes font a resource of pg (libharu keeps the page's font dictionary in
   attr->fonts; ours go into the same one). */
static void page_font(fontembed_t *fe, HPDF_Page pg, const efont_t *e) {
    HPDF_PageAttr attr = (HPDF_PageAttr)pg->attr;
    if (!attr->fonts) {
        HPDF_Dict res = HPDF_Dict_GetItem(pg, "Resources", HPDF_OCLASS_DICT);
        if (!res) {
            res = HPDF_Dict_New(fe->pdf->mmgr);
            HPDF_Dict_Add(pg, "Resources", res);
        }
        attr->fonts = HPDF_Dict_New(fe->pdf->mmgr);
        HPDF_Dict_Add(res, "Font", attr->fonts);
    }
    if (!HPDF_Dict_GetItem(attr->fonts, e->res, HPDF_OCLASS_DICT))
        HPDF_Dict_Add(attr->fonts, e->res, e->type0);
}

/* A number for the content stream: at most three decimals, no trailing zeros.
   Written by hand: printf's formatting was a quarter of the PDF's drawing time. */
static void put_num(buf_t *b, double v) {
    char s[32], *e = s + sizeof s, *p = e;
    long long m = llround(v * 1000);
    bool neg = m < 0;
    unsigned long long u = neg ? (unsigned long long)-m : (unsigned long long)m;
    unsigned frac = (unsigned)(u % 1000);
    u /= 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0)
            frac /= 10, digits--;
        for (int i = 0; i < digits; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg) *--p = '-';
    buf_put(b, p, (size_t)(e - p));
}

static bool same_run(const glyph_t *a, const glyph_t *b) {
    return a->font == b->font && a->size == b->size && a->rise == b->rise && a->dy == b->dy &&
           a->color == b->color && a->face == b->face; /* #10: highlighted code */
}

/* #10: a run's colour (rg) and face: bold drawn filled and stroked (until a
   mono bold face exists), italic as a slanted text matrix. */
/* A colour's operands, "r g b ", formatted once: highlighted code changes colour
   at most of its tokens, and a theme has a dozen colours (drawing is one thread). */
static const char *rgb_operands(uint32_t color, size_t *len) {
    static struct {
        bool used;
        uint32_t color;
        size_t len;
        char s[48];
    } memo[32];
    size_t h = (color ^ color >> 7 ^ color >> 15) % 32;
    /* the next slot on a collision: the print theme's black and number colours
       share one, and code goes from one to the other at most numbers */
    for (size_t k = 1; k < 32 && memo[h].used && memo[h].color != color; k++)
        h = (h + 1) % 32;
    if (!memo[h].used || memo[h].color != color) {
        buf_t t;
        buf_init(&t);
        for (int k = 2; k >= 0; k--) {
            put_num(&t, (color >> (8 * k) & 255) / 255.0);
            buf_putc(&t, ' ');
        }
        memo[h].used = t.len < sizeof memo[h].s;
        memo[h].color = color;
        memo[h].len = t.len;
        if (memo[h].used) memcpy(memo[h].s, t.data, t.len);
        buf_free(&t);
        if (!memo[h].used) return NULL;
    }
    *len = memo[h].len;
    return memo[h].s;
}

static void run_paint(buf_t *b, const glyph_t *a, uint32_t *color, uint8_t *face, bool gray) {
    if (a->color == *color && (a->face & HL_FACE_BOLD) == *face) return;
    bool stroke = (a->face & HL_FACE_BOLD) || *face;
    for (int pass = 0; pass < 1 + stroke && gray; pass++) {
        put_num(b, color_luminance(a->color));
        buf_puts(b, pass ? " G " : " g ");
    }
    for (int pass = 0; pass < 1 + stroke && !gray; pass++) { /* fill, then the stroke for bold */
        size_t n = 0;
        const char *ops = rgb_operands(a->color, &n);
        if (ops)
            buf_put(b, ops, n);
        else
            for (int k = 2; k >= 0; k--) {
                put_num(b, (a->color >> (8 * k) & 255) / 255.0);
                buf_putc(b, ' ');
            }
        buf_puts(b, pass ? "RG " : "rg ");
    }
    if (stroke) {
        put_num(b, 0.03 * a->size);
        buf_puts(b, a->face & HL_FACE_BOLD ? " w 2 Tr " : " w 0 Tr ");
    }
    *color = a->color, *face = a->face & HL_FACE_BOLD;
}

static bool blank(const glyph_t *g) {
    return g->nchars && (g->cp == ' ' || g->cp == 0x3000);
}

/* Font, size and position of a run; italic (#10, highlighted code) slants the matrix. */
static void set_font(fontembed_t *fe, HPDF_Page pg, const efont_t *e, float size, bool italic,
                     double x, double y) {
    buf_t *b = &fe->ops;
    page_font(fe, pg, e);
    buf_putc(b, '/');
    buf_puts(b, e->res);
    buf_putc(b, ' ');
    put_num(b, size);
    buf_puts(b, italic ? " Tf 1 0 0.2 1 " : " Tf 1 0 0 1 ");
    put_num(b, x);
    buf_puts(b, " ");
    put_num(b, y);
    buf_puts(b, " Tm ");
}

/* A colour glyph's text: invisible (Tr 3) under its image, with the whole
   cluster (ZWJ sequences, flags) as ActualText for copying and search. */
static void emoji_text(fontembed_t *fe, HPDF_Page pg, const glyph_t *g, float x, float y) {
    int cf;
    uint32_t cg;
    if (!fontset_carrier(fe->fs, g->font, g->gid, &cf, &cg) || cf >= fe->n || !fe->f[cf].type0)
        return;
    const efont_t *e = &fe->f[cf];
    buf_t *b = &fe->ops;
    const uint32_t *text;
    size_t n = fontset_glyph_text(fe->fs, g->font, g->gid, &text);
    if (!fe->no_spans) {
        buf_puts(b, "/Span <</ActualText <FEFF");
        for (size_t i = 0; i < n; i++)
            put_utf16(b, text[i]);
        buf_puts(b, ">>> BDC ");
    }
    buf_puts(b, "3 Tr ");
    set_font(fe, pg, e, g->size, false, x + g->x, y + g->rise);
    /* the carrier spans the image exactly, so text extraction keeps the order */
    int w = width_of(e, fontset_hb_font(fe->fs, cf), cg);
    double tz = w > 0 ? 100.0 * (g->adv * 1000.0 / g->size) / w : 100;
    put_num(b, tz);
    long cid = cg < e->n_glyphs ? (long)e->cid[cg] - 1 : 0;
    buf_printf(b, " Tz <%04lX> Tj 100 Tz 0 Tr%s\n", cid < 0 ? 0 : cid, fe->no_spans ? "" : " EMC");
}

/* Does glyph text u (n) continue the cluster text t (nt) at *pos? */
static bool matches(const uint32_t *t, size_t nt, size_t *pos, const uint32_t *u, size_t n) {
    if (*pos + n > nt || (n && memcmp(t + *pos, u, n * sizeof *u) != 0)) return false;
    *pos += n;
    return true;
}

/* The text of the cluster starting at glyph i when its glyphs' ToUnicode
   entries do not give it (0 when they do); *end: the cluster's end. A glyph
   keeps the first text it was drawn for, so its entry is wrong where
   - a glyph stands for another character (fonts map unified duplicates, 㦳 and
     㘽, to one glyph);
   - a cluster has several glyphs: in Devanagari नि the vowel sign is drawn
     first, and its glyph's entry may be another cluster's, while the
     consonant's glyph has its own entry (pdftotext read दुनिया as दुनिनया).
   Such a cluster carries its text as ActualText. */
/* A run of wide characters in code, each centred in two columns: one span of
   their text, so that a reader copying it does not read the gaps between them
   as spaces (名字, not 名 字). */
static size_t cell_text(fontembed_t *fe, const line_t *ln, size_t i, size_t *end,
                        const uint32_t **text) {
    size_t j = i;
    while (j < ln->n && j - i < CELL_RUN_MAX && ln->g[j].cell && ln->g[j].font == ln->g[i].font &&
           ln->g[j].nchars == 1)
        fe->cells[j - i] = ln->g[j].cp, j++;
    *end = j;
    *text = fe->cells;
    return j - i;
}

static size_t cluster_text(fontembed_t *fe, const line_t *ln, size_t i, size_t *end,
                           const uint32_t **text) {
    const glyph_t *g = &ln->g[i];
    if (g->cell && g->nchars == 1) return cell_text(fe, ln, i, end, text);
    size_t j = i + 1;
    while (j < ln->n && ln->g[j].nchars == 0 && ln->g[j].font == g->font && j - i < 32)
        j++;
    *end = j;
    if (!g->nchars) return 0;
    if (j == i + 1 && g->nchars == 1) {
        /* one glyph for one character (nearly every glyph): actual unless the
           glyph's entry is that character, as matches() would find */
        const uint32_t *u;
        size_t n = fontset_glyph_text(fe->fs, g->font, g->gid, &u);
        if (n == 1 && u[0] == g->cp) return 0;
        fe->cp = g->cp;
        *text = &fe->cp;
        return 1;
    }
    uint32_t gids[32] = {0};
    for (size_t k = i; k < j; k++)
        gids[k - i] = ln->g[k].gid;
    size_t nt = fontset_cluster_text(fe->fs, g->font, gids, j - i, text);
    if (!nt) return 0;
    size_t pos = 0;
    for (size_t k = i; k < j; k++) {
        const uint32_t *u;
        size_t n = fontset_glyph_text(fe->fs, g->font, ln->g[k].gid, &u);
        if (!matches(*text, nt, &pos, u, n)) return nt;
    }
    return pos == nt ? 0 : nt;
}

size_t fontembed_actual(fontembed_t *fe, const line_t *ln, size_t i, size_t *end,
                        const uint32_t **text) {
    const glyph_t *g = &ln->g[i];
    if (g->font >= 0 && g->font < fe->n && fontset_is_color(fe->fs, g->font)) {
        *end = i + 1; /* drawn as an image over a carrier glyph: its text is always actual */
        return g->nchars ? fontset_glyph_text(fe->fs, g->font, g->gid, text) : 0;
    }
    return cluster_text(fe, ln, i, end, text);
}

void fontembed_spans(fontembed_t *fe, bool on) {
    fe->no_spans = !on;
}

void fontembed_relative(fontembed_t *fe, bool on) {
    fe->relative = on;
}

void fontembed_gray(fontembed_t *fe, bool on) {
    fe->gray = on;
}

void fontembed_press(fontembed_t *fe, const print_t *ps) {
    fe->press = ps;
}

/* The font, size, rise and slant in effect and where the text position is. */
typedef struct {
    const efont_t *e;
    float size, rise;
    bool italic;
    double pen;
    long long lx, ly; /* the text line matrix's origin on the page, in 1/1000 pt */
} text_at_t;

/* A formula's next run (fontembed_relative): its font only when it changes, and
   a move from the last run's origin. The move is taken between the positions as
   Tm would round them, so no rounding error builds up along the formula. */
static void move_run(fontembed_t *fe, HPDF_Page pg, text_at_t *at, const efont_t *e, float size,
                     double x, double y) {
    buf_t *b = &fe->ops;
    if (at->e != e || at->size != size) {
        page_font(fe, pg, e);
        buf_putc(b, '/');
        buf_puts(b, e->res);
        buf_putc(b, ' ');
        put_num(b, size);
        buf_puts(b, " Tf ");
    }
    long long nx = llround(x * 1000), ny = llround(y * 1000);
    put_num(b, (double)(nx - at->lx) / 1000);
    buf_putc(b, ' ');
    put_num(b, (double)(ny - at->ly) / 1000);
    buf_puts(b, " Td ");
    at->lx = nx, at->ly = ny;
}

/* A two-byte CID in a literal string: its bytes as they are, half the size of
   hex (#14: glyph strings were two fifths of the content streams, which are
   most of what is deflated), with the three delimiters escaped and the line
   ends too (a reader turns a bare CR into LF). */
static void put_cid_byte(buf_t *b, unsigned char c) {
    if (c == '(' || c == ')' || c == '\\') {
        char s[2] = {'\\', (char)c};
        buf_put(b, s, 2);
    } else if (c == '\r' || c == '\n') {
        buf_put(b, c == '\r' ? "\\r" : "\\n", 2);
    } else {
        buf_putc(b, (char)c);
    }
}

static void put_cid(buf_t *b, unsigned cid) {
    put_cid_byte(b, (unsigned char)(cid >> 8));
    put_cid_byte(b, (unsigned char)cid);
}

void fontembed_line(fontembed_t *fe, HPDF_Page pg, const line_t *ln, float x, float y) {
    buf_t *b = &fe->ops;
    b->len = 0;
    size_t i = 0, span_end = 0; /* span_end: where an open ActualText span ends, 0: none */
    uint32_t color = 0;
    uint8_t face = 0;
    text_at_t at = {NULL, 0, 0, false, 0, 0, 0};
    while (i < ln->n) {
        if (span_end && i >= span_end) buf_puts(b, "EMC "), span_end = 0;
        const glyph_t *a = &ln->g[i];
        if (a->font >= 0 && a->font < fe->n && fontset_is_color(fe->fs, a->font)) {
            if (a->nchars) emoji_text(fe, pg, a, x, y);
            at.e = NULL; /* emoji_text moved the text position */
            i++;
            continue;
        }
        efont_t *e = a->font >= 0 && a->font < fe->n ? &fe->f[a->font] : NULL;
        if (blank(a) || !e || !e->type0) {
            i++;
            continue;
        }
        const uint32_t *text;
        size_t end, nt = span_end || fe->no_spans ? 0 : cluster_text(fe, ln, i, &end, &text);
        if (nt) {
            buf_puts(b, "/Span <</ActualText <FEFF");
            for (size_t k = 0; k < nt; k++)
                put_utf16(b, text[k]);
            buf_puts(b, ">>> BDC ");
            span_end = end;
        }
        run_paint(b, a, &color, &face, fe->gray);
        /* a run that differs from the last only in colour or font (highlighted
           code) goes on from where the text position is: no new matrix */
        bool italic = a->face & HL_FACE_ITALIC;
        if (at.e && at.size == a->size && at.italic == italic && at.rise == a->rise + a->dy) {
            if (at.e != e) {
                page_font(fe, pg, e);
                buf_putc(b, '/');
                buf_puts(b, e->res);
                buf_putc(b, ' ');
                put_num(b, a->size);
                buf_puts(b, " Tf ");
            }
        } else if (fe->relative && at.e && !at.italic && !italic) {
            move_run(fe, pg, &at, e, a->size, x + a->x, y + a->rise + a->dy);
            at.pen = a->x;
        } else {
            set_font(fe, pg, e, a->size, italic, x + a->x, y + a->rise + a->dy);
            at.lx = llround((x + a->x) * 1000), at.ly = llround((y + a->rise + a->dy) * 1000);
            at.pen = a->x;
        }
        at = (text_at_t){e, a->size, a->rise + a->dy, italic, at.pen, at.lx, at.ly};
        buf_putc(b, '[');
        bool in_str = false; /* inside a (…) glyph string */
        hb_font_t *hf = fontset_hb_font(fe->fs, a->font);
        double pen = at.pen; /* where the text position is, pt from the line's left */
        for (size_t k = i; i < ln->n && same_run(a, &ln->g[i]); i++) {
            const glyph_t *g = &ln->g[i];
            if (blank(g)) continue;
            if (span_end && i >= span_end) break; /* the span's cluster is drawn */
            if (!span_end && !fe->no_spans && i > k && g->nchars &&
                cluster_text(fe, ln, i, &end, &text))
                break; /* the next cluster needs a span of its own */
            long cid = g->gid < e->n_glyphs ? (long)e->cid[g->gid] - 1 : -1;
            if (cid < 0) cid = 0;
            /* TJ moves left by adj/1000 em: close the gap to where the glyph goes */
            double adj = (pen - g->x) * 1000.0 / g->size;
            if (fabs(adj) >= 0.05) {
                buf_puts(b, in_str ? ") " : "");
                put_num(b, adj);
                buf_putc(b, ' ');
                in_str = false;
            }
            if (!in_str) buf_putc(b, '(');
            in_str = true;
            put_cid(b, (unsigned)cid);
            pen = g->x + drawn_width(e, hf, g->gid) * g->size / 1000.0;
        }
        if (in_str) buf_putc(b, ')');
        buf_puts(b, "] TJ\n");
        at.pen = pen;
    }
    if (span_end) buf_puts(b, "EMC\n");
    if (color || face)
        run_paint(b, &(glyph_t){.color = 0}, &color, &face, fe->gray); /* black again */
    if (b->len)
        HPDF_Stream_Write(((HPDF_PageAttr)pg->attr)->stream, (const HPDF_BYTE *)b->data,
                          (HPDF_UINT)b->len);
}

/* Press output takes no RGB and no soft mask: the bitmap is flattened onto
   white and converted as the book's pictures are (press.c). */
static HPDF_Image press_emoji(fontembed_t *fe, const void *png, size_t len) {
    int w, h;
    unsigned char *rgba = emoji_rgba(png, len, &w, &h);
    HPDF_Image im = rgba ? press_image_rgba(fe->pdf, fe->press, rgba, w, h) : NULL;
    free(rgba);
    return im;
}

static HPDF_Image emoji_image(fontembed_t *fe, int font, uint32_t gid) {
    for (size_t i = 0; i < fe->n_emoji; i++)
        if (fe->emoji[i].font == font && fe->emoji[i].gid == gid) return fe->emoji[i].im;
    hb_blob_t *png = hb_ot_color_glyph_reference_png(fontset_hb_font(fe->fs, font), gid);
    unsigned len;
    const char *data = hb_blob_get_data(png, &len);
    HPDF_Image im = !len        ? NULL
                    : fe->press ? press_emoji(fe, data, len)
                                : emoji_png(fe->pdf, data, len);
    hb_blob_destroy(png);
    XGROW(fe->emoji, fe->cap_emoji, fe->n_emoji);
    fe->emoji[fe->n_emoji++] = (emoji_t){font, gid, im};
    return im;
}

void fontembed_images(fontembed_t *fe, HPDF_Page pg, const line_t *ln, float x, float y) {
    for (size_t i = 0; i < ln->n; i++) {
        const glyph_t *g = &ln->g[i];
        if (g->font < 0 || g->font >= fe->n || !fontset_is_color(fe->fs, g->font)) continue;
        hb_font_t *hf = fontset_hb_font(fe->fs, g->font);
        hb_glyph_extents_t ext;
        HPDF_Image im = emoji_image(fe, g->font, g->gid);
        if (!im || !hb_font_get_glyph_extents(hf, g->gid, &ext)) continue;
        int xs, ys;
        hb_font_get_scale(hf, &xs, &ys);
        float k = g->size / (float)xs;
        HPDF_Page_DrawImage(pg, im, x + g->x + (float)ext.x_bearing * k,
                            y + g->rise + g->dy + (float)(ext.y_bearing + ext.height) * k,
                            (float)ext.width * k, (float)-ext.height * k);
    }
}
