#ifndef GHB_PDF_H
#define GHB_PDF_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include <stdbool.h>
#include <stdio.h>

typedef struct {
    const char *font_dir; /* where the bundled fonts are */
    /* the file for a printer (print.yaml's press: keys): trim and bleed boxes,
       PDF/X with an output intent, grey or CMYK, no links (press.h) */
    bool press;
    /* when set, also receives where each body page starts (pagemap_free), so
       that `all` lays the book out once for both outputs */
    pagemap_t *pages;
    /* the process exits after this build: what the PDF was made from is left
       to the OS instead of freed piece by piece (#14, ~1 ms of the handbook's) */
    bool exiting;
} pdf_opts_t;

/* The error contract of a backend: it reads the book, reports every problem to
   d (not to the book's own sink), and returns -1 when it reported an error (out
   is then empty), else 0 with the PDF bytes in out. It writes no file. */
int pdf_build(const book_t *b, const pdf_opts_t *o, diags_t *d, buf_t *out);
/* Typesets and paginates the body as pdf_build does, without drawing; out gets
   where each body page starts (pagemap_free). Same contract. */
int pdf_pagemap(const book_t *b, const char *font_dir, diags_t *d, pagemap_t *out);

/* Where pdf_build lists, once per character, the installed font that supplies
   what the bundled fonts lack (`check` sets stdout); NULL (the default): nowhere. */
void pdf_report_supplied(FILE *to);

#endif
