#ifndef GHB_BOOK_FRONT_H
#define GHB_BOOK_FRONT_H
/* What the front matter says, one model for both backends: the lines of the
   title and copyright pages, and the contents list. The backends decide how it
   looks (src/pdf/front.c sets pages; src/epub/html.c writes the title page,
   src/epub/toc.c the nav and NCX); neither decides what is said. */
#include "book.h"
#include "words.h"
#include <stdbool.h>

typedef enum {
    FRONT_TITLE,
    FRONT_SUBTITLE,
    FRONT_AUTHOR,
    FRONT_SOURCE,      /* the original's address: text names it (its URL when unnamed) */
    FRONT_AUTHOR_LINK, /* text: the link's name, url */
    FRONT_EDITION,     /* text: the version (or NULL); date: as it should read (or NULL);
                          url: the version's page (or NULL) */
    FRONT_RIGHTS,
    FRONT_ISBN,    /* text: "ISBN 978-…", when the book's identifier is an ISBN */
    FRONT_IMPRINT, /* text: who typeset the book and when (generated words) */
} front_kind;

typedef struct {
    front_kind kind;
    const char *text; /* borrowed from the metadata, or owned by the model */
    const char *date;
    const char *url;
} front_line_t;

/* The lines in the copyright page's order: title, subtitle, author, source,
   author links, edition, rights, ISBN, imprint; a line the book has nothing
   for is left out. */
typedef struct {
    front_line_t *v;
    size_t n;
    lang_kind lang; /* the language of the generated words */
    char *owned[2]; /* the ISBN and imprint texts */
} front_matter_t;

void front_matter_build(const book_t *b, front_matter_t *fm);
void front_matter_free(front_matter_t *fm);
/* The first line of a kind, or NULL. */
const front_line_t *front_line(const front_matter_t *fm, front_kind kind);
/* The ISBN an identifier names ("urn:isbn:…", "isbn:…" or the bare number, 10
   or 13 digits with hyphens or spaces), without its prefix; caller frees.
   NULL when it is not an ISBN. */
char *front_isbn(const char *identifier);

/* One entry of the contents, in reading order. */
typedef struct {
    int depth;         /* 0 = a top-level chapter of SUMMARY.md; nested chapters and
                          headings are deeper (a backend may need to close gaps) */
    const char *label; /* borrowed from the book */
    int chapter;       /* where it leads: this chapter... */
    long anchor;       /* ...at this anchor (a heading), or -1: the chapter's start */
    bool part;         /* a SUMMARY.md part heading, just before its first chapter */
} contents_entry_t;

typedef struct {
    contents_entry_t *v;
    size_t n, cap;
} contents_t;

/* Parts, chapters (nested as in SUMMARY.md) and their headings down to
   max_level; a chapter's opening heading is the chapter's entry itself. */
void contents_build(const book_t *b, int max_level, contents_t *c);
void contents_free(contents_t *c);

#endif
