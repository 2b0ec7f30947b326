#ifndef GHB_XMLESC_H
#define GHB_XMLESC_H
#include "buf.h"
#include <stdbool.h>

/* Appends s (n bytes) escaped for XML text, or for a double-quoted attribute. */
void xml_escape(buf_t *b, const char *s, size_t n);
void xml_escape_attr(buf_t *b, const char *s);
#include <string.h>
static inline void xml_escape_str(buf_t *b, const char *s) {
    xml_escape(b, s, strlen(s));
}

#endif
