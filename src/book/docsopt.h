#ifndef GHB_DOCSOPT_H
#define GHB_DOCSOPT_H
/* docsify's options in a link's or picture's title ("![](a.png ':size=650')",
   "[x](y.md ':include')"): they tell the site how to show the target and are no
   title, so a caption or tooltip must not print them. */
#include "book.h"

/* Strips the options from every link and image title of a chapter and warns
   about remote ':include's, which stay links (the book fetches no pages). */
void docsopt_pass(book_t *b, int chapter);
/* Removes docsify options from title in place; true when one was ':include'. */
bool docsopt_strip(char *title);

#endif
