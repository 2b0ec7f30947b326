#ifndef GHB_PDF_H
#define GHB_PDF_H
#include "../book/book.h"
#include "../util/buf.h"
#include <stdio.h>

/* Typesets the book and draws it with libharu; out receives the PDF bytes.
   font_dir is where the bundled fonts are. Returns 0, or -1 with diagnostics. */
int pdf_build(book_t *b, const char *font_dir, buf_t *out);
/* Typesets without drawing, so `check` reports what the PDF would (missing glyphs). */
int pdf_check(book_t *b, const char *font_dir);

/* Where pdf_build lists, once per character, the installed font that supplies
   what the bundled fonts lack (`check` sets stdout); NULL (the default): nowhere. */
void pdf_report_supplied(FILE *to);

#endif
