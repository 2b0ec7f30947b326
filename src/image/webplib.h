#ifndef GHB_IMAGE_WEBPLIB_H
#define GHB_IMAGE_WEBPLIB_H
/* libwebp, loaded on the first WebP picture a book has (../util/dynlib.h)
   instead of at start-up: most books have none, and every run paid for
   loading it (docs/DECISIONS.md, "Libraries on demand, second round"). Types
   and prototypes are libwebp's own. */
#include <stddef.h>
#include <webp/decode.h>

typedef struct {
    __typeof__(&WebPGetInfo) get_info;
    __typeof__(&WebPDecodeRGBAInto) decode_rgba_into;
} webplib_t;

/* The loaded functions, or NULL with "libwebp.so.7 is not available (…)" in
   err (err may be NULL). Loads once per process (thread-safe); a failure is
   remembered. */
const webplib_t *webplib(char *err, size_t errlen);

#endif
