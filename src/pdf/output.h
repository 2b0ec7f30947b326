#ifndef GHB_OUTPUT_H
#define GHB_OUTPUT_H
/* Writes a libharu document ourselves, in place of HPDF_SaveToStream, so that
   the file is small: every stream is deflated with libdeflate (deflate.h) and
   written with a direct /Length, and, when compact, every other object goes
   into compressed object streams indexed by a cross-reference stream
   (PDF 1.5, ISO 32000-1 7.5.7-7.5.8). Without compact the file has a classic
   cross-reference table (PDF/X-1a is PDF 1.3). */
#include "../util/buf.h"
#include <hpdf.h>
#include <stdbool.h>

/* Appends the document to out; -1 when libharu failed writing an object. */
int pdf_output(HPDF_Doc pdf, bool compact, buf_t *out);

#endif
