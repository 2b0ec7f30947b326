#include "cellimg.h"
#include "htmlimg.h"
#include "typeset.h"
#include "../book/mathmd.h"
#include "../book/mdutil.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static bool blank_text(cmark_node *n) {
    const char *s = cmark_node_get_literal(n);
    return s && strspn(s, " \t") == strlen(s);
}

static void add(cellimgs_t *out, const book_t *b, const image_t *im, float w, float h, char *alt) {
    XGROW(out->v, out->cap, out->n);
    if (!alt || !*alt) {
        free(alt);
        alt = xstrdup(im->path);
    }
    out->v[out->n++] = (cellimg_t){(int)(im - b->images), w, h, alt};
}

/* A raw <img> in the cell (an inline HTML tag): drawn at the size it asks for. */
static bool html_imgs(const book_t *b, int ch, cmark_node *c, cellimgs_t *out) {
    htmlimgs_t imgs;
    htmlimgs_scan(cmark_node_get_literal(c), &imgs);
    bool any = false;
    for (size_t i = 0; i < imgs.n; i++) {
        const image_t *im = htmlimg_find(b, ch, imgs.v[i].src);
        int pw, ph;
        if (!im || !image_pixel_size(im->file, &pw, &ph)) continue; /* the loader warned */
        float w, h;
        /* a percentage of a column not sized yet: the picture's own size */
        htmlimg_size(imgs.v[i].w, imgs.v[i].h, 0, pw, ph, &w, &h);
        add(out, b, im, w, h, imgs.v[i].alt ? xstrdup(imgs.v[i].alt) : NULL);
        any = true;
    }
    htmlimgs_free(&imgs);
    return any;
}

void cellimgs_collect(const book_t *b, int ch, cmark_node *cell, cellimgs_t *out) {
    memset(out, 0, sizeof *out);
    out->only = true;
    for (cmark_node *c = cmark_node_first_child(cell); c; c = cmark_node_next(c)) {
        cmark_node_type ty = cmark_node_get_type(c);
        if (ty == CMARK_NODE_HTML_INLINE) {
            /* a tag prints nothing; an <img> is a picture */
            html_imgs(b, ch, c, out);
            continue;
        }
        if (ty != CMARK_NODE_IMAGE) {
            if (ty != CMARK_NODE_SOFTBREAK && ty != CMARK_NODE_LINEBREAK &&
                !(ty == CMARK_NODE_TEXT && blank_text(c)))
                out->only = false;
            continue;
        }
        const image_t *im = book_image_of(b, c);
        int pw, ph;
        if (!im || !image_pixel_size(im->file, &pw, &ph)) {
            out->only = false; /* its alt text stands in */
            continue;
        }
        add(out, b, im, (float)pw * 0.75f, (float)ph * 0.75f, book_plain_text(b, c));
    }
    if (!out->n) out->only = false;
}

/* The pictures' sizes in a column of inner width w: each at most w wide, and
   all together at most max_h high (a row cannot break across pages). */
static float fit(const cellimgs_t *c, size_t i, float w, float max_h, float *ih) {
    float total = 0;
    for (size_t k = 0; k < c->n; k++) {
        const cellimg_t *im = &c->v[k];
        total += im->h * (im->w > w ? w / im->w : 1) + (k ? CELLIMG_GAP : 0);
    }
    float all = total > max_h && total > 0 ? max_h / total : 1;
    const cellimg_t *im = &c->v[i];
    float s = (im->w > w ? w / im->w : 1) * all;
    *ih = im->h * s;
    return im->w * s;
}

float cellimgs_height(const cellimgs_t *c, float w, float max_h) {
    float h = 0, ih;
    for (size_t i = 0; i < c->n; i++) {
        fit(c, i, w, max_h, &ih);
        h += ih + (i ? CELLIMG_GAP : 0);
    }
    return h;
}

void cellimgs_draw(const cellimgs_t *c, vbox_t *box, float x, float y, float w, float max_h,
                   stree_t *tree, int parent) {
    for (size_t i = 0; i < c->n; i++) {
        float ih, iw = fit(c, i, w, max_h, &ih);
        op_t *o = vbox_op(box, OP_IMAGE, x, y);
        o->w = iw, o->h = ih, o->image = c->v[i].image;
        o->tag = TAG_OF(stree_add(tree, parent, S_FIGURE, c->v[i].alt));
        y += ih + CELLIMG_GAP;
    }
}

void cellimgs_free(cellimgs_t *c) {
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].alt);
    free(c->v);
    memset(c, 0, sizeof *c);
}
