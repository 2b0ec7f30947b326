#include "cover.h"
#include "../fonts/fontset.h"
#include "fonts.h"
#include "palpng.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ft2build.h>
#include FT_FREETYPE_H
#include <stdlib.h>
#include <string.h>

enum { W = 1200, H = 1800, MARGIN = 120 };

typedef struct {
    unsigned char *px; /* palette indices (see paint), W x H */
    bool inked[H];     /* rows drawn on; the others are all background */
    fontset_t *fs;
    const char *dir; /* where the font files are */
    FT_Library ft;
    FT_Face faces[FONT_MAX];
    /* advances measured so far: wrapping tries many widths and sizes, and
       loading a glyph of a CJK font costs */
    struct {
        uint32_t key; /* code point << 8 | size, 0 when free */
        int adv;
    } memo[4096];
    size_t n_memo;
} canvas_t;

static FT_Face face_of(canvas_t *c, int font, int size) {
    if (font < 0 || font >= FONT_MAX) return NULL;
    if (!c->faces[font]) {
        char *path = path_join(c->dir, fontset_file(c->fs, font));
        if (FT_New_Face(c->ft, path, 0, &c->faces[font])) c->faces[font] = NULL;
        free(path);
    }
    FT_Face f = c->faces[font];
    if (f) FT_Set_Pixel_Sizes(f, 0, (FT_UInt)size);
    return f;
}

/* Loads cp's glyph at size (rendered when draw); NULL when no font has it. */
static FT_Face glyph(canvas_t *c, uint32_t cp, int size, bool draw) {
    FT_Face f = face_of(c, fontset_pick(c->fs, ROLE_SANS, cp), size);
    /* hinting is for small sizes; unhinted outlines load several times faster */
    FT_Int32 flags = FT_LOAD_NO_HINTING | (draw ? FT_LOAD_RENDER : 0);
    if (!f || FT_Load_Char(f, cp, flags)) return NULL;
    return f;
}

static int advance(canvas_t *c, uint32_t cp, int size) {
    uint32_t key = cp << 8 | (uint32_t)size;
    size_t h = (key * 2654435761u) % 4096;
    while (c->memo[h].key && c->memo[h].key != key)
        h = (h + 1) % 4096;
    if (c->memo[h].key == key) return c->memo[h].adv;
    FT_Face f = glyph(c, cp, size, false);
    int a = f ? (int)(f->glyph->advance.x >> 6) : 0;
    if (c->n_memo < 3000) { /* a long title measures on without the memo */
        c->memo[h].key = key;
        c->memo[h].adv = a;
        c->n_memo++;
    }
    return a;
}

/* Closing marks stay with the character before them. */
static bool no_break_before(uint32_t cp) {
    static const uint32_t marks[] = {0xFF0C, 0x3002, 0x3001, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F,
                                     0xFF09, 0x300B, 0x300D, ',',    '.',    ':',    ')'};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (marks[i] == cp) return true;
    return false;
}

/* Where the line starting at s (n bytes) ends to fit width: after a space or
   between two CJK characters, else wherever it must. */
static size_t fit(canvas_t *c, const char *s, size_t n, int size, int width, int *used) {
    int x = 0, x_at_break = 0;
    size_t brk = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k) k = 1;
        bool can = i && !no_break_before(cp) &&
                   (prev == ' ' || cp_is_cjk_wide(cp) || cp_is_cjk_wide(prev));
        if (can) brk = i, x_at_break = x;
        int a = advance(c, cp, size);
        if (x + a > width && i) {
            if (!brk) brk = i, x_at_break = x;
            *used = x_at_break;
            return brk;
        }
        x += a;
        prev = cp;
        i += k;
    }
    *used = x;
    return n;
}

/* The cover has three inks over one background, so it is a palette image:
   index 0 is the background, each ink has LEVELS coverage steps of its own
   (ink k at coverage q is 1 + k * LEVELS + q - 1), and the rule is solid.
   Eight bits a pixel instead of 24 make the PNG quick to compress. */
enum { LEVELS = 126, INKS = 2, RULE = 1 + INKS * LEVELS };

static void blend(canvas_t *c, const FT_Bitmap *bm, int left, int top, int ink) {
    for (unsigned r = 0; r < bm->rows; r++)
        for (unsigned q = 0; q < bm->width; q++) {
            int x = left + (int)q, y = top + (int)r;
            if (x < 0 || y < 0 || x >= W || y >= H) continue;
            unsigned a = bm->buffer[r * (unsigned)bm->pitch + q];
            unsigned level = (a * LEVELS + 127) / 255;
            unsigned char *p = c->px + (size_t)y * W + (size_t)x;
            c->inked[y] = true;
            unsigned old = *p ? (*p - 1u) % LEVELS + 1 : 0;
            /* where glyphs overlap the denser coverage wins */
            if (level > old) *p = (unsigned char)(1 + ink * LEVELS + level - 1);
        }
}

static void draw_line(canvas_t *c, const char *s, size_t n, int size, int x, int baseline,
                      int ink) {
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k) k = 1;
        FT_Face f = glyph(c, cp, size, true);
        if (f) {
            FT_GlyphSlot g = f->glyph;
            blend(c, &g->bitmap, x + g->bitmap_left, baseline - g->bitmap_top, ink);
            x += (int)(g->advance.x >> 6);
        }
        i += k;
    }
}

/* How many lines text takes at size in width. */
static int count_lines(canvas_t *c, const char *text, int size, int width) {
    int lines = 0;
    size_t n = strlen(text);
    for (size_t at = 0; at < n; lines++) {
        int used;
        at += fit(c, text + at, n - at, size, width, &used);
    }
    return lines;
}

/* The narrowest width that keeps the line count: lines of even length, no
   lone character on the last ("生成式人工智能手 / 册"). */
static int balanced_width(canvas_t *c, const char *text, int size) {
    int full = W - 2 * MARGIN, lines = count_lines(c, text, size, full), w = full;
    while (lines > 1 && w - 8 > full / 3 && count_lines(c, text, size, w - 8) == lines)
        w -= 8;
    return w;
}

/* Sets text centred in lines of the text width from baseline y down; returns
   the baseline after the last line. */
static int block(canvas_t *c, const char *text, int size, int pitch, int y, int ink) {
    int width = balanced_width(c, text, size);
    size_t n = strlen(text);
    for (size_t at = 0; at < n;) {
        while (at < n && text[at] == ' ')
            at++;
        if (at == n) break;
        int used;
        size_t len = fit(c, text + at, n - at, size, width, &used);
        size_t shown = len;
        while (shown && text[at + shown - 1] == ' ')
            shown--;
        draw_line(c, text + at, shown, size, (W - used) / 2, y, ink);
        at += len;
        y += pitch;
    }
    return y;
}

static const unsigned char bg[3] = {0x1f, 0x3a, 0x5f}, rule[3] = {0xe0, 0xb0, 0x4c};
static const unsigned char inks[INKS][3] = {{0xff, 0xff, 0xff}, {0xc8, 0xd6, 0xe5}};
enum { INK = 0, SOFT = 1 };

/* Background, each ink's coverage steps, the rule, as RGB triples. */
static int palette(unsigned char *pal) {
    memcpy(pal, bg, 3);
    for (int k = 0; k < INKS; k++)
        for (int q = 1; q <= LEVELS; q++)
            for (int j = 0; j < 3; j++)
                pal[3 * (1 + k * LEVELS + q - 1) + j] =
                    (unsigned char)((inks[k][j] * q + bg[j] * (LEVELS - q) + LEVELS / 2) / LEVELS);
    memcpy(pal + 3 * RULE, rule, 3);
    return RULE + 1;
}

/* Draws on a canvas of background (index 0, zeroed when allocated): rows no
   glyph or rule touches are never written, nor read when encoded. */
static void paint(canvas_t *c, const meta_t *m) {
    int size = 112;
    while (size > 56 && count_lines(c, m->title, size, W - 2 * MARGIN) > 4)
        size -= 8;
    int y = block(c, m->title, size, size * 13 / 10, 520, INK);
    for (int r = y - size / 2; r < y - size / 2 + 6; r++)
        if (r >= 0 && r < H)
            memset(c->px + (size_t)r * W + W / 2 - 80, RULE, 160), c->inked[r] = true;
    if (m->subtitle && *m->subtitle) block(c, m->subtitle, 46, 64, y + 60, SOFT);
    if (m->author && *m->author) block(c, m->author, 56, 76, H - 260, INK);
}

int epub_cover_png(const book_t *b, const char *font_dir, buf_t *out) {
    if (!font_dir || !b->meta.title || !*b->meta.title) return -1;
    /* problems with the fonts are the PDF build's to report */
    diags_t quiet;
    diags_init(&quiet);
    canvas_t c = {0};
    c.fs = epub_print_fonts(b, font_dir, &quiet);
    c.dir = font_dir;
    int rc = -1;
    if (c.fs && quiet.errors == 0 && FT_Init_FreeType(&c.ft) == 0) {
        c.px = xcalloc((size_t)W * H, 1);
        paint(&c, &b->meta);
        unsigned char pal[256 * 3];
        int n_pal = palette(pal);
        rc = palpng_write(c.px, W, H, c.inked, pal, n_pal, out);
        free(c.px);
        for (int i = 0; i < FONT_MAX; i++)
            if (c.faces[i]) FT_Done_Face(c.faces[i]);
        FT_Done_FreeType(c.ft);
    }
    if (c.fs) fontset_free(c.fs);
    diags_free(&quiet);
    return rc;
}
