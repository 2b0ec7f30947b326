#ifndef GHB_HTMLNODE_H
#define GHB_HTMLNODE_H
/* How the PDF sets the custom nodes src/book/rawhtml.c makes from raw HTML. */
#include "para.h"
#include <cmark-gfm.h>

/* The style inside a custom inline node (<sub>, <sup>, <kbd>, <s>, <small>, <mark>,
   <rt>, and a <span style> or <font color>'s colour, underline and strike-through).
   Returns HTML_BOLD | HTML_ITALIC when the node asks for them (the caller knows
   the roles). */
#define HTML_BOLD 1
#define HTML_ITALIC 2
int html_inline_style(cmark_node *n, pstyle_t *st);

typedef enum { HB_PLAIN, HB_CENTER, HB_TERM, HB_DEFINITION, HB_CAPTION, HB_FIGURE } html_block_kind;
/* What a custom block node is to the layout. */
html_block_kind html_block_kind_of(cmark_node *n);

/* Ruby (<ruby>汉<rt>hàn</rt></ruby>): each base with its reading becomes one
   unbreakable object in p, as wide as the wider of the two; html_ruby_line
   then puts the base on the baseline and the reading above it, centred, at
   half size. Objects are numbered from HTML_RUBY_ID0 (formulas use ids from 0). */
#define HTML_RUBY_ID0 0x40000000
bool html_is_ruby(cmark_node *n);
/* A raw-HTML <table> (custom node): set by table.c. */
bool html_is_table(cmark_node *n);
void html_ruby(para_t *p, fontset_t *fs, cmark_node *ruby, pstyle_t st, bool latin);
/* Replaces the ruby objects of a laid-out line with their glyphs. */
void html_ruby_line(line_t *ln);
/* Forgets every ruby (after a typesetting pass). */
void html_ruby_release(void);

#endif
