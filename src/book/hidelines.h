#ifndef GHB_HIDELINES_H
#define GHB_HIDELINES_H
#include <cmark-gfm.h>

/* Removes mdBook's hidden lines from Rust code blocks, as mdBook shows them:
   a line that is "#" alone or starts with "# " (after indentation) is hidden;
   "##" at a line start stands for a literal "#". Blocks tagged "rust" (or with
   a Rust attribute such as "ignore" or "no_run") are Rust; untagged blocks
   are left alone (a shell comment "# x" is not a hidden line).
   Other languages, as mdBook 0.4.36 does: a block's `hidelines=PREFIX`
   attribute, or book.toml's [output.html.code.hidelines] (hide: "lang\tprefix\n"
   lines, or NULL), hides every line whose text (after indentation) starts
   with the prefix. */
void hidelines_remove(cmark_node *doc, const char *hide);

#endif
