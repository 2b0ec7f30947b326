#ifndef GHB_CLEAN_H
#define GHB_CLEAN_H
#include "../util/diag.h"
#include <stddef.h>

/* Returns a copy of src fit for XML and PDF text: invalid UTF-8 becomes U+FFFD
   (an error), NUL and control characters other than tab and newline are removed
   (a warning), and a leading byte-order mark is dropped. Caller frees. */
char *text_clean(const char *src, size_t len, size_t *out_len, const char *display, diags_t *d);

#endif
