#ifndef GHB_IMAGE_SVGLIB_H
#define GHB_IMAGE_SVGLIB_H
/* librsvg, cairo and the GObject/GIO calls the SVG path makes, loaded on the
   first SVG a book has (dynlib.h). Types and prototypes are the libraries' own. */
#include <librsvg/rsvg.h>
#include <stddef.h>

typedef struct {
    __typeof__(&g_file_new_for_path) file_new_for_path;
    __typeof__(&g_object_unref) object_unref;
    __typeof__(&rsvg_handle_new_from_gfile_sync) handle_new_from_gfile_sync;
    __typeof__(&rsvg_handle_set_dpi) handle_set_dpi;
    __typeof__(&rsvg_handle_get_intrinsic_size_in_pixels) handle_get_intrinsic_size_in_pixels;
    __typeof__(&rsvg_handle_get_intrinsic_dimensions) handle_get_intrinsic_dimensions;
    __typeof__(&rsvg_handle_render_document) handle_render_document;
    __typeof__(&cairo_image_surface_create) image_surface_create;
    __typeof__(&cairo_create) create;
    __typeof__(&cairo_surface_flush) surface_flush;
    __typeof__(&cairo_image_surface_get_data) image_surface_get_data;
    __typeof__(&cairo_image_surface_get_stride) image_surface_get_stride;
    __typeof__(&cairo_destroy) destroy;
    __typeof__(&cairo_surface_destroy) surface_destroy;
} svglib_t;

/* The loaded functions, or NULL with "librsvg-2.so.2 is not available (…)" in
   err. Loads once per process (thread-safe); a failure is remembered. */
const svglib_t *svglib(char *err, size_t errlen);

#endif
