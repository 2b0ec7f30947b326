#ifndef GHB_PARA_H
#define GHB_PARA_H
/* Paragraph layout: styled text -> boxes, glue and penalties (TeX's model) ->
   lines chosen by optimal fit over the whole paragraph -> positioned runs.
   Free of libharu: metrics come from the fontset, so it is tested alone. */
#include "../fonts/fontset.h"
#include "hyphen.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    font_role role;
    float size;     /* pt */
    float rise;     /* baseline shift, pt (note markers) */
    int link;       /* the caller's link id, or -1 */
    int note;       /* for note markers: the caller's note id, else -1 */
    bool strike;    /* struck through */
    bool under;     /* underlined (<u>, <ins>) */
    bool mark;      /* highlighted (<mark>) */
    uint32_t color; /* appended for #10: fill colour 0xRRGGBB (0 black) */
    uint8_t face;   /* appended for #10: HL_FACE_BOLD | HL_FACE_ITALIC drawn on the role's font */
} pstyle_t;

/* One glyph as placed on a line. A long book holds a million of them until they
   are drawn, so the small fields share words (#14): 44 bytes, not 56. Set them
   by name (designated initializers); the bit-fields cannot have their address taken. */
typedef struct {
    float x;   /* pen position from the line's left edge, pt */
    float adv; /* the glyph's full advance, pt */
    float size, rise;
    float dy;     /* vertical offset from shaping (marks), pt */
    uint32_t gid; /* own font embedding (#9): glyph id in font (original numbering,
                     before subsetting), from shaping */
    int link, note;
    uint32_t cp : 21;    /* a Unicode scalar value (at most 0x10FFFF) */
    bool strike : 1;     /* struck through */
    bool under : 1;      /* underlined */
    bool mark : 1;       /* highlighted */
    uint32_t face : 2;   /* #10: HL_FACE_BOLD | HL_FACE_ITALIC */
    bool cell : 1;       /* code: a wide character centred in two columns (layout/code.c) */
    signed int font : 8; /* index in the fontset (FONT_MAX 48), -1 for none */
    uint32_t color : 24; /* #10: fill colour 0xRRGGBB (0 black) */
    uint16_t nchars;     /* characters of the cluster this glyph starts; 0: a later glyph of it */
} glyph_t;
_Static_assert(sizeof(glyph_t) <= 44, "glyph_t: a million of them in a 20x book (#14)");
_Static_assert(FONT_MAX <= 127, "glyph_t's font is 8 bits");

typedef struct {
    glyph_t *g;
    size_t n;
    float width;   /* the measure the line was set to */
    float natural; /* where its last glyph ends */
    bool justified;
    bool word_continues; /* broken inside a word (a URL, a hyphen): it goes on on the next line */
    const glyph_t *next; /* word_continues: the next line's glyphs (borrowed; owned by that line) */
    size_t n_next;
    bool hyphenated; /* its last glyph is a hyphen the hyphenation added (not in the text) */
} line_t;

typedef struct {
    line_t *lines;
    size_t n;
} lines_t;

/* Characters that report no glyph: the caller turns them into diagnostics.
   cp | PARA_RTL: right-to-left text starting with cp was set left to right
   (not supported yet). */
typedef void (*missing_fn)(void *ctx, uint32_t cp, size_t index);
#define PARA_RTL 0x80000000u

typedef struct para para_t;

para_t *para_new(fontset_t *fs, float em);
void para_free(para_t *p);
/* Appends UTF-8 text in a style. Newlines are spaces; runs of spaces collapse. */
void para_text(para_t *p, const char *s, size_t n, pstyle_t st);
/* Appends text that keeps its spaces (inline code). */
void para_text_keep(para_t *p, const char *s, size_t n, pstyle_t st);
/* Sets every line at its natural spacing (ragged right) instead of justifying
   it: notes and table cells, where letter-spacing a URL would look wrong. */
void para_set_ragged(para_t *p, bool ragged);
/* The text's language is written in Latin letters (English): ’ “ ” — … with
   nothing beside them to decide are set as Latin, interword spaces are Latin ones. */
void para_set_latin(para_t *p, bool latin);
/* Hyphenates Latin words of prose with h (NULL: none). h outlives the paragraph. */
void para_set_hyphenator(para_t *p, const hyphenator_t *h);
/* Never breaks inside a word (table cells, titles): a word too long for the width
   stands out of it rather than being cut; the caller sizes the width. With
   cut_overlong, such a word is cut after all, in the last pass (titles, the
   contents: nothing sizes their width to the words). */
void para_set_words_only(para_t *p, bool words_only, bool cut_overlong);
/* An unbreakable inline object (a formula) w pt wide: it is set like a Latin
   word, and its line gets a placeholder glyph at its place (font -1, no
   font's glyph, so gid holds 1 + id; see glyph_object), which the caller
   replaces with what it draws. */
void para_object(para_t *p, float w, int id, pstyle_t st);
/* The next piece of the object just added (a formula cut after a relation, rel,
   or a binary operator): set gap pt after it (a space that flexes as TeX's math
   spaces and is dropped where a line breaks between them). */
/* #10: an object that spaces and breaks like a Han character (ruby over Han text). */
void para_object_han(para_t *p, float w, int id, pstyle_t st);
void para_object_after(para_t *p, float w, float gap, bool rel, int id, pstyle_t st);
/* The object id a placeholder glyph stands for, or -1 for a glyph. */
static inline long glyph_object(const glyph_t *g) {
    return g->font == -1 && g->cp == 0xFFFC && g->gid > 0 ? (long)g->gid - 1 : -1;
}
/* A forced line break (the line before it is set ragged). */
void para_break(para_t *p);
/* Lays the paragraph out at width w (pt), the first line indented by indent.
   Characters no font has are reported through missing and left out. */
void para_layout(para_t *p, float w, float indent, lines_t *out, missing_fn missing, void *ctx);
void lines_free(lines_t *l);
/* The widest piece of the paragraph no line can break (its longest word, with a
   hyphen when hyphenated): the narrowest width it can be set to with words_only. */
float para_min_width(para_t *p);
/* Releases what the engine keeps between paragraphs (ICU's line breaker) and
   the hyphenation patterns. */
void para_release(void);
/* Releases what this thread's paragraphs kept (a second typesetting thread's,
   before it ends: the patterns are the process's). */
void para_release_thread(void);

/* Exposed for tests: whether a line may break before character i of the
   paragraph's characters (after para_layout's analysis). */
bool para_can_break_before(const para_t *p, size_t i);
/* A full-width mark that may not start a line (，。）」… : clreq's rule 1). */
bool para_cjk_no_start(uint32_t cp);
size_t para_length(const para_t *p);
/* Exposed for tests: whether a hyphen may follow character i; whether an
   ambiguous character (’ “ ” — …) at i is set as Latin. */
bool para_can_hyphenate_after(const para_t *p, size_t i);
bool para_is_latin(const para_t *p, size_t i);

#endif
