#ifndef GHB_CALLOUT_H
#define GHB_CALLOUT_H
/* Callouts in the book model: GitHub alerts (a block quote opening with
   [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION]) and mdbook-admonish
   blocks (```admonish note) become one CMARK_NODE_CUSTOM_BLOCK whose on_enter
   is "callout KIND" and on_exit the title ("" for the book's word), holding
   the callout's blocks. Both backends read that node. */
#include <cmark-gfm.h>

typedef enum {
    CALLOUT_NOTE,
    CALLOUT_TIP,
    CALLOUT_IMPORTANT,
    CALLOUT_WARNING,
    CALLOUT_CAUTION
} callout_kind;

/* Rewrites the chapter's alerts and admonish blocks; returns how many. */
int callout_pass(cmark_node *doc);
/* The kind of a callout node, or -1 when n is not one. */
int callout_kind_of(cmark_node *n);
/* "note", "tip", ... */
const char *callout_name(callout_kind k);

#endif
