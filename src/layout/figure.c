/* Images on their own lines (Markdown images and raw HTML's <img>, sized from
   their pixels or the width/height asked for, scaled to the text block), and
   raw HTML blocks set as their text. */
#include "tsctx.h"
#include "htmlimg.h"
#include "../book/htmlscan.h"
#include "../book/mathmd.h"
#include "../book/mdutil.h"
#include "../book/rawhtml.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Draws an image centred on its own lines: its pixel size (96 an inch), or
   the width/height raw HTML asks for (ask_w/ask_h > 0, in pixels; one alone
   keeps the aspect), scaled down to the text width and the page. */
static void draw_image(ts_t *t, cmark_node *n, const image_t *im, float ask_w, float ask_h);

static void image_block(ts_t *t, cmark_node *n) {
    const image_t *im = book_image_of(t->b, n);
    if (im) draw_image(t, n, im, 0, 0);
}

static void draw_image(ts_t *t, cmark_node *n, const image_t *im, float ask_w, float ask_h) {
    int pw, ph;
    bool ok = image_pixel_size(im->file, &pw, &ph);
    if (!ok) {
        int line, col;
        book_pos(t->b, t->ch, n, &line, &col);
        book_diag(t->b, DIAG_WARNING, t->ch, line, col, "image '%s' cannot be decoded; left out",
                  im->path);
        return;
    }
    float w, h;
    htmlimg_size(ask_w, ask_h, pw, ph, &w, &h);
    float maxh = t->ps->lines * t->ps->pitch * 0.8f;
    if (w > t->w) h *= t->w / w, w = t->w;
    if (h > maxh) w *= maxh / h, h = maxh;
    float total = ceilf((h + t->ps->pitch * 0.5f) / t->ps->pitch) * t->ps->pitch;
    bool vector = im->src_type && strcmp(im->src_type, "image/svg+xml") == 0;
    if (t->ps->press.on && !vector && !t->folios && (float)pw * 72 / w < 299.5f) { /* first pass */
        int line, col;
        book_pos(t->b, t->ch, n, &line, &col);
        book_diag(t->b, DIAG_WARNING, t->ch, line, col,
                  "image '%s' is %.0f dpi at its printed size; print wants 300", im->path,
                  (double)((float)pw * 72 / w));
    }
    vbox_t *b = ts_box(t, total);
    op_t *o = vbox_op(b, OP_IMAGE, t->x + (t->w - w) / 2, (total - h) / 2);
    o->w = w, o->h = h, o->image = (int)(im - t->b->images);
    /* a figure without alt text is described by its file name */
    char *alt = book_plain_text(t->b, n);
    o->tag = TAG_OF(ts_snode(t, S_FIGURE, *alt ? alt : im->path));
    free(alt);
}

static void html_images(ts_t *t, cmark_node *n);

void ts_images_in(ts_t *t, cmark_node *para) {
    cmark_iter *it = cmark_iter_new(para);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        if (cmark_node_get_type(x) == CMARK_NODE_IMAGE) image_block(t, x);
        if (cmark_node_get_type(x) == CMARK_NODE_HTML_INLINE) html_images(t, x);
    }
    cmark_iter_free(it);
}

bool ts_only_images(cmark_node *para) {
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        cmark_node_type ty = cmark_node_get_type(c);
        if (ty == CMARK_NODE_IMAGE || ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
            continue;
        if (ty == CMARK_NODE_TEXT &&
            strspn(cmark_node_get_literal(c), " ") == strlen(cmark_node_get_literal(c)))
            continue;
        return false;
    }
    return true;
}

/* Draws the images raw HTML names (the loader has indexed and checked them). */
static void html_images(ts_t *t, cmark_node *n) {
    htmlimgs_t imgs;
    htmlimgs_scan(cmark_node_get_literal(n), &imgs);
    for (size_t i = 0; i < imgs.n; i++) {
        const image_t *im = htmlimg_find(t->b, t->ch, imgs.v[i].src);
        if (im) draw_image(t, n, im, imgs.v[i].w, imgs.v[i].h);
    }
    htmlimgs_free(&imgs);
}

/* Raw HTML blocks: their text (the model's one policy, rawhtml_text), then
   their images. */
void ts_html_block(ts_t *t, cmark_node *n) {
    buf_t b = {0};
    b.data = rawhtml_text(cmark_node_get_literal(n));
    b.len = strlen(b.data);
    size_t k = 0;
    while (k < b.len && (b.data[k] == ' ' || b.data[k] == '\n'))
        k++;
    if (k < b.len) {
        pspec_t sp = {.text = b.data + k,
                      .style = ts_text_style(t),
                      .w = t->w,
                      .indent = t->center ? 0 : ts_first_indent(t, n),
                      .hyphenate = true};
        ts_set_para(t, &sp, S_P, t->ps->pitch);
    }
    buf_free(&b);
    html_images(t, n);
}
