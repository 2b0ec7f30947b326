#ifndef GHB_IMAGE_GIFLIB_H
#define GHB_IMAGE_GIFLIB_H
/* libgif, loaded on the first GIF a book has (../util/dynlib.h) instead of at
   start-up: most books have none, and every run paid for loading it
   (docs/DECISIONS.md, "Libraries on demand, second round"). Types and
   prototypes are libgif's own. */
#include <gif_lib.h>
#include <stddef.h>

typedef struct {
    __typeof__(&DGifOpenFileName) open_file_name;
    __typeof__(&DGifGetRecordType) get_record_type;
    __typeof__(&DGifGetImageDesc) get_image_desc;
    __typeof__(&DGifGetLine) get_line;
    __typeof__(&DGifGetExtension) get_extension;
    __typeof__(&DGifGetExtensionNext) get_extension_next;
    __typeof__(&DGifExtensionToGCB) extension_to_gcb;
    __typeof__(&DGifCloseFile) close_file;
} giflib_t;

/* The loaded functions, or NULL with "libgif.so.7 is not available (…)" in err
   (err may be NULL). Loads once per process (thread-safe); a failure is
   remembered. */
const giflib_t *giflib(char *err, size_t errlen);

#endif
