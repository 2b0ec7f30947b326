/* libwebp on first use: see webplib.h. */
#include "webplib.h"
#include "../util/dynlib.h"
#include <stdbool.h>

/* the soname of the libwebp the build was made against (Debian 12: libwebp.so.7) */
#ifndef GHB_LIBWEBP_SONAME
#define GHB_LIBWEBP_SONAME "libwebp.so.7"
#endif

#define SYM(field, symbol)                                                                         \
    { GHB_LIBWEBP_SONAME, #symbol, offsetof(webplib_t, field) }
static const dynsym_t syms[] = {
    SYM(get_info, WebPGetInfo),
    SYM(decode_rgba_into, WebPDecodeRGBAInto),
};

DYNLIB_MODULE(webplib_t, webplib, NULL)
