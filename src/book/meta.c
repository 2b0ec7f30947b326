#define _POSIX_C_SOURCE 200809L
#include "meta.h"
#include "config.h"
#include "words.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

typedef struct {
    yaml_document_t *doc;
    const char *display;
    diags_t *d;
} yctx;

static void ydiag(yctx *c, diag_sev sev, yaml_node_t *n, const char *fmt, const char *arg) {
    diag_add(c->d, sev, c->display, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, fmt,
             arg);
}

/* A scalar's value, or NULL (with an error) when the node is another type. */
static const char *yscalar(yctx *c, yaml_node_t *n, const char *key) {
    if (n->type == YAML_SCALAR_NODE) return (const char *)n->data.scalar.value;
    ydiag(c, DIAG_ERROR, n, "'%s' must be a single value", key);
    return NULL;
}

static void set_str(char **dst, const char *v) {
    if (!v) return;
    free(*dst);
    *dst = xstrdup(v);
}

static yaml_node_t *ymap_get(yctx *c, yaml_node_t *map, const char *key) {
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(c->doc, p->value);
    }
    return NULL;
}

/* {text, url} or a plain URL string. */
static bool read_link(yctx *c, yaml_node_t *n, const char *key, char **text, char **url) {
    if (n->type == YAML_SCALAR_NODE) {
        set_str(url, (char *)n->data.scalar.value);
        set_str(text, (char *)n->data.scalar.value);
        return true;
    }
    if (n->type != YAML_MAPPING_NODE) {
        ydiag(c, DIAG_ERROR, n, "'%s' must be a URL or a mapping with text and url", key);
        return false;
    }
    yaml_node_t *u = ymap_get(c, n, "url"), *t = ymap_get(c, n, "text");
    if (!u) {
        ydiag(c, DIAG_ERROR, n, "'%s' needs a url", key);
        return false;
    }
    set_str(url, yscalar(c, u, "url"));
    set_str(text, t ? yscalar(c, t, "text") : *url);
    return *url != NULL;
}

/* A value or a list of values, joined with sep. */
static void read_list(yctx *c, char **dst, yaml_node_t *v, const char *key, const char *sep) {
    if (v->type != YAML_SEQUENCE_NODE) {
        set_str(dst, yscalar(c, v, key));
        return;
    }
    buf_t b;
    buf_init(&b);
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        yaml_node_t *item = yaml_document_get_node(c->doc, *i);
        const char *s = item ? yscalar(c, item, key) : NULL;
        if (!s) continue;
        if (b.len) buf_puts(&b, sep);
        buf_puts(&b, s);
    }
    free(*dst);
    *dst = buf_detach(&b);
}

static void read_author_links(yctx *c, meta_t *m, yaml_node_t *v) {
    if (v->type != YAML_SEQUENCE_NODE) {
        ydiag(c, DIAG_ERROR, v, "'%s' must be a list", "author-links");
        return;
    }
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        yaml_node_t *item = yaml_document_get_node(c->doc, *i);
        meta_link_t l = {0};
        if (item && read_link(c, item, "author-links", &l.text, &l.url)) {
            m->author_links =
                xrealloc(m->author_links, (m->n_author_links + 1) * sizeof *m->author_links);
            m->author_links[m->n_author_links++] = l;
        } else {
            free(l.text);
            free(l.url);
        }
    }
}

/* Calls one(c, m, item, word) for each word of a key's value: a list of
   words, or one word. Anything else is an error. */
typedef void word_fn(yctx *c, meta_t *m, yaml_node_t *item, const char *w);
static void each_word(yctx *c, meta_t *m, yaml_node_t *v, const char *key, word_fn *one) {
    yaml_node_item_t self = 0, *start = &self, *top = &self;
    if (v->type == YAML_SEQUENCE_NODE)
        start = v->data.sequence.items.start, top = v->data.sequence.items.top;
    else if (v->type == YAML_SCALAR_NODE)
        top = start + 1;
    else
        ydiag(c, DIAG_ERROR, v, "'%s' must be a list of words", key);
    for (yaml_node_item_t *i = start; i < top; i++) {
        yaml_node_t *item = i == &self ? v : yaml_document_get_node(c->doc, *i);
        const char *w = item ? yscalar(c, item, key) : NULL;
        if (w) one(c, m, item, w);
    }
}

/* hyphenation-exceptions: a list of words written with their break points
   ("to-ken-iza-tion"), or one word. A word without hyphens is never hyphenated. */
static void hyphenation_word(yctx *c, meta_t *m, yaml_node_t *item, const char *w) {
    bool ok = *w != '\0';
    for (const char *s = w; *s; s++)
        ok &= isalpha((unsigned char)*s) || *s == '-';
    if (!ok) {
        ydiag(c, DIAG_WARNING, item,
              "hyphenation exception '%s' is not a word of ASCII letters "
              "and hyphens (ignored)",
              w);
        return;
    }
    m->hyphenation_exceptions =
        xrealloc(m->hyphenation_exceptions, (m->n_hyphenation_exceptions + 1) * sizeof(char *));
    m->hyphenation_exceptions[m->n_hyphenation_exceptions++] = xstrdup(w);
}

/* epub-fonts: embed puts subsets of the print fonts in the EPUB; none (the
   default) leaves the fonts to the reading system. */
static void read_epub_fonts(yctx *c, meta_t *m, yaml_node_t *v) {
    const char *s = yscalar(c, v, "epub-fonts");
    if (!s) return;
    if (strcmp(s, "embed") == 0 || strcmp(s, "none") == 0)
        m->epub_embed_fonts = strcmp(s, "embed") == 0;
    else
        ydiag(c, DIAG_WARNING, v, "epub-fonts must be 'embed' or 'none', not '%s' (ignored)", s);
}

/* lists: [figures, tables]: lists after the contents (#10, opt-in). */
static void list_word(yctx *c, meta_t *m, yaml_node_t *item, const char *w) {
    if (!strcmp(w, "figures"))
        m->list_figures = true;
    else if (!strcmp(w, "tables"))
        m->list_tables = true;
    else
        ydiag(c, DIAG_WARNING, item, "lists: '%s' is not 'figures' or 'tables' (ignored)", w);
}

static const struct {
    const char *key;
    size_t off;
} string_keys[] = {
    {"title", offsetof(meta_t, title)},
    {"subtitle", offsetof(meta_t, subtitle)},
    {"lang", offsetof(meta_t, lang)},
    {"date", offsetof(meta_t, date)},
    {"date-text", offsetof(meta_t, date_text)},
    {"version", offsetof(meta_t, version)},
    {"version-url", offsetof(meta_t, version_url)},
    {"identifier", offsetof(meta_t, identifier)},
    {"rights", offsetof(meta_t, rights)},
    {"description", offsetof(meta_t, description)},
    {"abstract", offsetof(meta_t, description)},
    {"publisher", offsetof(meta_t, publisher)},
    {"cover-image", offsetof(meta_t, cover)},
    {"output", offsetof(meta_t, output)},
};

static void read_pair(yctx *c, meta_t *m, yaml_node_t *k, yaml_node_t *v) {
    const char *key = (const char *)k->data.scalar.value;
    for (size_t i = 0; i < sizeof string_keys / sizeof *string_keys; i++) {
        if (strcmp(key, string_keys[i].key) == 0) {
            set_str((char **)((char *)m + string_keys[i].off), yscalar(c, v, key));
            return;
        }
    }
    if (strcmp(key, "author") == 0)
        read_list(c, &m->author, v, key, AUTHOR_SEP);
    else if (strcmp(key, "keywords") == 0)
        read_list(c, &m->keywords, v, key, "; ");
    else if (strcmp(key, "author-links") == 0)
        read_author_links(c, m, v);
    else if (strcmp(key, "source") == 0)
        read_link(c, v, key, &m->source_text, &m->source_url);
    else if (strcmp(key, "hyphenation-exceptions") == 0)
        each_word(c, m, v, "hyphenation-exceptions", hyphenation_word);
    else if (strcmp(key, "epub-fonts") == 0)
        read_epub_fonts(c, m, v);
    else if (strcmp(key, "lists") == 0)
        each_word(c, m, v, "lists", list_word);
    else
        ydiag(c, DIAG_WARNING, k, "unknown key '%s' (ignored)", key);
}

char *meta_read_config(const char *path, const char *display, size_t *len, diags_t *d, int *rc) {
    char *text = read_file(path, len);
    *rc = 0;
    if (!text && errno != ENOENT) {
        diag_add(d, DIAG_ERROR, display, 1, 1, "cannot read: %s", strerror(errno));
        *rc = -1;
    }
    return text;
}

int meta_read_yaml(meta_t *m, const char *path, const char *display, diags_t *d) {
    size_t len;
    int rc;
    char *text = meta_read_config(path, display, &len, d, &rc);
    if (!text) return rc;
    yaml_parser_t p;
    yaml_document_t doc;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    rc = 0;
    if (!yaml_parser_load(&p, &doc)) {
        yaml_mark_t mk = p.problem_mark;
        diag_add(d, DIAG_ERROR, display, (int)mk.line + 1, (int)mk.column + 1, "bad YAML: %s%s%s",
                 p.problem ? p.problem : "syntax error", p.context ? " " : "",
                 p.context ? p.context : "");
        rc = -1;
    } else {
        yctx c = {&doc, display, d};
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root && root->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
                 pr < root->data.mapping.pairs.top; pr++) {
                yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
                yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
                if (k && v && k->type == YAML_SCALAR_NODE) read_pair(&c, m, k, v);
            }
        } else if (root) {
            ydiag(&c, DIAG_ERROR, root, "%s must be a mapping of keys to values", "book.yaml");
            rc = -1;
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&p);
    free(text);
    return rc;
}

time_t meta_parse_date(const char *s) {
    int y, mo, dd;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &mo, &dd) != 3) return -1;
    if (y < 1980 || y > 9999 || mo < 1 || mo > 12 || dd < 1 || dd > 31) return -1;
    /* days from civil (Howard Hinnant's algorithm): avoids mktime and the local zone */
    y -= mo <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (time_t)((era * 146097 + doe - 719468) * 86400L);
}

static uint64_t fnv1a(const char *s, uint64_t h) {
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static char *slug_ascii(const char *s) {
    buf_t b;
    buf_init(&b);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c))
            buf_putc(&b, (char)tolower(c));
        else if (b.len && b.data[b.len - 1] != '-')
            buf_putc(&b, '-');
    }
    while (b.len && b.data[b.len - 1] == '-')
        b.data[--b.len] = '\0';
    return buf_detach(&b);
}

/* Folders that say nothing of the book they hold (its sources' folder, a
   language's): the name is the folder's above. */
static bool generic_folder(const char *name, size_t n) {
    static const char *const generic[] = {
        "docs",     "doc",   "book",       "books", "src",      "source", "content",
        "contents", "site",  "manuscript", "md",    "markdown", "zh",     "zh-cn",
        "zh-hans",  "zh_cn", "cn",         "en",    "en-us",    "master", "main"};
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
        if (strlen(generic[i]) == n && strncasecmp(generic[i], name, n) == 0) return true;
    return false;
}

/* The book's folder name made a file name: the repository's, above a docs/ or
   src/ folder; "" when the folder's own name has no ASCII. Caller frees. */
static char *folder_slug(const char *folder) {
    char real[PATH_MAX];
    const char *p = folder && realpath(folder, real) ? real : folder;
    for (size_t end = p ? strlen(p) : 0; end > 0;) {
        while (end > 0 && p[end - 1] == '/')
            end--;
        size_t start = end;
        while (start > 0 && p[start - 1] != '/')
            start--;
        if (start == end) break;
        if (!generic_folder(p + start, end - start)) { /* the book's own name, or none */
            char *part = xstrndup(p + start, end - start);
            char *name = slug_ascii(part);
            free(part);
            return name;
        }
        end = start;
    }
    return xstrdup("");
}

static bool has_han(const char *s) {
    uint32_t cp;
    for (size_t i = 0, n = strlen(s); i < n;) {
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (cp_is_han(cp)) return true;
        i += l ? l : 1;
    }
    return false;
}

/* The files' name: an English title's letters and digits; a Chinese title
   (only its Latin words would be left: "Go语言高级编程" gave "go") takes the
   book's folder name, the repository's above a docs/ or src/ folder; "book"
   when neither has a usable name. */
static char *output_name(const char *title, const char *folder) {
    char *name = has_han(title) ? folder_slug(folder) : slug_ascii(title);
    if (!*name) free(name), name = slug_ascii(title);
    if (!*name) free(name), name = folder_slug(folder);
    if (*name) return name;
    free(name);
    return xstrdup("book");
}

/* Several authors were joined with AUTHOR_SEP: each is kept on its own (the
   EPUB gives every author a dc:creator), and the display form takes the
   language's separator. */
static void join_authors(meta_t *m) {
    for (const char *p = m->author; p && *p;) {
        size_t n = strcspn(p, AUTHOR_SEP);
        if (n) {
            m->authors = xrealloc(m->authors, (m->n_authors + 1) * sizeof *m->authors);
            m->authors[m->n_authors++] = xstrndup(p, n);
        }
        p += n;
        if (*p) p++;
    }
    if (!m->author || !strstr(m->author, AUTHOR_SEP)) return;
    const char *sep = lang_is_cjk(lang_kind_of(m->lang)) ? "、" : ", ";
    buf_t b;
    buf_init(&b);
    for (const char *p = m->author; *p;) {
        size_t n = strcspn(p, AUTHOR_SEP);
        buf_put(&b, p, n);
        p += n;
        if (*p) {
            buf_puts(&b, sep);
            p++;
        }
    }
    free(m->author);
    m->author = buf_detach(&b);
}

void meta_finish(meta_t *m, const char *fallback_title, const char *folder, diags_t *d,
                 const char *display) {
    if (!m->title)
        m->title = xstrdup(fallback_title && *fallback_title ? fallback_title : "Untitled");
    /* the loader sets the language from the text; the title never decides it */
    if (!m->lang) m->lang = xstrdup("en");
    join_authors(m);
    if (!m->output) m->output = output_name(m->title, folder);
    for (char *p = m->output; *p; p++)
        if (*p == '/' || *p == '\\') *p = '-';
    if (!m->identifier) {
        /* a name-based id: stable across builds, different for different books */
        uint64_t h1 = fnv1a(m->title, 0xcbf29ce484222325ULL);
        uint64_t h2 = fnv1a(m->author ? m->author : "", h1 ^ 0x9e3779b97f4a7c15ULL);
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "urn:uuid:%08x-%04x-5%03x-%04x-%012llx", (unsigned)(h1 >> 32),
                   (unsigned)(h1 >> 16) & 0xffff, (unsigned)h1 & 0xfff,
                   (unsigned)((h2 >> 48) & 0x3fff) | 0x8000,
                   (unsigned long long)(h2 & 0xffffffffffffULL));
        m->identifier = buf_detach(&b);
        m->identifier_derived = true;
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = -1;
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 315532800LL || v > 253402300799LL)
            diag_add(d, DIAG_WARNING, "SOURCE_DATE_EPOCH", 1, 1,
                     "'%s' is not a time from 1980 to 9999; using the book's date", sde);
        else
            t = (time_t)v;
    }
    if (t < 0 && m->date) {
        t = meta_parse_date(m->date);
        if (t < 0)
            diag_add(d, DIAG_WARNING, display, 1, 1, "date '%s' is not YYYY-MM-DD (1980 or later)",
                     m->date);
    }
    /* then the last commit of the book's work tree, then its newest file;
       1980-01-01 (the earliest a ZIP can record) only when nothing is known */
    if (t < 0 && m->source_epoch >= 315532800) t = m->source_epoch;
    m->epoch = t < 0 ? 315532800 : t;
}

void meta_free(meta_t *m) {
    char **strs[] = {
        &m->title,   &m->subtitle,    &m->author,     &m->lang,   &m->date,        &m->date_text,
        &m->version, &m->version_url, &m->identifier, &m->rights, &m->description, &m->publisher,
        &m->cover,   &m->source_text, &m->source_url, &m->output, &m->keywords};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        free(*strs[i]);
    for (size_t i = 0; i < m->n_author_links; i++) {
        free(m->author_links[i].text);
        free(m->author_links[i].url);
    }
    free(m->author_links);
    for (size_t i = 0; i < m->n_hyphenation_exceptions; i++)
        free(m->hyphenation_exceptions[i]);
    free(m->hyphenation_exceptions);
    for (size_t i = 0; i < m->n_authors; i++)
        free(m->authors[i]);
    free(m->authors);
    memset(m, 0, sizeof *m);
}
