/* The text layer of a formula: see mathtext.h. */
#include "mathtext.h"
#include "../util/buf.h"
#include "textstr.h"
#include <hpdf_pages.h>
#include <stdbool.h>
#include <string.h>

static void write(HPDF_Page pg, const char *s, size_t n) {
    HPDF_Stream_Write(((HPDF_PageAttr)pg->attr)->stream, (const HPDF_BYTE *)s, (HPDF_UINT)n);
}

/* TeX is ASCII, which a text string holds as a literal (textstr.h); tabs and
   line ends of a display's TeX become spaces. */
void mathtext_begin(HPDF_Page pg, const char *utf8) {
    buf_t b;
    buf_init(&b);
    buf_puts(&b, "/Span <</ActualText ");
    pdf_put_text(&b, utf8, true);
    buf_puts(&b, ">> BDC\n");
    write(pg, b.data, b.len);
    buf_free(&b);
}

void mathtext_end(HPDF_Page pg) {
    write(pg, "EMC\n", 4);
}
