/* An 8-bit palette PNG written here (#14: libpng's row handling and zlib's
   checksum were a third of the cover's time): IHDR, PLTE, IDAT, IEND. */
#include "palpng.h"
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Blank rows deflated at once and then copied: enough that the copies are few,
   few enough that the rows left over are quick to deflate one by one. */
enum { BLANK_ROWS = 32 };

static void put_be32(buf_t *out, uint32_t v) {
    const char b[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    buf_put(out, b, 4);
}

/* A chunk: length, type, data, and the CRC of type and data. */
static void chunk(buf_t *out, const char *type, const void *data, size_t len) {
    put_be32(out, (uint32_t)len);
    size_t at = out->len;
    buf_put(out, type, 4);
    if (len) buf_put(out, data, len);
    put_be32(out, libdeflate_crc32(0, out->data + at, len + 4));
}

/* The Adler-32 of adler's data followed by len zero bytes: each zero adds
   nothing to the first sum and the first sum to the second. */
static uint32_t adler_zeros(uint32_t adler, size_t len) {
    uint64_t a = adler & 0xffff, b = adler >> 16;
    b = (b + (len % 65521) * a) % 65521;
    return (uint32_t)(b << 16 | a);
}

/* Feeds len bytes to z (flush as deflate's) and appends what comes out. */
static int feed(z_stream *z, const unsigned char *in, size_t len, int flush, buf_t *out) {
    unsigned char chunk[65536];
    z->next_in = (Bytef *)in, z->avail_in = (uInt)len;
    int rc;
    do {
        z->next_out = chunk, z->avail_out = sizeof chunk;
        rc = deflate(z, flush);
        buf_put(out, (const char *)chunk, sizeof chunk - z->avail_out);
    } while (rc == Z_OK && (z->avail_in || z->avail_out == 0));
    return rc == Z_OK || rc == Z_BUF_ERROR || rc == Z_STREAM_END ? 0 : -1;
}

/* Deflate with run-length matching: the rows are long runs of one index
   (libdeflate, which has no such strategy, was half again as slow here). */
static int start(z_stream *z) {
    memset(z, 0, sizeof *z);
    return deflateInit2(z, 6, Z_DEFLATED, -15, 8, Z_RLE) == Z_OK ? 0 : -1;
}

/* BLANK_ROWS blank rows (filter byte and pixels all 0) as a deflate fragment
   that refers to nothing before it and ends byte-aligned, so that copies of
   it may follow one another and any full flush. */
static int blank_block(size_t row, buf_t *out) {
    z_stream z;
    if (start(&z) != 0) return -1;
    unsigned char *zeros = calloc(BLANK_ROWS, row);
    int rc = zeros ? feed(&z, zeros, BLANK_ROWS * row, Z_FULL_FLUSH, out) : -1;
    free(zeros);
    deflateEnd(&z);
    return rc;
}

/* The rows as a zlib stream, each unfiltered (filter byte 0: a palette image
   gains nothing from filters). A run of blank rows ends what came before with
   a full flush (nothing after refers back across it), then takes copies of the
   blank block; the rows left over go through the stream like any other. */
static int deflate_rows(const unsigned char *px, int w, int h, const bool *inked, buf_t *out) {
    size_t row = (size_t)w + 1;
    buf_t blank;
    buf_init(&blank);
    z_stream z;
    if (start(&z) != 0) return -1;
    unsigned char *line = malloc(row), *zeros = calloc(BLANK_ROWS, row);
    int rc = line && zeros ? 0 : -1;
    uint32_t adler = 1;
    buf_put(out, "\x78\x9c", 2); /* deflate, 32 KB window, default level */
    for (int r = 0; r < h && rc == 0;) {
        if (inked[r]) {
            line[0] = 0;
            memcpy(line + 1, px + (size_t)r * (size_t)w, (size_t)w);
            adler = libdeflate_adler32(adler, line, row);
            rc = feed(&z, line, row, Z_NO_FLUSH, out);
            r++;
            continue;
        }
        int n = 0;
        while (r + n < h && !inked[r + n])
            n++;
        adler = adler_zeros(adler, (size_t)n * row);
        if (n >= BLANK_ROWS) {
            if (!blank.len) rc = blank_block(row, &blank);
            if (rc == 0) rc = feed(&z, NULL, 0, Z_FULL_FLUSH, out);
            for (int k = 0; rc == 0 && k + BLANK_ROWS <= n; k += BLANK_ROWS)
                buf_put(out, blank.data, blank.len);
        }
        if (rc == 0) rc = feed(&z, zeros, (size_t)(n % BLANK_ROWS) * row, Z_NO_FLUSH, out);
        r += n;
    }
    if (rc == 0) rc = feed(&z, NULL, 0, Z_FINISH, out);
    deflateEnd(&z);
    free(line), free(zeros);
    buf_free(&blank);
    if (rc != 0) return -1;
    put_be32(out, adler);
    return 0;
}

int palpng_write(const unsigned char *px, int w, int h, const bool *inked, const unsigned char *pal,
                 int n_pal, buf_t *out) {
    if (w <= 0 || h <= 0 || w > 1 << 20 || h > 1 << 20 || n_pal < 1 || n_pal > 256) return -1;
    buf_t idat;
    buf_init(&idat);
    if (deflate_rows(px, w, h, inked, &idat) != 0) {
        buf_free(&idat);
        return -1;
    }
    buf_put(out, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {0};
    for (int i = 0; i < 4; i++)
        ihdr[i] = (unsigned char)(w >> (24 - 8 * i)),
        ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
    ihdr[8] = 8, ihdr[9] = 3; /* 8 bits, palette; deflate, no filter method, no interlace */
    chunk(out, "IHDR", ihdr, sizeof ihdr);
    chunk(out, "PLTE", pal, (size_t)n_pal * 3);
    chunk(out, "IDAT", idat.data, idat.len);
    chunk(out, "IEND", NULL, 0);
    buf_free(&idat);
    return 0;
}
