#ifndef GHB_SUMMARY_H
#define GHB_SUMMARY_H
#include "../util/diag.h"
#include <stddef.h>

/* One chapter named by SUMMARY.md, in reading order. */
typedef struct {
    char *path;  /* normalized, relative to the book folder */
    char *title; /* the link text */
    int depth;   /* list nesting, 0 for top level and prefix/suffix chapters */
    int line, col;
    char *part;      /* the part heading (# Part) this entry opens, or NULL */
    bool unnumbered; /* mdBook's prefix and suffix chapters, a README that opens the book */
} summary_entry_t;

typedef struct {
    char *title; /* the first level-1 heading, if any */
    summary_entry_t *v;
    size_t n, cap;
} summary_t;

/* Parses SUMMARY.md text (mdBook/GitBook conventions: prefix chapters, nested
   lists, part headings, separators, draft entries). Entries whose file is missing,
   outside root, repeated or looping are reported and left out. */
void summary_parse(summary_t *s, const char *text, size_t len, const char *root,
                   const char *display, diags_t *d);
/* As summary_parse, for a contents file whose links are relative to its own
   folder base (root-relative), as docsify-to-pdf reads its `contents` file. */
void summary_parse_in(summary_t *s, const char *text, size_t len, const char *root,
                      const char *base, const char *display, diags_t *d);
/* A README's lists as a table of contents: only links to local .md files count,
   anything else is skipped quietly. */
void summary_parse_readme(summary_t *s, const char *text, size_t len, const char *root,
                          const char *display, diags_t *d);
void summary_free(summary_t *s);

#endif
