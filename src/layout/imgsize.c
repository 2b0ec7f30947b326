#include "typeset.h"
#include <stdio.h>
#include <string.h>

static unsigned be16(const unsigned char *p) {
    return (unsigned)p[0] << 8 | p[1];
}
static unsigned long be32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Reads only the headers: PNG's IHDR, or a JPEG's first frame marker. */
bool image_pixel_size(const char *path, int *w, int *h) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    unsigned char b[32];
    bool ok = false;
    if (fread(b, 1, 24, f) == 24 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 &&
        memcmp(b + 12, "IHDR", 4) == 0) {
        *w = (int)be32(b + 16), *h = (int)be32(b + 20);
        ok = *w > 0 && *h > 0 && *w < 100000 && *h < 100000;
    } else if (b[0] == 0xFF && b[1] == 0xD8) {
        fseek(f, 2, SEEK_SET);
        while (!ok && fread(b, 1, 4, f) == 4 && b[0] == 0xFF) {
            unsigned m = b[1], len = be16(b + 2);
            if (len < 2) break;
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                if (fread(b, 1, 5, f) != 5) break;
                *h = (int)be16(b + 1), *w = (int)be16(b + 3);
                ok = *w > 0 && *h > 0;
            } else if (fseek(f, (long)len - 2, SEEK_CUR) != 0) {
                break;
            }
        }
    }
    fclose(f);
    return ok;
}
