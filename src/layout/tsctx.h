#ifndef GHB_TSCTX_H
#define GHB_TSCTX_H
/* The typesetter's state while it walks a chapter, shared by the files of the
   layout stage that set blocks: typeset.c (the walk and most blocks),
   setpara.c (the one path from a paragraph's content to boxes), inline.c,
   notes.c, table.c and figure.c. Internal to src/layout. */
#include "mathset.h"
#include "typeset.h"
#include "../util/strmap.h"
#include <cmark-gfm.h>
#include <pthread.h>

/* The placeholder a note number is set with; the drawing puts the page's own
   number (①, ②, ...) in its place, all of one width. */
#define NOTE_MARK "\xE2\x91\xA0"

typedef struct {
    book_t *b; /* NULL for text outside the book's tree (typeset_text) */
    fontset_t *fs;
    const print_t *ps;
    typeset_t *out;
    int ch;
    int para_id;
    float x, w;     /* the current block's left offset and width */
    font_role role; /* running text role: body, or the quote face in quotes */
    bool in_list;   /* paragraphs without first-line indent */
    line_t marker;  /* a list marker waiting for its item's first line */
    float marker_x;
    bool has_marker;
    strmap_t missing; /* "<chapter> <cp>" already reported */
    const int *folios;
    cmark_node *node;   /* the block being set, for diagnostics */
    bool latin;         /* the book's language is written in Latin letters */
    hyphenator_t *hyph; /* for the book's language, or NULL */
    mathset_t *ms;      /* the math path (NULL: no math font) */
    bool center;        /* #10: lines centred (HTML align=center) */
    int sn;             /* structure: the node blocks are added under */
    int tag;            /* structure: op tag of the lines being emitted */
    int marker_tag;     /* structure: op tag of a waiting text marker (its Lbl) */
    int sect;           /* structure: the chapter's Sect (notes go there) */
    int hlevel;         /* structure: the last heading level in the chapter */
    /* #10: the book's code blocks, highlighted beside the typesetting (code.h) */
    struct code_prep *code;
} ts_t;

/* ---- setpara.c: a paragraph from its content to boxes */

/* What a paragraph is made of and how it is set. Zero means no: plain,
   justified, breakable anywhere UAX #14 allows, no hyphens. */
typedef struct {
    cmark_node *node; /* its inline content: node's children; when they are blocks
                         (a footnote's paragraphs), each child's, with line breaks */
    const char *text; /* or plain text (node NULL) */
    pstyle_t style;   /* the base style: role and size */
    float w, indent;  /* the measure, and the first line's indent (negative: hanging) */
    bool hyphenate, ragged, words_only;
    bool cut_overlong; /* with words_only: a word wider than the measure is cut in the last pass */
    bool note_mark;    /* the paragraph opens with note note_id's number (a note's text) */
    int note_id;
} pspec_t;

/* A new paragraph in the book's language with the spec's settings and content
   (for a caller that lays it out more than once: table cells). */
para_t *ts_para_new(ts_t *t, const pspec_t *s);
/* The spec's paragraph laid out as lines (new -> content -> layout -> free). */
void ts_para_lines(ts_t *t, const pspec_t *s, lines_t *ls);
/* Adds a structure node of role under the current one (its tag goes on the
   lines), then the lines as boxes of height pitch at x, one paragraph for the
   paginator. Takes the lines. Returns the first box's index. */
size_t ts_emit(ts_t *t, lines_t *ls, srole_t role, float x, float pitch, float size);
/* ts_para_lines, then ts_emit at the current block's x: the one way a
   paragraph of the text gets onto the page. */
size_t ts_set_para(ts_t *t, const pspec_t *s, srole_t role, float pitch);

/* The body text style of the current block (its role at the body size). */
pstyle_t ts_text_style(const ts_t *t);
/* A line's baseline from the top of its box. */
float ts_ascent(float pitch, float size);
int ts_snode(ts_t *t, srole_t role, const char *alt);
vbox_t *ts_box(ts_t *t, float h);
void ts_space(ts_t *t, float h);
void ts_note_ids(vbox_t *b, const line_t *ln);
void ts_rule(float x, float y, float w, float h, vbox_t *b);
/* Puts the waiting list marker on box b (the item's first line). */
void ts_attach_marker(ts_t *t, vbox_t *b, float pitch, float size);
/* para_layout's missing_fn: a warning per character and chapter. */
void ts_missing(void *vctx, uint32_t cp, size_t index);
/* A warning at node at (NULL: the block being set), once per chapter and key. */
void ts_warn_once(ts_t *t, cmark_node *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- inline.c */
font_role ts_head_role(const ts_t *t);
/* Adds the inline tree under parent to p, from style base. */
void ts_inlines(ts_t *t, para_t *p, cmark_node *parent, pstyle_t base);

/* ---- notes.c: the note (at the page foot) for book note k, made on first reference */
int ts_note_for(ts_t *t, size_t k);

/* ---- table.c */
void ts_table(ts_t *t, cmark_node *n);
/* #10: a raw-HTML table (custom nodes, colspan and rowspan), its <caption> above it */
void ts_html_table(ts_t *t, cmark_node *n);

/* ---- figure.c: images and raw HTML */
bool ts_only_images(cmark_node *para);
void ts_images_in(ts_t *t, cmark_node *para);
void ts_html_block(ts_t *t, cmark_node *n);
/* The first-line indent of a paragraph (or a block of raw HTML set as one) at n. */
float ts_first_indent(const ts_t *t, cmark_node *n);

/* ---- typeset.c */
void ts_blocks(ts_t *t, cmark_node *parent);

/* ---- two threads (#14): the book's second half set beside the first
   (typeset.c starts it, tsmerge.c joins it). The second thread has its own
   output, tree, notes, diagnostics and fontset (fontset_fork); joined, its
   work reads as if the first thread had gone on: its nodes, notes and
   paragraph ids are numbered on from the first half's, its glyph uses and
   diagnostics replayed in order after the first half's. */
typedef struct ts_half {
    ts_t t;
    book_t view; /* the book with the thread's own diagnostics sink */
    diags_t d;
    typeset_t out;
    size_t from; /* its chapters: [from, the last] */
    pthread_t thread;
} ts_half_t;
/* Waits for the thread (started by typeset.c) and appends its work to t's
   (which has set the chapters before from). False when the work cannot be
   taken as it is (it needed an installed font, or shares a note with the first
   half): the caller sets those chapters itself. Frees h either way. */
bool ts_half_join(ts_t *t, ts_half_t *h);
void ts_half_free(ts_half_t *h);
/* After a paragraph of block n set in one line (short_single: short of the
   measure) at a first-line indent: a quarter line of air when a paragraph
   follows, which starts at the same indent. */
void ts_air_after(ts_t *t, cmark_node *n, bool short_single, float indent);

#endif
