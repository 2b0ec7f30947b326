#include "typeset.h"
#include "../image/image.h"

/* The picture's size in CSS pixels, from the image stage (any format it reads). */
bool image_pixel_size(const char *path, int *w, int *h) {
    double dw, dh;
    if (!image_size(path, image_sniff_file(path), &dw, &dh)) return false;
    *w = (int)(dw + 0.5), *h = (int)(dh + 0.5);
    return *w > 0 && *h > 0 && *w < 100000 && *h < 100000;
}
