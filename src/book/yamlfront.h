#ifndef GHB_YAMLFRONT_H
#define GHB_YAMLFRONT_H
#include <stddef.h>

/* A chapter that opens with a YAML metadata block (Jekyll, Hugo, pandoc,
   HonKit, comprehensive-rust's "minutes: 10") is not text: mdBook's own
   output would show it as a rule and a heading, but readers of every other
   tool never see it. The block's lines become empty lines in place, so line
   numbers in diagnostics stay true. A "---" line followed by a blank line,
   or by lines that are not "key: value", lists or comments, is a thematic
   break and stays. Returns whether a block was blanked. */
int yaml_front_blank(char *text, size_t len);

#endif
