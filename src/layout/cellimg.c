#include "cellimg.h"
#include "typeset.h"
#include "../book/mdutil.h"
#include "../util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static bool blank_text(cmark_node *n) {
    const char *s = cmark_node_get_literal(n);
    return s && strspn(s, " \t") == strlen(s);
}

void cellimgs_collect(const book_t *b, cmark_node *cell, cellimgs_t *out) {
    memset(out, 0, sizeof *out);
    out->only = true;
    for (cmark_node *c = cmark_node_first_child(cell); c; c = cmark_node_next(c)) {
        cmark_node_type ty = cmark_node_get_type(c);
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
        XGROW(out->v, out->cap, out->n);
        char *alt = md_plain_text(c);
        if (!*alt) {
            free(alt);
            alt = xstrdup(im->path);
        }
        out->v[out->n++] =
            (cellimg_t){(int)(im - b->images), (float)pw * 0.75f, (float)ph * 0.75f, alt};
    }
    if (!out->n) out->only = false;
}

/* A picture's size in a column of inner width w. */
static void fit(const cellimg_t *im, float w, float *iw, float *ih) {
    float s = im->w > w ? w / im->w : 1;
    *iw = im->w * s, *ih = im->h * s;
}

float cellimgs_height(const cellimgs_t *c, float w) {
    float h = 0;
    for (size_t i = 0; i < c->n; i++) {
        float iw, ih;
        fit(&c->v[i], w, &iw, &ih);
        h += ih + (i ? CELLIMG_GAP : 0);
    }
    return h;
}

void cellimgs_draw(const cellimgs_t *c, vbox_t *box, float x, float y, float w, stree_t *tree,
                   int parent) {
    for (size_t i = 0; i < c->n; i++) {
        float iw, ih;
        fit(&c->v[i], w, &iw, &ih);
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
