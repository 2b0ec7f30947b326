#ifndef GHB_UNLISTED_H
#define GHB_UNLISTED_H
/* A book with no contents file is its README and the files the README links;
   the folder's other Markdown files are left out, and said to be (unlisted.c). */
#include "book.h"
#include "summary.h"

/* Warns once, at the README, how many Markdown files under the book folder
   the contents s do not name (hidden folders, node_modules and _book aside). */
void unlisted_warn(book_t *b, const summary_t *s, const char *readme);

#endif
