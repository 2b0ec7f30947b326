#include "htmlimg.h"
#include "../book/htmlscan.h"
#include "../book/mdutil.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* A size in CSS pixels; a percentage as its negative ("50%": -50), which
   htmlimg_size takes of the width there is. */
static float css_px(const char *v) {
    char *end;
    float f = strtof(v, &end);
    if (f > 0 && *end == '%' && f <= 100) return -f;
    return f > 0 && (*end == '\0' || strncmp(end, "px", 2) == 0) ? f : 0;
}

/* The width a style attribute gives ("width: 30%", "max-width:200px"), or 0. */
static float style_width(const char *style) {
    for (const char *p = strstr(style, "width"); p; p = strstr(p + 5, "width")) {
        bool own = p == style || p[-1] == ';' || p[-1] == ' ';
        const char *v = p + 5;
        while (*v == ' ')
            v++;
        if (!own || *v != ':') continue;
        v++;
        while (*v == ' ')
            v++;
        float w = css_px(v);
        if (w) return w;
    }
    return 0;
}

static void on_img_attr(void *vc, const char *tag, const char *attr, const char *value,
                        size_t off) {
    htmlimgs_t *c = vc;
    if (strcmp(tag, "img") != 0) return;
    if (!c->n || c->v[c->n - 1].off != off) {
        XGROW(c->v, c->cap, c->n);
        c->v[c->n++] = (htmlimg_t){off, NULL, NULL, 0, 0};
    }
    htmlimg_t *im = &c->v[c->n - 1];
    if (strcmp(attr, "src") == 0 && !im->src) im->src = xstrdup(value);
    if (strcmp(attr, "alt") == 0 && !im->alt) im->alt = xstrdup(value);
    if (strcmp(attr, "width") == 0) im->w = css_px(value);
    if (strcmp(attr, "style") == 0 && !im->w) im->w = style_width(value);
    if (strcmp(attr, "height") == 0) im->h = css_px(value);
}

void htmlimgs_scan(const char *html, htmlimgs_t *out) {
    memset(out, 0, sizeof *out);
    if (html) html_scan_attrs(html, on_img_attr, out);
}

void htmlimgs_free(htmlimgs_t *c) {
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].src), free(c->v[i].alt);
    free(c->v);
    memset(c, 0, sizeof *c);
}

const image_t *htmlimg_find(const book_t *b, int ch, const char *src) {
    if (!src) return NULL;
    const image_t *im = book_find_image(b, ch, src);
    if (!im && url_has_scheme(src))
        for (size_t k = 0; k < b->n_images && !im; k++)
            if (strcmp(b->images[k].path, src) == 0) im = &b->images[k];
    return im;
}

void htmlimg_size(float w, float h, float room, int pw, int ph, float *out_w, float *out_h) {
    if (h < 0) h = 0; /* a percentage of a height no page gives */
    if (w < 0) w = room > 0 ? -w / 100 * room / 0.75f : 0;
    if (w > 0 && h <= 0) h = w * (float)ph / (float)pw;
    if (h > 0 && w <= 0) w = h * (float)pw / (float)ph;
    /* CSS pixels: 96 an inch */
    *out_w = (w > 0 ? w : (float)pw) * 0.75f;
    *out_h = (h > 0 ? h : (float)ph) * 0.75f;
}
