/* The math layout engine against the font's own MATH table: scripts, limits,
   fractions and radicals where the constants put them, stretchy delimiters
   from size variants and glyph assembly, and no two glyphs of the textbook
   fixture overlapping where they should not. */
#include "check.h"
#include "math/mbox.h"
#include "util/fsutil.h"
#include <hb-ot.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static hb_font_t *font;
static mfonts_t mf;
#define SIZE 10.0f
#define EPS 0.02f

static float C(hb_ot_math_constant_t k) {
    return mbox_constant(&mf, k, SIZE);
}

static void lay(const char *tex, bool display, mbox_t *b) {
    math_t *m = math_parse(tex, strlen(tex), NULL, NULL);
    mbox_layout(m, &mf, SIZE, display, b);
    math_free(m);
}

/* the first glyph showing cp */
static const mglyph_t *find(const mbox_t *b, uint32_t cp) {
    for (size_t i = 0; i < b->ng; i++)
        if (b->g[i].cp == cp) return &b->g[i];
    return NULL;
}

typedef struct {
    float x0, y0, x1, y1;
} ink_t;

static ink_t ink(const mglyph_t *g) {
    hb_glyph_extents_t e = {0};
    hb_font_get_glyph_extents(font, g->gid, &e);
    float k = g->size / (float)hb_face_get_upem(hb_font_get_face(font));
    return (ink_t){g->x + (float)e.x_bearing * k, g->y + (float)(e.y_bearing + e.height) * k,
                   g->x + (float)(e.x_bearing + e.width) * k, g->y + (float)e.y_bearing * k};
}

static void scripts(void) {
    mbox_t b;
    lay("x^2", false, &b);
    const mglyph_t *x = find(&b, 0x1D465), *two = find(&b, '2');
    CHECK(x && two);
    if (x && two) {
        ink_t t = ink(two);
        float depth = fmaxf(0, two->y - t.y0);
        float want = fmaxf(C(HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP),
                           depth + C(HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MIN));
        CHECK(fabsf(two->y - want) < EPS);
        float scale =
            (float)hb_ot_math_get_constant(font, HB_OT_MATH_CONSTANT_SCRIPT_PERCENT_SCALE_DOWN) /
            100;
        CHECK(fabsf(two->size - SIZE * scale) < EPS);
        CHECK(two->x >= ink(x).x1 - 0.3f); /* after the base (italic correction, kern) */
    }
    mbox_free(&b);

    lay("x_i", false, &b);
    const mglyph_t *i = find(&b, 0x1D456);
    CHECK(i != NULL);
    if (i) {
        ink_t t = ink(i);
        float h = t.y1 - i->y;
        float want = fmaxf(C(HB_OT_MATH_CONSTANT_SUBSCRIPT_SHIFT_DOWN),
                           h - C(HB_OT_MATH_CONSTANT_SUBSCRIPT_TOP_MAX));
        CHECK(fabsf(-i->y - want) < EPS);
    }
    mbox_free(&b);

    /* both: the gap between them is at least subSuperscriptGapMin */
    lay("x_{i}^{2}", false, &b);
    const mglyph_t *sub = find(&b, 0x1D456), *sup = find(&b, '2');
    if (sub && sup)
        CHECK(ink(sup).y0 - ink(sub).y1 >= C(HB_OT_MATH_CONSTANT_SUB_SUPERSCRIPT_GAP_MIN) - EPS);
    mbox_free(&b);
}

/* f': the prime as a superscript takes the font's script form (ssty), which
   sits at the letter's top; the plain U+2032, raised for the baseline, floated
   a script shift above it. */
static void primes(void) {
    mbox_t b;
    lay("f'", false, &b);
    const mglyph_t *f = find(&b, 0x1D453), *pr = find(&b, 0x2032);
    CHECK(f && pr);
    if (f && pr) {
        hb_codepoint_t plain = 0;
        hb_font_get_nominal_glyph(font, 0x2032, &plain);
        CHECK(pr->gid != plain);
        ink_t fi = ink(f), pi = ink(pr);
        CHECK(fabsf(pi.y1 - fi.y1) < 0.1f * SIZE); /* level with the top of the f */
        CHECK(pi.y0 > 0.3f * SIZE);                /* above the x-height still */
        CHECK(pi.x0 - fi.x1 < 0.1f * SIZE && pi.x0 > fi.x0);
    }
    mbox_free(&b);
    lay("x'^2 + f^\\prime", false, &b); /* the same form however the prime is written */
    const mglyph_t *p1 = find(&b, 0x2032);
    const mglyph_t *p2 = NULL;
    for (size_t i = 0; i < b.ng; i++)
        if (b.g[i].cp == 0x2032 && &b.g[i] != p1) p2 = &b.g[i];
    CHECK(p1 && p2 && p1->gid == p2->gid);
    mbox_free(&b);
}

static void limits_and_ops(void) {
    mbox_t b;
    lay("\\sum_{i=1}^{n} x", true, &b);
    const mglyph_t *sum = find(&b, 0x2211), *n = find(&b, 0x1D45B), *one = find(&b, '1');
    CHECK(sum && n && one);
    if (sum && n && one) {
        ink_t s = ink(sum), tn = ink(n), to = ink(one);
        /* display operator at least displayOperatorMinHeight tall */
        CHECK(s.y1 - s.y0 >= C(HB_OT_MATH_CONSTANT_DISPLAY_OPERATOR_MIN_HEIGHT) - EPS);
        /* centred on the axis */
        CHECK(fabsf((s.y1 + s.y0) / 2 - C(HB_OT_MATH_CONSTANT_AXIS_HEIGHT)) < 0.3f);
        /* limits above and below, with the gaps the font asks for */
        CHECK(tn.y0 - s.y1 >= C(HB_OT_MATH_CONSTANT_UPPER_LIMIT_GAP_MIN) - 0.3f);
        CHECK(n->y - s.y1 >= C(HB_OT_MATH_CONSTANT_UPPER_LIMIT_BASELINE_RISE_MIN) - 0.3f);
        CHECK(s.y0 - to.y1 >= C(HB_OT_MATH_CONSTANT_LOWER_LIMIT_GAP_MIN) - 0.3f);
        /* centred over the operator */
        CHECK(fabsf((tn.x0 + tn.x1) / 2 - (s.x0 + s.x1) / 2) < 1.0f);
    }
    mbox_free(&b);
    /* in text style the same limits move to the side */
    lay("\\sum_{i=1}^{n} x", false, &b);
    sum = find(&b, 0x2211), n = find(&b, 0x1D45B);
    if (sum && n) CHECK(n->x >= ink(sum).x1 - 0.5f);
    mbox_free(&b);
    /* an integral keeps its scripts at the side even in display */
    lay("\\int_0^1 f", true, &b);
    const mglyph_t *in = find(&b, 0x222B), *z = find(&b, '0');
    CHECK(in && z && z->x > in->x);
    mbox_free(&b);
}

static void fractions(void) {
    mbox_t b;
    lay("\\frac{a}{b}", true, &b);
    const mglyph_t *a = find(&b, 0x1D44E), *bb = find(&b, 0x1D44F);
    CHECK(a && bb && b.nr == 1);
    if (a && bb && b.nr == 1) {
        const mrule_t *r = &b.r[0];
        float t = C(HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS);
        CHECK(fabsf(r->h - t) < EPS);
        CHECK(fabsf(r->y + r->h / 2 - C(HB_OT_MATH_CONSTANT_AXIS_HEIGHT)) < EPS);
        CHECK(ink(a).y0 - (r->y + r->h) >=
              C(HB_OT_MATH_CONSTANT_FRACTION_NUM_DISPLAY_STYLE_GAP_MIN) - EPS);
        CHECK(a->y >= C(HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_DISPLAY_STYLE_SHIFT_UP) - EPS);
        CHECK(r->y - ink(bb).y1 >=
              C(HB_OT_MATH_CONSTANT_FRACTION_DENOM_DISPLAY_STYLE_GAP_MIN) - EPS);
        CHECK(-bb->y >= C(HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_DISPLAY_STYLE_SHIFT_DOWN) - EPS);
        /* the rule spans both */
        CHECK(r->x <= ink(a).x0 && r->x + r->w >= ink(a).x1);
    }
    mbox_free(&b);
    /* numerator and denominator of an inline fraction are at script size */
    lay("\\frac{a}{b}", false, &b);
    a = find(&b, 0x1D44E);
    CHECK(a && a->size < SIZE);
    mbox_free(&b);
}

static void radicals(void) {
    mbox_t b;
    lay("\\sqrt{x}", true, &b);
    const mglyph_t *x = find(&b, 0x1D465), *rad = find(&b, 0x221A);
    CHECK(x && rad && b.nr == 1);
    if (x && rad && b.nr == 1) {
        const mrule_t *r = &b.r[0];
        CHECK(fabsf(r->h - C(HB_OT_MATH_CONSTANT_RADICAL_RULE_THICKNESS)) < EPS);
        CHECK(r->y - ink(x).y1 >= C(HB_OT_MATH_CONSTANT_RADICAL_DISPLAY_STYLE_VERTICAL_GAP) - EPS);
        CHECK(fabsf(ink(rad).y1 - (r->y + r->h)) < 0.2f); /* the sign's top meets the rule */
        CHECK(r->x <= ink(x).x0 && r->x + r->w >= ink(x).x1 - EPS);
    }
    mbox_free(&b);
}

static void delimiters(void) {
    mbox_t small, big;
    lay("\\left( x \\right)", false, &small);
    lay("\\left( \\begin{matrix} a \\\\ b \\\\ c \\\\ d \\\\ e \\\\ f \\\\ g \\\\ h \\end{matrix} "
        "\\right)",
        true, &big);
    const mglyph_t *p = find(&small, '(');
    CHECK(p != NULL);
    /* a tall body: the parenthesis is an assembly (pieces without a character) */
    size_t pieces = 0;
    for (size_t i = 0; i < big.ng; i++)
        pieces += big.g[i].cp == 0;
    CHECK(pieces >= 2);
    CHECK(big.h + big.d > 8 * 0.9f * SIZE);
    float top = -1e9f, bottom = 1e9f;
    for (size_t i = 0; i < big.ng; i++) {
        if (big.g[i].x > 1) continue; /* the left parenthesis' glyphs */
        ink_t k = ink(&big.g[i]);
        top = fmaxf(top, k.y1), bottom = fminf(bottom, k.y0);
    }
    /* covers the body (TeX's delimiterfactor: 90%) */
    const mglyph_t *a = find(&big, 0x1D44E), *h = find(&big, 0x210E);
    CHECK(a && h);
    if (a && h) CHECK(top - bottom >= 0.9f * (ink(a).y1 - ink(h).y0));
    mbox_free(&small);
    mbox_free(&big);
    /* \big..\Bigg grow */
    float last = 0;
    const char *sizes[] = {"(", "\\big(", "\\Big(", "\\bigg(", "\\Bigg("};
    for (int i = 0; i < 5; i++) {
        mbox_t d;
        lay(sizes[i], false, &d);
        CHECK(d.h + d.d > last);
        last = d.h + d.d;
        mbox_free(&d);
    }
}

/* \color and \textcolor paint glyphs and rules; an inner colour wins */
static void colors(void) {
    mbox_t b;
    /* \color{c} colours the rest of its group (as in LaTeX), \textcolor{c}{x} only x */
    lay("\\textcolor{red}{x} + \\textcolor{#00f}{\\frac{a}{\\color{lime} b}} + y", false, &b);
    const mglyph_t *x = find(&b, 0x1D465), *a = find(&b, 0x1D44E), *bb = find(&b, 0x1D44F),
                   *y = find(&b, 0x1D466), *plus = find(&b, '+');
    CHECK(x && a && bb && y && plus && b.nr == 1);
    if (x && a && bb && y && plus && b.nr == 1) {
        CHECK(x->color == (MBOX_COLORED | 0xFF0000));
        CHECK(a->color == (MBOX_COLORED | 0x0000FF));
        CHECK(bb->color == (MBOX_COLORED | 0x00FF00));
        CHECK(b.r[0].color == (MBOX_COLORED | 0x0000FF)); /* the fraction bar */
        CHECK(y->color == 0 && plus->color == 0);
    }
    mbox_free(&b);
    CHECK(math_color("#abc") == 0xAABBCC && math_color("c00000") == 0xC00000);
    /* CSS's colours, as a KaTeX book's reader sees them, in any case */
    CHECK(math_color("Orange") == 0xFFA500 && math_color("darkred") == 0x8B0000);
    CHECK(math_color("RoyalBlue") == 0x4169E1 && math_color("gold ") == 0xFFD700);
    /* dvips names CSS lacks, from their CMYK as xcolor converts them */
    CHECK(math_color("BrickRed") == 0xB80000 && math_color("navyblue") == 0x0F75FF);
    CHECK(math_color("#12345") == -1 && math_color("nocolour") == -1 && math_color("") == -1);
    /* named colours reach the glyphs (they came out black) */
    lay("\\textcolor{darkred}{x} \\color{RoyalBlue} y", false, &b);
    x = find(&b, 0x1D465), y = find(&b, 0x1D466);
    CHECK(x && y && x->color == (MBOX_COLORED | 0x8B0000) && y->color == (MBOX_COLORED | 0x4169E1));
    mbox_free(&b);
}

/* where an inline formula (or a display too wide) may break: after a top-level
   relation or binary operator (TeX's rule 20), not inside a group */
static void cuts(void) {
    mbox_t b;
    lay("a + b = c", false, &b);
    const mglyph_t *bb = find(&b, 0x1D44F), *c = find(&b, 0x1D450);
    CHECK(b.ncut == 2 && bb && c);
    if (b.ncut == 2 && bb && c) {
        CHECK(fabsf(b.cut[0].start - bb->x) < EPS);
        CHECK(b.cut[0].end < b.cut[0].start - 0.1f); /* a medium space around + */
        CHECK(fabsf(b.cut[1].start - c->x) < EPS);
        CHECK(!b.cut[0].rel && b.cut[1].rel); /* after + a medium space, after = a thick one */
    }
    mbox_free(&b);
    lay("a \\le -b, c", false, &b); /* the minus after \le is unary: the cut is before it */
    const mglyph_t *minus = find(&b, 0x2212), *c2 = find(&b, 0x1D450);
    /* and a list may break after its comma, before c */
    CHECK(b.ncut == 2 && minus && fabsf(b.cut[0].start - minus->x) < EPS);
    CHECK(b.ncut == 2 && c2 && fabsf(b.cut[1].start - c2->x) < EPS && !b.cut[1].rel);
    mbox_free(&b);
    lay("{a + b} \\frac{c = d}{e}", false, &b);
    CHECK(b.ncut == 0);
    mbox_free(&b);
    lay("a + b = c", true, &b); /* a display too wide for the measure breaks there too */
    CHECK(b.ncut == 2);
    mbox_free(&b);
}

/* Glyphs whose ink boxes overlap by design: a slanted integral's box covers the
   scripts kerned into its corners, and a radical's degree sits over its arm. */
static bool by_design(uint32_t cp) {
    return (cp >= 0x222B && cp <= 0x2233) || cp == 0x221A;
}

/* Two glyphs overlap wrongly when their ink boxes share more than a quarter of
   the smaller one; assembly pieces (which overlap by design) are left out. */
static int overlaps(const mbox_t *b, const char *tex) {
    int bad = 0;
    for (size_t i = 0; i < b->ng; i++) {
        if (!b->g[i].cp || by_design(b->g[i].cp)) continue;
        ink_t p = ink(&b->g[i]);
        float ap = (p.x1 - p.x0) * (p.y1 - p.y0);
        for (size_t j = i + 1; j < b->ng; j++) {
            if (!b->g[j].cp || by_design(b->g[j].cp)) continue;
            ink_t q = ink(&b->g[j]);
            float aq = (q.x1 - q.x0) * (q.y1 - q.y0);
            float w = fminf(p.x1, q.x1) - fmaxf(p.x0, q.x0),
                  h = fminf(p.y1, q.y1) - fmaxf(p.y0, q.y0);
            if (w <= 0 || h <= 0 || ap <= 0 || aq <= 0) continue;
            if (w * h > 0.25f * fminf(ap, aq)) {
                if (++bad <= 3)
                    fprintf(stderr, "overlap U+%04X/U+%04X in %s\n", b->g[i].cp, b->g[j].cp, tex);
            }
        }
    }
    return bad;
}

static void fixture(const char *path) {
    size_t len;
    char *text = read_file(path, &len);
    CHECK(text != NULL);
    if (!text) return;
    int formulas = 0, bad = 0, empty = 0;
    char *p = text;
    char block[8192];
    size_t bl = 0;
    while (*p) {
        char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l && p[0] != '%' && bl + l + 2 < sizeof block) {
            memcpy(block + bl, p, l);
            bl += l;
            block[bl++] = '\n';
        }
        if ((!l || !nl || !nl[1]) && bl) {
            block[bl] = 0;
            for (int d = 0; d < 2; d++) {
                mbox_t b;
                lay(block, d, &b);
                formulas++;
                if (b.ng == 0 || b.w <= 0 || b.h + b.d <= 0) empty++;
                /* \\! asks for an overlap */
                if (!strstr(block, "\\!")) bad += overlaps(&b, block) > 0;
                mbox_free(&b);
            }
            bl = 0;
        }
        if (!nl) break;
        p = nl + 1;
    }
    free(text);
    printf("layout: %d formulas (text and display), %d empty, %d with overlapping glyphs\n",
           formulas, empty, bad);
    CHECK(formulas >= 300);
    CHECK(empty == 0);
    CHECK(bad == 0);
}

/* \textsf, \textit, \texttt set their letters in those alphabets (jolt: \textsf
   was serif in the PDF, sans in the MathML); \text stays upright roman; rows of
   a formula's top-level \\ stack (KaTeX's gathered) */
static void text_variants(void) {
    mbox_t b;
    lay("\\textsf{A}\\textit{B}\\texttt{C}\\text{D}", false, &b);
    CHECK(find(&b, 0x1D5A0) && find(&b, 0x1D435) && find(&b, 0x1D672) && find(&b, 'D'));
    CHECK(!find(&b, 'A') && !find(&b, 'B') && !find(&b, 'C'));
    mbox_free(&b);
    lay("a \\\\ b", true, &b);
    const mglyph_t *a = find(&b, 0x1D44E), *bb = find(&b, 0x1D44F);
    CHECK(a && bb && fabsf(a->y - bb->y) > SIZE * 0.8f);
    mbox_free(&b);
}

int main(int argc, char **argv) {
    const char *fontfile = argc > 2 ? argv[2] : GHB_MATH_FONT;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(fontfile);
    if (!blob) {
        fprintf(stderr, "no math font at %s\n", fontfile);
        return 1;
    }
    hb_face_t *face = hb_face_create(blob, 0);
    font = hb_font_create(face);
    CHECK(hb_ot_math_has_data(face));
    mf = (mfonts_t){font, 0, NULL, NULL, NULL, NULL};
    scripts();
    primes();
    limits_and_ops();
    fractions();
    radicals();
    delimiters();
    colors();
    cuts();
    text_variants();
    fixture(argc > 1 ? argv[1] : "tests/data/math/textbook.tex");
    mbox_fonts_release(&mf);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return check_done();
}
