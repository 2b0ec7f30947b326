#ifndef GHB_HL_GRAMMAR_H
#define GHB_HL_GRAMMAR_H
/* A language compiled from GtkSourceView .lang files: a tree of contexts.
   Internal to src/highlight. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "../util/strmap.h"
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct gctx gctx_t;

/* The bytes a regex's match can start with (PCRE2's own start analysis), or
   none known (on false): a line holding none of them needs no search. */
typedef struct {
    bool on;
    uint64_t bits[4];
    /* no \G, \K or verb: a search's result depends only on where matches can
       start, so one search on a line answers every later one up to its match
       (the engine shares them between contexts) */
    bool pure;
} gfirst_t;
/* Fills f from re (NULL: no filter). */
void gfirst_of(const pcre2_code *re, gfirst_t *f);
typedef struct glang glang_t;
typedef struct grammar grammar_t;

/* A sub-pattern of a match, start or end with its own style. */
typedef struct {
    int group;  /* group number, or -1: by name */
    char *name; /* group name */
    bool at_end;
    int style;
} gsub_t;

/* One <include> entry: a context defined in place, or a reference. */
typedef struct {
    gctx_t *ctx;       /* defined in place, or NULL */
    char *ref;         /* "id", "lang:id", "lang:*", "id:*" */
    glang_t *from;     /* the language the reference was written in */
    bool ignore_style; /* the included context's own style is not used */
    bool original;     /* ignores <replace> */
} ginc_t;

/* A candidate while inside a context: a simple or container context. */
typedef struct {
    gctx_t *ctx;
    bool ignore_style;
} gcand_t;

/* One search for candidates [lo, hi) of a context. Several candidates share
   one regex, their alternation in order, each alternative ending in
   (*MARK:i): its leftmost match is the earliest any of them matches, and the
   mark names the first of them matching there, so a line costs one search
   per token instead of one per candidate. A candidate whose regex cannot sit
   in an alternation (numbered back-references, \G, \K, verbs) has its own. */
typedef struct {
    size_t lo, hi;
    pcre2_code *re;        /* shared (grammar.c) */
    bool once, first_line; /* its one candidate is once-only, first-line-only */
    gfirst_t first;
} gscan_t;

/* A dynamic end as made from one start's text, kept for the next start
   with the same text. */
typedef struct {
    char *src;
    pcre2_code *re;
} gdyn_t;

struct gctx {
    glang_t *lang;
    int style; /* hl_class, or -1 for none */
    bool style_inside, end_at_eol, extend_parent, end_parent, first_line_only, once_only;
    bool simple, container; /* has a <match> (or keywords), or a <start> */
    /* Regexes are compiled on first use (most of a language's universe never
       runs on a book): gctx_re and gctx_end. */
    /* src and end_src hold the text as written until gctx_expand (on first
       use: expanding every context of a language at load cost more than
       matching with the few a book uses) */
    bool expanded;
    char *src; /* the match or start, expanded */
    uint32_t src_flags;
    pcre2_code *re; /* src compiled; never matches when broken */
    gfirst_t first; /* of re */
    char *end_src;  /* the end, expanded */
    uint32_t end_flags;
    bool has_end, end_dynamic; /* dynamic: refers to the start's groups */
    pcre2_code *end;           /* end_src compiled (not when dynamic) */
    gfirst_t end_first;
    bool re_done, end_done;
    gdyn_t *dyn; /* dynamic ends made, by their text (a few: quotes, heredoc words) */
    size_t n_dyn;
    gsub_t *subs;
    size_t n_subs;
    ginc_t *incs;
    size_t n_incs;
    gcand_t *cands; /* flattened includes, made on first use */
    size_t n_cands;
    bool flattened, flattening;
    gscan_t *scans; /* the searches over cands, made on first use */
    size_t n_scans;
    bool scanned;
};

struct glang {
    char *id;
    strmap_t styles; /* style id -> index in style_map */
    char **style_map;
    size_t n_style;
    strmap_t regexes; /* define-regex id -> index */
    char **regex_src;
    uint32_t *regex_flags;
    size_t n_regex;
    strmap_t ctxs; /* context id -> index in all */
    gctx_t **all;
    size_t n_all, cap_all;
    uint32_t default_flags;
    char *kw_class; /* keyword-char-class, or NULL for \b */
    char *main_id;
    grammar_t *g; /* the grammar it was loaded for (expansions load more) */
};

/* Every language one highlighted language needs, with the <replace>s among
   them (a language's universe, compiled once). */
struct grammar {
    glang_t **langs;
    size_t n_langs;
    strmap_t replace; /* "lang:id" -> index into replace_to */
    char **replace_to;
    size_t n_replace;
    gctx_t *main;
};

grammar_t *grammar_load(const char *lang_id);
void grammar_free(grammar_t *g);
/* The candidates inside ctx (flattening its includes on first use). */
const gcand_t *gctx_cands(grammar_t *g, gctx_t *ctx, size_t *n);
/* Expands ctx's match, start and end (definitions, keyword boundaries) on
   first call. */
void gctx_expand(gctx_t *ctx);
/* ctx's match or start regex, compiled on first call. */
pcre2_code *gctx_re(gctx_t *ctx);
/* ctx's end regex, compiled on first call; NULL when none or dynamic. */
pcre2_code *gctx_end(gctx_t *ctx);
/* The searches over ctx's candidates, in order (made on first use). */
const gscan_t *gctx_scans(grammar_t *g, gctx_t *ctx, size_t *n);
/* Classes text byte by byte (see hl_highlight). */
void grammar_run(grammar_t *g, const char *text, size_t len, unsigned char *cls);
/* Frees what grammar_run keeps between runs. */
void grammar_run_release(void);
/* Forgets the folder's index of language files and the shared compiled regexes. */
void grammar_release_index(void);
/* Compiles pattern with PCRE2 (UTF, invalid UTF allowed); NULL on error. */
pcre2_code *grammar_compile(const char *pattern, uint32_t flags);

#endif
