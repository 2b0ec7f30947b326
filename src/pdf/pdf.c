#include "pdf.h"
#include "fontembed.h"
#include "front.h"
#include "../book/front.h"
#include "image.h"
#include "../image/image.h"
#include "mathtext.h"
#include "../math/texmath.h"
#include "output.h"
#include "paging.h"
#include "pdfnum.h"
#include "icon.h"
#include "press.h"
#include "../layout/style.h"
#include "tags.h"
#include "../layout/typeset.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    HPDF_Page page;
    HPDF_Rect rect;
    int link; /* index into the book's links */
    int elem; /* its Link structure element (tags.h), or -1 */
} pending_link_t;

typedef struct {
    book_t *b;
    print_t ps;
    fontset_t *fs;
    paging_t paged; /* the body set and cut into pages, its heads and folios (paging.h) */
    HPDF_Doc pdf;
    fontembed_t *fe; /* our fonts in the PDF */
    HPDF_Image *images;
    HPDF_Page *hpages; /* one per body page */
    pending_link_t *links;
    size_t n_links, cap_links;
    front_t front;
    HPDF_Page *fpages; /* one per front-matter page */
    HPDF_STATUS error, detail;
    tags_t *tags;      /* the structure tree being written (tags.h) */
    pdfout_t *out;     /* deflates finished streams and writes the file (output.h) */
    HPDF_Page drawing; /* the page being drawn */
} pdf_t;

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user) {
    pdf_t *c = user;
    if (!c->error) c->error = e, c->detail = detail;
}

/* ---------------------------------------------------------------- drawing */

/* One line's glyphs: our font layer writes them as glyph ids. */
static void draw_glyphs(pdf_t *c, HPDF_Page pg, const line_t *ln, float x, float y) {
    fontembed_line(c->fe, pg, ln, x, y);
}

/* A run inside our marked content: clusters have their ActualText there already. */
static void draw_run(void *ctx, HPDF_Page pg, const line_t *ln, float x, float y) {
    pdf_t *c = ctx;
    fontembed_spans(c->fe, !tags_in_run(c->tags));
    draw_glyphs(c, pg, ln, x, y);
    fontembed_spans(c->fe, true);
}

static size_t actual_text(void *ctx, const line_t *ln, size_t i, size_t *end,
                          const uint32_t **text) {
    return fontembed_actual(((pdf_t *)ctx)->fe, ln, i, end, text);
}

static bool ruled(const glyph_t *g, bool under) {
    return under ? g->under : g->strike;
}

/* A rule through each run of struck-through glyphs, at the height of a Han
   character's middle, or under each run of underlined ones. */
static void strike_lines(HPDF_Page pg, const line_t *ln, float x, float y) {
    for (int under = 0; under < 2; under++) {
        for (size_t i = 0; i < ln->n;) {
            size_t j = i + 1;
            if (!ruled(&ln->g[i], under)) {
                i = j;
                continue;
            }
            while (j < ln->n && ruled(&ln->g[j], under))
                j++;
            const glyph_t *a = &ln->g[i], *z = &ln->g[j - 1];
            float dy = (under ? -0.12f : 0.33f) * a->size;
            HPDF_Page_SetGrayStroke(pg, 0);
            HPDF_Page_SetLineWidth(pg, a->size * 0.06f);
            HPDF_Page_MoveTo(pg, x + a->x, y + a->rise + dy);
            HPDF_Page_LineTo(pg, x + z->x + z->adv, y + a->rise + dy);
            HPDF_Page_Stroke(pg);
            i = j;
        }
    }
}

/* A band behind each run of highlighted (<mark>) glyphs, drawn before the text:
   a highlighter's yellow on screen, a light grey in press output (its colours
   are the press profile's, and grey prints as the reader's eye expects). */
static void mark_bands(pdf_t *c, HPDF_Page pg, const line_t *ln, float x, float y) {
    for (size_t i = 0; i < ln->n;) {
        size_t j = i + 1;
        if (!ln->g[i].mark) {
            i = j;
            continue;
        }
        while (j < ln->n && ln->g[j].mark)
            j++;
        const glyph_t *a = &ln->g[i], *z = &ln->g[j - 1];
        if (c->ps.press.on)
            HPDF_Page_SetGrayFill(pg, 0.85f);
        else
            HPDF_Page_SetRGBFill(pg, 1.0f, 0.93f, 0.55f);
        HPDF_Page_Rectangle(pg, x + a->x, y + a->rise - 0.25f * a->size, z->x + z->adv - a->x,
                            1.15f * a->size);
        HPDF_Page_Fill(pg);
        i = j;
    }
}

static bool marked(const line_t *ln) {
    for (size_t i = 0; i < ln->n; i++)
        if (ln->g[i].mark) return true;
    return false;
}

static void link_rects(pdf_t *c, HPDF_Page pg, const line_t *ln, float x, float y) {
    for (size_t i = 0; i < ln->n;) {
        int link = ln->g[i].link;
        size_t j = i + 1;
        while (j < ln->n && ln->g[j].link == link)
            j++;
        if (link >= 0 || link <= XLINK_BASE) {
            const glyph_t *a = &ln->g[i], *z = &ln->g[j - 1];
            HPDF_Rect r = {x + a->x, y - 0.25f * a->size, x + z->x + z->adv, y + 0.9f * a->size};
            XGROW(c->links, c->cap_links, c->n_links);
            c->links[c->n_links++] = (pending_link_t){pg, r, link, tags_link(c->tags, ln, i)};
        }
        i = j;
    }
}

/* (x, y) is the top left of the bullet's square. */
static void draw_bullet(HPDF_Page pg, const op_t *o, float x, float y) {
    float d = o->w, r = d / 2;
    HPDF_Page_SetGrayFill(pg, 0);
    HPDF_Page_SetGrayStroke(pg, 0);
    HPDF_Page_SetLineWidth(pg, d * 0.15f);
    switch ((bullet_shape)o->image) {
    case BULLET_DISC:
        HPDF_Page_Circle(pg, x + r, y - r, r);
        HPDF_Page_Fill(pg);
        break;
    case BULLET_CIRCLE:
        HPDF_Page_Circle(pg, x + r, y - r, r * 0.9f);
        HPDF_Page_Stroke(pg);
        break;
    case BULLET_SQUARE:
        HPDF_Page_Rectangle(pg, x + d * 0.1f, y - d * 0.9f, d * 0.8f, d * 0.8f);
        HPDF_Page_Fill(pg);
        break;
    default: /* callout icons (#10) */
        icon_draw(pg, o->image - BULLET_CHECKED - 1, x, y, d);
        break;
    case BULLET_BOX:
    case BULLET_CHECKED:
        HPDF_Page_SetLineWidth(pg, 0.6f);
        HPDF_Page_Rectangle(pg, x - d * 0.4f, y - d * 1.4f, d * 1.8f, d * 1.8f);
        HPDF_Page_Stroke(pg);
        if (o->image == BULLET_CHECKED) {
            HPDF_Page_MoveTo(pg, x - d * 0.1f, y - d * 0.5f);
            HPDF_Page_LineTo(pg, x + d * 0.4f, y - d * 1.1f);
            HPDF_Page_LineTo(pg, x + d * 1.2f, y + d * 0.1f);
            HPDF_Page_Stroke(pg);
        }
        break;
    }
}

/* Whether a line has anything drawn after its text: a colour glyph's image or
   a strike-through rule or an underline. */
static bool overlays(const pdf_t *c, const line_t *ln) {
    for (size_t i = 0; i < ln->n; i++)
        if (ln->g[i].strike || ln->g[i].under ||
            (ln->g[i].font >= 0 && fontset_is_color(c->fs, ln->g[i].font)))
            return true;
    return false;
}

static void draw_box(pdf_t *c, HPDF_Page pg, const vbox_t *b, float left, float top) {
    for (size_t i = 0; i < b->n_ops; i++) {
        const op_t *o = &b->ops[i];
        if (o->kind == OP_GLYPHS || (o->kind == OP_IMAGE && !c->images[o->image])) continue;
        tags_op_begin(c->tags, pg, o);
        if (o->kind == OP_RECT) {
            if (o->color && c->ps.press.on) /* press output: DeviceGray only */
                HPDF_Page_SetGrayFill(pg, (float)color_luminance(o->color));
            else if (o->color) /* a rule of a coloured formula */
                HPDF_Page_SetRGBFill(pg, (float)(o->color >> 16 & 255) / 255,
                                     (float)(o->color >> 8 & 255) / 255,
                                     (float)(o->color & 255) / 255);
            else
                HPDF_Page_SetGrayFill(pg, o->gray);
            HPDF_Page_Rectangle(pg, left + o->x, top - o->y - o->h, o->w, o->h);
            HPDF_Page_Fill(pg);
        } else if (o->kind == OP_RULE) {
            HPDF_Page_SetGrayStroke(pg, o->gray);
            HPDF_Page_SetLineWidth(pg, 0.5f);
            HPDF_Page_MoveTo(pg, left + o->x, top - o->y);
            HPDF_Page_LineTo(pg, left + o->x + o->w, top - o->y - o->h);
            HPDF_Page_Stroke(pg);
        } else if (o->kind == OP_BULLET) {
            draw_bullet(pg, o, left + o->x, top - o->y);
        } else if (o->kind == OP_IMAGE && c->images[o->image]) {
            HPDF_Page_DrawImage(pg, c->images[o->image], left + o->x, top - o->y - o->h, o->w,
                                o->h);
        }
        tags_end(c->tags, pg);
    }
    bool text = false;
    for (size_t i = 0; i < b->n_ops; i++)
        text |= b->ops[i].kind == OP_GLYPHS && b->ops[i].line.n;
    if (!text) return;
    for (size_t i = 0; i < b->n_ops; i++)
        if (b->ops[i].kind == OP_GLYPHS && marked(&b->ops[i].line)) {
            tags_artifact(c->tags, pg, ART_LAYOUT);
            mark_bands(c, pg, &b->ops[i].line, left + b->ops[i].x, top - b->ops[i].y);
            tags_end(c->tags, pg);
        }
    HPDF_Page_SetGrayFill(pg, 0);
    HPDF_Page_BeginText(pg);
    for (size_t i = 0; i < b->n_ops; i++)
        if (b->ops[i].kind == OP_GLYPHS) {
            if (b->ops[i].actual) mathtext_begin(pg, b->ops[i].actual); /* a formula: its TeX */
            fontembed_relative(c->fe, b->ops[i].actual != NULL);
            tags_glyphs(c->tags, pg, &b->ops[i], left + b->ops[i].x, top - b->ops[i].y, draw_run,
                        c);
            fontembed_relative(c->fe, false);
            if (b->ops[i].actual) mathtext_end(pg);
        }
    HPDF_Page_EndText(pg);
    for (size_t i = 0; i < b->n_ops; i++) {
        if (b->ops[i].kind != OP_GLYPHS) continue;
        /* struck text and colour emoji are drawn over the line as an artifact;
           a line without them writes no empty pair (#14: 2.5 % of a code
           book's raw content) */
        if (overlays(c, &b->ops[i].line)) {
            tags_artifact(c->tags, pg, ART_LAYOUT);
            fontembed_images(c->fe, pg, &b->ops[i].line, left + b->ops[i].x, top - b->ops[i].y);
            strike_lines(pg, &b->ops[i].line, left + b->ops[i].x, top - b->ops[i].y);
            tags_end(c->tags, pg);
        }
        link_rects(c, pg, &b->ops[i].line, left + b->ops[i].x, top - b->ops[i].y);
    }
}

static void draw_notes(pdf_t *c, HPDF_Page pg, const page_t *p, float left) {
    if (!p->note_lines) return;
    float h = 0;
    size_t left_lines = p->note_lines;
    for (size_t i = 0, skip = p->note_first_line; i < p->n_notes && left_lines; i++, skip = 0) {
        const pnote_t *n = &c->paged.ts.notes[p->notes[i]];
        for (size_t k = skip; k < n->lines.n && left_lines; k++, left_lines--)
            h += n->lines.v[k].height;
    }
    float bottom = c->ps.page_h - c->ps.margin_top - (float)c->ps.lines * c->ps.pitch;
    float y = bottom + h;
    /* a continued note opens with a full-width rule, a new one with a short one */
    tags_artifact(c->tags, pg, ART_LAYOUT);
    HPDF_Page_SetGrayStroke(pg, 0.3f);
    HPDF_Page_SetLineWidth(pg, 0.4f);
    HPDF_Page_MoveTo(pg, left, y + 0.5f * c->ps.note_pitch);
    HPDF_Page_LineTo(pg, left + (p->continued ? c->ps.measure : c->ps.measure / 3),
                     y + 0.5f * c->ps.note_pitch);
    HPDF_Page_Stroke(pg);
    tags_end(c->tags, pg);
    left_lines = p->note_lines;
    for (size_t i = 0, skip = p->note_first_line; i < p->n_notes && left_lines; i++, skip = 0) {
        const pnote_t *n = &c->paged.ts.notes[p->notes[i]];
        for (size_t k = skip; k < n->lines.n && left_lines; k++, left_lines--) {
            draw_box(c, pg, &n->lines.v[k], left, y);
            y -= n->lines.v[k].height;
        }
    }
}

/* ---------------------------------------------------------------- running heads and folios */

/* The head line (verso: the book, recto: the chapter) and the folio at its outer end. */
static void draw_head(pdf_t *c, HPDF_Page pg, const vbox_t *head, const vbox_t *folio,
                      size_t number, float left) {
    float y = c->ps.page_h - c->ps.margin_top + 1.6f * c->ps.pitch;
    bool recto = number % 2 == 1;
    float fw = folio->n_ops ? folio->ops[0].line.natural : 0;
    float hw = head && head->n_ops ? head->ops[0].line.natural : 0;
    HPDF_Page_SetGrayFill(pg, 0);
    HPDF_Page_BeginText(pg);
    if (folio->n_ops)
        draw_glyphs(c, pg, &folio->ops[0].line, recto ? left + c->ps.measure - fw : left, y);
    float hx = recto ? left + c->ps.measure - fw - 2 * c->ps.body - hw : left + fw + 2 * c->ps.body;
    if (head && head->n_ops) draw_glyphs(c, pg, &head->ops[0].line, hx, y);
    HPDF_Page_EndText(pg);
    if (head && head->n_ops) fontembed_images(c->fe, pg, &head->ops[0].line, hx, y);
    HPDF_Page_SetGrayStroke(pg, 0.4f);
    HPDF_Page_SetLineWidth(pg, 0.4f);
    HPDF_Page_MoveTo(pg, left, y - 0.5f * c->ps.note_size);
    HPDF_Page_LineTo(pg, left + c->ps.measure, y - 0.5f * c->ps.note_size);
    HPDF_Page_Stroke(pg);
}

/* A folio alone at the foot, centred: chapter openers and TOC pages. */
static void draw_foot_folio(pdf_t *c, HPDF_Page pg, const vbox_t *folio, float left) {
    if (!folio->n_ops) return;
    float fw = folio->ops[0].line.natural;
    float y =
        c->ps.page_h - c->ps.margin_top - (float)c->ps.lines * c->ps.pitch - 2.2f * c->ps.pitch;
    HPDF_Page_SetGrayFill(pg, 0);
    HPDF_Page_BeginText(pg);
    draw_glyphs(c, pg, &folio->ops[0].line, left + (c->ps.measure - fw) / 2, y);
    HPDF_Page_EndText(pg);
}

static HPDF_Page add_page(pdf_t *c) {
    if (c->drawing) pdfout_page_done(c->out, c->drawing); /* deflated while we draw on */
    HPDF_Page pg = c->drawing = HPDF_AddPage(c->pdf);
    if (pg) pdfout_page_new(c->out, pg);
    HPDF_Page_SetWidth(pg, c->ps.page_w);
    HPDF_Page_SetHeight(pg, c->ps.page_h);
    tags_page(c->tags, pg);
    if (c->ps.press.on) press_page(&c->ps, pg);
    return pg;
}

static void draw_front(pdf_t *c) {
    c->fpages = xcalloc(c->front.n + 1, sizeof *c->fpages);
    float left = paging_text_left(&c->paged, 1);
    for (size_t i = 0; i < c->front.n; i++) {
        HPDF_Page pg = add_page(c);
        c->fpages[i] = pg;
        tags_front(c->tags, i >= c->front.toc_first);
        float y = c->ps.page_h - c->ps.margin_top;
        const vlist_t *v = &c->front.pages[i];
        for (size_t k = 0; k < v->n; k++) {
            draw_box(c, pg, &v->v[k], left, y);
            y -= v->v[k].height;
        }
        tags_artifact(c->tags, pg, ART_FOOTER);
        if (i >= c->front.toc_first && v->n)
            draw_foot_folio(c, pg, &c->paged.folios.v[c->paged.pages.n + i], left);
        tags_end(c->tags, pg);
    }
    for (size_t i = 0; i < c->front.n; i++)
        vlist_free(&c->front.pages[i]); /* drawn: see release() */
}

/* A box once drawn: its glyph runs are not needed again, so a long book does
   not hold all of them while its PDF objects are written. */
static void release(vbox_t *b) {
    vbox_free(b);
    b->ops = NULL, b->n_ops = b->cap_ops = 0;
    b->notes = NULL, b->n_notes = 0;
}

/* Everything drawn: the last page's boxes, repeated table headers, notes, heads
   and folios go before the links, the structure tree and the file are written,
   the part of the run where a long book peaks (#14). The structure tree stays. */
static void release_rest(pdf_t *c) {
    vlist_free(&c->paged.ts.body);
    for (size_t i = 0; i < c->paged.ts.n_notes; i++)
        vlist_free(&c->paged.ts.notes[i].lines);
    vlist_free(&c->paged.heads);
    vlist_free(&c->paged.folios);
}

/* The glyph runs freed as pages are drawn leave holes in the heap that glibc
   keeps resident (it returns only the top): a 20x book held about 40 MB of
   freed memory at the end (#14). Hand whole free pages back now and then, when
   there is enough to matter: each trim costs a system call per free run and a
   page fault per page used again (and, with the deflating thread running, a
   TLB shootdown), about 1.5 ms of the handbook's PDF, which frees 9 MB at most. */
#define TRIM_PAGES 256
#define TRIM_FREE_BYTES (16u << 20)
static void give_back(void) {
#ifdef __GLIBC__
    if (mallinfo2().fordblks >= TRIM_FREE_BYTES) malloc_trim(0);
#endif
}

static void draw_body(pdf_t *c) {
    c->hpages = xcalloc(c->paged.pages.n + 1, sizeof *c->hpages);
    /* repeated table headers are drawn again on later pages: kept to the end */
    bool *header = xcalloc(c->paged.ts.body.n + 1, sizeof *header);
    size_t *last = xcalloc(c->paged.ts.n_notes + 1, sizeof *last); /* 1 + a note's last page */
    for (size_t pi = 0; pi < c->paged.pages.n; pi++) {
        const page_t *p = &c->paged.pages.v[pi];
        if (p->header) header[p->header - c->paged.ts.body.v] = true;
        for (size_t i = 0; i < p->n_notes; i++)
            last[p->notes[i]] = pi + 1;
    }
    tags_body(c->tags);
    for (size_t pi = 0; pi < c->paged.pages.n; pi++) {
        const page_t *p = &c->paged.pages.v[pi];
        HPDF_Page pg = add_page(c);
        c->hpages[pi] = pg;
        if (p->blank) continue;
        float left = paging_text_left(&c->paged, pi + 1), y = c->ps.page_h - c->ps.margin_top;
        bool opener = p->count && c->paged.ts.body.v[p->first].new_page;
        tags_artifact(c->tags, pg, opener ? ART_FOOTER : ART_HEADER);
        if (opener)
            draw_foot_folio(c, pg, &c->paged.folios.v[pi], left);
        else
            draw_head(c, pg,
                      (pi + 1) % 2 ? &c->paged.heads.v[1 + (p->chapter >= 0 ? p->chapter : 0)]
                                   : &c->paged.heads.v[0],
                      &c->paged.folios.v[pi], pi + 1, left);
        tags_end(c->tags, pg);
        if (p->header) { /* a repeated header row is an artifact: it was read on the first page */
            tags_artifact(c->tags, pg, ART_HEADER);
            draw_box(c, pg, p->header, left, y);
            tags_end(c->tags, pg);
            y -= p->header->height;
        }
        for (size_t b = p->first; b < p->first + p->count; b++) {
            const vbox_t *bx = &c->paged.ts.body.v[b];
            draw_box(c, pg, bx, left, y);
            y -= bx->height;
        }
        draw_notes(c, pg, p, left);
        /* the page before is done: a line broken inside a word looks at the next
           line's glyphs, so a page's boxes go only once the next page is drawn */
        const page_t *before = pi ? &c->paged.pages.v[pi - 1] : NULL;
        for (size_t b = before ? before->first : 0; before && b < before->first + before->count;
             b++)
            if (!header[b]) release(&c->paged.ts.body.v[b]);
        for (size_t i = 0; before && i < before->n_notes; i++)
            if (last[before->notes[i]] == pi)
                vlist_free(&c->paged.ts.notes[before->notes[i]].lines);
        if (pi % TRIM_PAGES == TRIM_PAGES - 1) give_back();
    }
    free(header), free(last);
    release_rest(c);
    give_back();
}

/* URIs are written as given: percent-encode what is not ASCII. */
static char *uri_escape(const char *s) {
    char *o = xmalloc(strlen(s) * 3 + 1), *q = o;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p > 0x20 && *p < 0x7F)
            *q++ = (char)*p;
        else
            q += sprintf(q, "%%%02X", *p);
    }
    *q = 0;
    return o;
}

static HPDF_Destination dest(pdf_t *c, int page, float y) {
    HPDF_Destination d = HPDF_Page_CreateDestination(c->hpages[page]);
    /* a destination is in the page's default space: on a press page the
       drawing is moved in by the bleed (and slug), so is the destination */
    float o = c->ps.press.on ? press_origin(&c->ps) : 0;
    if (y > 0) HPDF_Destination_SetXYZ(d, o, y + o, 1);
    return d;
}

/* A coordinate as libharu writes one (up to 5 decimals, no trailing zeros):
   what printf's "%.5f" gives, without printf (#14: 2,700 instructions a number).
   A float times 100000 is exact in a double (24 + 17 bits), and rint rounds it
   as printf does, half to even. */
static void put_coord(buf_t *o, float v) {
    double m = rint((double)v * 100000.0);
    if (fabs(m) < 1e15) {
        if (m == 0) {
            buf_puts(o, "0 ");
            return;
        }
        if (m < 0) buf_putc(o, '-');
        unsigned long long u = (unsigned long long)fabs(m);
        put_uint(o, (unsigned long)(u / 100000));
        unsigned frac = (unsigned)(u % 100000);
        if (frac) {
            char d[6] = {'.'};
            int n = 5;
            while (frac % 10 == 0)
                frac /= 10, n--;
            for (int k = n; k > 0; k--, frac /= 10)
                d[k] = (char)('0' + frac % 10);
            buf_put(o, d, (size_t)n + 1);
        }
        buf_putc(o, ' ');
        return;
    }
    char s[32];
    int n = snprintf(s, sizeof s, "%.5f", (double)v);
    while (n > 0 && s[n - 1] == '0')
        n--;
    if (n > 0 && s[n - 1] == '.') n--;
    if (n == 2 && s[0] == '-' && s[1] == '0') s[0] = '0', n = 1;
    buf_put(o, s, (size_t)n);
    buf_putc(o, ' ');
}

/* A link annotation's dictionary up to its target: as text (output.h), since
   as libharu objects a long book's links were a quarter of its peak memory. */
static void annot_begin(buf_t *o, HPDF_Page pg, HPDF_Rect r) {
    if (r.top < r.bottom) {
        float b = r.top;
        r.top = r.bottom, r.bottom = b;
    }
    buf_puts(o, "<</Type /Annot /Subtype /Link /Rect [");
    put_coord(o, r.left), put_coord(o, r.bottom), put_coord(o, r.right), put_coord(o, r.top);
    buf_puts(o, "] /P ");
    put_ref(o, pdfout_num(pg));
    buf_puts(o, "/Border [0 0 0]");
}

/* URIs are given escaped (uri_escape): only a literal string's delimiters remain. */
/* The URI action dictionary of url. */
static void uri_action(buf_t *o, const char *url) {
    char *u = uri_escape(url);
    buf_puts(o, "<</Type /Action /S /URI /URI (");
    for (const char *p = u; *p; p++) {
        if (*p == '(' || *p == ')' || *p == '\\') buf_putc(o, '\\');
        buf_putc(o, *p);
    }
    buf_puts(o, ")>>");
    free(u);
}

/* As dest(), written into the annotation. */
static void annot_dest(pdf_t *c, buf_t *o, int page, float y) {
    float off = c->ps.press.on ? press_origin(&c->ps) : 0;
    buf_puts(o, "/Dest [");
    put_ref(o, pdfout_num(c->hpages[page]));
    if (y > 0) {
        buf_puts(o, "/XYZ ");
        put_coord(o, off), put_coord(o, y + off);
        buf_puts(o, "1]");
    } else {
        buf_puts(o, "/Fit]");
    }
}

/* A long URL's action, written once as an object of its own and referred to by
   each of the link's annotations (one a line it spans): repeated per line, a
   160,000-character URL printed as its own text took 1.8 GB (ailearning). */
static void annot_uri(pdf_t *c, buf_t *o, unsigned *obj, const char *url) {
    buf_puts(o, "/A ");
    unsigned num;
    if (!*obj && strlen(url) > 256 && pdfout_reserve(c->out, &num)) {
        *obj = num;
        buf_t a;
        buf_init(&a);
        uri_action(&a, url);
        pdfout_text(c->out, *obj, a.data, a.len);
        buf_free(&a);
    }
    if (*obj)
        put_ref(o, *obj);
    else /* short: repeating it costs less than an object */
        uri_action(o, url);
}

static void make_links(pdf_t *c) {
    size_t na = c->b->n_anchors;
    buf_t o;
    buf_init(&o);
    unsigned *action = xcalloc(c->b->n_links + 1, sizeof *action);
    for (size_t i = 0; i < c->n_links; i++) {
        const pending_link_t *pl = &c->links[i];
        unsigned front_action = 0; /* a front-matter link is one annotation: nothing to share */
        o.len = 0;
        annot_begin(&o, pl->page, pl->rect);
        if (pl->link <= XLINK_BASE) {
            const xlink_t *x = &c->front.links[XLINK_BASE - pl->link];
            if (x->uri)
                annot_uri(c, &o, &front_action, x->uri);
            else
                annot_dest(c, &o, x->page, x->y);
        } else {
            const link_t *l = &c->b->links[pl->link];
            if (l->kind == LINK_EXTERNAL) {
                annot_uri(c, &o, &action[pl->link], l->url);
            } else if (l->kind == LINK_INTERNAL) {
                size_t k = l->target_anchor >= 0 ? (size_t)l->target_anchor
                                                 : na + (size_t)l->target_chapter;
                if (c->paged.anchor_page[k] < 0) continue;
                annot_dest(c, &o, c->paged.anchor_page[k], c->paged.anchor_y[k]);
            } else {
                continue;
            }
        }
        unsigned num;
        void *ph = pdfout_reserve(c->out, &num);
        if (!ph) continue;
        tags_annot(c->tags, pl->page, num, pl->elem, NULL, &o);
        buf_puts(&o, ">>");
        pdfout_text(c->out, num, o.data, o.len);
        pdfout_annot(c->out, pl->page, ph);
    }
    free(action);
    buf_free(&o);
}

/* ---------------------------------------------------------------- outline, labels, information */

static void outline(pdf_t *c) {
    toc_item_t *it;
    size_t n = paging_toc(&c->paged, 3, &it);
    HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
    HPDF_Outline stack[16] = {NULL};
    for (size_t i = 0; i < n; i++) {
        int lvl = it[i].level < 1 ? 1 : it[i].level > 15 ? 15 : it[i].level;
        while (lvl > 1 && !stack[lvl - 1])
            lvl--;
        HPDF_Outline o =
            HPDF_CreateOutline(c->pdf, lvl > 1 ? stack[lvl - 1] : NULL, it[i].title, enc);
        if (!o) continue;
        HPDF_Outline_SetDestination(o, dest(c, it[i].page, it[i].y));
        HPDF_Outline_SetOpened(o, lvl == 1 ? HPDF_TRUE : HPDF_FALSE);
        stack[lvl] = o;
        for (int k = lvl + 1; k < 16; k++)
            stack[k] = NULL;
    }
    free(it);
    HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

static void info(pdf_t *c) {
    const meta_t *m = &c->b->meta;
    char creator[64];
    snprintf(creator, sizeof creator, "ghb-book %s", GHB_VERSION);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_TITLE, m->title);
    if (m->author) HPDF_SetInfoAttr(c->pdf, HPDF_INFO_AUTHOR, m->author);
    if (m->description) HPDF_SetInfoAttr(c->pdf, HPDF_INFO_SUBJECT, m->description);
    if (m->keywords) HPDF_SetInfoAttr(c->pdf, HPDF_INFO_KEYWORDS, m->keywords);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_CREATOR, creator);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_PRODUCER, creator);
    struct tm tm;
    gmtime_r(&m->epoch, &tm);
    HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   tm.tm_sec,         'Z',           0,          0};
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
    /* libharu has no call for the document language: set /Lang on the catalog */
    HPDF_Dict_Add(c->pdf->catalog, "Lang", HPDF_String_New(c->pdf->mmgr, m->lang, NULL));
    HPDF_AddPageLabel(c->pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, "");
    HPDF_AddPageLabel(c->pdf, (HPDF_UINT)c->front.n, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "");
}

static void load_images(pdf_t *c) {
    c->images = xcalloc(c->b->n_images + 1, sizeof *c->images);
    for (size_t i = 0; i < c->b->n_images; i++) {
        const image_t *im = &c->b->images[i];
        c->images[i] = c->ps.press.on
                           ? press_load_image(c->pdf, &c->ps, im->file, im->src_type)
                           : pdf_load_image(c->pdf, im->file, im->src_type, c->ps.measure);
        char why[256];
        if (c->images[i] && c->ps.press.on && !press_colour_available(why, sizeof why))
            diag_add(c->b->diags, DIAG_WARNING, im->file, 1, 1,
                     "image converted to %s without its ICC profile: %s",
                     c->ps.press.cmyk ? "CMYK" : "grey", why);
        if (c->images[i]) {
            pdfout_stream_done(c->out, c->images[i]);
            pdfout_stream_done(c->out, HPDF_Dict_GetItem(c->images[i], "SMask", HPDF_OCLASS_DICT));
        } else {
            unsigned w, h; /* one too large was reported where the book shows it */
            if (!image_too_large(im->file, im->src_type, &w, &h))
                diag_add(c->b->diags, DIAG_WARNING, im->file, 1, 1,
                         "damaged image left out of the PDF");
            HPDF_ResetError(c->pdf);
            c->error = 0;
        }
        /* #14: each image's raw pixels go to the deflate queue at once, not all
           held until the last is loaded (rust-book: 230 MB of them), and the
           decoder's buffers of a large one are handed back (glibc keeps them) */
        pdfout_streams_done(c->out);
        if (c->images[i] &&
            HPDF_Image_GetWidth(c->images[i]) * HPDF_Image_GetHeight(c->images[i]) >= (1u << 20))
            give_back();
    }
}

/* ---------------------------------------------------------------- the driver */

static int setup(pdf_t *c, book_t *b, const char *font_dir) {
    memset(c, 0, sizeof *c);
    c->b = b;
    char *override = path_join(b->root, "print.yaml");
    int rc = print_load(&c->ps, path_exists(override) ? override : NULL, b->diags);
    free(override);
    if (rc != 0) return -1;
    const char *chains[ROLE_COUNT][CHAIN_MAX] = {{0}};
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int k = 0; k < CHAIN_MAX; k++)
            /* the math font (a system font) is opened only for a book with math */
            chains[r][k] = r == ROLE_MATH && !b->n_maths ? NULL : c->ps.fonts[r][k];
    int before = b->diags->errors;
    c->fs = fontset_open(font_dir, chains, b->diags);
    if (b->diags->errors > before) return -1;
    paging_init(&c->paged, b, &c->ps, c->fs);
    return 0;
}

static void teardown(pdf_t *c, bool exiting) {
    para_release();
    pdfout_free(c->out); /* its thread joined, whatever comes next */
    c->out = NULL;
    if (exiting) return;
    fontembed_free(c->fe);
    paging_free(&c->paged);
    front_free(&c->front);
    fontset_free(c->fs);
    print_free(&c->ps);
    free(c->images), free(c->hpages), free(c->fpages);
    free(c->links);
    tags_free(c->tags);
    if (c->pdf) HPDF_Free(c->pdf);
}

static FILE *supplied_to;

void pdf_report_supplied(FILE *to) {
    supplied_to = to;
}

/* Once per character: which installed font supplies what the bundled ones lack. */
static void report_supplied(const fontset_t *fs, FILE *out) {
    if (!out) return;
    uint32_t cp;
    int font;
    size_t n = fontset_supplied(fs, 0, &cp, &font);
    for (size_t i = 0; i < n; i++) {
        fontset_supplied(fs, i, &cp, &font);
        char u[5] = {0};
        u[utf8_encode(cp, u)] = 0;
        fprintf(out, "U+%04X '%s': not in the bundled fonts, from %s (%s)\n", (unsigned)cp, u,
                fontset_family(fs, font), fontset_file(fs, font));
    }
}

/* Press output keeps a classic cross-reference table: PDF/X-1a is PDF 1.3,
   before object streams. */
static int save(pdf_t *c, buf_t *out) {
    return pdfout_write(c->out, !c->ps.press.on, out);
}

/* #10: the entries of a list of figures or tables: "Figure 2.1 caption" and its page. */
static size_t xref_items(const pdf_t *c, xref_kind kind, toc_item_t **out, char ***titles) {
    static const word_id name[] = {W_FIGURE, W_TABLE, W_LISTING};
    lang_kind lk = lang_kind_of(c->b->meta.lang);
    size_t n = 0, cap = 0;
    *out = NULL, *titles = NULL;
    for (size_t i = 0; i < c->b->n_xrefs; i++) {
        const xref_t *x = &c->b->xrefs[i];
        if (x->kind != kind || x->anchor < 0 || c->paged.anchor_page[x->anchor] < 0) continue;
        buf_t t;
        buf_init(&t);
        buf_printf(&t, word(lk, name[kind]), x->number);
        if (*x->caption) buf_printf(&t, "%s%s", lk == LANG_EN ? " " : "\xE3\x80\x80", x->caption);
        XGROW(*out, cap, n);
        *titles = xrealloc(*titles, cap * sizeof **titles);
        (*titles)[n] = buf_detach(&t);
        (*out)[n] = (toc_item_t){1, (*titles)[n], c->paged.anchor_page[x->anchor],
                                 c->paged.anchor_y[x->anchor], true};
        n++;
    }
    return n;
}

static void set_front(pdf_t *c) {
    toc_item_t *toc;
    size_t n = paging_toc(&c->paged, c->ps.toc_depth, &toc);
    lang_kind lk = lang_kind_of(c->b->meta.lang);
    front_list_t lists[2] = {{word(lk, W_LIST_OF_FIGURES), NULL, 0},
                             {word(lk, W_LIST_OF_TABLES), NULL, 0}};
    char **titles[2] = {NULL, NULL};
    toc_item_t *items[2] = {NULL, NULL};
    if (c->b->meta.list_figures) lists[0].n = xref_items(c, XREF_FIGURE, &items[0], &titles[0]);
    if (c->b->meta.list_tables) lists[1].n = xref_items(c, XREF_TABLE, &items[1], &titles[1]);
    lists[0].items = items[0], lists[1].items = items[1];
    front_build_lists(&c->front, c->b, c->fs, &c->ps, toc, n, lists, 2);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < lists[k].n; i++)
            free(titles[k][i]);
        free(titles[k]), free(items[k]);
    }
    free(toc);
}

static int build(book_t *b, const char *font_dir, buf_t *out, pagemap_t *pages, bool press,
                 bool exiting) {
    pdf_t c;
    if (pages) memset(pages, 0, sizeof *pages);
    int rc = setup(&c, b, font_dir);
    if (rc == 0 && press) press_check_style(&c.ps, b->root, b->diags);
    c.ps.press.on = press;
    if (rc == 0) {
        paging_set_body(&c.paged);
        if (pages) pagemap_from(b, &c.paged.ts.body, &c.paged.pages, pages);
        paging_renumber_notes(&c.paged);
        set_front(&c);
        if (pages) pagemap_add_front(pages, c.front.n, c.front.toc_first);
        if (press) /* the gutter grows with the page count */
            c.ps.margin_inner =
                press_inner_margin(&c.ps, c.paged.pages.n + c.front.n, c.ps.margin_inner);
        paging_set_heads(&c.paged, c.front.n);
        c.pdf = HPDF_New(on_error, &c);
        HPDF_SetCompressionMode(c.pdf, HPDF_COMP_ALL);
        HPDF_UseUTFEncodings(c.pdf);
        HPDF_SetCurrentEncoder(c.pdf, "UTF-8");
        c.out = pdfout_new(c.pdf);
        c.tags = tags_new(c.pdf, c.out, c.fs, &c.paged.ts.tree, b);
        c.fe = fontembed_new(c.pdf, c.out, c.fs, b->diags);
        rc = c.fe ? 0 : -1;
        if (c.fe) fontembed_gray(c.fe, press); /* PDF/X-1a takes no DeviceRGB */
        if (c.fe && press) fontembed_press(c.fe, &c.ps);
        if (c.fe) tags_set_actual(c.tags, actual_text, &c);
    }
    if (rc == 0) {
        load_images(&c);
        pdfout_streams_done(c.out); /* fonts and images: deflated while we draw */
        draw_front(&c);
        draw_body(&c);
        if (!press) make_links(&c); /* paper has no links: URLs are printed as notes */
        outline(&c);
        info(&c);
        tags_finish(c.tags, press ? press_xmp(&c.ps) : NULL, !press);
        give_back(); /* the tree's scratch buffers, before the file is written */
        if (press && press_finish(c.pdf, &c.ps, b, b->diags) != 0) rc = -1;
        if (rc == 0 && (c.error || save(&c, out) != 0)) {
            diag_add(b->diags, DIAG_ERROR, "pdf", 1, 1, "libharu failed (error %04X, detail %u)",
                     (unsigned)c.error, (unsigned)c.detail);
            rc = -1;
        }
    }
    if (c.fs) report_supplied(c.fs, supplied_to);
    teardown(&c, exiting && rc == 0);
    return rc;
}

/* The backends' error contract (pdf.h): the stages below report through the
   book (book_diag), so they get a view of it whose sink is d. */
int pdf_build(const book_t *b, const pdf_opts_t *o, diags_t *d, buf_t *out) {
    book_t view = book_with_sink(b, d);
    int before = d->errors;
    int rc = build(&view, o->font_dir, out, o->pages, o->press, o->exiting);
    if (rc != 0 || d->errors > before) {
        buf_free(out);
        if (o->pages) pagemap_free(o->pages);
        return -1;
    }
    return 0;
}

/* The layout alone (no drawing): where each body page starts, for the EPUB. */
int pdf_pagemap(const book_t *b, const char *font_dir, diags_t *d, pagemap_t *out) {
    book_t view = book_with_sink(b, d);
    int before = d->errors;
    pdf_t c;
    memset(out, 0, sizeof *out);
    int rc = setup(&c, &view, font_dir);
    if (rc == 0) {
        c.paged.one_thread = true; /* the EPUB is written on the other core meanwhile */
        /* where lines fall, not their colours: no highlighting (classes never
           move a glyph: layout/code.c) */
        c.ps.code_theme.off = true;
        paging_set_body(&c.paged);
        pagemap_from(&view, &c.paged.ts.body, &c.paged.pages, out);
        set_front(&c); /* how many roman pages, and where the contents start */
        pagemap_add_front(out, c.front.n, c.front.toc_first);
    }
    teardown(&c, false);
    if (rc != 0 || d->errors > before) {
        pagemap_free(out);
        return -1;
    }
    return 0;
}
