#include "image.h"
#include "../image/image.h"
#include "../util/xalloc.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* SVG is rasterised at 300 dpi for the size it is drawn at: its own size
   (96 px an inch), at most max_w points wide; other pictures are scaled down
   to 300 dpi at max_w points when they are wider. */
#define DPI 300.0

/* Raw RGB pixels with the alpha as a soft mask (libharu's own PNG loader
   mishandles alpha, 16-bit and interlaced files: libraries.md). */
HPDF_Image pdf_image_raster(HPDF_Doc pdf, const raster_t *r) {
    size_t n = (size_t)r->w * (size_t)r->h;
    unsigned char *rgb = xmalloc(n * 3), *alpha = xmalloc(n);
    bool opaque = true;
    for (size_t i = 0; i < n; i++) {
        memcpy(rgb + 3 * i, r->rgba + 4 * i, 3);
        alpha[i] = r->rgba[4 * i + 3];
        opaque &= alpha[i] == 255;
    }
    HPDF_Image im =
        HPDF_LoadRawImageFromMem(pdf, rgb, (HPDF_UINT)r->w, (HPDF_UINT)r->h, HPDF_CS_DEVICE_RGB, 8);
    if (im && !opaque) {
        HPDF_Image mask = HPDF_LoadRawImageFromMem(pdf, alpha, (HPDF_UINT)r->w, (HPDF_UINT)r->h,
                                                   HPDF_CS_DEVICE_GRAY, 8);
        if (mask) HPDF_Image_AddSMask(im, mask);
    }
    free(rgb), free(alpha);
    return im;
}

HPDF_Image pdf_load_image(HPDF_Doc pdf, const char *path, const char *media_type, float max_w) {
    if (!media_type) return NULL;
    if (strcmp(media_type, "image/jpeg") == 0) return HPDF_LoadJpegImageFromFile(pdf, path);
    double scale = DPI / 96.0, w, h;
    if (strcmp(media_type, "image/svg+xml") == 0 && image_size(path, media_type, &w, &h) &&
        w * 0.75 > max_w)
        scale = max_w / 72.0 * DPI / w;
    /* no picture is drawn wider than the measure: more than 300 dpi there is
       memory, time and file size no print shows */
    int max_px = (int)(max_w / 72.0 * DPI + 0.999);
    raster_t r;
    /* a PNG too large to decode whole is averaged down as it is read */
    if (!image_decode_large(path, media_type, scale, max_px, &r)) return NULL;
    raster_shrink(&r, max_px);
    HPDF_Image im = pdf_image_raster(pdf, &r);
    raster_free(&r);
    return im;
}
