#include "image.h"
#include "giflib.h"
#include "svglib.h"
#include "webplib.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <png.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PIXELS IMAGE_MAX_PIXELS

const char *image_sniff(const unsigned char *h, size_t n) {
    if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return "image/jpeg";
    if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0)) return "image/gif";
    if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0) return "image/webp";
    /* SVG: XML whose first element is svg (an HTML page never is) */
    if (memmem(h, n, "<svg", 4) && !memmem(h, n, "<html", 5) && !memmem(h, n, "<HTML", 5))
        return "image/svg+xml";
    return NULL;
}

const char *image_sniff_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char head[1024];
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return image_sniff(head, got);
}

void raster_free(raster_t *r) {
    free(r->rgba);
    memset(r, 0, sizeof *r);
}

static bool alloc_raster(raster_t *r, int w, int h) {
    if (w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > MAX_PIXELS) return false;
    r->w = w, r->h = h;
    r->rgba = xcalloc((size_t)w * (size_t)h, 4);
    return true;
}

bool image_decode_large(const char *path, const char *type, double scale, int max_w,
                        raster_t *out) {
    return image_decode(path, type, scale, out) ||
           (type && strcmp(type, "image/png") == 0 && image_png_shrunk(path, max_w, out));
}

bool image_too_large(const char *path, const char *type, unsigned *w, unsigned *h) {
    if (!type || strcmp(type, "image/png") != 0) return false;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) return false;
    *w = img.width, *h = img.height;
    png_image_free(&img);
    return (uint64_t)*w * *h > MAX_PIXELS && image_png_interlaced(path);
}

static bool decode_png(const char *path, raster_t *r) {
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) return false;
    img.format = PNG_FORMAT_RGBA;
    if (!alloc_raster(r, (int)img.width, (int)img.height)) {
        png_image_free(&img);
        return false;
    }
    if (!png_image_finish_read(&img, NULL, r->rgba, 0, NULL)) {
        png_image_free(&img);
        raster_free(r);
        return false;
    }
    return true;
}

/* The rows of a frame in the order the file stores them: an interlaced frame
   gives every 8th row from 0, every 8th from 4, every 4th from 2, then every
   2nd from 1. */
static void frame_rows(int h, bool interlaced, int *order) {
    static const int start[] = {0, 4, 2, 1}, step[] = {8, 8, 4, 2};
    int n = 0;
    for (int pass = 0; pass < (interlaced ? 4 : 1); pass++)
        for (int y = interlaced ? start[pass] : 0; y < h; y += interlaced ? step[pass] : 1)
            order[n++] = y;
}

/* One row of the frame (desc) over the canvas; the transparent index left clear. */
static void put_gif_row(raster_t *r, const GifImageDesc *d, const ColorMapObject *cm, int y,
                        const GifPixelType *line, int transparent) {
    int cy = d->Top + y;
    if (cy < 0 || cy >= r->h) return;
    for (int x = 0; x < d->Width; x++) {
        int cx = d->Left + x, idx = line[x];
        if (cx < 0 || cx >= r->w || idx == transparent || idx >= cm->ColorCount) continue;
        unsigned char *px = r->rgba + ((size_t)cy * (size_t)r->w + (size_t)cx) * 4;
        px[0] = cm->Colors[idx].Red, px[1] = cm->Colors[idx].Green;
        px[2] = cm->Colors[idx].Blue, px[3] = 255;
    }
}

/* Reads the first frame's rows onto r. */
static bool read_gif_frame(const giflib_t *gl, GifFileType *g, raster_t *r, int transparent) {
    GifImageDesc *d = &g->Image;
    const ColorMapObject *cm = d->ColorMap ? d->ColorMap : g->SColorMap;
    if (!cm || d->Width <= 0 || d->Height <= 0 || !alloc_raster(r, g->SWidth, g->SHeight))
        return false;
    int *order = xmalloc((size_t)d->Height * sizeof *order);
    GifPixelType *line = xmalloc((size_t)d->Width);
    frame_rows(d->Height, d->Interlace, order);
    bool ok = true;
    for (int i = 0; i < d->Height && ok; i++) {
        ok = gl->get_line(g, line, d->Width) == GIF_OK;
        if (ok) put_gif_row(r, d, cm, order[i], line, transparent);
    }
    free(line);
    free(order);
    if (!ok) raster_free(r);
    return ok;
}

/* The first frame of a GIF, drawn over a transparent canvas (libgif is loaded
   on the first GIF: giflib.c). The file is read record by record up to that
   frame: an animation is not decoded whole (DGifSlurp took 7 s on
   learn-nlp-with-transformers' 931 frames, 22 s on its 17 GIFs, to print the
   first frame of each). */
static bool decode_gif(const char *path, raster_t *r) {
    const giflib_t *gl = giflib(NULL, 0);
    int err = 0;
    GifFileType *g = gl ? gl->open_file_name(path, &err) : NULL;
    if (!g) return false;
    int transparent = NO_TRANSPARENT_COLOR;
    bool ok = false, done = false;
    while (!done) {
        GifRecordType rec;
        if (gl->get_record_type(g, &rec) != GIF_OK) break;
        if (rec == IMAGE_DESC_RECORD_TYPE) {
            ok = gl->get_image_desc(g) == GIF_OK && read_gif_frame(gl, g, r, transparent);
            done = true;
        } else if (rec == EXTENSION_RECORD_TYPE) {
            int code;
            GifByteType *ext;
            if (gl->get_extension(g, &code, &ext) != GIF_OK) break;
            GraphicsControlBlock gcb = {0, false, 0, NO_TRANSPARENT_COLOR};
            if (code == GRAPHICS_EXT_FUNC_CODE && ext && ext[0] >= 4 &&
                gl->extension_to_gcb(ext[0], ext + 1, &gcb) == GIF_OK)
                transparent = gcb.TransparentColor;
            while (ext && gl->get_extension_next(g, &ext) == GIF_OK) {
            }
            done = ext != NULL; /* a broken extension */
        } else {
            done = true; /* the trailer before any frame, or a bad record */
        }
    }
    gl->close_file(g, &err);
    return ok;
}

/* libwebp is loaded on the first WebP picture (webplib.c) */
static bool decode_webp(const char *path, raster_t *r) {
    const webplib_t *wl = webplib(NULL, 0);
    size_t len;
    char *data = wl ? read_file(path, &len) : NULL;
    if (!data) return false;
    int w, h;
    bool ok = wl->get_info((const uint8_t *)data, len, &w, &h) && alloc_raster(r, w, h);
    if (ok && !wl->decode_rgba_into((const uint8_t *)data, len, r->rgba, (size_t)w * (size_t)h * 4,
                                    w * 4)) {
        raster_free(r);
        ok = false;
    }
    free(data);
    return ok;
}

/* librsvg is loaded on the first SVG (svglib.c); NULL when it is not available */
static RsvgHandle *open_svg(const svglib_t *sl, const char *path) {
    GFile *f = sl->file_new_for_path(path);
    /* no external resources: a book's SVG may not reach the network or the disk */
    RsvgHandle *h = sl->handle_new_from_gfile_sync(f, RSVG_HANDLE_FLAGS_NONE, NULL, NULL);
    sl->object_unref(f);
    return h;
}

static bool svg_size(const svglib_t *sl, RsvgHandle *h, double *w, double *hh) {
    sl->handle_set_dpi(h, 96);
    if (sl->handle_get_intrinsic_size_in_pixels(h, w, hh) && *w > 0 && *hh > 0) return true;
    /* only a viewBox: its own units as pixels */
    gboolean has_vb;
    RsvgRectangle vb;
    sl->handle_get_intrinsic_dimensions(h, NULL, NULL, NULL, NULL, &has_vb, &vb);
    if (!has_vb || vb.width <= 0 || vb.height <= 0) return false;
    *w = vb.width, *hh = vb.height;
    return true;
}

/* cairo's premultiplied native-endian ARGB to straight RGBA */
static void unpremultiply(const unsigned char *src, int stride, raster_t *r) {
    for (int y = 0; y < r->h; y++) {
        for (int x = 0; x < r->w; x++) {
            uint32_t v;
            memcpy(&v, src + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
            unsigned a = v >> 24, cr8 = (v >> 16) & 255, cg = (v >> 8) & 255, cb = v & 255;
            unsigned char *px = r->rgba + ((size_t)y * (size_t)r->w + (size_t)x) * 4;
            px[0] = (unsigned char)(a ? cr8 * 255 / a : 0);
            px[1] = (unsigned char)(a ? cg * 255 / a : 0);
            px[2] = (unsigned char)(a ? cb * 255 / a : 0);
            px[3] = (unsigned char)a;
        }
    }
}

static bool render_svg(const svglib_t *sl, RsvgHandle *h, raster_t *r) {
    cairo_surface_t *s = sl->image_surface_create(CAIRO_FORMAT_ARGB32, r->w, r->h);
    cairo_t *cr = sl->create(s);
    RsvgRectangle vp = {0, 0, r->w, r->h};
    bool ok = sl->handle_render_document(h, cr, &vp, NULL);
    sl->surface_flush(s);
    /* a surface cairo could not allocate has no data */
    const unsigned char *data = sl->image_surface_get_data(s);
    ok = ok && data;
    if (ok) unpremultiply(data, sl->image_surface_get_stride(s), r);
    sl->destroy(cr);
    sl->surface_destroy(s);
    return ok;
}

/* One SVG at a time: the two typesetting threads ask for sizes (#14), and
   librsvg's and GLib's inner state (pango, fontconfig, cairo) is not known to
   be safe for two callers at once; ThreadSanitizer saw it raced. */
static pthread_mutex_t svg_lock = PTHREAD_MUTEX_INITIALIZER;

static bool decode_svg_locked(const char *path, double scale, raster_t *r);

static bool decode_svg(const char *path, double scale, raster_t *r) {
    pthread_mutex_lock(&svg_lock);
    bool ok = decode_svg_locked(path, scale, r);
    pthread_mutex_unlock(&svg_lock);
    return ok;
}

static bool decode_svg_locked(const char *path, double scale, raster_t *r) {
    const svglib_t *sl = svglib(NULL, 0);
    RsvgHandle *h = sl ? open_svg(sl, path) : NULL;
    if (!h) return false;
    double w, hh;
    bool ok = svg_size(sl, h, &w, &hh);
    if (ok) {
        if (scale <= 0) scale = 1;
        /* keep the raster within bounds even for a huge drawing */
        while (w * scale * hh * scale > 16.0 * 1024 * 1024 && scale > 1)
            scale *= 0.8;
        /* and within cairo's 32767 pixels a side, whatever the resolution */
        double side = w > hh ? w : hh;
        if (side * scale > 32767) scale = 32767 / side;
        int pw = (int)(w * scale + 0.5), ph = (int)(hh * scale + 0.5);
        if (pw < 1) pw = 1;
        if (ph < 1) ph = 1;
        ok = alloc_raster(r, pw, ph);
        if (ok && !render_svg(sl, h, r)) {
            raster_free(r);
            ok = false;
        }
    }
    sl->object_unref(h);
    return ok;
}

bool image_available(const char *type, char *err, size_t errlen) {
    if (!type) return true;
    if (strcmp(type, "image/svg+xml") == 0) return svglib(err, errlen) != NULL;
    if (strcmp(type, "image/gif") == 0) return giflib(err, errlen) != NULL;
    if (strcmp(type, "image/webp") == 0) return webplib(err, errlen) != NULL;
    return true;
}

bool image_decode(const char *path, const char *type, double scale, raster_t *out) {
    memset(out, 0, sizeof *out);
    if (!type) return false;
    if (strcmp(type, "image/png") == 0) return decode_png(path, out);
    if (strcmp(type, "image/gif") == 0) return decode_gif(path, out);
    if (strcmp(type, "image/webp") == 0) return decode_webp(path, out);
    if (strcmp(type, "image/svg+xml") == 0) return decode_svg(path, scale, out);
    return false;
}

static unsigned be16(const unsigned char *p) {
    return (unsigned)p[0] << 8 | p[1];
}

/* A JPEG's size from its first frame header. */
static bool jpeg_size(const char *path, double *w, double *h) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    unsigned char b[8];
    bool ok = false;
    if (fread(b, 1, 2, f) == 2 && b[0] == 0xFF && b[1] == 0xD8) {
        while (!ok && fread(b, 1, 4, f) == 4 && b[0] == 0xFF) {
            unsigned m = b[1], len = be16(b + 2);
            if (len < 2) break;
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                if (fread(b, 1, 5, f) != 5) break;
                *h = be16(b + 1), *w = be16(b + 3);
                ok = *w > 0 && *h > 0;
            } else if (fseek(f, (long)len - 2, SEEK_CUR) != 0) {
                break;
            }
        }
    }
    fclose(f);
    return ok;
}

bool image_size(const char *path, const char *type, double *w, double *h) {
    if (!type) return false;
    if (strcmp(type, "image/jpeg") == 0) return jpeg_size(path, w, h);
    if (strcmp(type, "image/svg+xml") == 0) {
        const svglib_t *sl = svglib(NULL, 0);
        pthread_mutex_lock(&svg_lock);
        RsvgHandle *hd = sl ? open_svg(sl, path) : NULL;
        bool ok = hd && svg_size(sl, hd, w, h);
        if (hd) sl->object_unref(hd);
        pthread_mutex_unlock(&svg_lock);
        return ok;
    }
    /* headers only: loading a book must stay fast; a file damaged past its
       header is caught (and reported) by the backend that decodes it */
    if (strcmp(type, "image/png") == 0) {
        png_image img;
        memset(&img, 0, sizeof img);
        img.version = PNG_IMAGE_VERSION;
        if (!png_image_begin_read_from_file(&img, path)) return false;
        *w = img.width, *h = img.height;
        png_image_free(&img);
        return *w > 0 && *h > 0;
    }
    if (strcmp(type, "image/gif") == 0) {
        const giflib_t *gl = giflib(NULL, 0);
        int err = 0;
        GifFileType *g = gl ? gl->open_file_name(path, &err) : NULL;
        if (!g) return false;
        *w = g->SWidth, *h = g->SHeight;
        gl->close_file(g, &err);
        return *w > 0 && *h > 0;
    }
    if (strcmp(type, "image/webp") == 0) {
        const webplib_t *wl = webplib(NULL, 0);
        size_t len;
        char *data = wl ? read_file(path, &len) : NULL;
        int iw = 0, ih = 0;
        bool ok = data && wl->get_info((const uint8_t *)data, len, &iw, &ih);
        free(data);
        *w = iw, *h = ih;
        return ok && iw > 0 && ih > 0;
    }
    return false;
}

char *image_png_encode(const raster_t *r, size_t *len) {
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)r->w, img.height = (png_uint_32)r->h;
    img.format = PNG_FORMAT_RGBA;
    png_alloc_size_t size = 0;
    if (!png_image_write_get_memory_size(img, size, 0, r->rgba, 0, NULL)) return NULL;
    char *out = xmalloc(size ? size : 1);
    if (!png_image_write_to_memory(&img, out, &size, 0, r->rgba, 0, NULL)) {
        free(out);
        return NULL;
    }
    *len = size;
    return out;
}
