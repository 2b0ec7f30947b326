#include "config.h"
#include "meta.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* Authors are joined with AUTHOR_SEP until the language is known; meta_finish
   turns it into the language's own separator ("、" or ", "). */

static void set_once(char **dst, char *v) {
    if (!*dst && v && *v)
        *dst = v;
    else
        free(v);
}

/* ---------------------------------------------------------------- book.toml */

/* A TOML string at *p ("basic" with escapes, or 'literal'); advances *p. */
static char *toml_string(const char **p) {
    char q = **p;
    if (q != '"' && q != '\'') return NULL;
    (*p)++;
    buf_t b;
    buf_init(&b);
    while (**p && **p != q && **p != '\n') {
        char ch = *(*p)++;
        if (ch == '\\' && q == '"' && **p) {
            char e = *(*p)++;
            buf_putc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e);
        } else {
            buf_putc(&b, ch);
        }
    }
    if (**p == q) (*p)++;
    if (!b.data) buf_puts(&b, "");
    return buf_detach(&b);
}

static void skip_space(const char **p, bool newlines) {
    for (;;) {
        while (**p == ' ' || **p == '\t' || **p == '\r' || (newlines && **p == '\n'))
            (*p)++;
        if (newlines && **p == '#') { /* a comment inside a multi-line array */
            while (**p && **p != '\n')
                (*p)++;
            continue;
        }
        return;
    }
}

/* A value: a string, or an array of strings (which may span lines), joined with
   AUTHOR_SEP. Other values (numbers, booleans, tables) give NULL. */
static char *toml_value(const char **p) {
    skip_space(p, false);
    if (**p != '[') return toml_string(p);
    (*p)++;
    buf_t b;
    buf_init(&b);
    for (;;) {
        skip_space(p, true);
        if (**p == ']' || !**p) break;
        char *s = toml_string(p);
        if (!s) break;
        if (*s) {
            if (b.len) buf_puts(&b, AUTHOR_SEP);
            buf_puts(&b, s);
        }
        free(s);
        skip_space(p, true);
        if (**p == ',') (*p)++;
    }
    return b.data ? buf_detach(&b) : NULL;
}

/* mdBook preprocessors whose work ghb-book does itself (katex, admonish,
   alerts, mermaid: warned per block, the Rust book's <Listing>), or that change nothing a book's
   reader would miss on paper or in an e-reader (a page's table of contents or reading time, theme,
   links to GitHub, translation catalogues). */
static bool preprocessor_known(const char *name, size_t n) {
    static const char *const known[] = {"katex",      "admonish",     "alerts",       "mermaid",
                                        "links",      "index",        "toc",          "pagetoc",
                                        "open-on-gh", "catppuccin",   "theme",        "gettext",
                                        "i18n",       "reading-time", "last-changed", "linkcheck",
                                        "footnote",   "emojicodes",   "trpl-listing", "trpl-note"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i]) == n && strncmp(known[i], name, n) == 0) return true;
    return false;
}

/* "[preprocessor.NAME]" at p: warns once per table of a preprocessor that is
   not run here (what it writes into chapters, {{ … }} or else, is missing). */
static void check_preprocessor(const char *text, const char *p, const char *path, diags_t *d) {
    if (strncmp(p, "[preprocessor.", 14) != 0) return;
    const char *name = p + 14;
    size_t n = strcspn(name, "].\n");
    if (!n || name[n] != ']' || preprocessor_known(name, n)) return;
    int line = 1; /* counted here: a value may span lines (an array) */
    for (const char *c = text; c < p; c++)
        line += *c == '\n';
    diag_add(d, DIAG_WARNING, path, line, 1,
             "mdBook preprocessor '%.*s' is not run by ghb-book; what it writes into the "
             "chapters is missing (its {{#…}} directives are left out, each with a warning; "
             "other syntax of its stays as text)",
             (int)n, name);
}

/* One `lang = "prefix"` of [output.html.code.hidelines] into out. */
static void hide_entry(const char **p, buf_t *out) {
    char *lang = **p == '"' ? toml_string(p) : NULL;
    if (!lang) {
        const char *k = *p;
        while (**p && (isalnum((unsigned char)**p) || **p == '-' || **p == '_' || **p == '+'))
            (*p)++;
        lang = xstrndup(k, (size_t)(*p - k));
    }
    skip_space(p, false);
    char *prefix = **p == '=' ? ((*p)++, toml_value(p)) : NULL;
    if (*lang && prefix && *prefix && !strpbrk(lang, "\t\n") && !strpbrk(prefix, "\t\n"))
        buf_printf(out, "%s\t%s\n", lang, prefix);
    free(lang), free(prefix);
}

int config_read_toml(meta_t *m, book_config_t *cfg, const char *path, diags_t *d) {
    size_t len;
    int rc;
    char *text = meta_read_config(path, path, &len, d, &rc);
    if (!text) return rc;
    cfg->kind = CONFIG_MDBOOK;
    bool in_book = false, in_katex = false, in_hide = false;
    for (const char *p = text; *p;) {
        skip_space(&p, false);
        if (*p == '[') {
            check_preprocessor(text, p, path, d);
            /* [book] is read, and mdbook-katex's macros file; [output.*], the other
               [preprocessor.*], [rust], [build] are not ours */
            in_book = strncmp(p, "[book]", 6) == 0;
            in_katex = strncmp(p, "[preprocessor.katex]", 20) == 0;
            in_hide = strncmp(p, "[output.html.code.hidelines]", 28) == 0;
        } else if (in_hide && (isalnum((unsigned char)*p) || *p == '"')) {
            hide_entry(&p, &cfg->hidelines);
        } else if (in_katex && strncmp(p, "macros", 6) == 0) {
            p += 6;
            skip_space(&p, false);
            if (*p == '=') {
                p++;
                set_once(&cfg->katex_macros, toml_value(&p));
            }
        } else if (in_book && (isalpha((unsigned char)*p) || *p == '"')) {
            const char *k = p;
            while (*p && *p != '=' && *p != '\n' && *p != ' ' && *p != '\t')
                p++;
            char *key = xstrndup(k, (size_t)(p - k));
            skip_space(&p, false);
            if (*p == '=') {
                p++;
                char *v = toml_value(&p);
                if (strcmp(key, "title") == 0)
                    set_once(&m->title, v);
                else if (strcmp(key, "authors") == 0)
                    set_once(&m->author, v);
                else if (strcmp(key, "language") == 0)
                    set_once(&m->lang, v);
                else if (strcmp(key, "description") == 0)
                    set_once(&m->description, v);
                else if (strcmp(key, "src") == 0)
                    set_once(&cfg->src, v);
                else
                    free(v);
            }
            free(key);
        }
        while (*p && *p != '\n')
            p++;
        if (*p) p++;
    }
    free(text);
    return 0;
}

/* ---------------------------------------------------------------- book.json */

static yaml_node_t *jget(yaml_document_t *doc, yaml_node_t *map, const char *key) {
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static char *jstr(yaml_document_t *doc, yaml_node_t *map, const char *key) {
    yaml_node_t *v = jget(doc, map, key);
    if (v && v->type == YAML_SCALAR_NODE) return xstrdup((char *)v->data.scalar.value);
    if (!v || v->type != YAML_SEQUENCE_NODE) return NULL;
    buf_t b; /* an array of names */
    buf_init(&b);
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        yaml_node_t *it = yaml_document_get_node(doc, *i);
        if (!it || it->type != YAML_SCALAR_NODE) continue;
        if (b.len) buf_puts(&b, AUTHOR_SEP);
        buf_puts(&b, (char *)it->data.scalar.value);
    }
    return b.data ? buf_detach(&b) : NULL;
}

/* GitBook's language codes are lower case ("zh-hans", "zh-tw"): BCP 47 them. */
char *config_gitbook_lang(char *v) {
    if (!v) return NULL;
    if (strcasecmp(v, "zh-hans") == 0 || strcasecmp(v, "zh") == 0 || strcasecmp(v, "zh-cn") == 0) {
        free(v);
        return xstrdup("zh-CN");
    }
    if (strcasecmp(v, "zh-hant") == 0 || strcasecmp(v, "zh-tw") == 0) {
        free(v);
        return xstrdup("zh-TW");
    }
    return v;
}

/* book.json's "variables": {"version": "1.2"} is {{ book.version }} (scalars only). */
static void json_vars(yaml_document_t *doc, yaml_node_t *map, gbvars_t *v) {
    if (!map || map->type != YAML_MAPPING_NODE) return;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *val = yaml_document_get_node(doc, p->value);
        if (!k || !val || k->type != YAML_SCALAR_NODE || val->type != YAML_SCALAR_NODE) continue;
        buf_t name;
        buf_init(&name);
        buf_printf(&name, "book.%s", (char *)k->data.scalar.value);
        gbvars_set(v, name.data, (char *)val->data.scalar.value, false);
        buf_free(&name);
    }
}

int config_read_json(meta_t *m, book_config_t *cfg, const char *path, diags_t *d) {
    size_t len;
    int rc;
    char *text = meta_read_config(path, path, &len, d, &rc);
    if (!text) return rc;
    /* JSON is YAML flow style, except that YAML refuses tabs as indentation
       (JSON strings cannot hold a raw tab, so every tab is white space) */
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\t') text[i] = ' ';
    yaml_parser_t p;
    yaml_document_t doc;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    rc = 0;
    if (!yaml_parser_load(&p, &doc)) {
        diag_add(d, DIAG_ERROR, path, (int)p.problem_mark.line + 1, (int)p.problem_mark.column + 1,
                 "bad JSON: %s", p.problem ? p.problem : "syntax error");
        rc = -1;
    } else {
        cfg->kind = CONFIG_GITBOOK;
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        set_once(&m->title, jstr(&doc, root, "title"));
        set_once(&m->author, jstr(&doc, root, "author"));
        set_once(&m->description, jstr(&doc, root, "description"));
        set_once(&m->lang, config_gitbook_lang(jstr(&doc, root, "language")));
        char *isbn = jstr(&doc, root, "isbn");
        if (isbn && *isbn) {
            buf_t u;
            buf_init(&u);
            buf_printf(&u, "urn:isbn:%s", isbn);
            set_once(&m->identifier, buf_detach(&u));
        }
        free(isbn);
        set_once(&cfg->src, jstr(&doc, root, "root"));
        yaml_node_t *st = jget(&doc, root, "structure");
        set_once(&cfg->summary, jstr(&doc, st, "summary"));
        set_once(&cfg->readme, jstr(&doc, st, "readme"));
        set_once(&cfg->glossary, jstr(&doc, st, "glossary"));
        json_vars(&doc, jget(&doc, root, "variables"), &cfg->vars);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&p);
    free(text);
    return rc;
}

/* ---------------------------------------------------------------- docsify */

/* The string after `key:` (quoted with ' " or `) within the $docsify object text. */
static char *js_string_prop(const char *obj, const char *key) {
    size_t kl = strlen(key);
    for (const char *p = strstr(obj, key); p; p = strstr(p + 1, key)) {
        bool word_start = p == obj || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        const char *q = p + kl;
        if (*q == '"' || *q == '\'') q++;
        while (*q == ' ' || *q == '\t')
            q++;
        if (!word_start || *q != ':') continue;
        q++;
        while (isspace((unsigned char)*q))
            q++;
        char quote = *q;
        if (quote != '"' && quote != '\'' && quote != '`') return NULL;
        const char *e = strchr(q + 1, quote);
        return e ? xstrndup(q + 1, (size_t)(e - q - 1)) : NULL;
    }
    return NULL;
}

/* The first string of `contents:` in docsify-to-pdf's configuration
   (`contents: ['docs/_sidebar.md']`, an array or one string), or NULL. A
   line commented out with // is no setting. */
static char *pdf_contents(const char *js) {
    for (const char *p = strstr(js, "contents"); p; p = strstr(p + 1, "contents")) {
        const char *line = p;
        while (line > js && line[-1] != '\n')
            line--;
        const char *slashes = strstr(line, "//");
        if (slashes && slashes < p) continue;
        const char *q = p + 8;
        if (*q == '"' || *q == '\'') q++;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != ':') continue;
        for (q++; isspace((unsigned char)*q) || *q == '['; q++)
            ;
        char quote = *q;
        if (quote != '"' && quote != '\'' && quote != '`') return NULL;
        const char *e = strchr(q + 1, quote);
        return e && e > q + 1 ? xstrndup(q + 1, (size_t)(e - q - 1)) : NULL;
    }
    return NULL;
}

/* A docsify site whose sidebar file is missing (Microsoft's "for Beginners"
   courses set no loadSidebar: the site is the README's table of lessons) may
   name its printed book's contents for docsify-to-pdf: `contents` in
   docsifytopdf.js or .docsifytopdfrc.js/.json, a path from the site's folder
   whose links are relative to that file, as docsify-to-pdf reads them. */
static void docsify_pdf_contents(book_config_t *cfg, const char *dir) {
    char *sb = path_join(dir, cfg->summary);
    bool there = path_exists(sb);
    free(sb);
    if (there) return;
    static const char *const names[] = {".docsifytopdfrc.js", ".docsifytopdfrc.json",
                                        ".docsifytopdfrc", "docsifytopdf.js", NULL};
    for (size_t i = 0; names[i]; i++) {
        char *path = path_join(dir, names[i]), *js = read_file(path, NULL);
        char *contents = js ? pdf_contents(js) : NULL;
        char *file = contents ? path_normalize(contents) : NULL;
        char *full = file ? path_join(dir, file) : NULL;
        bool ok = full && path_exists(full) && path_inside(dir, full);
        if (ok) {
            free(cfg->summary);
            cfg->summary = xstrdup(file);
            cfg->summary_links_local = true;
        }
        free(path), free(js), free(contents), free(file), free(full);
        if (ok) return;
    }
}

void config_read_docsify(meta_t *m, book_config_t *cfg, const char *dir) {
    char *html_path = path_join(dir, "index.html");
    char *html = read_file(html_path, NULL);
    free(html_path);
    const char *obj = html ? strstr(html, "$docsify") : NULL;
    if (obj) {
        cfg->kind = CONFIG_DOCSIFY;
        /* the configuration object ends at its script's end */
        const char *end = strstr(obj, "</script>");
        char *js = end ? xstrndup(obj, (size_t)(end - obj)) : xstrdup(obj);
        set_once(&cfg->name, js_string_prop(js, "name"));
        char *sidebar = js_string_prop(js, "loadSidebar");
        set_once(&cfg->summary, sidebar);
        char *home = js_string_prop(js, "homepage"); /* a local file; a URL is not fetched */
        if (home && strstr(home, "://")) free(home), home = NULL;
        set_once(&cfg->readme, home);
        free(js);
    }
    char *sb = path_join(dir, "_sidebar.md");
    if (!obj && path_exists(sb)) cfg->kind = CONFIG_DOCSIFY;
    free(sb);
    if (cfg->kind == CONFIG_DOCSIFY && !cfg->summary) cfg->summary = xstrdup("_sidebar.md");
    if (cfg->kind == CONFIG_DOCSIFY) docsify_pdf_contents(cfg, dir);
    free(html);
    (void)m;
}

void config_free(book_config_t *cfg) {
    free(cfg->src), free(cfg->summary), free(cfg->readme), free(cfg->name);
    free(cfg->katex_macros), free(cfg->glossary);
    buf_free(&cfg->hidelines);
    gbvars_free(&cfg->vars);
    memset(cfg, 0, sizeof *cfg);
}
