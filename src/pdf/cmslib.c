/* lcms2 on first use: see cmslib.h. */
#include "cmslib.h"
#include "../util/dynlib.h"
#include <stdbool.h>

/* the soname of the lcms2 the build was made against (Debian 12: liblcms2.so.2) */
#ifndef GHB_LCMS2_SONAME
#define GHB_LCMS2_SONAME "liblcms2.so.2"
#endif

#define SYM(field, symbol)                                                                         \
    { GHB_LCMS2_SONAME, #symbol, offsetof(cmslib_t, field) }
static const dynsym_t syms[] = {
    SYM(create_srgb_profile, cmsCreate_sRGBProfile),
    SYM(open_profile_from_file, cmsOpenProfileFromFile),
    SYM(close_profile, cmsCloseProfile),
    SYM(create_transform, cmsCreateTransform),
    SYM(do_transform, cmsDoTransform),
    SYM(delete_transform, cmsDeleteTransform),
};

DYNLIB_MODULE(cmslib_t, cmslib, NULL)
