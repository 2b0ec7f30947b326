/* A PNG too large to decode whole, read row by row and averaged down as it is
   read (DeepLearning-500-questions' 20725 x 5330 diagram: 110 million pixels,
   442 MB as RGBA, where the PDF needs a few hundred thousand). */
#include "image.h"
#include "../util/xalloc.h"
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_error(png_structp png, png_const_charp msg) {
    (void)msg;
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
    (void)png, (void)msg;
}

/* The sums of the source pixels an output pixel covers, colour weighted by
   alpha (raster_shrink's box filter). */
typedef struct {
    uint64_t r, g, b, a, n;
} sum_t;

static void add_row(const unsigned char *row, int sw, const int *dx_of, sum_t *acc) {
    for (int x = 0; x < sw; x++) {
        const unsigned char *p = row + (size_t)x * 4;
        sum_t *s = &acc[dx_of[x]];
        s->r += (uint64_t)p[0] * p[3], s->g += (uint64_t)p[1] * p[3];
        s->b += (uint64_t)p[2] * p[3], s->a += p[3], s->n++;
    }
}

static void put_row(sum_t *acc, int dw, unsigned char *dst) {
    for (int dx = 0; dx < dw; dx++) {
        sum_t *s = &acc[dx];
        unsigned char *q = dst + (size_t)dx * 4;
        q[0] = (unsigned char)(s->a ? s->r / s->a : 0),
        q[1] = (unsigned char)(s->a ? s->g / s->a : 0);
        q[2] = (unsigned char)(s->a ? s->b / s->a : 0);
        q[3] = (unsigned char)(s->n ? (s->a + s->n / 2) / s->n : 0);
        memset(s, 0, sizeof *s);
    }
}

/* What the rows are read into and averaged with: freed whichever way the read ends. */
typedef struct {
    unsigned char *row;
    int *dx_of;
    sum_t *acc;
} work_t;

static void work_free(work_t *w) {
    free(w->row), free(w->dx_of), free(w->acc);
    memset(w, 0, sizeof *w);
}

/* Reads the rows of png (its header read, as 8-bit RGBA) into r, dw x dh. */
static void read_rows(png_structp png, int sw, int sh, raster_t *r, work_t *w) {
    int dw = r->w, dh = r->h;
    w->row = xmalloc((size_t)sw * 4);
    w->dx_of = xmalloc((size_t)sw * sizeof *w->dx_of);
    w->acc = xcalloc((size_t)dw, sizeof *w->acc);
    for (int dx = 0; dx < dw; dx++) /* the source columns each output column covers */
        for (int x = (int)((int64_t)dx * sw / dw); x < (int)((int64_t)(dx + 1) * sw / dw); x++)
            w->dx_of[x] = dx;
    for (int y = 0, dy = 0; y < sh; y++) {
        png_read_row(png, w->row, NULL);
        add_row(w->row, sw, w->dx_of, w->acc);
        /* the last source row of output row dy */
        if (y + 1 == (int)((int64_t)(dy + 1) * sh / dh) || y + 1 == sh)
            put_row(w->acc, dw, r->rgba + (size_t)dy++ * (size_t)dw * 4);
    }
}

/* The header of a PNG, set to come out as 8-bit RGBA rows; false when it is
   interlaced (its rows come in seven passes, so they cannot be taken one by one). */
static bool rgba_rows(png_structp png, png_infop info, png_uint_32 *sw, png_uint_32 *sh) {
    int depth, type, interlace;
    png_read_info(png, info);
    png_get_IHDR(png, info, sw, sh, &depth, &type, &interlace, NULL, NULL);
    if (interlace != PNG_INTERLACE_NONE) return false;
    png_set_expand(png); /* palette to RGB, grey to 8 bits, tRNS to alpha */
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    if (!(type & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_read_update_info(png, info);
    return png_get_rowbytes(png, info) == (size_t)*sw * 4;
}

/* Reads the PNG into out, at most max_w wide. Nothing here is read after a
   longjmp but what the pointers reach, so no local needs to be volatile. */
static bool read_png(png_structp png, png_infop info, FILE *f, int max_w, raster_t *out,
                     work_t *w) {
    if (setjmp(png_jmpbuf(png))) return false; /* a damaged header or row */
    png_init_io(png, f);
    png_uint_32 sw, sh;
    if (!rgba_rows(png, info, &sw, &sh)) return false;
    int dw = (int)(sw < (png_uint_32)max_w ? sw : (png_uint_32)max_w);
    int dh = (int)((uint64_t)sh * (uint64_t)dw / sw);
    if (dh < 1) dh = 1;
    if ((uint64_t)dw * (uint64_t)dh > IMAGE_MAX_PIXELS) return false;
    *out = (raster_t){dw, dh, xcalloc((size_t)dw * (size_t)dh, 4)};
    read_rows(png, (int)sw, (int)sh, out, w);
    return true;
}

bool image_png_shrunk(const char *path, int max_w, raster_t *out) {
    memset(out, 0, sizeof *out);
    FILE *f = max_w > 0 ? fopen(path, "rb") : NULL;
    if (!f) return false;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    work_t w = {0};
    bool ok = info && read_png(png, info, f, max_w, out, &w);
    if (!ok) raster_free(out);
    work_free(&w);
    png_destroy_read_struct(&png, info ? &info : NULL, NULL);
    fclose(f);
    return ok;
}

static bool interlaced(png_structp png, png_infop info, FILE *f) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_init_io(png, f);
    png_read_info(png, info);
    return png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
}

bool image_png_interlaced(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    bool yes = info && interlaced(png, info, f);
    png_destroy_read_struct(&png, info ? &info : NULL, NULL);
    fclose(f);
    return yes;
}
