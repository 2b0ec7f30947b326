#ifndef GHB_EPUB_PAGESLOT_H
#define GHB_EPUB_PAGESLOT_H
/* Page slots: a chapter written before its page map is known (`epub` alone
   lays the book out for the page list on another thread meanwhile). Every place
   where html.c would write page-break markers gets a placeholder instead, the
   processing instruction <?ghb-page K?>, which survives the XHTML pass; once the
   page map is there each one is replaced by the markers of the pages that start
   at that place, or by nothing. The result is the document written with the page
   map from the start, byte for byte, or the fill reports that it cannot be (then
   the chapter is written again). */
#include "../layout/pagemap.h"
#include "../util/buf.h"
#include <stdbool.h>

#define PAGESLOT_TARGET "ghb-page"

typedef struct {
    struct cmark_node *node; /* the block the slot stands before (NULL: the chapter's start) */
    bool end;                /* the chapter's end: every page not yet marked */
} pageslot_t;

typedef struct {
    pageslot_t *v;
    size_t n, cap;
} pageslots_t;

/* Writes slot n (the markers of the pages starting at block node; end: of all
   pages left) to out. */
void pageslot_put(pageslots_t *s, struct cmark_node *node, bool end, buf_t *out);
/* How many placeholders html holds: more than the slots written means the book's
   raw HTML wrote one of its own. */
size_t pageslot_count(const char *html, size_t len);
/* doc with each placeholder replaced by the markers of chapter ch's pages in
   pages (as html.c places them); false when the placeholders are not exactly
   slots 0, 1, ... in order (out is then unspecified). */
bool pageslot_fill(const pageslots_t *s, const pagemap_t *pages, int ch, const char *doc,
                   size_t len, buf_t *out);
void pageslot_free(pageslots_t *s);

#endif
