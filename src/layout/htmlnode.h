#ifndef GHB_HTMLNODE_H
#define GHB_HTMLNODE_H
/* How the PDF sets the custom nodes src/book/rawhtml.c makes from raw HTML. */
#include "para.h"
#include <cmark-gfm.h>

/* The style inside a custom inline node (<sub>, <sup>, <kbd>, <s>, <small>, <mark>, <rt>). */
void html_inline_style(cmark_node *n, pstyle_t *st);

typedef enum { HB_PLAIN, HB_CENTER, HB_TERM, HB_DEFINITION, HB_CAPTION, HB_FIGURE } html_block_kind;
/* What a custom block node is to the layout. */
html_block_kind html_block_kind_of(cmark_node *n);

#endif
