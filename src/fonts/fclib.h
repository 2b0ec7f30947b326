#ifndef GHB_FONTS_FCLIB_H
#define GHB_FONTS_FCLIB_H
/* fontconfig, loaded on the first character no bundled font has
   (../util/dynlib.h) instead of at start-up: most books never ask it, and
   linking it (with libexpat) was part of the 0.69 ms that it, libgif,
   libwebp and lcms2 added to every run (docs/DECISIONS.md, "Libraries on
   demand, second round"). Types and prototypes are fontconfig's own. */
#include <fontconfig/fontconfig.h>
#include <stddef.h>

typedef struct {
    __typeof__(&FcInitLoadConfigAndFonts) init_load_config_and_fonts;
    __typeof__(&FcConfigDestroy) config_destroy;
    __typeof__(&FcPatternCreate) pattern_create;
    __typeof__(&FcPatternDestroy) pattern_destroy;
    __typeof__(&FcPatternAddCharSet) pattern_add_charset;
    __typeof__(&FcPatternAddBool) pattern_add_bool;
    __typeof__(&FcPatternGetBool) pattern_get_bool;
    __typeof__(&FcPatternGetInteger) pattern_get_integer;
    __typeof__(&FcPatternGetString) pattern_get_string;
    __typeof__(&FcCharSetCreate) charset_create;
    __typeof__(&FcCharSetAddChar) charset_add_char;
    __typeof__(&FcCharSetDestroy) charset_destroy;
    __typeof__(&FcObjectSetBuild) object_set_build;
    __typeof__(&FcObjectSetDestroy) object_set_destroy;
    __typeof__(&FcFontList) font_list;
    __typeof__(&FcFontSetDestroy) font_set_destroy;
} fclib_t;

/* The loaded functions, or NULL with "libfontconfig.so.1 is not available (…)"
   in err (err may be NULL). Loads once per process (thread-safe); a failure
   is remembered. */
const fclib_t *fclib(char *err, size_t errlen);

#endif
