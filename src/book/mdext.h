#ifndef GHB_MDEXT_H
#define GHB_MDEXT_H
/* Markdown people expect that cmark-gfm does not do (#10), one loader pass:
   gemoji shortcodes (:rocket: -> the emoji, table in gemoji.tsv), definition
   lists (Term, then ": definition") as the dl/dt/dd custom nodes rawhtml.c
   makes, smart punctuation in Latin-script books (-- –, --- —, ... …, curly
   quotes; never in code, never next to Han text), heading ids {#id} (an anchor the
   index takes), and Mermaid blocks, kept as code after a visible line. */
#include "words.h"
#include <cmark-gfm.h>

typedef struct {
    int mermaid;               /* Mermaid blocks found */
    cmark_node *first_mermaid; /* the first, for the book's one warning */
} mdext_result_t;

void mdext_pass(cmark_node *doc, lang_kind lang, mdext_result_t *out);
/* The emoji of a gemoji name ("rocket"), or NULL. */
const char *gemoji_lookup(const char *name, size_t len);
void gemoji_release(void);
/* s with its shortcodes as emoji (":pencil2: 算法" is "✏️ 算法"), for a title
   read outside the chapter pass. */
char *gemoji_expand(const char *s);

#endif
