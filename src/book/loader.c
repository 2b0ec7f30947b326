#include "autolink.h"
#include "book.h"
#include "clean.h"
#include "config.h"
#include "hidelines.h"
#include "index.h"
#include "linejoin.h"
#include "mathmd.h"
#include "texmacro.h"
#include "yamlfront.h"
#include "callout.h"
#include "rawhtml.h"
#include "docsopt.h"
#include "mdext.h"
#include "crossref.h"
#include "figure.h"
#include "langs.h"
#include "mdutil.h"
#include "meta.h"
#include "summary.h"
#include "unlisted.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void index_lines(chapter_t *c) {
    size_t cap = 0;
    c->n_lines = 0;
    XGROW(c->line_off, cap, 0);
    c->line_off[c->n_lines++] = 0;
    for (size_t i = 0; i < c->len; i++) {
        if (c->src[i] != '\n' || i + 1 >= c->len) continue;
        XGROW(c->line_off, cap, (size_t)c->n_lines);
        c->line_off[c->n_lines++] = i + 1;
    }
}

/* Markdown people expect (mdext.c); Mermaid is warned about once per book. */
static void mdext_chapter(book_t *b, chapter_t *c) {
    mdext_result_t mx = {0, NULL};
    mdext_pass(c->doc, lang_kind_of(b->meta.lang), &mx);
    if (mx.mermaid && !b->mermaid_blocks) {
        int line, col;
        book_pos(b, (int)(c - b->chapters), mx.first_mermaid, &line, &col);
        book_diag(b, DIAG_WARNING, (int)(c - b->chapters), line, col,
                  "Mermaid diagrams cannot be drawn; printed as code with a note (first of the "
                  "book's Mermaid blocks)");
    }
    b->mermaid_blocks += mx.mermaid;
}

/* Blocks a chapter may open with before its title (badges, a banner, a list of
   links to the author's courses) and still have the title moved above them. */
#define TITLE_AFTER_MAX 5

/* A chapter whose one H1 comes after a few blocks that are not headings
   (leetcode-master's pages open with a list of the author's links) is opened
   by that H1: it moves above them. Else the SUMMARY's title opened the chapter
   and the H1 followed the banner, the same title twice.
   The chapter's first heading, at any level, when the chapter's title is its
   text (a README's "## Contents" under a banner and a centred line of links:
   huihut/interview), moves above whatever precedes it for the same reason, also
   out of an HTML block around it (a README's <div align="center"> over its
   "# Title" and logo). */
static cmark_node *first_heading(cmark_node *parent) {
    for (cmark_node *k = cmark_node_first_child(parent); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_HEADING) return k;
        cmark_node *in = t == CMARK_NODE_CUSTOM_BLOCK ? first_heading(k) : NULL;
        if (in) return in;
    }
    return NULL;
}

static void title_first(cmark_node *doc, const char *title) {
    cmark_node *h1 = NULL;
    int before = 0;
    cmark_node *first = first_heading(doc);
    if (first && first != cmark_node_first_child(doc) && title) {
        char *text = md_plain_text(first);
        bool same = strcmp(text, title) == 0;
        free(text);
        if (same) {
            cmark_node_prepend_child(doc, first);
            return;
        }
    }
    for (cmark_node *k = cmark_node_first_child(doc); k; k = cmark_node_next(k)) {
        if (cmark_node_get_type(k) != CMARK_NODE_HEADING) {
            before += !h1;
            continue;
        }
        int level = cmark_node_get_heading_level(k);
        if (!h1 && level != 1) return; /* a section before any title */
        if (h1 && level == 1) return;  /* a second title: the chapter is sections */
        if (!h1) h1 = k;
    }
    if (!h1 || before == 0 || before > TITLE_AFTER_MAX) return;
    cmark_node_prepend_child(doc, h1); /* unlinks it from where it stood */
}

/* Whether a contents title is only a number ("1" … "24": the sidebar of
   Microsoft's IoT course numbers its lessons so), which names no chapter in
   a printed contents, an outline or a reader's nav. */
static bool number_title(const char *t) {
    bool digit = false;
    for (; *t; t++) {
        if (isdigit((unsigned char)*t))
            digit = true;
        else if (!strchr(" .-)", *t))
            return false;
    }
    return digit;
}

/* A number for a title yields to the chapter's own H1 when it opens the
   chapter ("Introduction to IoT"): the contents then say what it is. */
static void title_from_heading(chapter_t *c) {
    cmark_node *h = cmark_node_first_child(c->doc);
    if (!number_title(c->title) || !h || cmark_node_get_type(h) != CMARK_NODE_HEADING ||
        cmark_node_get_heading_level(h) != 1)
        return;
    char *text = md_plain_text(h);
    if (*text)
        free(c->title), c->title = text;
    else
        free(text);
}

/* Cleans, expands, parses and transforms one chapter's bytes into the book. */
static void chapter_from_text(book_t *b, const summary_entry_t *e, const char *raw, size_t raw_len,
                              const gbvars_t *vars, const char *hide) {
    lang_kind lang = lang_kind_of(b->meta.lang);
    XGROW(b->chapters, b->cap_chapters, b->n_chapters);
    chapter_t *c = &b->chapters[b->n_chapters++];
    memset(c, 0, sizeof *c);
    c->path = xstrdup(e->path);
    c->title = xstrdup(e->title);
    c->depth = e->depth;
    c->unnumbered = e->unnumbered;
    c->sum_line = e->line;
    c->part = e->part ? xstrdup(e->part) : NULL;
    char *display = book_display_path(b, e->path);
    size_t clean_len;
    char *clean = text_clean(raw, raw_len, &clean_len, display, b->diags);
    yaml_front_blank(clean, clean_len);
    /* includes are confined to the project, not to src/ (mdBook's ../listings) */
    char *prel = path_join(b->prefix, e->path);
    c->src = include_expand(b->project, prel, clean, clean_len, &c->len, &c->map, b->project,
                            b->diags, lang, b->prefix, vars);
    free(prel);
    size_t filled_len;
    char *filled = mathmd_fill_gaps(c->src, c->len, &filled_len);
    if (filled) free(c->src), c->src = filled, c->len = filled_len;
    index_lines(c);
    c->doc = md_parse(c->src, c->len);
    mathmd_split_tails(c->doc);
    mathmd_equation_images(c->doc);
    hidelines_remove(c->doc, hide);
    autolink_fix(c->doc, c->src, c->len, c->line_off, c->n_lines);
    autolink_unwrap_parens(c->doc);
    linejoin(c->doc);
    callout_pass(c->doc); /* #10: alerts and admonish blocks become callout nodes */
    rawhtml_pass(c->doc); /* #10: raw HTML becomes model nodes */
    docsopt_pass(b, (int)b->n_chapters - 1); /* before captions: ':size=650' is none */
    mdext_chapter(b, c); /* #10: emoji, definition lists, smart punctuation, ids, Mermaid */
    figure_pass(b, (int)b->n_chapters - 1); /* #10: numbered figures, tables, listings */
    title_first(c->doc, c->title);
    title_from_heading(c);
    free(clean);
    free(display);
}

/* Reads each chapter's bytes, or warns (at its SUMMARY line) and leaves it out. */
static char *read_chapter(book_t *b, const summary_entry_t *e, const char *summary_display,
                          size_t *len) {
    char *full = path_join(b->root, e->path);
    char *raw = read_file(full, len);
    if (!raw)
        diag_add(b->diags, DIAG_WARNING, summary_display, e->line, e->col,
                 "cannot read chapter '%s': %s; left out", e->path, strerror(errno));
    free(full);
    return raw;
}

/* The language of text: Chinese when Han characters make a fair share of it.
   A Han character counts as a word, against runs of Latin letters, so code and
   English terms inside a Chinese book do not outvote it. */
static const char *lang_of_text(const char *s, size_t n) {
    size_t han = 0, words = 0;
    bool in_word = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) l = 1;
        bool letter = cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
        if (cp_is_han(cp)) han++;
        if (letter && !in_word) words++;
        in_word = letter;
        i += l;
    }
    return han * 3 >= words && han > 0 ? "zh-CN" : "en";
}

book_t *book_from_markdown(const char *text, size_t len, diags_t *d) {
    book_t *b = xcalloc(1, sizeof *b);
    b->diags = d;
    b->cover = -1;
    /* a folder that holds nothing: any file the text names is missing, none escapes */
    b->root = xstrdup("/nonexistent-ghb-book");
    b->project = xstrdup(b->root);
    b->prefix = xstrdup("");
    b->meta.lang = xstrdup(lang_of_text(text, len));
    summary_entry_t e = {"chapter.md", "Chapter", 0, 1, 1, NULL};
    chapter_from_text(b, &e, text, len, NULL, NULL);
    meta_finish(&b->meta, "Book", NULL, d, "book.yaml");
    index_chapter(b, 0);
    mathmd_chapter(b, 0);
    figure_anchors(b, 0), crossref_links(b, 0);
    index_links(b, 0);
    mathmd_check_refs(b);
    mathmd_plain_titles(b);
    return b;
}

/* The text of a file's first heading when its level is at most max_level. */
static char *first_heading_of(const char *root, const char *name, int max_level) {
    char *p = path_join(root, name);
    size_t len;
    char *text = read_file(p, &len);
    free(p);
    if (!text) return NULL;
    yaml_front_blank(text, len); /* GitBook's "layout:\n  title: …\n---" is no setext heading */
    cmark_node *doc = md_parse(text, len);
    char *title = NULL;
    cmark_node *n = cmark_node_first_child(doc);
    while (n && cmark_node_get_type(n) != CMARK_NODE_HEADING)
        n = cmark_node_next(n);
    if (n && cmark_node_get_heading_level(n) <= max_level) {
        char *plain = md_plain_text(n);
        title = gemoji_expand(plain); /* as the chapter's heading shows it */
        free(plain);
    }
    cmark_node_free(doc);
    free(text);
    if (title && !*title) {
        free(title);
        title = NULL;
    }
    return title;
}

/* mdBook's configuration: book.toml, else WaBook's book.ini (an mdBook clone
   that names the same file so: advanced-go-programming-book), when it holds
   mdBook's [book] table. Caller frees. */
static char *mdbook_config(const char *project) {
    char *toml = path_join(project, "book.toml");
    if (path_exists(toml)) return toml;
    char *ini = path_join(project, "book.ini");
    size_t len;
    char *text = read_file(ini, &len);
    bool book = text && (strncmp(text, "[book]", 6) == 0 || strstr(text, "\n[book]"));
    free(text);
    if (!book) return free(ini), toml;
    free(toml);
    return ini;
}

/* mdbook-katex's macros file, named in book.toml, within the project. */
static void load_macros(book_t *b, const char *project, const book_config_t *cfg) {
    if (!cfg->katex_macros) return;
    char *n = path_normalize(cfg->katex_macros);
    char *full = n ? path_join(project, n) : NULL;
    char *toml = mdbook_config(project);
    if (full && path_inside(project, full))
        b->tex_macros = texmacros_load(full, full, b->diags);
    else
        diag_add(b->diags, DIAG_WARNING, toml, 1, 1,
                 "KaTeX macros file '%s' is not in the project; its macros are left unexpanded",
                 cfg->katex_macros);
    free(n), free(full), free(toml);
}

/* One language of a GitBook LANGS.md book: its own book.json (read into lc)
   comes before the top one, so its values win; its folder's name (en, zh-hans)
   is the language when nothing else names one, as in GitBook. */
static void language_config(book_t *b, const char *project, const char *lang, book_config_t *cfg,
                            book_config_t *lc) {
    char *dir = path_join(project, lang), *json = path_join(dir, "book.json");
    if (path_exists(json)) config_read_json(&b->meta, lc, json, b->diags);
    free(json), free(dir);
    cfg->summary = lc->summary, cfg->readme = lc->readme, cfg->glossary = lc->glossary;
    lc->summary = lc->readme = lc->glossary = NULL;
    cfg->vars = lc->vars; /* the top book.json adds the variables the language lacks */
    memset(&lc->vars, 0, sizeof lc->vars);
    gbvars_set(&cfg->vars, "book.language", lang, false); /* as GitBook sets it */
    size_t n = strspn(lang, "abcdefghijklmnopqrstuvwxyz");
    if (!b->meta.lang && (n == 2 || n == 3) && (!lang[n] || lang[n] == '-' || lang[n] == '_')) {
        char *tag = xstrdup(lang);
        for (char *p = tag; *p; p++)
            if (*p == '_') *p = '-';
        b->meta.lang = config_gitbook_lang(tag);
    }
}

/* Reads every configuration the project has (book.yaml wins, then book.toml,
   book.json, docsify); returns the content folder's path relative to the project. */
static char *load_config(book_t *b, const char *project, const char *lang, book_config_t *cfg) {
    char *yaml = path_join(project, "book.yaml");
    meta_read_yaml(&b->meta, yaml, yaml, b->diags);
    free(yaml);
    char *toml = mdbook_config(project);
    config_read_toml(&b->meta, cfg, toml, b->diags);
    free(toml);
    book_config_t lc = {0};
    if (lang) language_config(b, project, lang, cfg, &lc);
    char *json = path_join(project, "book.json");
    config_read_json(&b->meta, cfg, json, b->diags);
    free(json);
    if (lang) { /* the language folder is the content folder */
        free(cfg->src);
        cfg->src = path_join(lang, lc.src ? lc.src : ".");
    }
    config_free(&lc);
    char *src = NULL;
    if (cfg->src) {
        char *n = path_normalize(cfg->src);
        char *full = n ? path_join(project, n) : NULL;
        if (n && path_is_dir(full) && path_inside(project, full))
            src = xstrdup(strcmp(n, ".") == 0 ? "" : n);
        else
            diag_add(b->diags, DIAG_WARNING, project, 1, 1,
                     "content folder '%s' is not a folder of the project; using the project",
                     cfg->src);
        free(n), free(full);
    }
    if (!src) {
        /* mdBook keeps SUMMARY.md in src/ by default */
        char *top = path_join(project, "SUMMARY.md"), *insrc = path_join(project, "src/SUMMARY.md");
        src = xstrdup(!path_exists(top) && path_exists(insrc) ? "src" : "");
        free(top), free(insrc);
    }
    char *dir = path_join(project, src);
    config_read_docsify(&b->meta, cfg, *dir ? dir : ".");
    b->docsify = cfg->kind == CONFIG_DOCSIFY;
    free(dir);
    load_macros(b, project, cfg);
    return src;
}

static void readme_alone(summary_t *s, const book_t *b, const char *readme) {
    s->v = xcalloc(1, sizeof *s->v);
    char *t = first_heading_of(b->root, readme, 6);
    s->v[0] = (summary_entry_t){xstrdup(readme), t ? t : xstrdup("README"), 0, 0, 0, NULL};
    s->n = s->cap = 1;
}

/* docsify opens every site on its home page (README.md, or `homepage`), which
   the sidebar seldom lists, and GitBook every book with its README: the book
   opens with it too, unless the contents name it or the file is missing. */
static void readme_first(summary_t *s, const book_t *b, const char *readme, const char *name) {
    char *rel = path_normalize(readme + (*readme == '/')); /* "/home.md" is site-absolute */
    for (size_t i = 0; rel && i < s->n; i++)
        if (strcmp(s->v[i].path, rel) == 0) free(rel), rel = NULL;
    char *p = rel ? path_join(b->root, rel) : NULL;
    bool there = p && path_exists(p) && path_inside(b->project, p);
    free(p);
    if (!there) {
        free(rel);
        return;
    }
    char *t = first_heading_of(b->root, rel, 6); /* else the site's name heads it */
    XGROW(s->v, s->cap, s->n);
    memmove(s->v + 1, s->v, s->n * sizeof *s->v);
    s->v[0] =
        (summary_entry_t){rel, t ? t : xstrdup(name && *name ? name : "README"), 0, 0, 0, NULL};
    s->n++;
}

/* Whether text holds word w: a Latin word whole ("Train a stock detector" is
   no "toc"), a Han one anywhere. */
static bool has_word(const char *text, const char *w) {
    size_t n = strlen(w);
    for (const char *p = strcasestr(text, w); p; p = strcasestr(p + 1, w)) {
        if ((unsigned char)*w >= 0x80) return true;
        bool before = p > text && isalnum((unsigned char)p[-1]);
        if (!before && !isalnum((unsigned char)p[n])) return true;
    }
    return false;
}

/* Whether a link names a contents page: its text or its file's name says so. */
static bool contents_name(const char *text, const char *url) {
    static const char *const words[] = {"目录",    "目錄",      "contents", "toc",
                                        "summary", "directory", NULL};
    const char *base = strrchr(url, '/');
    base = base ? base + 1 : url;
    for (const char *const *w = words; *w; w++) {
        size_t n = strlen(*w);
        if (!strncasecmp(base, *w, n) && !strcasecmp(base + n, ".md")) return true;
        if (text && has_word(text, *w)) return true;
    }
    return false;
}

/* The page a README links as the book's contents ("想读书的人，不会找不到
   [目录](eBook/directory.md)": the-way-to-go_ZH_CN, whose README lists one chapter),
   relative to the book folder, or NULL. Only a local .md file named so. */
static char *contents_link(const book_t *b, const char *text, size_t len, const char *readme) {
    cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
    cmark_iter *it = cmark_iter_new(doc);
    char *found = NULL, *dir = path_dirname(readme);
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *url = cmark_node_get_url(n);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_LINK || !url ||
            url_has_scheme(url) || strpbrk(url, "#?"))
            continue;
        size_t ul = strlen(url);
        if (ul < 4 || strcasecmp(url + ul - 3, ".md")) continue;
        char *words = md_plain_text(n), *rel = NULL;
        if (contents_name(words, url) && book_resolve(b, dir, url, &rel) == REF_OK &&
            strcmp(rel, readme) != 0)
            found = rel, rel = NULL;
        free(rel);
        free(words);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    free(dir);
    return found;
}

/* The entries of contents page cp (relative to the book folder), its links
   read from its own folder; false when it lists fewer than min chapters. */
static bool contents_entries(const book_t *b, const char *cp, size_t min, summary_t *out) {
    char *full = path_join(b->root, cp), *dir = path_dirname(cp);
    char *sub = path_join(b->root, dir);
    size_t len;
    char *text = read_file(full, &len);
    memset(out, 0, sizeof *out);
    if (text) {
        char *clean = text_clean(text, len, &len, full, b->diags);
        summary_parse(out, clean, len, sub, full, b->diags);
        free(clean);
    }
    for (size_t i = 0; i < out->n && *dir && strcmp(dir, "."); i++) {
        char *p = path_join(dir, out->v[i].path);
        free(out->v[i].path);
        out->v[i].path = p;
    }
    free(text), free(full), free(dir), free(sub);
    if (out->n > min) return true;
    summary_free(out);
    return false;
}

/* The contents: SUMMARY.md (or book.json's / docsify's file); else a README
   whose lists link .md files (README first, then those); else the README alone. */
static void load_summary(book_t *b, summary_t *s, const char *display, const char *readme,
                         const book_config_t *cfg) {
    memset(s, 0, sizeof *s);
    size_t len;
    char *text = read_file(display, &len);
    if (text) {
        char *clean = text_clean(text, len, &len, display, b->diags);
        char *base = NULL;
        if (cfg->summary_links_local) { /* docsify-to-pdf's "docs/_sidebar.md" */
            const char *slash = strrchr(cfg->summary, '/');
            base = xstrndup(cfg->summary, slash ? (size_t)(slash - cfg->summary) : 0);
        }
        summary_parse_in(s, clean, len, b->root, base ? base : "", display, b->diags);
        free(base);
        free(clean);
        free(text);
        /* GitBook and HonKit open every book with its README, listed or not
           (mostly-adequate-guide's preface was lost); mdBook shows only what
           SUMMARY.md names */
        if (cfg->kind != CONFIG_MDBOOK) readme_first(s, b, readme, cfg->name);
        /* ... and number none of it: the README is their introduction, listed
           or not ("* [Introduction](README.md)"); mdBook numbers what its list
           holds, and so do we */
        if (cfg->kind != CONFIG_MDBOOK && s->n > 1 && strcmp(s->v[0].path, readme) == 0)
            s->v[0].unnumbered = true;
        return;
    }
    char *rpath = path_join(b->root, readme);
    text = read_file(rpath, &len);
    if (text) {
        summary_t list;
        summary_parse_readme(&list, text, len, b->root, rpath, b->diags);
        /* a README that links a contents page listing more than its own lists
           do: that page is the book's SUMMARY.md */
        char *cp = contents_link(b, text, len, readme);
        summary_t pg;
        if (cp && contents_entries(b, cp, list.n, &pg)) {
            summary_free(&list);
            list = pg;
            b->contents_page = cp, cp = NULL;
        }
        free(cp);
        readme_alone(s, b, readme);
        s->v[0].unnumbered = list.n > 0; /* an introduction, unless it is the whole book */
        for (size_t i = 0; i < list.n; i++) {
            XGROW(s->v, s->cap, s->n);
            s->v[s->n++] = list.v[i];
        }
        free(list.v);
        free(list.title);
        free(text);
        unlisted_warn(b, s, readme);
    }
    free(rpath);
}

/* GitBook's GLOSSARY.md (or book.json's structure.glossary) is a glossary page:
   a last chapter titled in the book's language, unless the contents list the
   file already. mdBook and docsify books show only what their contents name. */
static bool glossary_entry(summary_t *s, const book_t *b, const book_config_t *cfg) {
    if (cfg->kind == CONFIG_MDBOOK || cfg->kind == CONFIG_DOCSIFY) return false;
    char *name = path_normalize(cfg->glossary ? cfg->glossary : "GLOSSARY.md");
    char *full = name ? path_join(b->root, name) : NULL;
    bool add = full && path_exists(full) && path_inside(b->root, full);
    for (size_t i = 0; add && i < s->n; i++)
        add = strcmp(s->v[i].path, name) != 0;
    free(full);
    if (!add) return free(name), false;
    XGROW(s->v, s->cap, s->n);
    s->v[s->n++] = (summary_entry_t){
        name, xstrdup(word(lang_kind_of(b->meta.lang), W_GLOSSARY)), 0, 0, 0, NULL, true};
    return true;
}

/* The folder's own name, for a book with no title anywhere. */
static char *folder_name(const char *dir) {
    char real[PATH_MAX];
    const char *p = realpath(dir, real) ? real : dir;
    const char *slash = strrchr(p, '/');
    return xstrdup(slash && slash[1] ? slash + 1 : p);
}

/* SUMMARY's own heading names the book only when it is not a generic word. */
static bool generic_title(const char *t) {
    static const char *const g[] = {
        "summary", "table of contents", "contents", "toc", "目录", "目錄", "大纲"};
    for (size_t i = 0; i < sizeof g / sizeof *g; i++)
        if (strcasecmp(t, g[i]) == 0) return true;
    return false;
}

static char *fallback_title(book_t *b, const summary_t *s, const book_config_t *cfg,
                            const char *readme, const char *project) {
    if (cfg->name && *cfg->name) return xstrdup(cfg->name);
    /* only a title (H1) names the book: a README opening with a section
       (CS-Notes' "## :pencil2: 算法") leaves it to the folder's name; a
       docsify cover page's heading, whatever its level, is the site's name */
    char *t = first_heading_of(b->root, readme, 1);
    if (!t && cfg->kind == CONFIG_DOCSIFY) t = first_heading_of(b->root, "_coverpage.md", 6);
    if (!t && s->title && !generic_title(s->title)) t = xstrdup(s->title);
    return t ? t : folder_name(project);
}

/* The committer date of the last commit touching dir, or -1 (no git, not a
   work tree). Runs git without a shell, its output read through a pipe. */
static time_t git_date(const char *dir) {
    int fd[2];
    if (pipe(fd) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]), close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fd[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, 2);
        close(fd[0]), close(fd[1]);
        execlp("git", "git", "-C", dir, "log", "-1", "--format=%ct", "--", ".", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char out[64] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof out - 1 && (r = read(fd[0], out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)r;
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    char *end;
    long long v = strtoll(out, &end, 10);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && end != out ? (time_t)v : -1;
}

/* The newest modification time among the book's sources. */
static time_t newest_mtime(const book_t *b, const char *project) {
    time_t t = -1;
    struct stat st;
    const char *configs[] = {"book.yaml", "book.toml", "book.json"};
    for (size_t i = 0; i < 3; i++) {
        char *p = path_join(project, configs[i]);
        if (stat(p, &st) == 0 && st.st_mtime > t) t = st.st_mtime;
        free(p);
    }
    for (size_t i = 0; i < b->n_chapters; i++) {
        char *p = path_join(b->root, b->chapters[i].path);
        if (stat(p, &st) == 0 && st.st_mtime > t) t = st.st_mtime;
        free(p);
    }
    return t;
}

/* The date a book without SOURCE_DATE_EPOCH or a date of its own is built with. */
static time_t source_epoch(const book_t *b, const char *project) {
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if ((sde && *sde) || b->meta.date) return -1; /* meta_finish decides */
    time_t t = git_date(project);
    return t > 0 ? t : newest_mtime(b, project);
}

book_t *book_load(const char *root, diags_t *d) {
    return book_load_opts(root, d, false);
}

static bool has_config(const char *dir) {
    const char *names[] = {"book.yaml", "book.toml", "book.json"};
    bool any = false;
    for (size_t i = 0; i < 3 && !any; i++) {
        char *p = path_join(dir, names[i]);
        any = path_exists(p);
        free(p);
    }
    return any;
}

/* `--book repo/src` of an mdBook: the project is the folder above, when its
   book.toml names this folder as src (else the title, authors and language
   of book.toml would be lost). Caller frees. */
static char *project_of(const char *dir) {
    char real[PATH_MAX];
    if (has_config(dir) || !realpath(dir, real)) return xstrdup(dir);
    char *up = path_dirname(real), *toml = mdbook_config(up);
    meta_t m = {0};
    book_config_t cfg = {0};
    diags_t quiet;
    diags_init(&quiet); /* the real load reports book.toml's problems */
    bool ours = false;
    if (path_exists(toml) && config_read_toml(&m, &cfg, toml, &quiet) == 0) {
        char *src = path_join(up, cfg.src ? cfg.src : "src"), rsrc[PATH_MAX];
        ours = realpath(src, rsrc) && strcmp(rsrc, real) == 0;
        free(src);
    }
    meta_free(&m);
    config_free(&cfg);
    diags_free(&quiet);
    free(toml);
    if (ours) return up;
    free(up);
    return xstrdup(dir);
}

static book_lang_hook_t lang_hook;
static book_chapter_hook_t chapter_hook;

void book_on_language(book_lang_hook_t hook) {
    lang_hook = hook;
}

void book_on_chapter(book_chapter_hook_t hook) {
    chapter_hook = hook;
}

/* Where book-wide diagnostics point: the book's configuration file (book.yaml,
   else mdBook's, GitBook's or WaBook's), else its folder; never a file the book
   does not have (the Cargo Book's unsettled page numbers were "book.yaml:1:1"). */
static char *config_file(const char *project) {
    const char *names[] = {"book.yaml", "book.toml", "book.json", "book.ini"};
    for (size_t i = 0; i < 4; i++) {
        char *p = path_join(project, names[i]);
        if (path_exists(p)) return p;
        free(p);
    }
    return xstrdup(project);
}

book_t *book_load_opts(const char *dir, diags_t *d, bool offline) {
    /* a language folder of a LANGS.md book: the project is the folder above */
    char *lang = NULL, *project_owned = NULL;
    if (!langs_parent(dir, &project_owned, &lang)) project_owned = project_of(dir);
    const char *project = project_owned;
    book_t *b = xcalloc(1, sizeof *b);
    b->diags = d;
    b->cover = -1;
    b->offline = offline;
    b->meta_file = config_file(project);
    b->project = xstrdup(project);
    if (!path_is_dir(project)) {
        b->root = xstrdup(project);
        b->prefix = xstrdup("");
        diag_add(d, DIAG_ERROR, project, 1, 1, "book folder not found");
        meta_finish(&b->meta, NULL, NULL, d, project);
        free(project_owned), free(lang);
        return b;
    }
    book_config_t cfg = {0};
    b->prefix = load_config(b, project, lang, &cfg);
    b->root = path_join(project, b->prefix);
    const char *readme = cfg.readme ? cfg.readme : "README.md";
    char *sum_display = path_join(b->root, cfg.summary ? cfg.summary : "SUMMARY.md");
    summary_t s;
    load_summary(b, &s, sum_display, readme, &cfg);
    /* the language comes from the configuration, else from the text itself */
    char **raw = xcalloc(s.n + 1, sizeof *raw);
    size_t *raw_len = xcalloc(s.n + 1, sizeof *raw_len);
    buf_t all;
    buf_init(&all);
    for (size_t i = 0; i < s.n; i++) {
        raw[i] = read_chapter(b, &s.v[i], sum_display, &raw_len[i]);
        if (raw[i] && !b->meta.lang) buf_put(&all, raw[i], raw_len[i]);
    }
    if (!b->meta.lang && all.len) b->meta.lang = xstrdup(lang_of_text(all.data, all.len));
    buf_free(&all);
    if (lang_hook && b->meta.lang) lang_hook(b->meta.lang);
    if (glossary_entry(&s, b, &cfg)) /* raw has a slot to spare for it */
        raw[s.n - 1] = read_chapter(b, &s.v[s.n - 1], sum_display, &raw_len[s.n - 1]);
    cfg.vars.nunjucks = cfg.kind == CONFIG_GITBOOK;
    for (size_t i = 0; i < s.n; i++) {
        size_t before = b->n_chapters;
        if (raw[i])
            chapter_from_text(b, &s.v[i], raw[i], raw_len[i], &cfg.vars, cfg.hidelines.data);
        if (chapter_hook && b->n_chapters > before) chapter_hook(b, b->n_chapters - 1);
    }
    for (size_t i = 0; i < s.n; i++)
        free(raw[i]);
    free(raw), free(raw_len);
    if (b->n_chapters == 0 && d->errors == 0) {
        /* said at the contents file when there is one, else at the book's folder
           (bwag's ru/ has neither: a SUMMARY.md that does not exist is no place) */
        char *folder = xstrdup(b->root);
        for (size_t l = strlen(folder); l > 1 && folder[l - 1] == '/';)
            folder[--l] = '\0';
        diag_add(d, DIAG_ERROR, path_exists(sum_display) ? sum_display : folder, 1, 1,
                 "the book has no chapters (no SUMMARY.md, _sidebar.md or README.md with any)");
        free(folder);
    }
    char *fallback = fallback_title(b, &s, &cfg, readme, project);
    if (!b->meta.cover && cfg.kind == CONFIG_GITBOOK) {
        /* GitBook's cover is cover.jpg beside the book */
        char *cj = path_join(b->root, "cover.jpg");
        if (path_exists(cj)) b->meta.cover = xstrdup("cover.jpg");
        free(cj);
    }
    char *yaml = path_join(project, "book.yaml");
    b->meta.source_epoch = source_epoch(b, project);
    meta_finish(&b->meta, fallback, project, d, yaml);
    free(yaml);
    if (lang) { /* the languages often share a title: the folder tells their files apart */
        char *named = xmalloc(strlen(b->meta.output) + strlen(lang) + 2);
        sprintf(named, "%s-%s", b->meta.output, lang);
        for (char *p = named; *p; p++)
            if (*p == '/') *p = '-';
        free(b->meta.output);
        b->meta.output = named;
    }
    free(fallback);
    summary_free(&s);
    free(sum_display);
    config_free(&cfg);
    for (size_t i = 0; i < b->n_chapters; i++)
        index_chapter(b, (int)i), mathmd_chapter(b, (int)i), figure_anchors(b, (int)i);
    for (size_t i = 0; i < b->n_chapters; i++) /* #10: [@fig:x] once every label is known */
        crossref_links(b, (int)i);
    for (size_t i = 0; i < b->n_chapters; i++)
        index_links(b, (int)i);
    mathmd_check_refs(b);
    mathmd_plain_titles(b);
    if (b->meta.cover) b->cover = index_add_image(b, -1, 1, 1, b->meta.cover, true);
    free(project_owned), free(lang);
    return b;
}
