#include "diag.h"
#include "buf.h"
#include "xalloc.h"
#include <stdarg.h>
#include <stdlib.h>

void diags_init(diags_t *d) {
    d->v = NULL;
    d->n = d->cap = 0;
    d->errors = d->warnings = 0;
    d->echo = NULL;
    d->strict = false;
    strmap_init(&d->seen);
}

void diags_free(diags_t *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    strmap_free(&d->seen);
    FILE *echo = d->echo;
    bool strict = d->strict;
    diags_init(d);
    d->echo = echo;
    d->strict = strict;
}

void diag_add(diags_t *d, diag_sev sev, const char *file, int line, int col, const char *fmt, ...) {
    buf_t b;
    buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* backends may meet the same problem on every typesetting pass: report it once */
    buf_t key;
    buf_init(&key);
    buf_printf(&key, "%s:%d:%d: %s", file ? file : "ghb-book", line, col, b.data ? b.data : "");
    bool dup = strmap_get(&d->seen, key.data) >= 0;
    if (!dup) strmap_put(&d->seen, key.data, 1);
    buf_free(&key);
    if (dup) {
        buf_free(&b);
        return;
    }
    if (d->strict) sev = DIAG_ERROR;
    XGROW(d->v, d->cap, d->n);
    diag_t *x = &d->v[d->n++];
    x->sev = sev;
    x->file = xstrdup(file ? file : "ghb-book");
    x->line = line > 0 ? line : 1;
    x->col = col > 0 ? col : 1;
    x->msg = buf_detach(&b);
    if (sev == DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->echo) diag_format(x, d->echo);
}

void diag_format(const diag_t *x, FILE *f) {
    fprintf(f, "%s:%d:%d: %s: %s\n", x->file, x->line, x->col,
            x->sev == DIAG_ERROR ? "error" : "warning", x->msg);
}

void diags_print(const diags_t *d, FILE *f) {
    for (size_t i = 0; i < d->n; i++)
        diag_format(&d->v[i], f);
}
