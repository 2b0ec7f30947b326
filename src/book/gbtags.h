#ifndef GHB_GBTAGS_H
#define GHB_GBTAGS_H
/* GitBook/HonKit template tags ({% name … %}, Nunjucks syntax) read as
   Markdown the rest of the loader knows: include.c finds a tag outside code
   and asks here what it stands for.
   - hint style=S … endhint: a pair of marker lines callout.c turns into a
     callout (info → note, success/tip → tip, warning, danger → caution);
   - include "path": the file's Markdown (include.c's include machinery);
   - raw … endraw: the text between, verbatim;
   - code title=T … endcode: a <Listing file-name=T> around the fence;
   - tabs/tab title=T: each tab in order, its title a bold paragraph;
   - embed url=U, file src=U, page-ref page=U: a link; content-ref, stepper,
     columns and their parts: only their content;
   - any other tag: left out with its content kept (the caller warns). */
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    GBT_TEXT,    /* replaced by text (possibly none) */
    GBT_BLOCK,   /* replaced by lines of their own (text), at the tag's indentation */
    GBT_INCLUDE, /* replaced by the file at arg */
    GBT_RAW,     /* the text up to {% endraw %} is kept verbatim */
    GBT_SET,     /* {% set arg = text %}: a page variable, nothing printed */
    GBT_IF,      /* {% if arg %} or {% elif arg %} (name says which) */
    GBT_ELSE,    /* {% else %} */
    GBT_ENDIF    /* {% endif %} */
} gbtag_action;

typedef struct {
    size_t len; /* bytes of the tag, "{%" to "%}" */
    gbtag_action act;
    char *text;    /* GBT_TEXT, GBT_BLOCK: what stands for the tag */
    char *arg;     /* GBT_INCLUDE: the path */
    char *unknown; /* a tag nothing here knows: its name, for the warning */
    char name[16]; /* the tag's name (cut) */
} gbtag_t;

/* Whether s (n bytes, at "{%") opens a tag closed by "%}" on the same line;
   fills t (free with gbtag_free). */
bool gbtag_at(const char *s, size_t n, gbtag_t *t);
/* Where {% endraw %} starts in s (its offset) and how long it is; false when none. */
bool gbtag_endraw(const char *s, size_t n, size_t *at, size_t *tag_len);
/* From text[i], past the tag that ends the branch at this nesting ({% endif %},
   or with at_else {% else %}/{% elif %} too), counting the lines skipped. *end
   is that tag (its act GBT_ENDIF, GBT_ELSE or GBT_IF; free it); returns len when none. */
size_t gbtag_skip_branch(const char *text, size_t len, size_t i, int *line, bool at_else,
                         gbtag_t *end);
void gbtag_free(gbtag_t *t);

/* Template variables: book.json's `variables` as "book.NAME", and a page's
   {% set name = 'value' %}. The first value set for a name stays unless
   replace is given. */
typedef struct {
    char **name, **value;
    size_t n;
    bool nunjucks; /* a book.json book: an unset {{ name }} prints nothing */
} gbvars_t;
void gbvars_set(gbvars_t *v, const char *name, const char *value, bool replace);
/* The value of the n-byte name, or NULL. */
const char *gbvars_get(const gbvars_t *v, const char *name, size_t n);
void gbvars_copy(gbvars_t *dst, const gbvars_t *src);
void gbvars_free(gbvars_t *v);
/* Whether s (n bytes, at "{{") is a variable "{{ name }}" (a dotted name, no
   filters): returns its length (0 when not one) and the name's span. */
size_t gbvar_at(const char *s, size_t n, size_t *name_at, size_t *name_len);

/* An if's condition: 1 true, 0 false, -1 when it cannot be told here. It
   knows output.name ("ebook", what GitBook's PDF and EPUB builds see),
   variables, string literals, `==`, `!=`, `not` and a lone name's truth. */
int gbtag_eval(const char *cond, const gbvars_t *vars);

/* The marker lines a hint leaves for callout.c: "<!--ghb-callout STYLE-->",
 * "<!--ghb-callout-end-->". */
#define GBTAG_CALLOUT_OPEN "<!--ghb-callout "
#define GBTAG_CALLOUT_END "<!--ghb-callout-end-->"

#endif
