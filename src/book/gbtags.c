#include "gbtags.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of key="v", key='v' or key=v in a tag's arguments, or NULL. */
static char *attr(const char *args, const char *key) {
    size_t kl = strlen(key);
    for (const char *p = strstr(args, key); p; p = strstr(p + 1, key)) {
        bool start = p == args || isspace((unsigned char)p[-1]);
        const char *q = p + kl;
        while (*q == ' ')
            q++;
        if (!start || *q != '=') continue;
        q++;
        while (*q == ' ')
            q++;
        if (*q == '"' || *q == '\'') {
            const char *e = strchr(q + 1, *q);
            return e ? xstrndup(q + 1, (size_t)(e - q - 1)) : NULL;
        }
        return xstrndup(q, strcspn(q, " \t"));
    }
    return NULL;
}

/* The first quoted string of the arguments ({% include "./a.md" %}), else the first word. */
static char *first_string(const char *args) {
    while (*args == ' ' || *args == '\t')
        args++;
    if (*args == '"' || *args == '\'') {
        const char *e = strchr(args + 1, *args);
        return e && e > args + 1 ? xstrndup(args + 1, (size_t)(e - args - 1)) : NULL;
    }
    size_t n = strcspn(args, " \t");
    return n ? xstrndup(args, n) : NULL;
}

/* Text as Markdown prints it: the characters that would start markup escaped. */
static void put_escaped(buf_t *b, const char *s) {
    for (; *s; s++) {
        if (strchr("\\`*_[]<>#!|~", *s)) buf_putc(b, '\\');
        buf_putc(b, *s);
    }
}

/* A paragraph holding a link to url (its text: text, else the url). */
static char *link_block(const char *text, const char *url) {
    buf_t b;
    buf_init(&b);
    buf_puts(&b, "\n[");
    put_escaped(&b, text && *text ? text : url);
    buf_puts(&b, "](<");
    for (const char *s = url; *s; s++)
        if (*s != '<' && *s != '>') buf_putc(&b, *s);
    buf_puts(&b, ">)\n\n");
    return buf_detach(&b);
}

/* A hint's style as a callout kind name callout.c reads (letters only). */
static char *hint_block(const char *style) {
    buf_t b;
    buf_init(&b);
    buf_puts(&b, GBTAG_CALLOUT_OPEN);
    for (const char *s = style && *style ? style : "info"; *s; s++)
        if (isalpha((unsigned char)*s)) buf_putc(&b, (char)tolower((unsigned char)*s));
    buf_puts(&b, "-->\n");
    return buf_detach(&b);
}

/* Tags that only arrange their content for the web: what they hold stays, in order. */
static bool transparent(const char *name) {
    static const char *const names[] = {"tabs",    "content-ref", "stepper", "step",
                                        "columns", "column",      "endraw",  "filename"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0) return true;
    return strncmp(name, "end", 3) == 0; /* an end tag: its opening tag said what to do */
}

/* {% set name = 'value' %} (or "value", or an expression kept as written). */
static bool set_tag(gbtag_t *t, const char *args) {
    while (*args == ' ')
        args++;
    size_t n = 0;
    while (isalnum((unsigned char)args[n]) || args[n] == '_')
        n++;
    const char *eq = args + n;
    while (*eq == ' ')
        eq++;
    if (!n || *eq != '=') return false;
    eq++;
    while (*eq == ' ')
        eq++;
    size_t vl = strlen(eq);
    while (vl && eq[vl - 1] == ' ')
        vl--;
    if (vl >= 2 && (eq[0] == '\'' || eq[0] == '"') && eq[vl - 1] == eq[0]) eq++, vl -= 2;
    t->arg = xstrndup(args, n);
    t->text = xstrndup(eq, vl);
    return true;
}

static void meaning(gbtag_t *t, const char *name, const char *args) {
    char *a = NULL, *b = NULL;
    t->act = GBT_BLOCK;
    if (strcmp(name, "hint") == 0) {
        t->text = hint_block(a = attr(args, "style"));
    } else if (strcmp(name, "endhint") == 0) {
        t->text = xstrdup(GBTAG_CALLOUT_END "\n");
    } else if (strcmp(name, "include") == 0) {
        t->act = GBT_INCLUDE;
        t->arg = first_string(args);
        if (!t->arg) t->act = GBT_TEXT, t->unknown = xstrdup(name);
    } else if (strcmp(name, "raw") == 0) {
        t->act = GBT_RAW;
    } else if (strcmp(name, "if") == 0 || strcmp(name, "elif") == 0) {
        t->act = GBT_IF;
        while (*args == ' ')
            args++;
        size_t n = strlen(args);
        while (n && args[n - 1] == ' ')
            n--;
        t->arg = xstrndup(args, n);
    } else if (strcmp(name, "else") == 0) {
        t->act = GBT_ELSE;
    } else if (strcmp(name, "endif") == 0) {
        t->act = GBT_ENDIF;
    } else if (strcmp(name, "set") == 0 && set_tag(t, args)) {
        t->act = GBT_SET;
    } else if (strcmp(name, "code") == 0) {
        /* the title is the file name GitBook shows above the block: a listing's */
        if ((a = attr(args, "title")) && *a) {
            buf_t s;
            buf_init(&s);
            buf_puts(&s, "\n<Listing file-name=\"");
            for (const char *p = a; *p; p++)
                if (*p != '"' && *p != '<' && *p != '>' && *p != '&') buf_putc(&s, *p);
            buf_puts(&s, "\">\n\n");
            t->text = buf_detach(&s);
        } else {
            t->act = GBT_TEXT;
        }
    } else if (strcmp(name, "endcode") == 0) {
        t->text = xstrdup("\n</Listing>\n\n");
    } else if (strcmp(name, "tab") == 0) {
        /* print cannot switch tabs: each one follows the other under its title */
        buf_t s;
        buf_init(&s);
        buf_puts(&s, "\n**");
        put_escaped(&s, (a = attr(args, "title")) ? a : "");
        buf_puts(&s, "**\n\n");
        t->text = buf_detach(&s);
        if (!a || !*a) free(t->text), t->text = NULL, t->act = GBT_TEXT;
    } else if (strcmp(name, "embed") == 0 && (a = attr(args, "url"))) {
        t->text = link_block(b = attr(args, "caption"), a);
    } else if (strcmp(name, "file") == 0 && (a = attr(args, "src"))) {
        const char *base = strrchr(a, '/');
        t->text = link_block(base && base[1] ? base + 1 : a, a);
    } else if (strcmp(name, "page-ref") == 0 && (a = attr(args, "page"))) {
        t->text = link_block(NULL, a);
    } else {
        t->act = GBT_TEXT;
        if (!transparent(name)) t->unknown = xstrdup(name);
    }
    free(a), free(b);
}

bool gbtag_at(const char *s, size_t n, gbtag_t *t) {
    memset(t, 0, sizeof *t);
    if (n < 5 || s[0] != '{' || s[1] != '%') return false;
    size_t i = 2;
    if (i < n && s[i] == '-') i++; /* Nunjucks' whitespace control */
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t name_at = i;
    if (i >= n || !(isalpha((unsigned char)s[i]) || s[i] == '_')) return false;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
        i++;
    size_t name_end = i;
    /* a '-' just before "%}" is whitespace control, not part of the name */
    if (name_end > name_at && s[name_end - 1] == '-' && name_end + 1 < n && s[name_end] == '%')
        name_end--;
    if (i < n && !(s[i] == ' ' || s[i] == '\t' || s[i] == '%' || s[i] == '-')) return false;
    size_t args_at = i;
    char quote = 0;
    for (; i + 1 < n && s[i] != '\n'; i++) {
        if (quote) {
            if (s[i] == quote) quote = 0;
        } else if (s[i] == '"' || s[i] == '\'') {
            quote = s[i];
        } else if (s[i] == '%' && s[i + 1] == '}') {
            break;
        }
    }
    if (i + 1 >= n || s[i] != '%' || s[i + 1] != '}') return false;
    t->len = i + 2;
    size_t args_end = i > args_at && s[i - 1] == '-' ? i - 1 : i;
    char *name = xstrndup(s + name_at, name_end - name_at);
    char *args = xstrndup(s + args_at, args_end > args_at ? args_end - args_at : 0);
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    snprintf(t->name, sizeof t->name, "%s", name);
    meaning(t, name, args);
    free(name), free(args);
    return true;
}

bool gbtag_endraw(const char *s, size_t n, size_t *at, size_t *tag_len) {
    for (const char *p = s; (p = memchr(p, '{', n - (size_t)(p - s))); p++) {
        gbtag_t t;
        if (!gbtag_at(p, n - (size_t)(p - s), &t)) continue;
        /* only the end tag stops it: {% raw %} keeps every other tag as written */
        const char *q = p + 2;
        while (*q == '-' || *q == ' ' || *q == '\t')
            q++;
        bool end = strncmp(q, "endraw", 6) == 0 && !isalnum((unsigned char)q[6]);
        size_t len = t.len;
        gbtag_free(&t);
        if (end) {
            *at = (size_t)(p - s);
            *tag_len = len;
            return true;
        }
    }
    return false;
}

size_t gbtag_skip_branch(const char *text, size_t len, size_t i, int *line, bool at_else,
                         gbtag_t *end) {
    int depth = 0;
    for (; i < len; i++) {
        if (text[i] == '\n') (*line)++;
        if (text[i] != '{' || !gbtag_at(text + i, len - i, end)) continue;
        bool is_if = end->act == GBT_IF && strcmp(end->name, "if") == 0;
        bool branch = end->act == GBT_ELSE || (end->act == GBT_IF && !is_if);
        if (is_if) depth++;
        if (end->act == GBT_ENDIF && depth-- == 0) return i + end->len;
        if (branch && at_else && depth == 0) return i + end->len;
        gbtag_free(end);
    }
    memset(end, 0, sizeof *end);
    return len;
}

void gbtag_free(gbtag_t *t) {
    free(t->text);
    free(t->arg);
    free(t->unknown);
    memset(t, 0, sizeof *t);
}

void gbvars_set(gbvars_t *v, const char *name, const char *value, bool replace) {
    for (size_t i = 0; i < v->n; i++) {
        if (strcmp(v->name[i], name) != 0) continue;
        if (replace) free(v->value[i]), v->value[i] = xstrdup(value);
        return;
    }
    v->name = xrealloc(v->name, (v->n + 1) * sizeof *v->name);
    v->value = xrealloc(v->value, (v->n + 1) * sizeof *v->value);
    v->name[v->n] = xstrdup(name);
    v->value[v->n++] = xstrdup(value);
}

const char *gbvars_get(const gbvars_t *v, const char *name, size_t n) {
    for (size_t i = 0; v && i < v->n; i++)
        if (strlen(v->name[i]) == n && memcmp(v->name[i], name, n) == 0) return v->value[i];
    return NULL;
}

void gbvars_copy(gbvars_t *dst, const gbvars_t *src) {
    if (src) dst->nunjucks = src->nunjucks;
    for (size_t i = 0; src && i < src->n; i++)
        gbvars_set(dst, src->name[i], src->value[i], true);
}

void gbvars_free(gbvars_t *v) {
    for (size_t i = 0; i < v->n; i++)
        free(v->name[i]), free(v->value[i]);
    free(v->name), free(v->value);
    memset(v, 0, sizeof *v);
}

size_t gbvar_at(const char *s, size_t n, size_t *name_at, size_t *name_len) {
    if (n < 5 || s[0] != '{' || s[1] != '{') return 0;
    size_t i = 2;
    while (i < n && s[i] == ' ')
        i++;
    *name_at = i;
    if (i >= n || !(isalpha((unsigned char)s[i]) || s[i] == '_')) return 0;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.'))
        i++;
    *name_len = i - *name_at;
    while (i < n && s[i] == ' ')
        i++;
    return i + 1 < n && s[i] == '}' && s[i + 1] == '}' ? i + 2 : 0;
}

/* One operand of a condition: a string literal, output.name or a variable
   (NULL: unknown). *p moves past it. Caller frees. */
static char *operand(const char **p, const gbvars_t *vars, bool *known) {
    const char *s = *p;
    while (*s == ' ')
        s++;
    *known = true;
    if (*s == '"' || *s == '\'') {
        const char *e = strchr(s + 1, *s);
        if (!e) return *known = false, NULL;
        *p = e + 1;
        return xstrndup(s + 1, (size_t)(e - s - 1));
    }
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '.')
        n++;
    *p = s + n;
    if (!n) return *known = false, NULL;
    if (n == 11 && strncmp(s, "output.name", 11) == 0) return xstrdup("ebook");
    const char *v = gbvars_get(vars, s, n);
    if (v) return xstrdup(v);
    /* an unset book variable is false, as in Nunjucks; anything else is unknown */
    if (n > 5 && strncmp(s, "book.", 5) == 0) return xstrdup("");
    return *known = false, NULL;
}

int gbtag_eval(const char *cond, const gbvars_t *vars) {
    const char *p = cond;
    while (*p == ' ')
        p++;
    bool neg = strncmp(p, "not ", 4) == 0, known;
    if (neg) p += 4;
    char *a = operand(&p, vars, &known), *b = NULL;
    int r = -1;
    while (*p == ' ')
        p++;
    if (known && !*p) {
        r = *a != '\0';
    } else if (known && (strncmp(p, "==", 2) == 0 || strncmp(p, "!=", 2) == 0)) {
        bool eq = p[0] == '=';
        p += 2;
        b = operand(&p, vars, &known);
        while (*p == ' ')
            p++;
        if (known && !*p) r = (strcmp(a, b) == 0) == eq;
    }
    free(a), free(b);
    return r < 0 ? -1 : neg ? !r : r;
}
