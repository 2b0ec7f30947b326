#ifndef GHB_URL_H
#define GHB_URL_H
#include <stddef.h>

/* Percent-decodes s[0..n) (%00 stays as written); caller frees. */
char *url_decode(const char *s, size_t n);

#endif
