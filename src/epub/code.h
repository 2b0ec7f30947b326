#ifndef GHB_EPUB_CODE_H
#define GHB_EPUB_CODE_H
/* A fenced code block as XHTML: <pre><code class="language-x"> with each
   highlighted token in <span class="hl-keyword"> (classes in epub.css), line
   numbers as aria-hidden spans, and a Mermaid block's localised note. */
#include "../util/buf.h"

void epub_code_block(buf_t *out, const char *text, const char *info);

#endif
