#ifndef GHB_EPUB_OPF_H
#define GHB_EPUB_OPF_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"
#include "fonts.h"

/* content.opf: metadata (Dublin Core, dcterms:modified, schema.org
   accessibility), the manifest of every file, the spine in reading order. */
/* cover: NULL for no cover page, "" for the book's own cover image, else the
   package path of a drawn cover PNG. */
/* files: further items of the manifest (embedded fonts, their licences, their
   style sheet). */
void epub_opf(const book_t *b, const pagemap_t *pages, const char *cover, const epub_file_t *files,
              size_t n_files, buf_t *out);
/* The build time as an EPUB timestamp, "2024-06-05T00:00:00Z". */
void epub_timestamp(time_t t, char out[32]);

#endif
