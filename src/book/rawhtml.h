#ifndef GHB_RAWHTML_H
#define GHB_RAWHTML_H
/* The one policy for raw HTML in Markdown (#10), a loader pass both backends
   read: HTML blocks are parsed (libxml2) and become model nodes — paragraphs,
   headings, lists, quotes, code, images, links, emphasis — and, for what
   Markdown has no node for, CMARK_NODE_CUSTOM_BLOCK / CUSTOM_INLINE nodes whose
   on_enter is the opening tag ("<sub>", "<div class=\"center\">", "<dl>") and
   on_exit the closing one. Inline tag pairs in paragraphs (H<sub>2</sub>O)
   become custom inline nodes; <br> a line break. script, style, iframe, forms
   and the other dropped elements (htmlscan.c) go with their content. What
   cannot be mapped (tables with spans, SVG) stays an HTML block. */
#include <cmark-gfm.h>
#include <stdbool.h>

int rawhtml_pass(cmark_node *doc);

/* The text an HTML block that stays raw shows where it cannot be drawn as HTML
   (the PDF): parsed as the EPUB's is, entities decoded, dropped elements and
   comments left out, a space around each block, cell and line break. Caller frees. */
char *rawhtml_text(const char *html);

/* The element name of a custom node's on_enter ("sub" for "<sub>"), in buf. */
const char *rawhtml_tag(cmark_node *n, char *buf, size_t size);
/* An attribute's value from a custom node's on_enter, or NULL; caller frees. */
char *rawhtml_attr(cmark_node *n, const char *attr);

#endif
