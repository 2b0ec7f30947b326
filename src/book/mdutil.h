#ifndef GHB_MDUTIL_H
#define GHB_MDUTIL_H
#include "../util/buf.h"
#include "../util/url.h" /* url_decode */
#include <cmark-gfm.h>
#include <stdbool.h>

/* cmark-gfm with the extensions and options the whole program uses. */
cmark_node *md_parse(const char *text, size_t len);
/* The visible text under n (text, code, and spaces for breaks); caller frees. */
char *md_plain_text(cmark_node *n);
/* The visible text of first and the nodes after it, appended to out. hook, when
   not NULL, is asked first about every node: it writes the node's text itself
   and returns true (a formula's readable form), or returns false. */
typedef bool (*md_text_hook)(cmark_node *n, buf_t *out, void *ctx);
void md_plain_from(cmark_node *first, buf_t *out, md_text_hook hook, void *ctx);
/* Type tests for extension nodes, whose type constants the headers do not export. */
bool md_is(cmark_node *n, const char *type_string);

/* Inline nodes (text, links, emphasis...), as opposed to blocks. */
static inline bool md_is_inline(cmark_node *n) {
    return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

/* The nodes under root of one type that pred accepts (pred may be NULL), in
   document order, so a pass can change the tree after walking it (changing it
   while walking would disturb cmark's iterator). Caller frees *out. */
size_t md_collect(cmark_node *root, cmark_node_type type, bool (*pred)(cmark_node *, void *),
                  void *ctx, cmark_node ***out);

/* Inline nodes' literals may point into the buffer of the block they were parsed
   in (cmark-gfm's chunks): gives every node under root a copy of its own, so it
   outlives that block or document (figure.c, mdext.c move such nodes). */
void md_own_literals(cmark_node *root);

/* True when ref starts with a URI scheme ("https:", "mailto:"); a Windows
   drive ("C:\\", "C:/") is none. */
bool url_has_scheme(const char *ref);

typedef enum { REF_OK, REF_ESCAPES, REF_MISSING } ref_status;
/* Resolves a relative reference (already without #fragment) made from a file in
   folder from_dir (relative to root). On REF_OK and REF_MISSING *rel is the
   normalized path relative to root (caller frees); on REF_ESCAPES it is NULL. */
ref_status ref_resolve(const char *root, const char *from_dir, const char *ref, char **rel);

#endif
