/* libgif on first use: see giflib.h. */
#include "giflib.h"
#include "../util/dynlib.h"
#include <stdbool.h>

/* the soname of the libgif the build was made against (Debian 12: libgif.so.7;
   its GifFileType is read directly, so the soname pins the layout) */
#ifndef GHB_LIBGIF_SONAME
#define GHB_LIBGIF_SONAME "libgif.so.7"
#endif

#define SYM(field, symbol)                                                                         \
    { GHB_LIBGIF_SONAME, #symbol, offsetof(giflib_t, field) }
static const dynsym_t syms[] = {
    SYM(open_file_name, DGifOpenFileName),     SYM(get_record_type, DGifGetRecordType),
    SYM(get_image_desc, DGifGetImageDesc),     SYM(get_line, DGifGetLine),
    SYM(get_extension, DGifGetExtension),      SYM(get_extension_next, DGifGetExtensionNext),
    SYM(extension_to_gcb, DGifExtensionToGCB), SYM(close_file, DGifCloseFile),
};

DYNLIB_MODULE(giflib_t, giflib, NULL)
