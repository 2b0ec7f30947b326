#ifndef GHB_INCLUDE_H
#define GHB_INCLUDE_H
#include "../util/diag.h"
#include "words.h"
#include "gbtags.h"
#include <stddef.h>

/* Where each line of an expanded chapter came from. */
typedef struct {
    int *file; /* index into files */
    int *line; /* 1-based line in that file */
    size_t n, cap;
    char **files; /* display paths; files[0] is the chapter itself */
    size_t n_files;
} linemap_t;

/* Expands mdBook's {{#include path}}, {{#include path:A:B}} and
   {{#include path:anchor}} directives, {{#rustdoc_include}} and {{#playground}}
   (the same, attributes ignored), drops {{#title}}, and prints \{{#...}} as
   written. Paths are relative to the including file, confined to root (the
   project). A missing or escaping file is a warning and leaves a visible
   placeholder in lang. Returns the expanded text (caller frees) and fills map.
   rel is the chapter's root-relative path. GitBook's template tags are read too
   (gbtags.h): content is the content folder (relative to root) that an
   include's "/path" starts from, vars the book's template variables (or NULL). */
char *include_expand(const char *root, const char *rel, const char *text, size_t len,
                     size_t *out_len, linemap_t *map, const char *display_root, diags_t *d,
                     lang_kind lang, const char *content, const gbvars_t *vars);
void linemap_free(linemap_t *m);

#endif
