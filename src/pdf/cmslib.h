#ifndef GHB_PDF_CMSLIB_H
#define GHB_PDF_CMSLIB_H
/* lcms2, loaded on the first picture of a press PDF (../util/dynlib.h)
   instead of at start-up: only `pdf --press` converts colours, and linking it
   cost every run part of 0.69 ms (docs/DECISIONS.md, "Libraries on demand,
   second round"). Types and prototypes are lcms2's own. */
#include <lcms2.h>
#include <stddef.h>

typedef struct {
    __typeof__(&cmsCreate_sRGBProfile) create_srgb_profile;
    __typeof__(&cmsOpenProfileFromFile) open_profile_from_file;
    __typeof__(&cmsCloseProfile) close_profile;
    __typeof__(&cmsCreateTransform) create_transform;
    __typeof__(&cmsDoTransform) do_transform;
    __typeof__(&cmsDeleteTransform) delete_transform;
} cmslib_t;

/* The loaded functions, or NULL with "liblcms2.so.2 is not available (…)" in
   err (err may be NULL). Loads once per process (thread-safe); a failure is
   remembered. */
const cmslib_t *cmslib(char *err, size_t errlen);

#endif
