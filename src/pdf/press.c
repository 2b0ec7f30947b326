#include "press.h"
#include "cmslib.h"
#include "../image/image.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>
#include <string.h>

#define DEFAULT_CMYK "/usr/share/color/icc/ghostscript/default_cmyk.icc"
#define DEFAULT_GRAY "/usr/share/color/icc/ghostscript/default_gray.icc"
#define SLUG 18.0f /* room outside the bleed for crop marks */

/* ---------------------------------------------------------------- checks */

extern const char ghb_print_yaml[];
extern const size_t ghb_print_yaml_len;

/* Where a top-level key is written in a style's text (1-based), the last time
   when it is written twice, as the loader reads it. False when it is not. */
static bool key_mark(const char *text, size_t len, const char *key, int *line, int *col) {
    yaml_parser_t yp;
    yaml_document_t doc;
    bool found = false;
    yaml_parser_initialize(&yp);
    yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
    if (yaml_parser_load(&yp, &doc)) {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        for (yaml_node_pair_t *pr =
                 root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
             pr && pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
            if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key)) {
                *line = (int)k->start_mark.line + 1, *col = (int)k->start_mark.column + 1;
                found = true;
            }
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&yp);
    return found;
}

/* A warning at the key that gave the style its value: in the book's
   print.yaml when it sets the key, else in the built-in style. */
static void warn_at_key(diags_t *d, const char *root, const char *key, const char *msg) {
    char *path = root ? path_join(root, "print.yaml") : NULL;
    size_t len = 0;
    char *text = path ? read_file(path, &len) : NULL;
    int line = 1, col = 1;
    if (!text || !key_mark(text, len, key, &line, &col)) {
        free(path);
        path = xstrdup("styles/print.yaml");
        key_mark(ghb_print_yaml, ghb_print_yaml_len, key, &line, &col);
    }
    diag_add(d, DIAG_WARNING, path, line, col, "%s", msg);
    free(text);
    free(path);
}

void press_check_style(const print_t *ps, const char *root, diags_t *d) {
    const struct {
        const char *key;
        float size;
    } sizes[] = {{"body-size", ps->body},
                 {"note-size", ps->note_size},
                 {"code-size", ps->code_size},
                 {"table-size", ps->table_size},
                 {"heading-sizes", ps->h_size[5]}};
    char msg[256];
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (sizes[i].size < 7) {
            snprintf(msg, sizeof msg, "'%s' is %.1f pt: text under 7 pt may not print legibly",
                     sizes[i].key, (double)sizes[i].size);
            warn_at_key(d, root, sizes[i].key, msg);
        }
    /* the thinnest lines drawn: rules (0.4 pt), strike-through (0.06 em) and
       bullet circles (0.054 em) at the smallest text size, whose key is named */
    size_t small = 1;
    for (size_t i = 2; i <= 3; i++)
        if (sizes[i].size < sizes[small].size) small = i;
    float sz = sizes[small].size;
    if (0.054f * sz < 0.25f) {
        snprintf(msg, sizeof msg,
                 "lines drawn at %.1f pt text are %.2f pt thin, under 0.25 pt: raise '%s'",
                 (double)sz, (double)(0.054f * sz), sizes[small].key);
        warn_at_key(d, root, sizes[small].key, msg);
    }
}

float press_inner_margin(const print_t *ps, size_t pages, float margin) {
    float need = 0;
    for (int i = 0; i < ps->press.n_gutter; i++)
        if (pages >= (size_t)ps->press.gutter_pages[i] && ps->press.gutter[i] > need)
            need = ps->press.gutter[i];
    return need > margin ? need : margin;
}

/* ---------------------------------------------------------------- pages */

static float slug(const print_t *ps) {
    return ps->press.crop_marks ? SLUG : 0;
}

static void crop_marks(const print_t *ps, HPDF_Page pg) {
    float o = ps->press.bleed + slug(ps), w = ps->page_w, h = ps->page_h;
    float x[2] = {o, o + w}, y[2] = {o, o + h};
    HPDF_Stream_WriteStr(((HPDF_PageAttr)pg->attr)->stream, "/Artifact BMC\n");
    HPDF_Page_SetGrayStroke(pg, 0);
    HPDF_Page_SetLineWidth(pg, 0.25f);
    for (int i = 0; i < 2; i++) {
        float dx = i ? 1 : -1, dy = i ? 1 : -1;
        for (int k = 0; k < 2; k++) {
            /* horizontal and vertical marks at each corner, starting past the bleed */
            float cy = y[k], cx = x[i];
            float sy = k ? 1 : -1;
            HPDF_Page_MoveTo(pg, cx + dx * (ps->press.bleed + 2), cy);
            HPDF_Page_LineTo(pg, cx + dx * (ps->press.bleed + SLUG - 2), cy);
            HPDF_Page_MoveTo(pg, cx, cy + sy * (ps->press.bleed + 2));
            HPDF_Page_LineTo(pg, cx, cy + sy * (ps->press.bleed + SLUG - 2));
            (void)dy;
        }
    }
    HPDF_Page_Stroke(pg);
    HPDF_Stream_WriteStr(((HPDF_PageAttr)pg->attr)->stream, "EMC\n");
}

float press_origin(const print_t *ps) {
    return ps->press.bleed + slug(ps);
}

void press_page(const print_t *ps, HPDF_Page pg) {
    float b = ps->press.bleed, s = slug(ps), o = press_origin(ps);
    HPDF_Page_SetWidth(pg, ps->page_w + 2 * o);
    HPDF_Page_SetHeight(pg, ps->page_h + 2 * o);
    HPDF_MMgr mm = pg->mmgr;
    HPDF_Dict_Add(
        pg, "BleedBox",
        HPDF_Box_Array_New(mm, (HPDF_Box){s, s, s + ps->page_w + 2 * b, s + ps->page_h + 2 * b}));
    HPDF_Dict_Add(pg, "TrimBox",
                  HPDF_Box_Array_New(mm, (HPDF_Box){o, o, o + ps->page_w, o + ps->page_h}));
    if (ps->press.crop_marks) crop_marks(ps, pg);
    HPDF_Page_Concat(pg, 1, 0, 0, 1, o, o);
}

/* ---------------------------------------------------------------- images */

bool press_colour_available(char *why, size_t whylen) {
    return cmslib(why, whylen) != NULL;
}

/* 8-bit RGB pixels to grey or CMYK through the output profiles (lcms2, loaded
   on the first picture: cmslib.c), or to luminance when a profile or lcms2
   itself is missing. Returns the bytes per pixel. */
static int convert(const print_t *ps, const unsigned char *rgb, size_t n, unsigned char **out) {
    int bpp = ps->press.cmyk ? 4 : 1;
    *out = xmalloc(n * (size_t)bpp + 1);
    const char *path =
        ps->press.cmyk ? (ps->press.profile ? ps->press.profile : DEFAULT_CMYK) : DEFAULT_GRAY;
    const cmslib_t *cl = cmslib(NULL, 0);
    cmsHPROFILE src = cl ? cl->create_srgb_profile() : NULL;
    cmsHPROFILE dst = cl ? cl->open_profile_from_file(path, "r") : NULL;
    cmsHTRANSFORM tr = NULL;
    if (src && dst)
        tr = cl->create_transform(src, TYPE_RGB_8, dst, bpp == 4 ? TYPE_CMYK_8 : TYPE_GRAY_8,
                                  INTENT_PERCEPTUAL, 0);
    if (tr) {
        cl->do_transform(tr, rgb, *out, (cmsUInt32Number)n);
        cl->delete_transform(tr);
    } else {
        for (size_t i = 0; i < n; i++) {
            const unsigned char *p = rgb + 3 * i;
            int y = (2126 * p[0] + 7152 * p[1] + 722 * p[2]) / 10000;
            if (bpp == 1)
                (*out)[i] = (unsigned char)y;
            else
                memset(*out + 4 * i, 0, 3), (*out)[4 * i + 3] = (unsigned char)(255 - y);
        }
    }
    if (src) cl->close_profile(src);
    if (dst) cl->close_profile(dst);
    return bpp;
}

/* n RGBA pixels as RGB over the white of the paper (PDF/X-1a has no
   transparency). */
static unsigned char *flatten(const unsigned char *rgba, size_t n) {
    unsigned char *rgb = xmalloc(n * 3 + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned a = rgba[4 * i + 3];
        for (int c = 0; c < 3; c++)
            rgb[3 * i + c] = (unsigned char)((rgba[4 * i + c] * a + 255 * (255 - a) + 127) / 255);
    }
    return rgb;
}

/* Any format the image stage decodes (SVG at 300 dpi), its transparency
   flattened onto the white of the paper. A PNG too large to decode whole is
   averaged down to max_px wide as it is read. */
static unsigned char *read_raster(const char *path, const char *type, int max_px, int *w, int *h) {
    raster_t r;
    if (!image_decode_large(path, type, 300.0 / 96.0, max_px, &r)) return NULL;
    unsigned char *rgb = flatten(r.rgba, (size_t)r.w * (size_t)r.h);
    *w = r.w, *h = r.h;
    raster_free(&r);
    return rgb;
}

typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
} jerr_t;

static void jpeg_fail(j_common_ptr c) {
    longjmp(((jerr_t *)c->err)->jump, 1);
}

static unsigned char *read_jpeg(const char *path, int *w, int *h) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct jpeg_decompress_struct c;
    jerr_t err;
    c.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    unsigned char *volatile rgb = NULL;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&c);
        fclose(f);
        free(rgb);
        return NULL;
    }
    jpeg_create_decompress(&c);
    jpeg_stdio_src(&c, f);
    jpeg_read_header(&c, TRUE);
    if (c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK) longjmp(err.jump, 1);
    c.out_color_space = JCS_RGB;
    jpeg_start_decompress(&c);
    size_t n = (size_t)c.output_width * c.output_height;
    if (!n || n > 64u * 1024 * 1024 || c.output_components != 3) longjmp(err.jump, 1);
    rgb = xmalloc(n * 3);
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = rgb + (size_t)c.output_scanline * c.output_width * 3;
        jpeg_read_scanlines(&c, &row, 1);
    }
    *w = (int)c.output_width, *h = (int)c.output_height;
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    fclose(f);
    return rgb;
}

/* RGB pixels (taken and freed) converted and loaded as a grey or CMYK image. */
static HPDF_Image load_converted(HPDF_Doc pdf, const print_t *ps, unsigned char *rgb, int w,
                                 int h) {
    unsigned char *px;
    int bpp = convert(ps, rgb, (size_t)w * (size_t)h, &px);
    HPDF_Image im =
        HPDF_LoadRawImageFromMem(pdf, px, (HPDF_UINT)w, (HPDF_UINT)h,
                                 bpp == 4 ? HPDF_CS_DEVICE_CMYK : HPDF_CS_DEVICE_GRAY, 8);
    free(rgb), free(px);
    return im;
}

HPDF_Image press_load_image(HPDF_Doc pdf, const print_t *ps, const char *path,
                            const char *media_type) {
    int w = 0, h = 0;
    if (!media_type) return NULL;
    unsigned char *rgb =
        strcmp(media_type, "image/jpeg") == 0
            ? read_jpeg(path, &w, &h)
            : read_raster(path, media_type, (int)(ps->measure / 72.0 * 300 + 0.999), &w, &h);
    return rgb ? load_converted(pdf, ps, rgb, w, h) : NULL;
}

HPDF_Image press_image_rgba(HPDF_Doc pdf, const print_t *ps, const unsigned char *rgba, int w,
                            int h) {
    return load_converted(pdf, ps, flatten(rgba, (size_t)w * (size_t)h), w, h);
}

/* ---------------------------------------------------------------- the file */

const char *press_xmp(const print_t *ps) {
    return ps->press.x4 ? "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n"
                          "<pdf:Trapped>False</pdf:Trapped>\n"
                        : "<pdf:Trapped>False</pdf:Trapped>\n";
}

/* A file identifier from the title and date: the same book gives the same file. */
static void file_id(const book_t *b, unsigned char id[16]) {
    uint64_t h1 = 1469598103934665603ull, h2 = 1099511628211ull;
    const char *t = b->meta.title ? b->meta.title : "";
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        h1 = (h1 ^ *p) * 1099511628211ull, h2 = (h2 ^ *p) * 6364136223846793005ull + 1;
    h1 ^= (uint64_t)b->meta.epoch, h2 ^= (uint64_t)b->meta.epoch * 2654435761u;
    for (int i = 0; i < 8; i++)
        id[i] = (unsigned char)(h1 >> (8 * i)), id[8 + i] = (unsigned char)(h2 >> (8 * i));
}

int press_finish(HPDF_Doc pdf, const print_t *ps, const book_t *b, diags_t *d) {
    const char *path = ps->press.profile ? ps->press.profile : DEFAULT_CMYK;
    size_t len = 0;
    char *icc = read_file(path, &len);
    if (!icc || len < 132) {
        diag_add(d, DIAG_ERROR, path, 1, 1,
                 "cannot read the output intent's ICC profile (Debian: libgs-common)");
        free(icc);
        return -1;
    }
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_Dict profile = HPDF_DictStream_New(mm, pdf->xref);
    HPDF_Dict_AddNumber(profile, "N", 4);
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Stream_Write(profile->stream, (const HPDF_BYTE *)icc, (HPDF_UINT)len);
    free(icc);
    HPDF_Dict intent = HPDF_Dict_New(mm);
    HPDF_Xref_Add(pdf->xref, intent);
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFX");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mm, "Custom", NULL));
    HPDF_Dict_Add(intent, "OutputCondition",
                  HPDF_String_New(mm, "Generic CMYK (Ghostscript default_cmyk.icc)", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "Ghostscript default_cmyk.icc", NULL));
    HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL));
    /* libharu's own call writes the key with a trailing space: written here */
    HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    HPDF_Array intents = HPDF_Array_New(mm);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
    if (pdf->info) {
        HPDF_Dict_Add(pdf->info, "GTS_PDFXVersion",
                      HPDF_String_New(mm, ps->press.x4 ? "PDF/X-4" : "PDF/X-1:2001", NULL));
        if (!ps->press.x4)
            HPDF_Dict_Add(pdf->info, "GTS_PDFXConformance",
                          HPDF_String_New(mm, "PDF/X-1a:2001", NULL));
        HPDF_Dict_AddName(pdf->info, "Trapped", "False");
    }
    unsigned char id[16];
    file_id(b, id);
    HPDF_Array ids = HPDF_Array_New(mm);
    HPDF_Array_Add(ids, HPDF_Binary_New(mm, id, 16));
    HPDF_Array_Add(ids, HPDF_Binary_New(mm, id, 16));
    HPDF_Dict_Add(pdf->trailer, "ID", ids);
    pdf->pdf_version = ps->press.x4 ? HPDF_VER_16 : HPDF_VER_13;
    return 0;
}
