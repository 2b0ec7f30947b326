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
#include <strings.h>

/* Draws an image centred on its own lines: its pixel size (96 an inch), or
   the width/height raw HTML asks for (ask_w/ask_h > 0, in pixels; one alone
   keeps the aspect), scaled down to the text width and the page. */
static void draw_image(ts_t *t, cmark_node *n, const image_t *im, float ask_w, float ask_h);

static void image_block(ts_t *t, cmark_node *n) {
    const image_t *im = book_image_of(t->b, n);
    float w = 0, h = 0; /* the size docsify's ':size=' asks for */
    book_image_ask(t->b, n, &w, &h);
    if (im) draw_image(t, n, im, w, h);
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
    htmlimg_size(ask_w, ask_h, t->w, pw, ph, &w, &h);
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

/* A picture in a link ([![cover](c.jpg)](https://…), a click-to-enlarge or a
   badge) is a picture on paper too: the link has nothing to print beside it,
   and its URL's note is left out with it (docs/DECISIONS.md). */
bool ts_only_images(cmark_node *para) {
    bool picture_link = false; /* the node before was a link of pictures */
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        cmark_node_type ty = cmark_node_get_type(c);
        bool after_link = picture_link;
        picture_link = ty == CMARK_NODE_LINK && cmark_node_first_child(c) && ts_only_images(c);
        if (ty == CMARK_NODE_IMAGE || ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK ||
            picture_link)
            continue;
        /* the note of such a link's URL (src/book/index.c): its picture is what prints */
        if (ty == CMARK_NODE_FOOTNOTE_REFERENCE && after_link) continue;
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

/* Whether the text starting at html[at] sits in an element that centres it
   (<center>, align=center, text-align: center) or in a caption, as the HTML
   before it opens them: a caption under a picture. */
static bool centred_at(const char *html, size_t at) {
    struct {
        char name[16];
        int depth; /* elements of the same name opened inside it */
    } open[16];
    int n = 0;
    for (size_t i = 0; i < at; i++) {
        if (html[i] != '<') continue;
        const char *e = memchr(html + i, '>', at - i);
        if (!e) break;
        bool closing = html[i + 1] == '/';
        char name[16];
        size_t k = 0, j = i + 1 + closing;
        while (k < sizeof name - 1 &&
               ((html[j] >= 'a' && html[j] <= 'z') || (html[j] >= 'A' && html[j] <= 'Z') ||
                (html[j] >= '0' && html[j] <= '9')))
            name[k++] = (char)(html[j++] | 0x20);
        name[k] = '\0';
        size_t len = (size_t)(e - html) - i;
        bool centres = !strcmp(name, "center") || !strcmp(name, "figcaption");
        for (size_t q = i; !centres && q + 6 <= i + len; q++)
            centres = strncasecmp(html + q, "center", 6) == 0;
        bool empty = !k || e[-1] == '/' || !strcmp(name, "img") || !strcmp(name, "br");
        if (empty) {
            /* a void element opens nothing */
        } else if (closing) {
            if (n && !strcmp(open[n - 1].name, name) && open[n - 1].depth-- == 0) n--;
        } else if (centres && n < 16) {
            memcpy(open[n].name, name, sizeof name);
            open[n++].depth = 0;
        } else if (n && !strcmp(open[n - 1].name, name)) {
            open[n - 1].depth++;
        }
        i = (size_t)(e - html);
    }
    return n > 0;
}

/* The line of text box b sets, or NULL. */
static const op_t *glyph_op(const vbox_t *b) {
    for (size_t o = 0; o < b->n_ops; o++)
        if (b->ops[o].kind == OP_GLYPHS) return &b->ops[o];
    return NULL;
}

/* Centres the lines of text in the boxes from first on. */
static void centre_lines(ts_t *t, size_t first) {
    for (size_t i = first; i < t->out->body.n; i++) {
        vbox_t *b = &t->out->body.v[i];
        for (size_t o = 0; o < b->n_ops; o++)
            if (b->ops[o].kind == OP_GLYPHS) b->ops[o].x += (t->w - b->ops[o].line.natural) / 2;
    }
}

/* Where the first character of text (outside tags and spaces) of html[0, len)
   is, or len. */
static size_t text_start(const char *html, size_t len) {
    size_t i = 0;
    while (i < len) {
        if (html[i] == '<') {
            const char *e = memchr(html + i, '>', len - i);
            if (!e) return len;
            i = (size_t)(e - html) + 1;
        } else if (html[i] == ' ' || html[i] == '\n' || html[i] == '\t' || html[i] == '\r') {
            i++;
        } else {
            return i;
        }
    }
    return len;
}

/* The text of the fragment html[0, len) as a paragraph: centred when its
   element centres it (a caption under a picture), else as a paragraph.
   html is the fragment at all + from. */
static void html_text(ts_t *t, cmark_node *n, const char *all, size_t from, size_t len) {
    const char *html = all + from;
    size_t at = text_start(html, len);
    if (at == len) return;
    char *frag = xstrndup(html, len);
    char *text = rawhtml_text(frag);
    free(frag);
    size_t k = strspn(text, " \n");
    if (text[k]) {
        bool centre = t->center || centred_at(all, from + at);
        pspec_t sp = {.text = text + k,
                      .style = ts_text_style(t),
                      .w = t->w,
                      .indent = centre ? 0 : ts_first_indent(t, n),
                      .hyphenate = true,
                      .ragged = centre};
        size_t first = ts_set_para(t, &sp, S_P, t->ps->pitch);
        if (centre) centre_lines(t, first);
        const op_t *line = t->out->body.n == first + 1 ? glyph_op(&t->out->body.v[first]) : NULL;
        ts_air_after(t, n, line && line->line.natural < t->w - 0.55f * t->ps->body, sp.indent);
    }
    free(text);
}

/* Remote pictures not fetched (the loader has warned): their alt texts, or
   their addresses, centred on one line where the pictures would stand (a
   row of emoji pictures stays a row), not nothing. */
static void remote_alts(ts_t *t, buf_t *alts) {
    if (!alts->len) return;
    pspec_t sp = {.text = alts->data, .style = ts_text_style(t), .w = t->w, .ragged = true};
    centre_lines(t, ts_set_para(t, &sp, S_P, t->ps->pitch));
    alts->len = 0;
    alts->data[0] = '\0';
}

/* Raw HTML blocks: their text (the model's one policy, rawhtml_text) and their
   images, in the order the source gives them: a caption written under its
   picture is set under it. */
void ts_html_block(ts_t *t, cmark_node *n) {
    const char *html = cmark_node_get_literal(n);
    if (!html) return;
    htmlimgs_t imgs;
    htmlimgs_scan(html, &imgs);
    buf_t alts;
    buf_init(&alts);
    size_t from = 0;
    for (size_t i = 0; i < imgs.n; i++) {
        if (imgs.v[i].off < from) continue;
        if (text_start(html + from, imgs.v[i].off - from) < imgs.v[i].off - from)
            remote_alts(t, &alts);
        html_text(t, n, html, from, imgs.v[i].off - from);
        const image_t *im = htmlimg_find(t->b, t->ch, imgs.v[i].src);
        if (im) {
            remote_alts(t, &alts);
            draw_image(t, n, im, imgs.v[i].w, imgs.v[i].h);
        } else if (imgs.v[i].src && url_has_scheme(imgs.v[i].src)) {
            if (alts.len) buf_putc(&alts, ' ');
            buf_puts(&alts, imgs.v[i].alt && *imgs.v[i].alt ? imgs.v[i].alt : imgs.v[i].src);
        }
        const char *e = strchr(html + imgs.v[i].off, '>');
        from = e ? (size_t)(e - html) + 1 : strlen(html);
    }
    remote_alts(t, &alts);
    buf_free(&alts);
    html_text(t, n, html, from, strlen(html) - from);
    htmlimgs_free(&imgs);
}
