#ifndef GHB_PDF_H
#define GHB_PDF_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"
#include <stdio.h>

/* Typesets the book and draws it with libharu; out receives the PDF bytes.
   font_dir is where the bundled fonts are. Returns 0, or -1 with diagnostics. */
int pdf_build(book_t *b, const char *font_dir, buf_t *out);
/* The same for a printer (print.yaml's press: keys): trim and bleed boxes,
   PDF/X with an output intent, grey or CMYK, no links (press.h). */
int pdf_build_press(book_t *b, const char *font_dir, buf_t *out);
/* Typesets without drawing, so `check` reports what the PDF would (missing glyphs). */
int pdf_check(book_t *b, const char *font_dir);
/* Typesets and paginates the body as pdf_build does, without drawing; out gets
   where each body page starts (pagemap_free). Returns 0, or -1 with diagnostics. */
int pdf_pagemap(book_t *b, const char *font_dir, pagemap_t *out);
/* pdf_build that also gives the page map (pages: pagemap_free), so that `all`
   lays the book out once for both outputs. */
int pdf_build_paged(book_t *b, const char *font_dir, buf_t *out, pagemap_t *pages);

/* Where pdf_build lists, once per character, the installed font that supplies
   what the bundled fonts lack (`check` sets stdout); NULL (the default): nowhere. */
void pdf_report_supplied(FILE *to);

#endif
