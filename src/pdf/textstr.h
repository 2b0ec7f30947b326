#ifndef GHB_TEXTSTR_H
#define GHB_TEXTSTR_H
/* PDF text strings (ActualText, Alt, titles) from UTF-8: the one writer the
   structure tree, the content streams' marked content and the formulas' text
   layer share. */
#include "../util/buf.h"
#include <stdbool.h>

/* Printable ASCII as a literal string, which PDFDocEncoding reads the same and
   which costs a quarter of hex UTF-16 (#14: a code line's ActualText was a
   third of a code book's raw content); anything else as hex UTF-16BE with its
   byte order mark. blank_controls: tabs and line ends become spaces. */
void pdf_put_text(buf_t *o, const char *utf8, bool blank_controls);

#endif
