/* The public face of the highlighter: language names and aliases, the cache
   of compiled languages, console sessions, and the print themes. */
#include "hl.h"
#include "grammar.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

static const char *const class_names[HL_COUNT] = {
    "plain",    "keyword",  "type",    "string",   "comment",  "number",
    "function", "operator", "preproc", "constant", "variable", "builtin",
    "prompt",   "command",  "heading", "inserted", "deleted",
};

const char *hl_class_name(hl_class c) {
    return c < HL_COUNT ? class_names[c] : "plain";
}

/* Names people write after ``` that are not GtkSourceView ids. Languages with
   no definition of their own borrow a close relative (docs/DECISIONS.md). */
static const char *const aliases[][2] = {
    {"js", "js"},
    {"mjs", "js"},
    {"cjs", "js"},
    {"node", "js"},
    {"javascript", "js"},
    {"protobuf", "proto"},
    {"ts", "typescript"},
    {"tsx", "typescript-jsx"},
    {"sh", "sh"},
    {"bash", "sh"},
    {"shell", "sh"},
    {"zsh", "sh"},
    {"ksh", "sh"},
    {"shell-session", "console"},
    {"shellsession", "console"},
    {"sh-session", "console"},
    {"terminal", "console"},
    {"yml", "yaml"},
    {"c++", "cpp"},
    {"cc", "cpp"},
    {"cxx", "cpp"},
    {"hpp", "cpp"},
    {"h", "c"},
    {"rs", "rust"},
    {"py", "python3"},
    {"python", "python3"},
    {"py3", "python3"},
    {"python2", "python"},
    {"rb", "ruby"},
    {"golang", "go"},
    {"kt", "kotlin"},
    {"kts", "kotlin"},
    {"ps1", "powershell"},
    {"ps", "powershell"},
    {"pwsh", "powershell"},
    {"htm", "html"},
    {"xhtml", "html"},
    {"svg", "xml"},
    {"dockerfile", "docker"},
    {"containerfile", "docker"},
    {"make", "makefile"},
    {"mk", "makefile"},
    {"md", "markdown"},
    {"tex", "latex"},
    {"hs", "haskell"},
    {"proto", "proto"},
    {"graphql", "python3"},
    {"gql", "python3"},
    {"nginx", "sh"},
    {"cs", "c-sharp"},
    {"c#", "c-sharp"},
    {"objective-c", "objc"},
    {"jsonc", "json"},
    {"json5", "json"},
    {"cfg", "ini"},
    {"conf", "ini"},
    {"sass", "scss"},
    {"patch", "diff"},
    {"mysql", "sql"},
    {"postgresql", "sql"},
    {"postgres", "sql"},
    {"psql", "sql"},
    {"sqlite", "sql"},
    {"bat", "dosbatch"},
    {"cmd", "dosbatch"},
    {"batch", "dosbatch"},
    {"vb", "vbnet"},
    {"csharp", "c-sharp"},
    {"f#", "fsharp"},
    {"fs", "fsharp"},
    {"ml", "ocaml"},
    {"lisp", "commonlisp"},
    {"elisp", "commonlisp"},
    {"jl", "julia"},
    {"pl", "perl"},
    {"tf", "terraform"},
    {"hcl", "terraform"},
    {"gradle", "gradle"},
    {"groovy", "groovy"},
    {"erl", "erlang"},
    {"m", "objc"},
    {"cu", "cuda"},
    {"glsl", "glsl"},
    {"dot", "dot"},
    {"graphviz", "dot"},
    {"pas", "pascal"},
    {"delphi", "pascal"},
    {"sol", "solidity"},
    {"v", "verilog"},
    {"sv", "systemverilog"},
    {"vhd", "vhdl"},
    {"rst", "rst"},
    {"adoc", "asciidoc"},
    {"asciidoc", "asciidoc"},
    {"meson", "meson"},
    {"cmake", "cmake"},
    {"jinja", "twig"},
    {"jinja2", "twig"},
    {"j2", "twig"},
    {"scm", "scheme"},
    {"racket", "scheme"},
    {"exs", "ruby"},
};

/* Not languages: text set as it is. */
static const char *const plain_names[] = {"text",   "txt", "plain",   "plaintext", "none",
                                          "output", "log", "mermaid", NULL};

static const char *known_id(const char *id);

bool hl_linenos(const char *info) {
    return info && strstr(info, "linenos") != NULL;
}

static const char *language(const char *info, bool *linenos) {
    if (linenos) *linenos = hl_linenos(info);
    if (!info) return NULL;
    while (*info == ' ' || *info == '{' || *info == '.')
        info++;
    char name[40];
    size_t n = 0;
    while (info[n] && !strchr(" \t,{}=", info[n]) && n < sizeof name - 1) {
        name[n] = (char)tolower((unsigned char)info[n]);
        n++;
    }
    name[n] = 0;
    if (!n) return NULL;
    for (size_t i = 0; plain_names[i]; i++)
        if (!strcmp(name, plain_names[i])) return NULL;
    if (!strcmp(name, "console")) return "console";
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (!strcmp(name, aliases[i][0]))
            return !strcmp(aliases[i][1], "console") ? "console" : aliases[i][1];
    /* a GtkSourceView id as it is ("rust", "go", "yaml") */
    return known_id(name);
}

/* ---------------------------------------------------------------- the cache */

typedef struct {
    char *id;
    grammar_t *g; /* NULL: could not be loaded (not tried again) */
} cached_t;

static void memo_free(void);
static cached_t *cache;
static size_t n_cache;

static const char *id_in_cache(const char *id) {
    for (size_t i = 0; i < n_cache; i++)
        if (!strcmp(cache[i].id, id)) return cache[i].id;
    return NULL;
}

static grammar_t *grammar_for(const char *id) {
    for (size_t i = 0; i < n_cache; i++)
        if (!strcmp(cache[i].id, id)) return cache[i].g;
    cache = xrealloc(cache, (n_cache + 1) * sizeof *cache);
    cache[n_cache].id = xstrdup(id);
    cache[n_cache].g = grammar_load(id);
    return cache[n_cache++].g;
}

static const char *known_id(const char *id) {
    if (!grammar_for(id)) return NULL;
    return cache[n_cache - 1].g && !strcmp(cache[n_cache - 1].id, id) ? cache[n_cache - 1].id
                                                                      : id_in_cache(id);
}

void hl_release(void) {
    hl_ahead_join();
    memo_free();
    for (size_t i = 0; i < n_cache; i++) {
        free(cache[i].id);
        grammar_free(cache[i].g);
    }
    free(cache);
    cache = NULL;
    n_cache = 0;
    grammar_release_index();
    grammar_run_release();
}

/* ---------------------------------------------------------------- console sessions */

/* "$ ", "# ", "% ", "> ", ">>> ", "PS C:\> ", "user@host:~/dir$ ": the prompt's length, or 0. */
static size_t prompt_len(const char *s, size_t n) {
    static pcre2_code *re;
    static pcre2_match_data *md;
    if (!re) {
        re = grammar_compile("^(?:\\([\\w.-]+\\)\\s*)?(?:[\\w.-]+@[\\w.-]+(?::[^\\s$#]*)?\\s*)?"
                             "(?:\\$|#|%|>>>|\\.\\.\\.|>|PS\\s[^>]*>)(?: |$)",
                             0);
        md = pcre2_match_data_create(4, NULL);
    }
    if (!re || pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) < 0) return 0;
    return pcre2_get_ovector_pointer(md)[1];
}

static void console(const char *text, size_t len, unsigned char *cls) {
    grammar_t *sh = grammar_for("sh");
    bool cont = false;
    for (size_t i = 0; i <= len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t p = cont ? 0 : prompt_len(text + i, e - i);
        if (p || cont) {
            memset(cls + i, HL_PROMPT, p);
            if (sh)
                grammar_run(sh, text + i + p, e - i - p, cls + i + p);
            else
                memset(cls + i + p, HL_PLAIN, e - i - p);
            for (size_t k = i + p; k < e; k++)
                if (cls[k] == HL_PLAIN) cls[k] = HL_COMMAND;
            cont = e > i && text[e - 1] == '\\';
        } else {
            memset(cls + i, HL_PLAIN, e - i); /* output */
        }
        if (e < len) cls[e] = HL_PLAIN;
        i = e + 1;
    }
}

/* The PDF typesets the book more than once (page references settle): each
   block's classes are kept for the run, keyed by its language and text. */
typedef struct {
    uint64_t hash;
    const char *lang;
    char *text;
    size_t len;
    unsigned char *cls;
} memo_t;
static memo_t *memo;
static size_t n_memo, cap_memo;

static uint64_t fnv(const char *lang, const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (const char *p = lang; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void memo_free(void) {
    for (size_t i = 0; i < n_memo; i++)
        free(memo[i].text), free(memo[i].cls);
    free(memo);
    memo = NULL;
    n_memo = cap_memo = 0;
}

static bool highlight_now(const char *lang, const char *text, size_t len, unsigned char *cls);

static bool highlight(const char *lang, const char *text, size_t len, unsigned char *cls) {
    memset(cls, HL_PLAIN, len);
    if (!lang) return false;
    uint64_t h = fnv(lang, text, len);
    for (size_t i = n_memo; i-- > 0;)
        if (memo[i].hash == h && memo[i].len == len && !strcmp(memo[i].lang, lang) &&
            !memcmp(memo[i].text, text, len)) {
            memcpy(cls, memo[i].cls, len);
            return true;
        }
    if (!highlight_now(lang, text, len, cls)) return false;
    XGROW(memo, cap_memo, n_memo);
    memo[n_memo++] = (memo_t){h, lang, xstrndup(text, len), len, xmalloc(len + 1)};
    memcpy(memo[n_memo - 1].cls, cls, len);
    return true;
}

/* The EPUB and the page list's layout (`epub` alone) highlight on two threads;
   the languages and the memo are shared, so one at a time. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

const char *hl_language(const char *info, bool *linenos) {
    pthread_mutex_lock(&lock);
    const char *id = language(info, linenos);
    pthread_mutex_unlock(&lock);
    return id;
}

bool hl_highlight(const char *lang, const char *text, size_t len, unsigned char *cls) {
    pthread_mutex_lock(&lock);
    bool ok = highlight(lang, text, len, cls);
    pthread_mutex_unlock(&lock);
    return ok;
}

static bool highlight_now(const char *lang, const char *text, size_t len, unsigned char *cls) {
    if (!strcmp(lang, "console")) {
        console(text, len, cls);
        return true;
    }
    grammar_t *g = grammar_for(lang);
    if (!g) return false;
    grammar_run(g, text, len, cls);
    return true;
}

/* ---------------------------------------------------------------- themes */

bool hl_theme(const char *name, hl_theme_t *t) {
    memset(t, 0, sizeof *t);
    if (!name || !strcmp(name, "print")) {
        /* dark enough to read when printed in black: each colour has a
           luminance under 30 %, and the face carries the main distinctions */
        static const uint32_t c[HL_COUNT] = {
            [HL_KEYWORD] = 0x1A3C8F,  [HL_TYPE] = 0x16605E,     [HL_STRING] = 0x2B6318,
            [HL_COMMENT] = 0x5E5E5E,  [HL_NUMBER] = 0x8A3A00,   [HL_FUNCTION] = 0x5A2A82,
            [HL_OPERATOR] = 0x333333, [HL_PREPROC] = 0x7A4B00,  [HL_CONSTANT] = 0x8A3A00,
            [HL_VARIABLE] = 0x20436B, [HL_BUILTIN] = 0x16605E,  [HL_PROMPT] = 0x8C8C8C,
            [HL_HEADING] = 0x1A3C8F,  [HL_INSERTED] = 0x1E5E1E, [HL_DELETED] = 0x8B1A1A,
        };
        memcpy(t->color, c, sizeof c);
    } else if (!strcmp(name, "grey") || !strcmp(name, "gray")) {
        t->color[HL_COMMENT] = 0x555555;
        t->color[HL_STRING] = 0x333333;
        t->color[HL_PROMPT] = 0x8C8C8C;
    } else if (!strcmp(name, "none")) {
        t->off = true;
        return true;
    } else {
        return false;
    }
    t->face[HL_KEYWORD] = t->face[HL_HEADING] = t->face[HL_COMMAND] = HL_FACE_BOLD;
    t->face[HL_PREPROC] = HL_FACE_BOLD;
    t->face[HL_COMMENT] = HL_FACE_ITALIC;
    return true;
}
