/* libzip on first use: see ziplib.h. */
#include "ziplib.h"
#include "../util/dynlib.h"
#include <stdbool.h>
#include <stdio.h>

/* the soname of the libzip the build was made against (Debian 12: libzip.so.4) */
#ifndef GHB_LIBZIP_SONAME
#define GHB_LIBZIP_SONAME "libzip.so.4"
#endif

#define SYM(field, symbol)                                                                         \
    { GHB_LIBZIP_SONAME, #symbol, offsetof(ziplib_t, field) }
static const dynsym_t syms[] = {
    SYM(close, zip_close),
    SYM(discard, zip_discard),
    SYM(error_fini, zip_error_fini),
    SYM(error_init, zip_error_init),
    SYM(error_set, zip_error_set),
    SYM(error_strerror, zip_error_strerror),
    SYM(error_to_data, zip_error_to_data),
    SYM(file_add, zip_file_add),
    SYM(file_set_dostime, zip_file_set_dostime),
    SYM(open_from_source, zip_open_from_source),
    SYM(set_file_compression, zip_set_file_compression),
    SYM(source_buffer, zip_source_buffer),
    SYM(source_buffer_create, zip_source_buffer_create),
    SYM(source_close, zip_source_close),
    SYM(source_free, zip_source_free),
    SYM(source_function, zip_source_function),
    SYM(source_keep, zip_source_keep),
    SYM(source_make_command_bitmap, zip_source_make_command_bitmap),
    SYM(source_open, zip_source_open),
    SYM(source_read, zip_source_read),
    SYM(stat_init, zip_stat_init),
    SYM(strerror, zip_strerror),
};

DYNLIB_MODULE(ziplib_t, ziplib, NULL)
