#include "image.h"
#include "../util/xalloc.h"
#include <stdint.h>
#include <stdlib.h>

/* Box filter: each new pixel is the mean of the source pixels it covers.
   Colour is weighted by alpha, so transparent pixels (often black) do not
   darken the edges of what they surround. Source spans are whole pixels:
   shrinking by 2 or more, the error is under half a source pixel. */
static void shrink_row(const unsigned char *src, int sw, int y0, int y1, int dw,
                       unsigned char *dst) {
    for (int dx = 0; dx < dw; dx++) {
        int x0 = (int)((int64_t)dx * sw / dw), x1 = (int)((int64_t)(dx + 1) * sw / dw);
        if (x1 <= x0) x1 = x0 + 1;
        uint64_t r = 0, g = 0, b = 0, a = 0, n = 0;
        for (int y = y0; y < y1; y++) {
            const unsigned char *p = src + ((size_t)y * (size_t)sw + (size_t)x0) * 4;
            for (int x = x0; x < x1; x++, p += 4, n++) {
                r += (uint64_t)p[0] * p[3], g += (uint64_t)p[1] * p[3];
                b += (uint64_t)p[2] * p[3], a += p[3];
            }
        }
        unsigned char *q = dst + (size_t)dx * 4;
        q[0] = (unsigned char)(a ? r / a : 0), q[1] = (unsigned char)(a ? g / a : 0);
        q[2] = (unsigned char)(a ? b / a : 0), q[3] = (unsigned char)((a + n / 2) / n);
    }
}

bool raster_shrink(raster_t *r, int max_w) {
    if (max_w < 1 || r->w <= max_w) return false;
    int dw = max_w, dh = (int)((int64_t)r->h * dw / r->w);
    if (dh < 1) dh = 1;
    unsigned char *out = xmalloc((size_t)dw * (size_t)dh * 4);
    for (int dy = 0; dy < dh; dy++) {
        int y0 = (int)((int64_t)dy * r->h / dh), y1 = (int)((int64_t)(dy + 1) * r->h / dh);
        if (y1 <= y0) y1 = y0 + 1;
        shrink_row(r->rgba, r->w, y0, y1, dw, out + (size_t)dy * (size_t)dw * 4);
    }
    free(r->rgba);
    r->rgba = out, r->w = dw, r->h = dh;
    return true;
}
