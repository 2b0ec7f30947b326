#include "emoji.h"
#include "../util/xalloc.h"
#include <png.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* As image.c does for files (libharu's PNG loader mishandles alpha): libpng to
   8-bit RGBA, then raw RGB pixels with the alpha as a soft mask. */
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
    int w, h;
    unsigned char *rgba = emoji_rgba(png, len, &w, &h);
    if (!rgba) return NULL;
    size_t n = (size_t)w * (size_t)h;
    unsigned char *rgb = xmalloc(n * 3), *alpha = xmalloc(n);
    bool opaque = true;
    for (size_t i = 0; i < n; i++) {
        memcpy(rgb + 3 * i, rgba + 4 * i, 3);
        alpha[i] = rgba[4 * i + 3];
        opaque &= alpha[i] == 255;
    }
    HPDF_Image im =
        HPDF_LoadRawImageFromMem(pdf, rgb, (HPDF_UINT)w, (HPDF_UINT)h, HPDF_CS_DEVICE_RGB, 8);
    if (im && !opaque) {
        HPDF_Image mask = HPDF_LoadRawImageFromMem(pdf, alpha, (HPDF_UINT)w, (HPDF_UINT)h,
                                                   HPDF_CS_DEVICE_GRAY, 8);
        if (mask) HPDF_Image_AddSMask(im, mask);
    }
    free(rgba), free(rgb), free(alpha);
    return im;
}
