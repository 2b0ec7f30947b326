#include "include.h"
#include "clean.h"
#include "gbtags.h"
#include "words.h"
#include "mdutil.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 10

typedef struct {
    const char *root, *display_root;
    diags_t *d;
    linemap_t *map;
    buf_t out;
    lang_kind lang;      /* for placeholders */
    const char *content; /* GitBook: where an include's "/path" starts */
    gbvars_t vars;       /* GitBook: the book's variables, then the page's {% set %} */
    bool ifs[32];        /* GitBook: each open {% if %}: true when a branch was kept */
    int n_ifs;
} ictx;

static void map_line(ictx *c, int file, int line) {
    XGROW(c->map->file, c->map->cap, c->map->n);
    /* file and line grow together: cap is shared, so grow line by hand */
    c->map->line = xrealloc(c->map->line, c->map->cap * sizeof *c->map->line);
    c->map->file[c->map->n] = file;
    c->map->line[c->map->n++] = line;
}

/* Appends text from file `file` starting at its line `line`, mapping each line. */
static void append(ictx *c, const char *s, size_t n, int file, int line) {
    /* a line at a time (byte by byte, a book without includes spent 45
       instructions a byte here, #14) */
    for (size_t i = 0; i < n;) {
        if (c->out.len == 0 || c->out.data[c->out.len - 1] == '\n') map_line(c, file, line);
        const char *nl = memchr(s + i, '\n', n - i);
        size_t k = nl ? (size_t)(nl - (s + i)) + 1 : n - i;
        buf_put(&c->out, s + i, k);
        i += k;
        if (nl) line++;
    }
}

/* Whether the anchor name after "ANCHOR:" is exactly name ("here" is not "here_too"). */
static bool anchor_is(const char *p, const char *name) {
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(name);
    return strncmp(p, name, n) == 0 &&
           !(isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-');
}

/* A docsify fragment's marker line: "/// [name]" or "### [name]". */
static bool docsify_marker(const char *p, size_t l, const char *name) {
    size_t nl = strlen(name);
    for (const char *s = p; s + 6 + nl <= p + l; s++) {
        if (strncmp(s, "///", 3) != 0 && strncmp(s, "###", 3) != 0) continue;
        const char *b = s + 3;
        while (b < p + l && (*b == ' ' || *b == '\t'))
            b++;
        if (b + nl + 2 <= p + l && *b == '[' && strncmp(b + 1, name, nl) == 0 && b[nl + 1] == ']')
            return true;
    }
    return false;
}

/* Selects the lines a directive's suffix names ("", ":N", ":A:B", ":anchor"). */
static char *select_lines(const char *text, const char *sel, int *first_line) {
    *first_line = 1;
    long a = 1, z = -1;
    const char *anchor = NULL;
    if (!*sel) {
        /* the whole file */
    } else if (isdigit((unsigned char)sel[0]) || sel[0] == ':') {
        char *end;
        a = sel[0] == ':' ? 1 : strtol(sel, &end, 10);
        const char *p = sel[0] == ':' ? sel : end;
        if (*p == ':') {
            p++;
            z = *p ? strtol(p, NULL, 10) : -1;
        } else {
            z = a; /* a single number: that line alone */
        }
    } else {
        anchor = sel;
    }
    buf_t b;
    buf_init(&b);
    bool inside = anchor == NULL;
    long ln = 1;
    for (const char *p = text; *p; ln++) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p + 1) : strlen(p);
        if (anchor && docsify_marker(p, l, anchor)) {
            if (inside) break;
            inside = true;
            *first_line = (int)ln + 1;
        } else if (anchor) {
            char *line = xstrndup(p, l);
            char *m = strstr(line, "ANCHOR");
            bool is_start = m && strncmp(m, "ANCHOR:", 7) == 0 && anchor_is(m + 7, anchor);
            bool is_end = m && strncmp(m, "ANCHOR_END:", 11) == 0 && anchor_is(m + 11, anchor);
            free(line);
            if (is_end) break;
            if (inside && !m) buf_put(&b, p, l);
            if (is_start) {
                inside = true;
                *first_line = (int)ln + 1;
            }
        } else if (ln >= a && (z < 0 || ln <= z)) {
            if (!b.len) *first_line = (int)ln;
            /* mdBook drops anchor marker lines from every include */
            char *line = xstrndup(p, l);
            bool marker = strstr(line, "ANCHOR:") || strstr(line, "ANCHOR_END:");
            free(line);
            if (!marker) buf_put(&b, p, l);
        }
        p += l;
    }
    return buf_detach(&b);
}

static void expand(ictx *c, const char *rel, const char *text, size_t len, int file, int depth);

/* What a reader sees where an include failed: the words, not a silent gap. */
static void placeholder(ictx *c, const char *spec, int file, int line) {
    buf_t t;
    buf_init(&t);
    buf_printf(&t, word(c->lang, W_MISSING_INCLUDE), spec);
    append(c, t.data, t.len, file, line);
    buf_free(&t);
}

/* Handles one directive body ("path:sel") found in file `file` at `line`. */
/* as_code: the file is shown as code, its own directives left as written */
static void include_one(ictx *c, const char *rel, const char *body, int file, int line, int col,
                        int depth, bool as_code) {
    char *spec = xstrdup(body);
    char *sel = strchr(spec, ':');
    if (sel) *sel++ = '\0';
    char *dir = path_dirname(rel), *target;
    ref_status st = ref_resolve(c->root, dir, spec, &target);
    free(dir);
    const char *where = c->map->files[file];
    if (st != REF_OK || depth >= MAX_DEPTH) {
        if (depth >= MAX_DEPTH)
            diag_add(c->d, DIAG_WARNING, where, line, col,
                     "includes nested deeper than %d (a loop?); left out", MAX_DEPTH);
        else
            diag_add(c->d, DIAG_WARNING, where, line, col,
                     st == REF_ESCAPES ? "included file '%s' leaves the project folder; left out"
                                       : "missing included file '%s'; left out",
                     spec);
        placeholder(c, spec, file, line);
    } else {
        char *full = path_join(c->root, target);
        char *display = path_join(c->display_root, target);
        size_t raw_len, clean_len;
        char *raw = read_file(full, &raw_len);
        if (!raw) {
            diag_add(c->d, DIAG_WARNING, where, line, col,
                     "cannot read included file '%s'; left out", spec);
            placeholder(c, spec, file, line);
        } else {
            char *clean = text_clean(raw, raw_len, &clean_len, display, c->d);
            int first;
            char *part = select_lines(clean, sel ? sel : "", &first);
            /* as in mdBook, the directive's own line end follows the text */
            size_t plen = strlen(part);
            if (plen && part[plen - 1] == '\n') part[plen - 1] = '\0';
            c->map->files = xrealloc(c->map->files, (c->map->n_files + 1) * sizeof(char *));
            c->map->files[c->map->n_files] = display;
            display = NULL;
            int idx = (int)c->map->n_files++;
            /* the included text starts at its own line `first` */
            size_t before = c->map->n;
            if (as_code)
                append(c, part, strlen(part), idx, 1);
            else
                expand(c, target, part, strlen(part), idx, depth + 1);
            for (size_t i = before; i < c->map->n; i++)
                if (c->map->file[i] == idx) c->map->line[i] += first - 1;
            free(part);
            free(clean);
            free(raw);
        }
        free(display);
        free(full);
    }
    free(target);
    free(spec);
}

/* mdBook's directives: the ones that bring in a file, and {{#title}}, which
   only names the HTML page and prints nothing. */
typedef enum { DIR_NONE, DIR_INCLUDE, DIR_PLAYGROUND, DIR_TITLE, DIR_UNKNOWN } dir_kind;

/* Whether the line before text[at] opens (or closes) a code fence: a
   {{#playground}} written inside a fence of the author's is not fenced again. */
static bool after_fence(const char *text, size_t at) {
    size_t ls = at;
    while (ls > 0 && text[ls - 1] != '\n')
        ls--;
    if (ls == 0) return false;
    size_t ps = ls - 1;
    while (ps > 0 && text[ps - 1] != '\n')
        ps--;
    size_t k = ps;
    while (k < ls && k - ps < 3 && text[k] == ' ')
        k++;
    return k + 3 <= ls && (text[k] == '`' || text[k] == '~') && text[k + 1] == text[k] &&
           text[k + 2] == text[k];
}

/* {{#playground file.rs editable}}: as mdBook, the file in a ```rust block,
   the words after the path its attributes (```rust,editable); written in a
   fence of the author's (in_fence), the file's text alone. */
static void playground(ictx *c, const char *rel, char *body, int file, int line, int col, int depth,
                       bool in_fence) {
    size_t path_len = strcspn(body, " \t");
    if (in_fence) {
        body[path_len] = '\0';
        include_one(c, rel, body, file, line, col, depth, false);
        return;
    }
    buf_t fence;
    buf_init(&fence);
    buf_puts(&fence, "```rust");
    for (char *a = body + path_len; *a;) {
        a += strspn(a, " \t");
        size_t n = strcspn(a, " \t");
        if (n) buf_putc(&fence, ','), buf_put(&fence, a, n);
        a += n;
    }
    buf_putc(&fence, '\n');
    body[path_len] = '\0';
    append(c, fence.data, fence.len, file, line); /* mapped to the directive's line */
    include_one(c, rel, body, file, line, col, depth, true);
    append(c, "\n```", 4, file, line);
    buf_free(&fence);
}

static dir_kind directive_at(const char *s, size_t n, size_t *name_len) {
    static const struct {
        const char *name;
        dir_kind kind;
    } names[] = {{"{{#include ", DIR_INCLUDE},
                 {"{{#rustdoc_include ", DIR_INCLUDE},
                 {"{{#playground ", DIR_PLAYGROUND},
                 {"{{#playpen ", DIR_PLAYGROUND},
                 {"{{#title ", DIR_TITLE}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t l = strlen(names[i].name);
        if (n >= l && memcmp(s, names[i].name, l) == 0) {
            *name_len = l;
            return names[i].kind;
        }
    }
    return DIR_NONE;
}

/* Another preprocessor's directive, {{#name …}} or {{%name …}} (comprehensive-
   rust's mdbook-course prints a session's outline for {{%session outline}}):
   nothing here can run it, and printed raw it reads as a typo. */
static bool unknown_directive_at(const char *s, size_t n) {
    if (n < 5 || s[0] != '{' || s[1] != '{' || (s[2] != '#' && s[2] != '%') ||
        !isalpha((unsigned char)s[3]))
        return false;
    size_t k = 4;
    while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-'))
        k++;
    return k < n && (s[k] == ' ' || s[k] == '}');
}

/* How docsify embeds a file, from :type= or else its extension: 0 Markdown,
   1 code, -1 not at all (an iframe, a video or a sound, left a link). */
static int docsify_type(const char *opts, const char *path, size_t n) {
    const char *t = strstr(opts, ":type=");
    if (t) {
        t += 6;
        if (strncmp(t, "code", 4) == 0) return 1;
        if (strncmp(t, "markdown", 8) == 0) return 0;
        return -1;
    }
    const char *dot = NULL;
    for (const char *s = path; s < path + n; s++)
        if (*s == '.')
            dot = s;
        else if (*s == '/')
            dot = NULL;
    size_t el = dot ? (size_t)(path + n - dot) : 0;
    static const char *const md[] = {".md", ".markdown"}, *const media[] = {".html", ".htm", ".mp3",
                                                                            ".mp4", ".ogg"};
    for (size_t i = 0; i < 2; i++)
        if (el == strlen(md[i]) && strncasecmp(dot, md[i], el) == 0) return 0;
    for (size_t i = 0; i < 5; i++)
        if (el == strlen(media[i]) && strncasecmp(dot, media[i], el) == 0) return -1;
    return 1;
}

/* docsify's [text](path ':include') (and ':include :type=code'): at text[i]
   ('['), the length of the whole link, or 0. Sets *path (caller frees) and
   *code when the file is shown as code (not Markdown). */
static size_t docsify_include_at(const char *text, size_t len, size_t i, char **path, bool *code) {
    const char *eol = memchr(text + i, '\n', len - i);
    size_t end = eol ? (size_t)(eol - text) : len;
    const char *mid = memmem(text + i, end - i, "](", 2);
    if (!mid) return 0;
    const char *p = mid + 2, *e = p;
    while (e < text + end && *e != ' ' && *e != ')')
        e++;
    const char *q = e;
    while (q < text + end && *q == ' ')
        q++;
    if (q >= text + end || (*q != '\'' && *q != '"')) return 0;
    const char *qe = memchr(q + 1, *q, (size_t)(text + end - q - 1));
    if (!qe || qe + 1 >= text + end || qe[1] != ')' || strncmp(q + 1, ":include", 8) != 0) return 0;
    if (e == p || memmem(p, (size_t)(e - p), "://", 3)) return 0; /* remote: left a link */
    char *opts = xstrndup(q + 1, (size_t)(qe - q - 1));
    int type = docsify_type(opts, p, (size_t)(e - p));
    if (type < 0) return free(opts), 0; /* a page, a video or a sound: print cannot play it */
    *code = type == 1;
    /* :fragment=demo: the lines between "/// [demo]" or "### [demo]" (select_lines) */
    const char *frag = strstr(opts, ":fragment=");
    size_t fl = frag ? strcspn(frag + 10, " ") : 0;
    *path = xmalloc((size_t)(e - p) + fl + 2);
    memcpy(*path, p, (size_t)(e - p));
    (*path)[e - p] = '\0';
    if (fl) strcat(*path, ":"), strncat(*path, frag + 10, fl);
    free(opts);
    return (size_t)(qe + 2 - (text + i));
}

/* {% if %} … {% elif %} … {% else %} … {% endif %}: the branch whose condition
   holds is kept and the others skipped; a condition gbtag_eval cannot tell
   keeps every branch, with a warning. Returns where the text goes on. */
static size_t gitbook_if(ictx *c, const gbtag_t *t, const char *text, size_t len, size_t next,
                         int file, int *line, int col) {
    if (t->act == GBT_ENDIF) {
        if (c->n_ifs) c->n_ifs--;
        return next;
    }
    if (t->act == GBT_ELSE || strcmp(t->name, "elif") == 0) {
        /* the end of a kept branch: the rest goes, up to the endif */
        if (!c->n_ifs || !c->ifs[c->n_ifs - 1]) return next;
        c->n_ifs--;
        gbtag_t end;
        next = gbtag_skip_branch(text, len, next, line, false, &end);
        gbtag_free(&end);
        return next;
    }
    const char *cond = t->arg;
    char *owned = NULL;
    for (;;) {
        int v = gbtag_eval(cond, &c->vars);
        if (v < 0)
            diag_add(c->d, DIAG_WARNING, c->map->files[file], *line, col,
                     "'{%% if %s %%}' cannot be decided for a book; every branch kept", cond);
        if (v != 0) {
            if (c->n_ifs < 32) c->ifs[c->n_ifs++] = v > 0;
            break;
        }
        gbtag_t end;
        next = gbtag_skip_branch(text, len, next, line, true, &end);
        free(owned), owned = end.arg, end.arg = NULL;
        cond = owned;
        if (end.act == GBT_ELSE && c->n_ifs < 32) c->ifs[c->n_ifs++] = true;
        bool again = end.act == GBT_IF;
        gbtag_free(&end);
        if (!again) break;
    }
    free(owned);
    return next;
}

/* A GitBook/HonKit tag at text[i] (gbtags.c says what it stands for): appends
   its meaning and returns the index after it (after {% endraw %} for raw), or
   i when there is no tag there. *line counts the lines a raw block spans. */
static size_t gitbook_tag(ictx *c, const char *rel, const char *text, size_t len, size_t i,
                          int file, int *line, int col, int depth) {
    gbtag_t t;
    if (!gbtag_at(text + i, len - i, &t)) return i;
    size_t next = i + t.len;
    const char *where = c->map->files[file];
    if (t.unknown && strcmp(t.unknown, "include") == 0)
        diag_add(c->d, DIAG_WARNING, where, *line, col,
                 "'{%% include %%}' names no file; left out");
    else if (t.unknown)
        diag_add(c->d, DIAG_WARNING, where, *line, col,
                 "unknown GitBook tag '{%% %s %%}'; left out, its content kept", t.unknown);
    if (t.act == GBT_INCLUDE && t.arg[0] == '/') {
        /* GitBook's "/x.md" is the content folder's x.md: made relative to rel */
        buf_t p;
        buf_init(&p);
        for (const char *s = strchr(rel, '/'); s; s = strchr(s + 1, '/'))
            buf_puts(&p, "../");
        buf_printf(&p, "%s%s", c->content, t.arg);
        include_one(c, rel, p.data, file, *line, col, depth, false);
        buf_free(&p);
    } else if (t.act == GBT_INCLUDE) {
        include_one(c, rel, t.arg, file, *line, col, depth, false);
    } else if (t.act == GBT_SET) {
        gbvars_set(&c->vars, t.arg, t.text, true);
    } else if (t.act == GBT_IF || t.act == GBT_ELSE || t.act == GBT_ENDIF) {
        next = gitbook_if(c, &t, text, len, next, file, line, col);
    } else if (t.act == GBT_RAW) {
        size_t at, tl;
        if (!gbtag_endraw(text + next, len - next, &at, &tl)) {
            diag_add(c->d, DIAG_WARNING, where, *line, col,
                     "'{%% raw %%}' is never closed; the rest of the file is kept as written");
            at = len - next, tl = 0;
        }
        append(c, text + next, at, file, *line);
        for (size_t k = next; k < next + at; k++)
            *line += text[k] == '\n';
        next += at + tl;
    } else if (t.text) {
        /* a block of lines starts on a line of its own, at the tag's indentation */
        size_t k = c->out.len;
        while (k > 0 && (c->out.data[k - 1] == ' ' || c->out.data[k - 1] == '\t'))
            k--;
        if (t.act == GBT_BLOCK && k > 0 && c->out.data[k - 1] != '\n')
            append(c, "\n", 1, file, *line);
        append(c, t.text, strlen(t.text), file, *line);
    }
    gbtag_free(&t);
    return next;
}

/* A docsify code embed's fence, its language the file's extension (as docsify's). */
static void code_fence_open(ictx *c, const char *path, int file, int line) {
    size_t n = strcspn(path, ":");
    const char *dot = NULL;
    for (const char *s = path; s < path + n; s++)
        dot = *s == '.' ? s + 1 : *s == '/' ? NULL : dot;
    append(c, "\n```", 4, file, line);
    if (dot && (size_t)(path + n - dot) < 16) append(c, dot, (size_t)(path + n - dot), file, line);
    append(c, "\n", 1, file, line);
}

/* Whether a {{ name }} is replaced: a variable GitBook knows, even in code (as
   GitBook does); outside code an unknown book.NAME, or in a book.json book any
   unset name (Nunjucks prints nothing for it), with a warning. Other names
   ({{ post.title }} of a Vue example in an mdBook) stay as written. */
static bool gitbook_var(ictx *c, const char *name, size_t n, int file, int line, int col,
                        bool in_code) {
    if (gbvars_get(&c->vars, name, n)) return true;
    bool book_var = n > 5 && memcmp(name, "book.", 5) == 0;
    if (in_code || !(book_var || c->vars.nunjucks)) return false;
    diag_add(c->d, DIAG_WARNING, c->map->files[file], line, col,
             "unknown GitBook variable '{{ %.*s }}'; left out", (int)n, name);
    return true;
}

/* The column after text[from..to) when the text at from is at column col. */
static int col_after(const char *text, size_t from, size_t to, int col) {
    for (size_t k = from; k < to; k++)
        if (text[k] == '\n')
            col = 1;
        else if (((unsigned char)text[k] & 0xC0) != 0x80)
            col++;
    return col;
}

static void expand(ictx *c, const char *rel, const char *text, size_t len, int file, int depth) {
    size_t start = 0, i = 0, name_len = 0;
    int line = 1, col = 1, start_line = 1;
    bool fence = false; /* inside a fenced code block: docsify links are examples there */
    size_t ticks = 0;   /* backticks so far on this line: odd means inside inline code */
    while (i < len) {
        if (i == 0 || text[i - 1] == '\n') {
            size_t k = i;
            while (k < len && text[k] == ' ')
                k++;
            if (len - k >= 3 &&
                (memcmp(text + k, "```", 3) == 0 || memcmp(text + k, "~~~", 3) == 0))
                fence = !fence;
            ticks = 0;
        }
        if (text[i] == '`') ticks++;
        char *dpath = NULL;
        bool code = false;
        size_t dl = text[i] == '[' && !fence && ticks % 2 == 0
                        ? docsify_include_at(text, len, i, &dpath, &code)
                        : 0;
        if (dl) {
            append(c, text + start, i - start, file, start_line);
            if (code) code_fence_open(c, dpath, file, line);
            include_one(c, rel, dpath, file, line, col, depth, code);
            if (code) append(c, "\n```\n", 5, file, line);
            free(dpath);
            col = col_after(text, i, i + dl, col);
            i += dl;
            start = i;
            start_line = line;
            continue;
        }
        size_t var_at, var_len,
            var = text[i] == '{' ? gbvar_at(text + i, len - i, &var_at, &var_len) : 0;
        if (var &&
            gitbook_var(c, text + i + var_at, var_len, file, line, col, fence || ticks % 2)) {
            append(c, text + start, i - start, file, start_line);
            const char *val = gbvars_get(&c->vars, text + i + var_at, var_len);
            if (val) append(c, val, strlen(val), file, line);
            col = col_after(text, i, i + var, col);
            i = start = i + var;
            start_line = line;
            continue;
        }
        if (text[i] == '{' && i + 1 < len && text[i + 1] == '%' && !fence && ticks % 2 == 0) {
            append(c, text + start, i - start, file, start_line);
            start_line = line;
            size_t after = gitbook_tag(c, rel, text, len, i, file, &line, col, depth);
            if (after != i) {
                col = col_after(text, i, after, col);
                i = start = after;
                start_line = line;
                continue;
            }
            start = i;
        }
        dir_kind k = text[i] == '{' ? directive_at(text + i, len - i, &name_len) : DIR_NONE;
        /* code shows other templates' {{#each}} as they are written */
        if (k == DIR_NONE && !fence && ticks % 2 == 0 && unknown_directive_at(text + i, len - i))
            k = DIR_UNKNOWN, name_len = 2;
        if (k != DIR_NONE && i > 0 && text[i - 1] == '\\') {
            /* \{{#include x}} is mdBook's escape: the directive printed as written */
            append(c, text + start, i - 1 - start, file, start_line);
            start = i;
            start_line = line;
        } else if (k != DIR_NONE) {
            const char *close = memchr(text + i, '}', len - i);
            size_t body_at = i + name_len;
            if (close && (size_t)(close - text) + 1 < len && close[1] == '}' &&
                !memchr(text + i, '\n', (size_t)(close - text) - i)) {
                append(c, text + start, i - start, file, start_line);
                char *body = xstrndup(text + body_at, (size_t)(close - text) - body_at);
                char *b = body;
                while (*b == ' ')
                    b++;
                for (char *e = b + strlen(b); e > b && e[-1] == ' ';)
                    *--e = '\0';
                if (k == DIR_UNKNOWN)
                    diag_add(c->d, DIAG_WARNING, c->map->files[file], line, col,
                             "unknown directive '{{%s}}'; left out", b);
                else if (k == DIR_PLAYGROUND)
                    playground(c, rel, b, file, line, col, depth, after_fence(text, i));
                else if (k != DIR_TITLE)
                    include_one(c, rel, b, file, line, col, depth, false);
                free(body);
                /* the next directive's column counts this one's characters
                   (cairo-book's two on a line were reported at 42:4 and 42:5) */
                col = col_after(text, i, (size_t)(close - text) + 2, col);
                i = (size_t)(close - text) + 2;
                start = i;
                start_line = line;
                continue;
            }
        }
        if (text[i] == '\n') {
            line++;
            col = 1;
            i++;
            continue;
        }
        if (((unsigned char)text[i] & 0xC0) != 0x80) col++;
        /* then the bytes none of the rules above looks at, in a tight loop */
        for (i++; i < len && text[i] != '\n' && text[i] != '`' && text[i] != '[' && text[i] != '{';
             i++)
            col += ((unsigned char)text[i] & 0xC0) != 0x80;
    }
    append(c, text + start, len - start, file, start_line);
}

char *include_expand(const char *root, const char *rel, const char *text, size_t len,
                     size_t *out_len, linemap_t *map, const char *display_root, diags_t *d,
                     lang_kind lang, const char *content, const gbvars_t *vars) {
    ictx c = {root, display_root, d, map, {0}, lang, content ? content : "", {0}, {0}, 0};
    gbvars_copy(&c.vars, vars);
    buf_init(&c.out);
    memset(map, 0, sizeof *map);
    map->files = xmalloc(sizeof(char *));
    map->files[0] = path_join(display_root, rel);
    map->n_files = 1;
    expand(&c, rel, text, len, 0, 0);
    gbvars_free(&c.vars);
    *out_len = c.out.len;
    return buf_detach(&c.out);
}

void linemap_free(linemap_t *m) {
    for (size_t i = 0; i < m->n_files; i++)
        free(m->files[i]);
    free(m->files);
    free(m->file);
    free(m->line);
    memset(m, 0, sizeof *m);
}
