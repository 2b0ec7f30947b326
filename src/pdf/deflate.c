#include "deflate.h"
#include "../util/xalloc.h"
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>

struct deflater {
    struct libdeflate_compressor *c;
};

deflater_t *deflater_new(int level) {
    deflater_t *d = xcalloc(1, sizeof *d);
    d->c = libdeflate_alloc_compressor(level);
    if (!d->c) {
        /* only out of memory: the same answer as xmalloc's */
        fputs("ghb-book: error: out of memory\n", stderr);
        abort();
    }
    return d;
}

void deflater_free(deflater_t *d) {
    if (!d) return;
    libdeflate_free_compressor(d->c);
    free(d);
}

void deflater_put(deflater_t *d, const void *in, size_t len, buf_t *out) {
    size_t bound = libdeflate_zlib_compress_bound(d->c, len);
    if (out->cap < out->len + bound + 1) {
        /* room for the bound, compressed in place (no copy through a scratch buffer) */
        size_t cap = out->cap * 2;
        out->cap = cap > out->len + bound + 1 ? cap : out->len + bound + 1;
        out->data = xrealloc(out->data, out->cap);
    }
    size_t n = libdeflate_zlib_compress(d->c, in, len, out->data + out->len, bound);
    out->len += n;
    out->data[out->len] = 0;
}
