#ifndef GHB_DEFLATE_H
#define GHB_DEFLATE_H
/* The one compressor of the PDF's streams: libdeflate in zlib format, which
   is what /FlateDecode reads. A deflater belongs to one thread at a time. */
#include "../util/buf.h"
#include <stddef.h>

typedef struct deflater deflater_t;

/* The levels the PDF is written at (docs/DECISIONS.md, "Speed, session of
   2026-11-30"): libdeflate's fastest for content, fonts and object streams,
   its default for pictures' pixels, which level 1 packs 10 % worse. */
#define PDF_DEFLATE_LEVEL 1
#define PDF_DEFLATE_LEVEL_IMAGES 6

deflater_t *deflater_new(int level);
void deflater_free(deflater_t *d);
/* Appends the compressed form of in[0..len) to out. */
void deflater_put(deflater_t *d, const void *in, size_t len, buf_t *out);

#endif
