#ifndef GHB_AUTOLINK_H
#define GHB_AUTOLINK_H
#include <cmark-gfm.h>
#include <stddef.h>

/* cmark-gfm's bare-URL autolinks run on into Chinese text ("（http://d2l.ai）一书"
   becomes one link). This ends each bare URL before its first non-ASCII character,
   trims trailing punctuation as GFM does, and turns the rest back into text (and
   into further links where it holds more bare URLs). src is the chapter source,
   used to tell bare URLs from written links. Returns how many links it changed. */
int autolink_fix(cmark_node *doc, const char *src, size_t len, const size_t *line_off, int n_lines);

/* "[text]((http://x))", the address written in parentheses of its own (GitHub and
   browsers read "(http://x)", a relative path): the link goes to http://x
   (linux-insides-zh, four times). Only a whole URL with a scheme is unwrapped. */
void autolink_unwrap_parens(cmark_node *doc);

/* Length of the bare URL starting at s (n bytes), 0 when none starts there.
   Stops at the first non-ASCII byte, whitespace or '<', then trims GFM's trailing
   punctuation and unbalanced ')'. Exposed for tests. */
size_t autolink_scan(const char *s, size_t n);

#endif
