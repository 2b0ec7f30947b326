#ifndef GHB_CONFIG_H
#define GHB_CONFIG_H
/* The other tools' book configurations: mdBook's book.toml, GitBook/HonKit's
   book.json and docsify's index.html. Each fills only what book.yaml left unset. */
#include "book.h"
#include "gbtags.h"
#include "../util/buf.h"

/* Joins several authors until the language picks its separator (meta_finish). */
#define AUTHOR_SEP "\x1f"

typedef enum { CONFIG_NONE, CONFIG_MDBOOK, CONFIG_GITBOOK, CONFIG_DOCSIFY } config_kind;

typedef struct {
    config_kind kind;
    char *src;     /* the content folder, relative to the project (book.toml src, book.json root) */
    char *summary; /* the contents file's name (book.json structure.summary, docsify loadSidebar) */
    bool summary_links_local; /* its links are relative to its own folder (docsify-to-pdf) */
    char *readme;             /* book.json structure.readme */
    char *glossary;           /* book.json structure.glossary */
    gbvars_t vars;            /* book.json variables, as book.NAME */
    char *name;               /* docsify's name */
    char *katex_macros;       /* book.toml [preprocessor.katex] macros: a file of the project */
    buf_t hidelines;          /* book.toml [output.html.code.hidelines]: "lang\tprefix\n" lines */
} book_config_t;

/* [book] of book.toml: title, all authors, language, description, src. Other
   tables are ignored. Returns -1 (with an error) when the file cannot be read. */
int config_read_toml(meta_t *m, book_config_t *cfg, const char *path, diags_t *d);
/* book.json: title, author, description, language (zh-hans -> zh-CN), isbn,
   root, structure. Returns -1 (with an error) when unreadable or not JSON. */
int config_read_json(meta_t *m, book_config_t *cfg, const char *path, diags_t *d);
/* docsify: window.$docsify's name and loadSidebar in dir/index.html, or a _sidebar.md. */
void config_read_docsify(meta_t *m, book_config_t *cfg, const char *dir);
/* A GitBook language name as a language tag: zh, zh-hans, zh-cn are zh-CN,
   zh-hant, zh-tw zh-TW; others as given. Takes v (may be NULL). */
char *config_gitbook_lang(char *v);
void config_free(book_config_t *cfg);

#endif
