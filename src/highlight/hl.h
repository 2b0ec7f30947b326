#ifndef GHB_HL_H
#define GHB_HL_H
/* Syntax highlighting from GtkSourceView 5 language definitions (.lang files
   read with libxml2, regexes run by PCRE2). Each language is compiled once per
   run, on first use, and kept until hl_release. Both backends ask here: the
   PDF gives each class a colour and face, the EPUB a CSS class. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    HL_PLAIN,
    HL_KEYWORD,
    HL_TYPE,
    HL_STRING,
    HL_COMMENT,
    HL_NUMBER,
    HL_FUNCTION,
    HL_OPERATOR,
    HL_PREPROC,
    HL_CONSTANT,
    HL_VARIABLE,
    HL_BUILTIN,
    HL_PROMPT,   /* a console prompt ($, #, >>>) */
    HL_COMMAND,  /* what follows a console prompt */
    HL_HEADING,  /* markup headings */
    HL_INSERTED, /* diff + lines */
    HL_DELETED,  /* diff - lines */
    HL_COUNT
} hl_class;

/* "keyword", "string", ...: the EPUB's class is "hl-" followed by this. */
const char *hl_class_name(hl_class c);

/* The language a fenced block's info string names ("rust,ignore", "{.py}",
   "console", "c++ linenos"), after aliases, as a GtkSourceView id, "console",
   or NULL for none/unknown (plain text). *linenos says whether the info
   string asks for line numbers. */
const char *hl_language(const char *info, bool *linenos);

/* Whether a fence's info string asks for line numbers ("c++ linenos"). */
bool hl_linenos(const char *info);

/* Classes text[0..len) byte by byte into cls (len bytes). Returns false, and
   fills cls with HL_PLAIN, when the language is unknown or its definition
   cannot be read; never fails otherwise. */
bool hl_highlight(const char *lang, const char *text, size_t len, unsigned char *cls);

/* The folder of .lang files: $GHB_LANG_DIR, else GtkSourceView 5's. */
const char *hl_lang_dir(void);

/* Frees every compiled language (at exit; the next call compiles again),
   after waiting for the highlighting ahead. */
void hl_release(void);
/* Highlighting ahead (ahead.c): blocks queued while the book is still being read
   are classed on a thread of its own, in order, into the classes kept for the
   run, so that the backends' own hl_highlight finds them done (#10: the parsing
   leaves the second core idle, which the typesetting no longer does). The first
   call starts the thread; hl_ahead_done says no more will come (the thread ends
   when it has classed them); hl_ahead_join waits for it and resets. */
void hl_ahead(const char *info, const char *text, size_t len);
void hl_ahead_done(void);
void hl_ahead_join(void);

/* A print theme: a colour (0xRRGGBB) and face per class. */
enum { HL_FACE_BOLD = 1, HL_FACE_ITALIC = 2 };
typedef struct {
    uint32_t color[HL_COUNT];
    uint8_t face[HL_COUNT];
    bool off; /* "none": code is set plain */
} hl_theme_t;

/* The named theme ("print", "grey", "none"); false when there is none by that name. */
bool hl_theme(const char *name, hl_theme_t *out);

#endif
