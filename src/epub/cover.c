#include "cover.h"
#include "../fonts/fontset.h"
#include "../layout/style.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ft2build.h>
#include FT_FREETYPE_H
#include <png.h>
#include <stdlib.h>
#include <string.h>

enum { W = 1200, H = 1800, MARGIN = 120 };

typedef struct {
    unsigned char *px; /* RGB, W x H */
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
    if (!f || FT_Load_Char(f, cp, draw ? FT_LOAD_RENDER : FT_LOAD_DEFAULT)) return NULL;
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

static void blend(canvas_t *c, const FT_Bitmap *bm, int left, int top, const unsigned char rgb[3]) {
    for (unsigned r = 0; r < bm->rows; r++)
        for (unsigned q = 0; q < bm->width; q++) {
            int x = left + (int)q, y = top + (int)r;
            if (x < 0 || y < 0 || x >= W || y >= H) continue;
            unsigned a = bm->buffer[r * (unsigned)bm->pitch + q];
            unsigned char *p = c->px + ((size_t)y * W + (size_t)x) * 3;
            for (int k = 0; k < 3; k++)
                p[k] = (unsigned char)((rgb[k] * a + p[k] * (255 - a)) / 255);
        }
}

static void draw_line(canvas_t *c, const char *s, size_t n, int size, int x, int baseline,
                      const unsigned char rgb[3]) {
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k) k = 1;
        FT_Face f = glyph(c, cp, size, true);
        if (f) {
            FT_GlyphSlot g = f->glyph;
            blend(c, &g->bitmap, x + g->bitmap_left, baseline - g->bitmap_top, rgb);
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
static int block(canvas_t *c, const char *text, int size, int pitch, int y,
                 const unsigned char rgb[3]) {
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
        draw_line(c, text + at, shown, size, (W - used) / 2, y, rgb);
        at += len;
        y += pitch;
    }
    return y;
}

static void paint(canvas_t *c, const meta_t *m) {
    static const unsigned char bg[3] = {0x1f, 0x3a, 0x5f}, ink[3] = {0xff, 0xff, 0xff},
                               soft[3] = {0xc8, 0xd6, 0xe5}, rule[3] = {0xe0, 0xb0, 0x4c};
    for (size_t i = 0; i < (size_t)W * H; i++)
        memcpy(c->px + i * 3, bg, 3);
    int size = 112;
    while (size > 56 && count_lines(c, m->title, size, W - 2 * MARGIN) > 4)
        size -= 8;
    int y = block(c, m->title, size, size * 13 / 10, 520, ink);
    for (int r = y - size / 2; r < y - size / 2 + 6; r++)
        for (int x = W / 2 - 80; x < W / 2 + 80; x++)
            memcpy(c->px + ((size_t)r * W + (size_t)x) * 3, rule, 3);
    if (m->subtitle && *m->subtitle) block(c, m->subtitle, 46, 64, y + 60, soft);
    if (m->author && *m->author) block(c, m->author, 56, 76, H - 260, ink);
}

static void write_png(png_structp png, png_bytep data, png_size_t len) {
    buf_put(png_get_io_ptr(png), (const char *)data, len);
}

static void flush_png(png_structp png) {
    (void)png;
}

static int encode(const unsigned char *px, buf_t *out) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    png_bytep *rows = xmalloc(H * sizeof *rows);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(rows);
        return -1;
    }
    png_set_write_fn(png, out, write_png, flush_png);
    /* flat colour and text: the Sub filter at the default level packs it nearly as
       small as level 9 in a fraction of the time */
    png_set_compression_level(png, 6);
    png_set_filter(png, 0, PNG_FILTER_SUB);
    png_set_IHDR(png, info, W, H, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    for (int r = 0; r < H; r++)
        rows[r] = (png_bytep)(px + (size_t)r * W * 3);
    png_set_rows(png, info, rows);
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    return 0;
}

static fontset_t *open_fonts(const book_t *b, const char *font_dir, diags_t *quiet) {
    print_t ps;
    char *override = path_join(b->root, "print.yaml");
    int rc = print_load(&ps, path_exists(override) ? override : NULL, quiet);
    free(override);
    if (rc != 0) return NULL;
    const char *chains[ROLE_COUNT][CHAIN_MAX] = {{0}};
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int k = 0; k < CHAIN_MAX; k++)
            chains[r][k] = ps.fonts[r][k];
    fontset_t *fs = fontset_open(font_dir, chains, quiet);
    print_free(&ps);
    return fs;
}

int epub_cover_png(const book_t *b, const char *font_dir, buf_t *out) {
    if (!font_dir || !b->meta.title || !*b->meta.title) return -1;
    /* problems with the fonts are the PDF build's to report */
    diags_t quiet;
    diags_init(&quiet);
    canvas_t c = {0};
    c.fs = open_fonts(b, font_dir, &quiet);
    c.dir = font_dir;
    int rc = -1;
    if (c.fs && quiet.errors == 0 && FT_Init_FreeType(&c.ft) == 0) {
        c.px = xmalloc((size_t)W * H * 3);
        paint(&c, &b->meta);
        rc = encode(c.px, out);
        free(c.px);
        for (int i = 0; i < FONT_MAX; i++)
            if (c.faces[i]) FT_Done_Face(c.faces[i]);
        FT_Done_FreeType(c.ft);
    }
    if (c.fs) fontset_free(c.fs);
    diags_free(&quiet);
    return rc;
}
