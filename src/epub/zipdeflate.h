#ifndef GHB_EPUB_ZIPDEFLATE_H
#define GHB_EPUB_ZIPDEFLATE_H
/* EPUB entries deflated with libdeflate (zipdeflate.c): a libzip source that
   hands over data already compressed, which libzip copies as it is. libdeflate
   compresses the XHTML of a math-heavy chapter (MathML, 400 KB) several times
   faster than the zlib inside libzip, to the same size. (libdeflate is linked
   for the PDF's streams too; the CMake comment names that use.) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ziplib.h"
#include <zip.h>

typedef struct {
    unsigned char *data; /* raw deflate */
    size_t len;
    size_t size; /* uncompressed */
    uint32_t crc;
} zipdeflated_t;

/* A compressor for zipdeflate (libdeflate's: free it with
   libdeflate_free_compressor), or NULL. One per thread. */
struct libdeflate_compressor *zipdeflate_compressor(void);
/* Deflates len bytes of data into out (its data is malloc'ed); false when it
   cannot. Thread-safe, with a compressor of the calling thread's own. */
bool zipdeflate(struct libdeflate_compressor *c, const void *data, size_t len, zipdeflated_t *out);
/* A source of d's bytes (it takes d->data, and frees it on failure), or NULL;
   zl is the loaded libzip (ziplib.h). */
zip_source_t *zipdeflate_source(const ziplib_t *zl, zip_t *z, zipdeflated_t *d);

#endif
