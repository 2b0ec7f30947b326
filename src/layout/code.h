#ifndef GHB_CODE_H
#define GHB_CODE_H
/* Code blocks set as shaded, wrapped lines, highlighted by src/highlight
   (a colour and face per character from the print theme), with optional line
   numbers and console prompts set apart. Free of libharu. */
#include "style.h"
#include "para.h"
#include "vlist.h"
#include "../book/book.h"

/* The book's code blocks, highlighted on a thread of their own (code_prepare). */
typedef struct code_prep code_prep_t;

typedef struct {
    fontset_t *fs;
    const print_t *ps;
    int chapter;
    missing_fn missing; /* characters no font has */
    void *ctx;
    int para; /* the paragraph id its lines carry: the paginator splits a block
                 with at least two lines on each side (no widow, no orphan) */
    int tag;  /* the structure tag its text lines carry (stree.h TAG_OF), 0 none */
    /* the blocks code_prepare highlights, or NULL */
    code_prep_t *prep;
} code_env_t;

/* Appends the block's boxes to out at x, w wide. info is the fence's info
   string (language, `linenos`), or NULL. */
void code_set(vlist_t *out, const code_env_t *env, const char *text, const char *info, float x,
              float w);

/* Starts highlighting every code block of the book, in the order they are
   set, on a thread of its own while the caller typesets the prose (#10: the
   cost of highlighting leaves the typesetting's path). code_set lays a
   block out without its classes (they never move a glyph: code_set) and
   leaves its colours to code_finish. NULL when the theme is "none" or the
   book has no code. Highlighting all blocks in one pass also keeps the
   highlighter's tables and JIT code warm in the caches. */
code_prep_t *code_prepare(const book_t *b, fontset_t *fs, const print_t *ps);

/* Colours the blocks code_set left to it, in the order they were set,
   waiting for the thread where it has not finished them; frees p. Called
   once the book is set, before its lines are drawn. */
void code_finish(code_prep_t *p);
/* For a second typesetting thread (#14): a view of p whose code_set calls
   leave their blocks' colours to code_prep_join, which appends them to p's
   after p's own (so code_finish paints them in book order). The view only
   reads the blocks' texts. code_prep_drop frees a view whose work is thrown away. */
code_prep_t *code_prep_fork(const code_prep_t *p);
void code_prep_join(code_prep_t *p, code_prep_t *fork);
void code_prep_drop(code_prep_t *fork);

#endif
