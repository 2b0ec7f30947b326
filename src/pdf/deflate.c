#include "deflate.h"
#include "../util/xalloc.h"
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>

struct deflater {
    int level;
    struct libdeflate_compressor *c[13]; /* by level, made when first used */
};

static struct libdeflate_compressor *compressor(deflater_t *d, int level) {
    if (level < 1 || level > 12) level = d->level;
    if (!d->c[level]) d->c[level] = libdeflate_alloc_compressor(level);
    if (!d->c[level]) {
        /* only out of memory: the same answer as xmalloc's */
        fputs("ghb-book: error: out of memory\n", stderr);
        abort();
    }
    return d->c[level];
}

deflater_t *deflater_new(int level) {
    deflater_t *d = xcalloc(1, sizeof *d);
    d->level = level;
    compressor(d, level);
    return d;
}

void deflater_free(deflater_t *d) {
    if (!d) return;
    for (int i = 0; i < 13; i++)
        if (d->c[i]) libdeflate_free_compressor(d->c[i]);
    free(d);
}

void deflater_put(deflater_t *d, const void *in, size_t len, buf_t *out) {
    deflater_put_at(d, 0, in, len, out);
}

void deflater_put_at(deflater_t *d, int level, const void *in, size_t len, buf_t *out) {
    struct libdeflate_compressor *c = compressor(d, level);
    size_t bound = libdeflate_zlib_compress_bound(c, len);
    if (out->cap < out->len + bound + 1) {
        /* room for the bound, compressed in place (no copy through a scratch buffer) */
        size_t cap = out->cap * 2;
        out->cap = cap > out->len + bound + 1 ? cap : out->len + bound + 1;
        out->data = xrealloc(out->data, out->cap);
    }
    size_t n = libdeflate_zlib_compress(c, in, len, out->data + out->len, bound);
    out->len += n;
    out->data[out->len] = 0;
}
