#ifndef GHB_EPUB_ZIPDEFLATE_H
#define GHB_EPUB_ZIPDEFLATE_H
/* EPUB entries deflated with libdeflate (zipdeflate.c): a libzip source that
   hands over data already compressed, which libzip copies as it is. libdeflate
   compresses the XHTML of a math-heavy chapter (MathML, 400 KB) several times
   faster than the zlib inside libzip, to the same size. (libdeflate is linked
   for the PDF's streams too; the CMake comment names that use.) */
#include <stddef.h>
#include "ziplib.h"
#include <zip.h>

/* A source for len bytes of data (copied, compressed at once), or NULL; zl is
   the loaded libzip (ziplib.h). */
zip_source_t *zipdeflate_source(const ziplib_t *zl, zip_t *z, const void *data, size_t len);

#endif
