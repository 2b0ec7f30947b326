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

static webplib_t lib;
static dynlib_once_t once = DYNLIB_ONCE_INIT;

const webplib_t *webplib(char *err, size_t errlen) {
    return dynlib_once(&once, syms, sizeof syms / sizeof *syms, &lib, NULL, err, errlen) ? &lib
                                                                                         : NULL;
}
