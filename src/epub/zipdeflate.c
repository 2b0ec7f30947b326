/* EPUB entries deflated with libdeflate: see zipdeflate.h. */
#include "zipdeflate.h"
#include "ziplib.h"
#include "../util/xalloc.h"
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data; /* raw deflate */
    size_t len, at;
    size_t size; /* uncompressed */
    uint32_t crc;
    zip_error_t error;
} zsrc_t;

/* zlib's level 6 in ratio, at a fraction of its time */
#define LEVEL 6

static zip_int64_t callback(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
    zsrc_t *z = ud;
    const ziplib_t *zl = ziplib(NULL, 0); /* loaded: this source was made with it */
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        z->at = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        size_t n = z->len - z->at < len ? z->len - z->at : (size_t)len;
        memcpy(data, z->data + z->at, n);
        z->at += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        /* compressed, with its size and CRC: libzip copies the bytes unchanged */
        zip_stat_t *st = data;
        zl->stat_init(st);
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
        st->size = z->size;
        st->comp_size = z->len;
        st->comp_method = ZIP_CM_DEFLATE;
        st->crc = z->crc;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zl->error_to_data(&z->error, data, len);
    case ZIP_SOURCE_FREE:
        zl->error_fini(&z->error);
        free(z->data);
        free(z);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zl->source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        zl->error_set(&z->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

struct libdeflate_compressor *zipdeflate_compressor(void) {
    return libdeflate_alloc_compressor(LEVEL);
}

bool zipdeflate(struct libdeflate_compressor *c, const void *data, size_t len, zipdeflated_t *out) {
    size_t bound = libdeflate_deflate_compress_bound(c, len);
    out->data = xmalloc(bound ? bound : 1);
    out->len = libdeflate_deflate_compress(c, data, len, out->data, bound);
    out->size = len;
    out->crc = libdeflate_crc32(0, data, len);
    if (out->len) return true;
    free(out->data);
    out->data = NULL;
    return false;
}

zip_source_t *zipdeflate_source(const ziplib_t *zl, zip_t *zip, zipdeflated_t *d) {
    zsrc_t *z = xcalloc(1, sizeof *z);
    z->data = d->data, z->len = d->len, z->size = d->size, z->crc = d->crc;
    d->data = NULL;
    zl->error_init(&z->error);
    zip_source_t *s = zl->source_function(zip, callback, z);
    if (!s) {
        zl->error_fini(&z->error);
        free(z->data);
        free(z);
    }
    return s;
}
