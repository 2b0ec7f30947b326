#ifndef GHB_DIAG_H
#define GHB_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "strmap.h"

/* Diagnostics are collected in one list per run; the CLI prints them as
   `path:line:col: error|warning: message`. Lines and columns are 1-based;
   columns count Unicode characters, not bytes. */
typedef enum { DIAG_WARNING, DIAG_ERROR } diag_sev;

typedef struct {
    diag_sev sev;
    char *file;
    int line, col;
    char *msg;
} diag_t;

typedef struct {
    diag_t *v;
    size_t n, cap;
    int errors, warnings;
    FILE *echo;    /* when set, each diagnostic is also printed as it is added */
    bool strict;   /* --strict: every warning is recorded as an error */
    strmap_t seen; /* "file:line:col: msg" already reported: each problem is reported once */
} diags_t;

void diags_init(diags_t *d);
void diags_free(diags_t *d);
void diag_add(diags_t *d, diag_sev sev, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void diag_format(const diag_t *x, FILE *f);
void diags_print(const diags_t *d, FILE *f);

#endif
