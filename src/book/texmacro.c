#include "texmacro.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/strmap.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Expansion stops (and the TeX is left as written) past these: a macro that
   calls itself, or one that doubles its text at each level. */
#define MAX_DEPTH 32
#define MAX_OUT (256u * 1024)
#define MAX_CALLS 100000 /* macros that call two others each, 32 deep, print nothing */

typedef struct {
    bool used;
    size_t calls;
} run_t;

struct texmacros {
    strmap_t names; /* name without the backslash -> index */
    char **body;
    int *args;
    size_t n, cap;
};

static int args_of(const char *body) {
    int n = 0;
    for (const char *p = body; (p = strchr(p, '#')); p++)
        if (p[1] >= '1' && p[1] <= '9' && p[1] - '0' > n) n = p[1] - '0';
    return n;
}

static void add(texmacros_t *m, const char *name, size_t nl, const char *body, size_t bl) {
    char *key = xstrndup(name, nl);
    long at = strmap_get(&m->names, key);
    if (at < 0) {
        XGROW(m->body, m->cap, m->n);
        m->args = xrealloc(m->args, m->cap * sizeof *m->args);
        at = (long)m->n++;
        strmap_put(&m->names, key, at);
    } else {
        free(m->body[at]); /* the later line wins */
    }
    m->body[at] = xstrndup(body, bl);
    m->args[at] = args_of(m->body[at]);
    free(key);
}

texmacros_t *texmacros_load(const char *path, const char *display, diags_t *d) {
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        diag_add(d, DIAG_WARNING, display, 1, 1,
                 "cannot read the KaTeX macros file; its macros are left unexpanded");
        return NULL;
    }
    texmacros_t *m = xcalloc(1, sizeof *m);
    strmap_init(&m->names);
    for (char *s = text; *s;) {
        char *e = strchr(s, '\n');
        if (!e) e = s + strlen(s);
        char *end = e;
        while (end > s && isspace((unsigned char)end[-1]))
            end--;
        const char *n = s + 1, *p = n;
        while (p < end && isalpha((unsigned char)*p))
            p++;
        if (*s == '\\' && p > n && p < end && *p == ':')
            add(m, n, (size_t)(p - n), p + 1, (size_t)(end - p - 1));
        s = *e ? e + 1 : e;
    }
    free(text);
    return m;
}

void texmacros_free(texmacros_t *m) {
    if (!m) return;
    for (size_t i = 0; i < m->n; i++)
        free(m->body[i]);
    free(m->body), free(m->args);
    strmap_free(&m->names);
    free(m);
}

/* One argument at *p: a {group} (without its braces), a \command or a character. */
static char *argument(const char **p) {
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    const char *b = s, *e;
    if (*s == '{') {
        int depth = 0;
        for (e = s; *e; e++) {
            if (*e == '\\' && e[1]) {
                e++;
                continue;
            }
            if (*e == '{') depth++;
            if (*e == '}' && --depth == 0) break;
        }
        *p = *e ? e + 1 : e;
        return xstrndup(b + 1, (size_t)(e - b - 1));
    }
    e = s;
    if (*e == '\\') {
        e++;
        if (isalpha((unsigned char)*e))
            while (isalpha((unsigned char)*e))
                e++;
        else if (*e)
            e++;
    } else if (*e) {
        e++;
    }
    *p = e;
    return xstrndup(b, (size_t)(e - b));
}

static bool expand(const texmacros_t *m, const char *tex, int depth, buf_t *out, run_t *r);

/* The body with #1..#9 replaced by the arguments, itself expanded. */
static bool call(const texmacros_t *m, long k, const char **p, int depth, buf_t *out, run_t *r) {
    if (++r->calls > MAX_CALLS) return false;
    char *a[9] = {0};
    for (int i = 0; i < m->args[k]; i++)
        a[i] = argument(p);
    buf_t body;
    buf_init(&body);
    for (const char *s = m->body[k]; *s; s++) {
        if (*s == '#' && s[1] >= '1' && s[1] <= '9') {
            const char *v = a[s[1] - '1'];
            buf_puts(&body, v ? v : "");
            s++;
        } else {
            buf_putc(&body, *s);
        }
    }
    bool ok = body.len <= MAX_OUT && expand(m, body.data ? body.data : "", depth + 1, out, r);
    buf_free(&body);
    for (int i = 0; i < 9; i++)
        free(a[i]);
    return ok;
}

static bool expand(const texmacros_t *m, const char *tex, int depth, buf_t *out, run_t *r) {
    if (depth > MAX_DEPTH) return false;
    for (const char *p = tex; *p;) {
        if (out->len > MAX_OUT) return false;
        if (*p != '\\') {
            buf_putc(out, *p++);
            continue;
        }
        const char *n = p + 1, *e = n;
        while (isalpha((unsigned char)*e))
            e++;
        if (e == n) { /* \\, \{, \,: a control symbol */
            buf_putc(out, *p++);
            if (*p) buf_putc(out, *p++);
            continue;
        }
        char name[64];
        long k = -1;
        if ((size_t)(e - n) < sizeof name) {
            memcpy(name, n, (size_t)(e - n));
            name[e - n] = 0;
            k = strmap_get(&m->names, name);
        }
        p = e;
        if (k < 0) {
            buf_put(out, n - 1, (size_t)(e - n + 1));
            continue;
        }
        r->used = true;
        if (!call(m, k, &p, depth, out, r)) return false;
        /* a letter right after the expansion must not join a command it ends with */
        if (isalpha((unsigned char)*p) && out->len &&
            isalpha((unsigned char)out->data[out->len - 1]))
            buf_putc(out, ' ');
    }
    return true;
}

char *texmacros_expand(const texmacros_t *m, const char *tex) {
    if (!m || !m->n || !strchr(tex, '\\')) return NULL;
    buf_t out;
    buf_init(&out);
    run_t r = {false, 0};
    bool ok = expand(m, tex, 0, &out, &r);
    if (!ok || !r.used) {
        buf_free(&out);
        return NULL;
    }
    return buf_detach(&out);
}
