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
}

void diags_free(diags_t *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    FILE *echo = d->echo;
    diags_init(d);
    d->echo = echo;
}

void diag_add(diags_t *d, diag_sev sev, const char *file, int line, int col, const char *fmt, ...) {
    XGROW(d->v, d->cap, d->n);
    diag_t *x = &d->v[d->n++];
    buf_t b;
    buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
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
