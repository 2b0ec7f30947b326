#ifndef GHB_FIGURE_H
#define GHB_FIGURE_H
/* Figures (#10): an image alone in a paragraph becomes a numbered figure, a
   custom block <figure class="figure"> holding the paragraph and a
   <figcaption> "图 2-1 caption" / "Figure 2.1 caption" (caption from the
   image's title, else its alt text), numbered per chapter. */
#include "words.h"
#include <cmark-gfm.h>

/* chapter is the chapter's ordinal from 1; returns how many figures. */
int figure_pass(cmark_node *doc, lang_kind lang, int chapter);

#endif
