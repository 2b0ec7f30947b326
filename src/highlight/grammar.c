#include "grammar.h"
#include "hl.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* ---------------------------------------------------------------- the folder's index */

/* Language ids differ from file names (javascript-expressions.lang is
   "js-expr"): one scan of the folder maps ids to files. */
static strmap_t index_ids;
static char **index_paths;
static size_t index_n;
static bool index_done;
/* Guessed paths found, kept until grammar_release_index. */
static strmap_t guessed_ids;
static char **guessed;
static size_t n_guessed;
static bool guessed_init;

const char *hl_lang_dir(void) {
    const char *d = getenv("GHB_LANG_DIR");
    return d && *d ? d : "/usr/share/gtksourceview-5/language-specs";
}

/* The id in a .lang file's head, or NULL. */
static char *file_id(const char *path) {
    char head[4096];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head - 1, f) : 0;
    if (f) fclose(f);
    head[n] = 0;
    const char *p = strstr(head, "<language");
    p = p ? strstr(p, " id=\"") : NULL;
    if (!p) return NULL;
    p += 5;
    return xstrndup(p, strcspn(p, "\""));
}

static void index_build(void) {
    index_done = true;
    strmap_init(&index_ids);
    const char *dir = hl_lang_dir();
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".lang")) continue;
        buf_t path;
        buf_init(&path);
        buf_printf(&path, "%s/%s", dir, e->d_name);
        char *id = file_id(path.data);
        if (id) {
            index_paths = xrealloc(index_paths, (index_n + 1) * sizeof *index_paths);
            strmap_put(&index_ids, id, (long)index_n);
            index_paths[index_n++] = buf_detach(&path);
            free(id);
        }
        buf_free(&path);
    }
    closedir(d);
}

/* The file GtkSourceView names id's definition: id.lang, or the short words
   of the JavaScript parts spelled out (js-expr: javascript-expressions.lang). */
static void guess_name(const char *id, buf_t *out) {
    static const char *const words[][2] = {
        {"js", "javascript"}, {"expr", "expressions"}, {"fn", "functions-classes"},
        {"lit", "literals"},  {"mod", "modules"},      {"st", "statements"},
        {"val", "values"},    {"gen", "generics"},
    };
    for (const char *p = id; *p;) {
        size_t n = strcspn(p, "-");
        const char *w = NULL;
        for (size_t i = 0; i < sizeof words / sizeof *words && !w; i++)
            if (strlen(words[i][0]) == n && !strncmp(p, words[i][0], n) && (i || p == id))
                w = words[i][1];
        if (w)
            buf_puts(out, w);
        else
            buf_put(out, p, n);
        p += n;
        if (*p) buf_putc(out, *p++);
    }
}

/* id's file found without reading the folder (opening every file costs a
   millisecond), checked against the id it declares; NULL when not found. */
static char *guess_path(const char *id) {
    for (int k = 0; k < 2; k++) {
        buf_t path;
        buf_init(&path);
        buf_printf(&path, "%s/", hl_lang_dir());
        if (k)
            guess_name(id, &path);
        else
            buf_puts(&path, id);
        buf_puts(&path, ".lang");
        char *fid = file_id(path.data);
        bool ok = fid && !strcmp(fid, id);
        free(fid);
        if (ok) return buf_detach(&path);
        buf_free(&path);
    }
    return NULL;
}

static void shared_release(void);

void grammar_release_index(void) {
    shared_release();
    if (guessed_init) {
        for (size_t i = 0; i < n_guessed; i++)
            free(guessed[i]);
        free(guessed);
        guessed = NULL;
        n_guessed = 0;
        strmap_free(&guessed_ids);
        guessed_init = false;
    }
    if (!index_done) return;
    for (size_t i = 0; i < index_n; i++)
        free(index_paths[i]);
    free(index_paths);
    index_paths = NULL;
    index_n = 0;
    strmap_free(&index_ids);
    index_done = false;
}

static const char *lang_path(const char *id) {
    if (!index_done) {
        if (!guessed_init) strmap_init(&guessed_ids), guessed_init = true;
        long k = strmap_get(&guessed_ids, id);
        if (k >= 0) return guessed[k];
        char *p = guess_path(id);
        if (p) {
            guessed = xrealloc(guessed, (n_guessed + 1) * sizeof *guessed);
            strmap_put(&guessed_ids, id, (long)n_guessed);
            guessed[n_guessed++] = p;
            return p;
        }
        index_build();
    }
    long k = strmap_get(&index_ids, id);
    return k >= 0 ? index_paths[k] : NULL;
}

/* ---------------------------------------------------------------- styles */

static const struct {
    const char *id;
    hl_class c;
} def_styles[] = {
    {"comment", HL_COMMENT},
    {"shebang", HL_COMMENT},
    {"doc-comment", HL_COMMENT},
    {"doc-comment-element", HL_COMMENT},
    {"note", HL_COMMENT},
    {"constant", HL_CONSTANT},
    {"special-constant", HL_CONSTANT},
    {"boolean", HL_CONSTANT},
    {"character", HL_STRING},
    {"string", HL_STRING},
    {"special-char", HL_STRING},
    {"inline-code", HL_STRING},
    {"preformatted-section", HL_STRING},
    {"link-destination", HL_STRING},
    {"number", HL_NUMBER},
    {"floating-point", HL_NUMBER},
    {"decimal", HL_NUMBER},
    {"base-n-integer", HL_NUMBER},
    {"complex", HL_NUMBER},
    {"identifier", HL_VARIABLE},
    {"function", HL_FUNCTION},
    {"builtin", HL_BUILTIN},
    {"statement", HL_KEYWORD},
    {"keyword", HL_KEYWORD},
    {"operator", HL_OPERATOR},
    {"list-marker", HL_OPERATOR},
    {"link-symbol", HL_OPERATOR},
    {"type", HL_TYPE},
    {"preprocessor", HL_PREPROC},
    {"heading", HL_HEADING},
    {"heading0", HL_HEADING},
    {"heading1", HL_HEADING},
    {"heading2", HL_HEADING},
    {"heading3", HL_HEADING},
    {"heading4", HL_HEADING},
    {"heading5", HL_HEADING},
    {"heading6", HL_HEADING},
    {"insertion", HL_INSERTED},
    {"deletion", HL_DELETED},
};

static glang_t *lang_get(grammar_t *g, const char *id);

/* A style no theme entry maps (diff's "added-line"): a class from its name. */
static int guess_class(const char *id) {
    static const struct {
        const char *part;
        hl_class c;
    } guess[] = {
        {"added", HL_INSERTED},    {"removed", HL_DELETED},   {"changed", HL_PREPROC},
        {"location", HL_KEYWORD},  {"comment", HL_COMMENT},   {"string", HL_STRING},
        {"keyword", HL_KEYWORD},   {"type", HL_TYPE},         {"number", HL_NUMBER},
        {"function", HL_FUNCTION}, {"operator", HL_OPERATOR}, {"file", HL_TYPE},
    };
    for (size_t i = 0; i < sizeof guess / sizeof *guess; i++)
        if (strstr(id, guess[i].part)) return (int)guess[i].c;
    return -1;
}

static int style_class(grammar_t *g, glang_t *from, const char *ref, int depth) {
    if (!ref || depth > 12) return -1;
    const char *colon = strchr(ref, ':');
    char *lid = colon ? xstrndup(ref, (size_t)(colon - ref)) : xstrdup(from->id);
    const char *id = colon ? colon + 1 : ref;
    int r = -1;
    if (!strcmp(lid, "def")) {
        for (size_t i = 0; i < sizeof def_styles / sizeof *def_styles; i++)
            if (!strcmp(def_styles[i].id, id)) r = (int)def_styles[i].c;
    }
    if (r < 0) {
        glang_t *l = lang_get(g, lid);
        long k = l ? strmap_get(&l->styles, id) : -1;
        if (k >= 0 && l->style_map[k])
            r = style_class(g, l, l->style_map[k], depth + 1);
        else if (k >= 0)
            r = guess_class(id);
    }
    free(lid);
    return r;
}

/* ---------------------------------------------------------------- regexes */

pcre2_code *grammar_compile(const char *pattern, uint32_t flags) {
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   flags | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DUPNAMES,
                                   &err, &off, NULL);
    if (!re) {
        if (getenv("GHB_HL_DEBUG")) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            fprintf(stderr, "hl: %s at %zu in: %s\n", (char *)msg, (size_t)off, pattern);
        }
        return NULL;
    }
    /* no JIT here: most of a language's universe never runs on a given book,
       and JIT compiling it all cost more than the matching (engine.c compiles
       each regex on its first match) */
    return re;
}

/* Compiled regexes shared by their text and flags: GtkSourceView's
   definitions repeat themselves (JavaScript's 32 "up to the next
   non-space" ends, C's comment starts in every language built on it), and
   each copy would be compiled and JIT-compiled again. Owned here, freed by
   grammar_release_index. */
static strmap_t shared_ids;
static pcre2_code **shared;
static size_t n_shared, cap_shared;
static bool shared_init;

static pcre2_code *shared_compile(const char *pattern, uint32_t flags) {
    if (!shared_init) strmap_init(&shared_ids), shared_init = true;
    buf_t key;
    buf_init(&key);
    char head[16];
    snprintf(head, sizeof head, "%x:", (unsigned)flags);
    buf_puts(&key, head);
    buf_puts(&key, pattern);
    long k = strmap_get(&shared_ids, key.data);
    if (k < 0) {
        XGROW(shared, cap_shared, n_shared);
        shared[n_shared] = grammar_compile(pattern, flags);
        k = (long)n_shared++;
        strmap_put(&shared_ids, key.data, k);
    }
    buf_free(&key);
    return shared[k];
}

static void shared_release(void) {
    if (!shared_init) return;
    for (size_t i = 0; i < n_shared; i++)
        pcre2_code_free(shared[i]);
    free(shared);
    shared = NULL;
    n_shared = cap_shared = 0;
    strmap_free(&shared_ids);
    shared_init = false;
}

static void flag_group(buf_t *b, uint32_t flags) {
    buf_puts(b, "(?");
    if (flags & PCRE2_CASELESS) buf_putc(b, 'i');
    if (flags & PCRE2_EXTENDED) buf_putc(b, 'x');
    if (!(flags & PCRE2_CASELESS) || !(flags & PCRE2_EXTENDED)) buf_putc(b, '-');
    if (!(flags & PCRE2_CASELESS)) buf_putc(b, 'i');
    if (!(flags & PCRE2_EXTENDED)) buf_putc(b, 'x');
    buf_putc(b, ':');
}

/* Expands \%{id}, \%{lang:id}, \%[ and \%] (leaving \%{group@start} for the
   end regex to fill in at run time). */
static void expand(grammar_t *g, glang_t *l, const char *s, buf_t *out, int depth) {
    const char *kw = l->kw_class;
    while (*s) {
        if (s[0] != '\\' || !s[1]) { /* up to the next backslash at once */
            size_t n = strcspn(s + 1, "\\") + 1;
            buf_put(out, s, n);
            s += n;
            continue;
        }
        if (s[1] != '%') {
            buf_put(out, s, 2);
            s += 2;
            continue;
        }
        if (s[2] == '[' || s[2] == ']') {
            if (!kw)
                buf_puts(out, "\\b");
            else if (s[2] == '[')
                buf_printf(out, "(?<!%s)(?=%s)", kw, kw);
            else
                buf_printf(out, "(?<=%s)(?!%s)", kw, kw);
            s += 3;
            continue;
        }
        if (s[2] == '{') {
            const char *e = strchr(s + 3, '}');
            if (!e) {
                buf_puts(out, s);
                return;
            }
            char *name = xstrndup(s + 3, (size_t)(e - s - 3));
            if (strchr(name, '@')) {
                buf_put(out, s, (size_t)(e + 1 - s));
            } else {
                char *colon = strchr(name, ':');
                glang_t *rl = l;
                const char *id = name;
                if (colon) {
                    *colon = 0;
                    rl = lang_get(g, name);
                    id = colon + 1;
                }
                long k = rl ? strmap_get(&rl->regexes, id) : -1;
                if (k >= 0 && depth < 16) {
                    flag_group(out, rl->regex_flags[k]);
                    expand(g, rl, rl->regex_src[k], out, depth + 1);
                    /* a newline ends an extended body's last # comment */
                    buf_puts(out, rl->regex_flags[k] & PCRE2_EXTENDED ? "\n)" : ")");
                } else {
                    buf_puts(out, "(?!)"); /* an unknown name never matches */
                }
            }
            free(name);
            s = e + 1;
            continue;
        }
        buf_put(out, s, 2);
        s += 2;
    }
}

static uint32_t flags_of(xmlNode *n, uint32_t base) {
    xmlChar *cs = xmlGetProp(n, (const xmlChar *)"case-sensitive");
    xmlChar *ex = xmlGetProp(n, (const xmlChar *)"extended");
    if (cs) base = !strcmp((char *)cs, "false") ? base | PCRE2_CASELESS : base & ~PCRE2_CASELESS;
    if (ex) base = !strcmp((char *)ex, "true") ? base | PCRE2_EXTENDED : base & ~PCRE2_EXTENDED;
    xmlFree(cs);
    xmlFree(ex);
    return base;
}

/* src expanded in l (definitions, keyword boundaries). */
static char *expand_in(grammar_t *g, glang_t *l, const char *src) {
    buf_t b;
    buf_init(&b);
    expand(g, l, src, &b, 0);
    buf_putc(&b, 0);
    return buf_detach(&b);
}

void gctx_expand(gctx_t *c) {
    if (c->expanded) return;
    c->expanded = true;
    glang_t *l = c->lang;
    if (c->src) {
        char *t = c->src;
        c->src = expand_in(l->g, l, t);
        free(t);
    }
    if (c->end_src) {
        char *t = c->end_src;
        c->end_src = expand_in(l->g, l, t);
        c->end_dynamic = strstr(c->end_src, "@start}") != NULL;
        free(t);
    }
}

/* Whether a search for src from any place before its match finds that
   match (gfirst_t.pure): nothing ties it to where the search began. */
static bool pure(const char *src) {
    return src && !strstr(src, "\\G") && !strstr(src, "\\K") && !strstr(src, "(*");
}

pcre2_code *gctx_re(gctx_t *c) {
    gctx_expand(c);
    if (!c->re_done) {
        c->re_done = true;
        c->re = c->src ? shared_compile(c->src, c->src_flags) : NULL;
        if (!c->re) c->re = shared_compile("(?!)", 0); /* broken: never matches */
        gfirst_of(c->re, &c->first);
        c->first.pure = pure(c->src);
    }
    return c->re;
}

pcre2_code *gctx_end(gctx_t *c) {
    gctx_expand(c);
    if (!c->end_done) {
        c->end_done = true;
        if (c->end_src && !c->end_dynamic) c->end = shared_compile(c->end_src, c->end_flags);
        gfirst_of(c->end, &c->end_first);
        c->end_first.pure = pure(c->end_src);
    }
    return c->end;
}

/* ---------------------------------------------------------------- parsing */

static bool is(xmlNode *n, const char *name) {
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static char *prop(xmlNode *n, const char *name) {
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *r = v ? xstrdup((char *)v) : NULL;
    xmlFree(v);
    return r;
}

static bool prop_true(xmlNode *n, const char *name, bool dflt) {
    char *v = prop(n, name);
    bool r = v ? !strcmp(v, "true") : dflt;
    free(v);
    return r;
}

static char *text_of(xmlNode *n) {
    xmlChar *t = xmlNodeGetContent(n);
    char *r = xstrdup(t ? (char *)t : "");
    xmlFree(t);
    return r;
}

static char *qualify(glang_t *l, const char *id) {
    buf_t b;
    buf_init(&b);
    if (strchr(id, ':'))
        buf_puts(&b, id);
    else
        buf_printf(&b, "%s:%s", l->id, id);
    return buf_detach(&b);
}

static gctx_t *parse_ctx(grammar_t *g, glang_t *l, xmlNode *n);

static void parse_sub(grammar_t *g, glang_t *l, gctx_t *c, xmlNode *n) {
    char *sp = prop(n, "sub-pattern"), *where = prop(n, "where"), *st = prop(n, "style-ref");
    c->subs = xrealloc(c->subs, (c->n_subs + 1) * sizeof *c->subs);
    gsub_t *s = &c->subs[c->n_subs++];
    char *end;
    long num = strtol(sp, &end, 10);
    s->group = *sp && !*end ? (int)num : -1;
    s->name = s->group < 0 ? xstrdup(sp) : NULL;
    s->at_end = where && !strcmp(where, "end");
    s->style = style_class(g, l, st, 0);
    free(sp), free(where), free(st);
}

static void parse_includes(grammar_t *g, glang_t *l, gctx_t *c, xmlNode *inc) {
    for (xmlNode *k = inc->children; k; k = k->next) {
        if (!is(k, "context")) continue;
        xmlChar *sp = xmlGetProp(k, (const xmlChar *)"sub-pattern");
        if (sp) {
            xmlFree(sp);
            parse_sub(g, l, c, k);
            continue;
        }
        c->incs = xrealloc(c->incs, (c->n_incs + 1) * sizeof *c->incs);
        ginc_t *in = &c->incs[c->n_incs++];
        memset(in, 0, sizeof *in);
        in->from = l;
        in->ref = prop(k, "ref");
        in->ignore_style = prop_true(k, "ignore-style", false);
        in->original = prop_true(k, "original", false);
        if (!in->ref) in->ctx = parse_ctx(g, l, k);
    }
}

static void keywords(gctx_t *c, xmlNode *n, uint32_t flags) {
    buf_t b;
    buf_init(&b);
    char *prefix = NULL, *suffix = NULL;
    bool any = false;
    for (xmlNode *k = n->children; k; k = k->next) {
        if (is(k, "prefix")) free(prefix), prefix = text_of(k);
        if (is(k, "suffix")) free(suffix), suffix = text_of(k);
    }
    buf_puts(&b, prefix ? prefix : "\\%[");
    buf_puts(&b, "(?:");
    for (xmlNode *k = n->children; k; k = k->next) {
        if (!is(k, "keyword")) continue;
        char *t = text_of(k);
        if (any) buf_putc(&b, '|');
        buf_puts(&b, t);
        any = true;
        free(t);
    }
    buf_puts(&b, ")");
    buf_puts(&b, suffix ? suffix : "\\%]");
    buf_putc(&b, 0);
    if (any) {
        free(c->src);
        c->src = buf_detach(&b);
        c->src_flags = flags;
        c->simple = true, c->container = false;
    }
    free(prefix), free(suffix);
    buf_free(&b);
}

static gctx_t *parse_ctx(grammar_t *g, glang_t *l, xmlNode *n) {
    gctx_t *c = xcalloc(1, sizeof *c);
    c->lang = l;
    XGROW(l->all, l->cap_all, l->n_all);
    l->all[l->n_all++] = c;
    char *id = prop(n, "id"), *st = prop(n, "style-ref");
    if (id) strmap_put(&l->ctxs, id, (long)(l->n_all - 1));
    c->style = style_class(g, l, st, 0);
    c->style_inside = prop_true(n, "style-inside", false);
    c->end_at_eol = prop_true(n, "end-at-line-end", false);
    c->extend_parent = prop_true(n, "extend-parent", true);
    c->end_parent = prop_true(n, "end-parent", false);
    c->first_line_only = prop_true(n, "first-line-only", false);
    c->once_only = prop_true(n, "once-only", false);
    uint32_t flags = flags_of(n, l->default_flags);
    bool has_kw = false;
    for (xmlNode *k = n->children; k; k = k->next) {
        if (is(k, "match") || is(k, "start")) {
            char *t = text_of(k);
            free(c->src);
            c->src = t;
            c->src_flags = flags_of(k, flags);
            c->simple = is(k, "match"), c->container = !c->simple;
        } else if (is(k, "end")) {
            char *t = text_of(k);
            free(c->end_src);
            c->end_src = t;
            c->has_end = true;
            c->end_flags = flags_of(k, flags);
        } else if (is(k, "keyword")) {
            has_kw = true;
        } else if (is(k, "include")) {
            parse_includes(g, l, c, k);
        }
    }
    if (has_kw) keywords(c, n, flags);
    free(id), free(st);
    return c;
}

void gfirst_of(const pcre2_code *re, gfirst_t *f) {
    memset(f, 0, sizeof *f);
    uint32_t type = 0, unit = 0;
    const uint8_t *map = NULL;
    if (!re || pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0) return;
    if (type == 1 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 && unit < 0x80) {
        /* the info does not say whether the unit is caseless: take both cases */
        unsigned char u = (unsigned char)unit, lo = (unsigned char)tolower(u),
                      up = (unsigned char)toupper(u);
        f->bits[lo >> 6] |= 1ull << (lo & 63);
        f->bits[up >> 6] |= 1ull << (up & 63);
        f->on = true;
    } else if (type == 0 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &map) == 0 && map) {
        for (int b = 0; b < 256; b++)
            if (map[b / 8] & (1u << (b % 8))) f->bits[b >> 6] |= 1ull << (b & 63);
        f->on = true;
    }
}

static void parse_lang(grammar_t *g, glang_t *l, xmlNode *root) {
    for (xmlNode *n = root->children; n; n = n->next) {
        if (is(n, "styles")) {
            for (xmlNode *s = n->children; s; s = s->next) {
                if (!is(s, "style")) continue;
                char *id = prop(s, "id");
                if (!id) continue;
                l->style_map = xrealloc(l->style_map, (l->n_style + 1) * sizeof *l->style_map);
                strmap_put(&l->styles, id, (long)l->n_style);
                l->style_map[l->n_style++] = prop(s, "map-to");
                free(id);
            }
        } else if (is(n, "default-regex-options")) {
            l->default_flags = flags_of(n, 0);
        } else if (is(n, "keyword-char-class")) {
            char *t = text_of(n);
            free(l->kw_class);
            l->kw_class = xmalloc(strlen(t) + 8);
            sprintf(l->kw_class, "(?:%s)", t);
            free(t);
        } else if (is(n, "definitions")) {
            for (xmlNode *d = n->children; d; d = d->next) {
                if (is(d, "define-regex")) {
                    char *id = prop(d, "id");
                    if (!id) continue;
                    size_t k = l->n_regex++;
                    l->regex_src = xrealloc(l->regex_src, l->n_regex * sizeof *l->regex_src);
                    l->regex_flags = xrealloc(l->regex_flags, l->n_regex * sizeof *l->regex_flags);
                    l->regex_src[k] = text_of(d);
                    l->regex_flags[k] = flags_of(d, l->default_flags);
                    strmap_put(&l->regexes, id, (long)k);
                    free(id);
                } else if (is(d, "context")) {
                    parse_ctx(g, l, d);
                } else if (is(d, "replace")) {
                    char *id = prop(d, "id"), *ref = prop(d, "ref");
                    if (id && ref) {
                        char *from = qualify(l, id);
                        g->replace_to =
                            xrealloc(g->replace_to, (g->n_replace + 1) * sizeof *g->replace_to);
                        g->replace_to[g->n_replace] = qualify(l, ref);
                        strmap_put(&g->replace, from, (long)g->n_replace++);
                        free(from);
                    }
                    free(id), free(ref);
                }
            }
        }
    }
}

static glang_t *lang_get(grammar_t *g, const char *id) {
    for (size_t i = 0; i < g->n_langs; i++)
        if (!strcmp(g->langs[i]->id, id)) return g->langs[i];
    const char *path = lang_path(id);
    if (!path || g->n_langs >= 64) return NULL;
    /* NOBLANKS: the indentation between elements makes no nodes (a tenth of
       loading JavaScript's seven files); an element holding only blanks keeps them */
    xmlDoc *doc = xmlReadFile(
        path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
    if (!doc) return NULL;
    glang_t *l = xcalloc(1, sizeof *l);
    l->id = xstrdup(id);
    l->g = g;
    strmap_init(&l->styles);
    strmap_init(&l->regexes);
    strmap_init(&l->ctxs);
    /* registered before parsing: languages refer to each other in circles */
    g->langs = xrealloc(g->langs, (g->n_langs + 1) * sizeof *g->langs);
    g->langs[g->n_langs++] = l;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) parse_lang(g, l, root);
    xmlFreeDoc(doc);
    return l;
}

/* ---------------------------------------------------------------- includes */

static gctx_t *find_ctx(grammar_t *g, glang_t *from, const char *ref, bool original) {
    char *q = qualify(from, ref);
    if (!original) {
        long r = strmap_get(&g->replace, q);
        if (r >= 0) free(q), q = xstrdup(g->replace_to[r]);
    }
    char *colon = strchr(q, ':');
    *colon = 0;
    glang_t *l = lang_get(g, q);
    long k = l ? strmap_get(&l->ctxs, colon + 1) : -1;
    free(q);
    return k >= 0 ? l->all[k] : NULL;
}

static bool is_group(const gctx_t *c) {
    return !c->simple && !c->container;
}

static void add_cand(gctx_t *c, gctx_t *k, bool ignore) {
    c->cands = xrealloc(c->cands, (c->n_cands + 1) * sizeof *c->cands);
    c->cands[c->n_cands++] = (gcand_t){k, ignore};
}

static void add_children(grammar_t *g, gctx_t *c, gctx_t *of, bool ignore) {
    size_t n;
    const gcand_t *k = gctx_cands(g, of, &n);
    for (size_t i = 0; i < n; i++)
        add_cand(c, k[i].ctx, ignore || k[i].ignore_style);
}

const gcand_t *gctx_cands(grammar_t *g, gctx_t *c, size_t *n) {
    if (!c->flattened && !c->flattening) {
        c->flattening = true;
        for (size_t i = 0; i < c->n_incs; i++) {
            ginc_t *in = &c->incs[i];
            gctx_t *k = in->ctx;
            bool star = false;
            if (!k && in->ref) {
                size_t rl = strlen(in->ref);
                star = rl > 2 && !strcmp(in->ref + rl - 2, ":*");
                char *r = xstrndup(in->ref, star ? rl - 2 : rl);
                k = find_ctx(g, in->from, r, in->original);
                if (!k && star && !strchr(r, ':')) {
                    glang_t *l = lang_get(g, r);
                    long m = l ? strmap_get(&l->ctxs, r) : -1;
                    k = m >= 0 ? l->all[m] : NULL;
                }
                free(r);
            }
            if (!k) continue;
            if (star || is_group(k))
                add_children(g, c, k, in->ignore_style);
            else
                add_cand(c, k, in->ignore_style);
        }
        c->flattening = false;
        c->flattened = true;
    }
    *n = c->n_cands;
    return c->cands;
}

/* ---------------------------------------------------------------- alternations */

/* Whether a regex means the same as one alternative among others: no
   numbered or relative group references (the numbers shift), no \G (a
   search's start), no \K (a match starting after where it was found), no
   verbs or callouts (they would act on the whole alternation), nothing that
   could run past its own end (\Q quoting, \c, a trailing backslash, under
   an inline x option a # comment with no newline after it). Conservative:
   such text inside a class or comment also counts. */
static bool combinable(const char *src) {
    bool x = false; /* an inline x option: # comments run to a newline */
    for (const char *s = src; *s; s++) {
        if (s[0] == '\\') {
            if (!s[1]) return false;
            s++;
            if ((*s >= '1' && *s <= '9') || strchr("gGkKQEc", *s)) return false;
        } else if (s[0] == '(' && s[1] == '*') {
            return false;
        } else if (s[0] == '(' && s[1] == '?') {
            char n = s[2];
            if ((n >= '0' && n <= '9') || strchr("R&P(C+", n)) return false;
            if (n == '-' && s[3] >= '0' && s[3] <= '9') return false;
            bool off = false; /* after - or ^ the letters turn options off */
            for (const char *o = s + 2; (*o >= 'a' && *o <= 'z') || *o == '-' || *o == '^'; o++)
                off |= *o == '-' || *o == '^', x |= *o == 'x' && !off;
        }
    }
    /* no comment may run to the end (past the alternative's own parenthesis) */
    const char *hash = x ? strrchr(src, '#') : NULL;
    return !hash || strchr(hash, '\n');
}

/* The alternation of cands [lo, hi), or NULL when PCRE2 refuses it (too big). */
static pcre2_code *alternation(const gcand_t *cands, size_t lo, size_t hi) {
    buf_t b;
    buf_init(&b);
    for (size_t k = lo; k < hi; k++) {
        const gctx_t *c = cands[k].ctx;
        if (k > lo) buf_putc(&b, '|');
        flag_group(&b, c->src_flags);
        buf_puts(&b, c->src);
        /* a newline ends an extended regex's last # comment */
        buf_printf(&b, "%s)(*MARK:%zu)", c->src_flags & PCRE2_EXTENDED ? "\n" : "", k - lo);
    }
    buf_putc(&b, 0);
    pcre2_code *re = shared_compile(b.data, 0);
    buf_free(&b);
    return re;
}

static void add_scan(gctx_t *c, size_t lo, size_t hi, pcre2_code *re) {
    c->scans = xrealloc(c->scans, (c->n_scans + 1) * sizeof *c->scans);
    gscan_t *s = &c->scans[c->n_scans++];
    s->lo = lo, s->hi = hi, s->re = re;
    s->once = hi - lo == 1 && c->cands[lo].ctx->once_only;
    s->first_line = hi - lo == 1 && c->cands[lo].ctx->first_line_only;
    gfirst_of(re, &s->first);
    /* an alternation's parts are all combinable (no \G, \K or verbs) */
    s->first.pure = hi - lo > 1 || c->cands[lo].ctx->first.pure;
}

/* Scans for the combinable run [lo, hi): one alternation, halved until PCRE2
   takes it. */
static void add_run(gctx_t *c, size_t lo, size_t hi) {
    if (hi - lo > 1) {
        pcre2_code *re = alternation(c->cands, lo, hi);
        if (re) {
            add_scan(c, lo, hi, re);
            return;
        }
        size_t mid = lo + (hi - lo) / 2;
        add_run(c, lo, mid);
        add_run(c, mid, hi);
        return;
    }
    add_scan(c, lo, hi, gctx_re(c->cands[lo].ctx));
}

const gscan_t *gctx_scans(grammar_t *g, gctx_t *c, size_t *n) {
    if (!c->scanned) {
        c->scanned = true;
        size_t nc;
        gctx_cands(g, c, &nc);
        size_t run = 0;
        for (size_t k = 0; k <= nc; k++) {
            gctx_t *x = k < nc ? c->cands[k].ctx : NULL;
            if (x) gctx_expand(x);
            /* once-only and first-line-only candidates stop counting (the
               engine skips them): inside an alternation they would hide the
               others */
            bool ok = x && x->src && !x->once_only && !x->first_line_only && combinable(x->src);
            if (ok) continue;
            if (k > run) add_run(c, run, k);
            if (k < nc) add_run(c, k, k + 1);
            run = k + 1;
        }
    }
    *n = c->n_scans;
    return c->scans;
}

/* ---------------------------------------------------------------- the grammar */

grammar_t *grammar_load(const char *lang_id) {
    grammar_t *g = xcalloc(1, sizeof *g);
    strmap_init(&g->replace);
    glang_t *l = lang_get(g, lang_id);
    long m = l ? strmap_get(&l->ctxs, lang_id) : -1;
    if (m < 0) {
        grammar_free(g);
        return NULL;
    }
    g->main = l->all[m];
    return g;
}

static void lang_free(glang_t *l) {
    for (size_t i = 0; i < l->n_all; i++) {
        gctx_t *c = l->all[i];
        free(c->end_src);
        for (size_t k = 0; k < c->n_subs; k++)
            free(c->subs[k].name);
        free(c->subs);
        for (size_t k = 0; k < c->n_incs; k++)
            free(c->incs[k].ref);
        free(c->incs);
        free(c->cands);
        free(c->scans); /* their regexes are shared */
        for (size_t k = 0; k < c->n_dyn; k++)
            free(c->dyn[k].src), pcre2_code_free(c->dyn[k].re);
        free(c->dyn);
        free(c->src);
        free(c);
    }
    free(l->all);
    for (size_t i = 0; i < l->n_style; i++)
        free(l->style_map[i]);
    free(l->style_map);
    for (size_t i = 0; i < l->n_regex; i++)
        free(l->regex_src[i]);
    free(l->regex_src);
    free(l->regex_flags);
    strmap_free(&l->styles);
    strmap_free(&l->regexes);
    strmap_free(&l->ctxs);
    free(l->kw_class);
    free(l->main_id);
    free(l->id);
    free(l);
}

void grammar_free(grammar_t *g) {
    if (!g) return;
    for (size_t i = 0; i < g->n_langs; i++)
        lang_free(g->langs[i]);
    free(g->langs);
    for (size_t i = 0; i < g->n_replace; i++)
        free(g->replace_to[i]);
    free(g->replace_to);
    strmap_free(&g->replace);
    free(g);
}
