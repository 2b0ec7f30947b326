#ifndef GHB_VLIST_H
#define GHB_VLIST_H
/* The vertical list: what the typesetter stacks down a page, and what the
   paginator cuts into pages. Free of libharu. */
#include "para.h"
#include "stree.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { OP_GLYPHS, OP_RECT, OP_RULE, OP_IMAGE, OP_BULLET } op_kind;
/* Drawn markers: task boxes (bullets are characters, typeset.c), and after
   them the callout icons. DISC..SQUARE name the bullet by depth. */
typedef enum { BULLET_DISC, BULLET_CIRCLE, BULLET_SQUARE, BULLET_BOX, BULLET_CHECKED } bullet_shape;

/* Something to draw, placed relative to its box: x from the text block's left
   edge, y down from the box's top (a baseline for glyphs, a top edge otherwise). */
typedef struct {
    op_kind kind;
    float x, y;
    line_t line;    /* OP_GLYPHS (owned) */
    float w, h;     /* OP_RECT, OP_RULE (h = thickness), OP_IMAGE */
    float gray;     /* OP_RECT fill, OP_RULE stroke: 0 black .. 1 white */
    int image;      /* OP_IMAGE: the caller's image id; OP_BULLET: its bullet_shape */
    char *actual;   /* OP_GLYPHS (#11): what the run stands for in the text layer (a
                       formula's TeX, as ActualText), owned; NULL for text */
    int tag;        /* structure (stree.h): 0 none, TAG_ARTIFACT, else TAG_OF(node) */
    uint32_t color; /* appended for #11: OP_RECT fill 0xRRGGBB when not 0 (\color in math) */
} op_t;

typedef struct vbox vbox_t;
struct vbox {
    float height; /* vertical advance */
    op_t *ops;
    size_t n_ops, cap_ops;
    bool discardable;    /* space: dropped at the top of a page */
    bool keep_with_next; /* no page break after this box */
    bool new_page;       /* starts a page (a chapter: a right-hand page) */
    bool recto;
    int para, line_no, line_count; /* lines of a paragraph, for widows and orphans; para -1 */
    int heading;                   /* index into the book's headings, or -1 */
    int chapter;                   /* the chapter this box belongs to */
    int anchor;                    /* index into the book's anchors this box starts, or -1 */
    long repeat; /* a table row: the index of its header row (repeated after a page break), or -1 */
    int *notes;  /* note ids (the caller's) referenced on this box, in order */
    size_t n_notes;
    struct cmark_node
        *src; /* the block being set when the box was made (the EPUB's page list), or NULL */
};

typedef struct {
    vbox_t *v;
    size_t n, cap;
} vlist_t;

vbox_t *vlist_add(vlist_t *l, float height);
op_t *vbox_op(vbox_t *b, op_kind kind, float x, float y);
void vbox_free(vbox_t *b);
void vlist_free(vlist_t *l);

/* A note's lines as set at the page foot. */
typedef struct {
    vlist_t lines;
    const char *key; /* notes with the same key on one page share one entry (a URL) */
} pnote_t;

/* One page: which boxes it holds, and which note lines sit at its foot. */
typedef struct {
    size_t first, count;  /* boxes [first, first+count) of the body list */
    const vbox_t *header; /* a repeated table header at its top, or NULL */
    int chapter;          /* the chapter it belongs to (-1 for none) */
    bool blank;           /* an empty left-hand page before a chapter */
    int *notes;           /* note ids at its foot, in order of reference */
    size_t n_notes;
    size_t note_first_line; /* for a note continued from the page before: lines skipped */
    size_t note_lines;      /* how many note lines are set on this page */
    bool continued;         /* its first note is continued from the page before */
} page_t;

typedef struct {
    page_t *v;
    size_t n, cap;
} pages_t;

/* Cuts the list into pages of height h: no widow or orphan line, a heading
   kept with what follows, chapters on right-hand pages, each page's notes at
   its foot (continued on the next page when they do not fit). notes[i] is the
   note with id i; note_gap is the space above the note area. */
void paginate(const vlist_t *l, float h, const pnote_t *notes, size_t n_notes, float note_gap,
              pages_t *out);
void pages_free(pages_t *p);

#endif
