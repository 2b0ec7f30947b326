#include "emoji.h"
#include "image.h"
#include "../util/xalloc.h"
#include <png.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* libpng to 8-bit RGBA (libharu's PNG loader mishandles alpha). */
unsigned char *emoji_rgba(const void *png, size_t len, int *w, int *h) {
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, png, len)) return NULL;
    img.format = PNG_FORMAT_RGBA;
    size_t n = (size_t)img.width * img.height;
    if (img.width == 0 || img.height == 0 || n > 4096u * 4096) {
        png_image_free(&img);
        return NULL;
    }
    unsigned char *rgba = xmalloc(n * 4);
    if (!png_image_finish_read(&img, NULL, rgba, 0, NULL)) {
        png_image_free(&img);
        free(rgba);
        return NULL;
    }
    *w = (int)img.width, *h = (int)img.height;
    return rgba;
}

HPDF_Image emoji_png(HPDF_Doc pdf, const void *png, size_t len) {
    raster_t r;
    r.rgba = emoji_rgba(png, len, &r.w, &r.h);
    HPDF_Image im = r.rgba ? pdf_image_raster(pdf, &r) : NULL;
    raster_free(&r);
    return im;
}
