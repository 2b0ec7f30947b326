#ifndef GHB_EPUB_ZIPLIB_H
#define GHB_EPUB_ZIPLIB_H
/* libzip, loaded on the first EPUB (dynlib.h) instead of at start-up: it brings
   libcrypto, libbz2 and liblzma, whose loading and relocation cost every
   command 1.5-2.5 ms, and only the EPUB needs them (docs/DECISIONS.md,
   "libzip on demand"). Types and prototypes are libzip's own. */
#include <stddef.h>
#include <zip.h>

typedef struct {
    __typeof__(&zip_close) close;
    __typeof__(&zip_discard) discard;
    __typeof__(&zip_error_fini) error_fini;
    __typeof__(&zip_error_init) error_init;
    __typeof__(&zip_error_set) error_set;
    __typeof__(&zip_error_strerror) error_strerror;
    __typeof__(&zip_error_to_data) error_to_data;
    __typeof__(&zip_file_add) file_add;
    __typeof__(&zip_file_set_dostime) file_set_dostime;
    __typeof__(&zip_open_from_source) open_from_source;
    __typeof__(&zip_set_file_compression) set_file_compression;
    __typeof__(&zip_source_buffer) source_buffer;
    __typeof__(&zip_source_buffer_create) source_buffer_create;
    __typeof__(&zip_source_close) source_close;
    __typeof__(&zip_source_free) source_free;
    __typeof__(&zip_source_function) source_function;
    __typeof__(&zip_source_keep) source_keep;
    __typeof__(&zip_source_make_command_bitmap) source_make_command_bitmap;
    __typeof__(&zip_source_open) source_open;
    __typeof__(&zip_source_read) source_read;
    __typeof__(&zip_stat_init) stat_init;
    __typeof__(&zip_strerror) strerror;
} ziplib_t;

/* The loaded functions, or NULL with "libzip.so.4 is not available (…)" in err
   (err may be NULL once a call has succeeded). Loads once per process
   (thread-safe); a failure is remembered. */
const ziplib_t *ziplib(char *err, size_t errlen);

#endif
