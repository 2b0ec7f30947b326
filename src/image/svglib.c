#include "svglib.h"
#include "../util/dynlib.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SYM(lib, field, symbol)                                                                    \
    { lib, #symbol, offsetof(svglib_t, field) }
/* grouped by library: each is opened once, librsvg first (it needs the rest,
   so a missing dependency shows up as librsvg's own failure) */
static const dynsym_t syms[] = {
    SYM("librsvg-2.so.2", handle_new_from_gfile_sync, rsvg_handle_new_from_gfile_sync),
    SYM("librsvg-2.so.2", handle_set_dpi, rsvg_handle_set_dpi),
    SYM("librsvg-2.so.2", handle_get_intrinsic_size_in_pixels,
        rsvg_handle_get_intrinsic_size_in_pixels),
    SYM("librsvg-2.so.2", handle_get_intrinsic_dimensions, rsvg_handle_get_intrinsic_dimensions),
    SYM("librsvg-2.so.2", handle_render_document, rsvg_handle_render_document),
    SYM("libgio-2.0.so.0", file_new_for_path, g_file_new_for_path),
    SYM("libgobject-2.0.so.0", object_unref, g_object_unref),
    SYM("libcairo.so.2", image_surface_create, cairo_image_surface_create),
    SYM("libcairo.so.2", create, cairo_create),
    SYM("libcairo.so.2", surface_flush, cairo_surface_flush),
    SYM("libcairo.so.2", image_surface_get_data, cairo_image_surface_get_data),
    SYM("libcairo.so.2", image_surface_get_stride, cairo_image_surface_get_stride),
    SYM("libcairo.so.2", destroy, cairo_destroy),
    SYM("libcairo.so.2", surface_destroy, cairo_surface_destroy),
};

DYNLIB_MODULE(svglib_t, svglib, NULL)
