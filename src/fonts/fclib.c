/* fontconfig on first use: see fclib.h. */
#include "fclib.h"
#include "../util/dynlib.h"
#include <stdbool.h>

/* the soname of the fontconfig the build was made against (Debian 12:
   libfontconfig.so.1) */
#ifndef GHB_FONTCONFIG_SONAME
#define GHB_FONTCONFIG_SONAME "libfontconfig.so.1"
#endif

#define SYM(field, symbol)                                                                         \
    { GHB_FONTCONFIG_SONAME, #symbol, offsetof(fclib_t, field) }
static const dynsym_t syms[] = {
    SYM(init_load_config_and_fonts, FcInitLoadConfigAndFonts),
    SYM(config_destroy, FcConfigDestroy),
    SYM(pattern_create, FcPatternCreate),
    SYM(pattern_destroy, FcPatternDestroy),
    SYM(pattern_add_charset, FcPatternAddCharSet),
    SYM(pattern_add_bool, FcPatternAddBool),
    SYM(pattern_get_bool, FcPatternGetBool),
    SYM(pattern_get_integer, FcPatternGetInteger),
    SYM(pattern_get_string, FcPatternGetString),
    SYM(charset_create, FcCharSetCreate),
    SYM(charset_add_char, FcCharSetAddChar),
    SYM(charset_destroy, FcCharSetDestroy),
    SYM(object_set_build, FcObjectSetBuild),
    SYM(object_set_destroy, FcObjectSetDestroy),
    SYM(font_list, FcFontList),
    SYM(font_set_destroy, FcFontSetDestroy),
};

DYNLIB_MODULE(fclib_t, fclib, NULL)
