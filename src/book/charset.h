#ifndef GHB_CHARSET_H
#define GHB_CHARSET_H
#include <stddef.h>

/* Text that is not UTF-8 but says or shows what it is: UTF-16 with a byte-order
   mark (Windows editors); else, when most of its non-ASCII bytes are not UTF-8,
   GB18030/GBK (older Chinese books) if that reading is clean and holds Han
   characters, else Windows-1252 when its high bytes read as letters in words
   (Latin text). Returns the text as UTF-8 and
   sets *name to the encoding read, or returns NULL when src is UTF-8 (perhaps
   damaged: the caller then replaces the invalid bytes) or no reading is clean.
   Caller frees. */
char *charset_to_utf8(const char *src, size_t len, size_t *out_len, const char **name);

#endif
