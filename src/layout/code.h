#ifndef GHB_CODE_H
#define GHB_CODE_H
/* Code blocks set as shaded, wrapped lines, highlighted by src/highlight
   (a colour and face per character from the print theme), with optional line
   numbers and console prompts set apart. Free of libharu. */
#include "style.h"
#include "para.h"
#include "vlist.h"
#include "../book/book.h"

typedef struct {
    fontset_t *fs;
    const print_t *ps;
    int chapter;
    missing_fn missing; /* characters no font has */
    void *ctx;
    int para; /* the paragraph id its lines carry: the paginator splits a block
                 with at least two lines on each side (no widow, no orphan) */
    int tag;  /* the structure tag its text lines carry (stree.h TAG_OF), 0 none */
} code_env_t;

/* Appends the block's boxes to out at x, w wide. info is the fence's info
   string (language, `linenos`), or NULL. */
void code_set(vlist_t *out, const code_env_t *env, const char *text, const char *info, float x,
              float w);

/* Highlights every code block of the book at once (kept for code_set):
   the highlighter's tables and JIT code stay warm in the caches. */
void code_prepare(const book_t *b, const print_t *ps);

#endif
