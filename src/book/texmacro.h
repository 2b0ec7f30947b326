#ifndef GHB_TEXMACRO_H
#define GHB_TEXMACRO_H
/* A book's own TeX macros: mdbook-katex's macros file ([preprocessor.katex]
   macros = "macros.txt" in book.toml), one "\name:expansion" a line (other
   lines are comments). The math pass expands them before parsing, so both
   backends see plain TeX; #1..#9 in an expansion take the macro's arguments,
   and a book's macro overrides a command of the same name (KaTeX's rule). */
#include "../util/diag.h"

typedef struct texmacros texmacros_t;

/* The macros of the file at path (display in diagnostics), or NULL with a
   warning when it cannot be read. */
texmacros_t *texmacros_load(const char *path, const char *display, diags_t *d);
/* tex with every macro expanded, or NULL when it uses none (or expanding would
   run away: a macro that calls itself). Caller frees. */
char *texmacros_expand(const texmacros_t *m, const char *tex);
void texmacros_free(texmacros_t *m);

#endif
