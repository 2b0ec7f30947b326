#ifndef GHB_MBOX_H
#define GHB_MBOX_H
/* Math layout (mbox.c): the math tree set as one box, with the OpenType MATH
   table read through HarfBuzz (constants, italic correction, kerning, size
   variants, glyph assembly). The result is flat: glyph ids at positions and
   filled rules, so any backend can draw it. Free of libharu and of the
   fontset: the caller says which font draws what. */
#include "texmath.h"
#include <hb-ot.h>
#include <hb.h>

typedef struct {
    int font;       /* the caller's font id (mfonts_t.math_font or a text font) */
    uint32_t gid;   /* glyph id in that font */
    uint32_t cp;    /* the character it shows (for the text layer), 0 for a piece */
    float x, y;     /* pen position: x from the box's left, y up from its baseline, pt */
    float size;     /* pt */
    uint32_t color; /* \color: MBOX_COLORED | 0xRRGGBB, or 0 (black) */
    int link1;      /* a \ref's number: 1 + what mfonts_t.link gave, else 0 */
} mglyph_t;

typedef struct {
    float x, y, w, h; /* bottom-left corner (y up from the baseline) and size, pt */
    uint32_t color;   /* as mglyph_t's */
} mrule_t;

#define MBOX_COLORED 0x1000000u

typedef struct {
    float w, h, d; /* width, height above and depth below the baseline, pt */
    float italic;  /* italic correction of a lone glyph, pt */
    mclass cls;
    bool single;  /* one glyph, as its character (scripts attach to it closely) */
    uint32_t gid; /* that glyph, when single */
    mglyph_t *g;
    size_t ng, capg;
    mrule_t *r;
    size_t nr, capr;
    /* where a line may break (TeX's rule 20), after a relation or binary
       operator at the top level of the formula, in order: the operator's right
       edge and where the next atom starts (the math space between them); an
       inline formula's, and a display's, which breaks when far too wide */
    struct mcut {
        float end, start;
        bool rel; /* after a relation (else a binary operator) */
    } * cut;
    size_t ncut;
    /* a display that is one table (align, gather): each row's baseline, y up */
    float *rowy;
    int nrowy;
} mbox_t;

typedef struct {
    hb_font_t *math; /* a font with a MATH table, at its default scale (font units) */
    int math_font;   /* the id glyphs of that font are reported with */
    /* text the math font lacks (Chinese in \text): the font id for cp and its
       HarfBuzz font, or -1. May be NULL. */
    int (*text_font)(void *ctx, uint32_t cp, hb_font_t **hb);
    /* \ref/\eqref: the number a key shows ("2.3"), or NULL. May be NULL. */
    const char *(*ref)(void *ctx, const char *key);
    void *ctx;
    struct mcache *cache; /* the math font's glyph data, filled as used; NULL at first */
    /* \ref/\eqref: the link its number's glyphs carry (link1 - 1), or -1. May be NULL. */
    long (*link)(void *ctx, const char *key);
} mfonts_t;

/* Lays out a parsed formula at size pt, in display or text style. */
void mbox_layout(const math_t *m, mfonts_t *f, float size, bool display, mbox_t *out);
void mbox_free(mbox_t *b);
/* Releases what layout cached in f (call once the font is no longer used). */
void mbox_fonts_release(mfonts_t *f);

/* For tests: a MATH constant of the font in pt at size. */
float mbox_constant(const mfonts_t *f, hb_ot_math_constant_t c, float size);

#endif
