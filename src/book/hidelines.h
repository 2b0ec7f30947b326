#ifndef GHB_HIDELINES_H
#define GHB_HIDELINES_H
#include <cmark-gfm.h>

/* Removes mdBook's hidden lines from Rust code blocks, as mdBook shows them:
   a line that is "#" alone or starts with "# " (after indentation) is hidden;
   "##" at a line start stands for a literal "#". Blocks tagged "rust" (or with
   a Rust attribute such as "ignore" or "no_run") are Rust; untagged blocks
   are left alone (a shell comment "# x" is not a hidden line). */
void hidelines_remove(cmark_node *doc);

#endif
