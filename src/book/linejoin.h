#ifndef GHB_LINEJOIN_H
#define GHB_LINEJOIN_H
#include <cmark-gfm.h>

/* A source line break between two CJK characters joins them with nothing: such
   soft breaks are removed from the tree. Every soft break left in the tree is a
   space to both backends. Returns how many were removed. */
int linejoin(cmark_node *doc);

#endif
