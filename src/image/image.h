#ifndef GHB_IMAGE_H
#define GHB_IMAGE_H
/* The image stage: sniffing, decoding and converting the picture formats books
   use, for both backends. PNG (libpng), JPEG (passed through), GIF (first frame,
   libgif), WebP (libwebp) and SVG (librsvg, rasterised for the PDF, sanitized
   for the EPUB). Remote images are fetched once into a cache (fetch.c). librsvg (with cairo)
   and libcurl are loaded on first use (svglib.c, curllib.c). */
#include <stdbool.h>
#include <stddef.h>

/* 8-bit RGBA pixels, row by row; free with raster_free. */
typedef struct {
    int w, h;
    unsigned char *rgba;
} raster_t;

/* The media type the first bytes of a file show, or NULL. An HTML page named
   .png is NULL: it is sniffed, not trusted by its name. */
const char *image_sniff(const unsigned char *head, size_t n);
/* The media type of the file at path (sniffed), or NULL. */
const char *image_sniff_file(const char *path);
/* The picture's size in CSS pixels (96 an inch), or false when it cannot be
   decoded (a damaged file is caught here, before any backend runs). */
bool image_size(const char *path, const char *type, double *w, double *h);
/* Larger rasters are not decoded (a hostile file could ask for any memory). */
#define IMAGE_MAX_PIXELS (64u * 1024 * 1024)
/* Whether a PNG is too large to draw (its size in *w, *h): more pixels than
   IMAGE_MAX_PIXELS, which image_decode refuses, and interlaced, so that
   image_png_shrunk cannot take its rows one by one either. */
bool image_too_large(const char *path, const char *type, unsigned *w, unsigned *h);
/* A PNG over IMAGE_MAX_PIXELS read row by row and averaged down to max_w pixels
   wide (the height in proportion) as it is read, as raster_shrink would average
   it whole (src/image/pngshrink.c). False when it is interlaced or damaged. */
bool image_png_shrunk(const char *path, int max_w, raster_t *out);
/* image_decode, and for a PNG too large to decode whole, image_png_shrunk to
   max_w pixels wide: what both PDF outputs draw (pdf/image.c, pdf/press.c). */
bool image_decode_large(const char *path, const char *type, double scale, int max_w, raster_t *out);
/* Whether the PNG at path is interlaced (Adam7). */
bool image_png_interlaced(const char *path);
/* Decodes to RGBA. SVG is rasterised at scale times its own pixel size. PNG,
   GIF and WebP ignore scale. JPEG is not decoded (the PDF takes it as is). */
bool image_decode(const char *path, const char *type, double scale, raster_t *out);
void raster_free(raster_t *r);
/* Scales the picture down to max_w pixels wide (the height in proportion),
   averaging the pixels each new one covers; false when it is not wider. A
   print needs no more than 300 dpi at the widest it is drawn: a screenshot
   8000 pixels wide would otherwise go into the PDF (and memory) as it is. */
bool raster_shrink(raster_t *r, int max_w);
/* False, with the reason in err, when the library this type needs cannot be
   loaded: SVG's librsvg, GIF's libgif and WebP's libwebp are opened on first
   use (svglib.c, giflib.c, webplib.c), so a system without one still builds
   books without that type. PNG and JPEG are always available. */
bool image_available(const char *type, char *err, size_t errlen);
/* The bytes an EPUB holds for the image, and their media type: WebP becomes
   PNG (EPUB 3.2 core types), SVG loses its DOCTYPE, entities, scripts and event
   handlers; others are copied. NULL when unreadable. Caller frees. */
char *image_package_bytes(const char *path, const char *type, size_t *len);
/* The media type image_package_bytes gives for a source of this type. */
const char *image_package_type(const char *type);
/* Encodes RGBA pixels as PNG; caller frees. */
char *image_png_encode(const raster_t *r, size_t *len);

#endif
