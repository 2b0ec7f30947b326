#ifndef GHB_TAGS_H
#define GHB_TAGS_H
/* Tagged PDF (PDF/UA-1): marked content with MCIDs around what the drawer
   draws, artifacts around decoration, and at the end the structure tree
   (ordered as the content was drawn), the ParentTree, the catalog's and pages'
   entries and the XMP metadata. pdf.c calls these around its drawing; the
   glyph writer itself knows nothing of tags. */
#include "../book/book.h"
#include "../layout/vlist.h"
#include "output.h"
#include "../fonts/fontset.h"
#include <hpdf.h>
#include <stdbool.h>

typedef struct tags tags_t;

typedef enum { ART_LAYOUT, ART_HEADER, ART_FOOTER } artifact_t;

/* tree: the typesetter's structure (borrowed until tags_free); the structure
   tree is written to out as text objects; fs gives shaped clusters' text. */
tags_t *tags_new(HPDF_Doc pdf, pdfout_t *out, fontset_t *fs, const stree_t *tree, const book_t *b);
void tags_free(tags_t *t);

/* A page begins (every page, in order). */
void tags_page(tags_t *t, HPDF_Page pg);
/* What follows is front matter (toc: a contents page) or the body. */
void tags_front(tags_t *t, bool toc);
void tags_body(tags_t *t);

/* Everything between tags_artifact and tags_end is an artifact (nests). */
void tags_artifact(tags_t *t, HPDF_Page pg, artifact_t kind);
void tags_end(tags_t *t, HPDF_Page pg);

/* A drawing operation other than glyphs: tags_op_begin, draw it, tags_end. */
void tags_op_begin(tags_t *t, HPDF_Page pg, const op_t *o);

/* A line of glyphs: cut into runs by link, note mark and language, each run
   drawn by draw (with a line holding just that run, at the same x, y) inside
   its own marked content. */
typedef void (*tags_draw_fn)(void *ctx, HPDF_Page pg, const line_t *ln, float x, float y);
void tags_glyphs(tags_t *t, HPDF_Page pg, const op_t *o, float x, float y, tags_draw_fn draw,
                 void *ctx);

/* Glyphs whose ToUnicode entries do not give their text (fontembed_actual):
   tags_glyphs gives each such cluster a marked-content sequence of its own, a
   /Span with its MCID and ActualText, and draws it with tags_in_run true, when
   the drawer must not nest a span of its own (poppler 22.12 ends the MCID's
   text at a nested span's EMC). */
typedef size_t (*tags_actual_fn)(void *ctx, const line_t *ln, size_t i, size_t *end,
                                 const uint32_t **text);
void tags_set_actual(tags_t *t, tags_actual_fn fn, void *ctx);
bool tags_in_run(const tags_t *t);

/* The Link element glyph ln->g[i] was drawn in (on the current page), or -1. */
int tags_link(const tags_t *t, const line_t *ln, size_t i);
/* A link annotation, object num (output.h), made for that element on page pg
   after every page is drawn: records it for the tree (OBJR) and appends its
   /StructParent and /Contents (contents, or the link's own text when NULL) to
   the dictionary's text in o. Nothing when link is no element. */
void tags_annot(tags_t *t, HPDF_Page pg, unsigned num, int link, const char *contents, buf_t *o);

/* Writes the structure tree, ParentTree, /StructParents, /Tabs, the catalog's
   /MarkInfo /ViewerPreferences and the XMP metadata (xmp_extra: more
   properties inside its rdf:Description, may be NULL). */
void tags_finish(tags_t *t, const char *xmp_extra, bool ua);

/* Counts for tests and the report: structure elements written, MCIDs, content
   drawn with no element (should be 0). */
void tags_stats(const tags_t *t, size_t *elems, size_t *mcids, size_t *untagged);

#endif
