/* libFuzzer target: the TeX math parser and the MathML writer. Any bytes are a
   formula; the writer's output must stay well-formed XML. */
#include "math/texmath.h"
#include <libxml/parser.h>
#include <libxml/xmlstring.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void ignore(void *ctx, int off, const char *msg) {
    (void)ctx, (void)off, (void)msg;
}

/* UTF-8 as RFC 3629 has it (xmlCheckUTF8 lets overlong forms by; the
   loader's cleaning replaces them) */
static bool strict_utf8(const uint8_t *s, size_t n) {
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t l = c < 0x80                 ? 1
                   : c >= 0xC2 && c <= 0xDF ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        if (!l || i + l > n) return false;
        for (size_t k = 1; k < l; k++)
            if ((s[i + k] & 0xC0) != 0x80) return false;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
            return false;
        i += l;
    }
    return true;
}

static char *link(void *ctx, const char *key, bool paren) {
    (void)ctx, (void)key;
    return strdup(paren ? "<a href=\"#x\">(1)</a>" : "<a href=\"#x\">1</a>");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    math_t *m = math_parse((const char *)data, size, ignore, NULL);
    char *ml = math_to_mathml(m, (const char *)data, size, size & 1, NULL, NULL);
    /* an inline formula in parts (each a <math>) when it may break, in one span */
    char *parts = math_to_mathml_split(m, (const char *)data, size, NULL, link, NULL, 0);
    if (parts) {
        free(ml);
        ml = parts;
    }
    /* alttext and annotation carry the source as is: only check well-formedness
       when the input is text (NULs and invalid UTF-8 are cleaned by the loader) */
    bool text = true;
    for (size_t i = 0; i < size; i++)
        if (data[i] < 0x20 && data[i] != '\n' && data[i] != '\t') text = false;
    char *src = strndup((const char *)data, size);
    if (text && strict_utf8(data, size)) {
        xmlDocPtr doc = xmlReadMemory(ml, (int)strlen(ml), "m.xml", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc) abort(); /* the writer made malformed XML from clean text */
        xmlFreeDoc(doc);
    }
    free(src);
    free(ml);
    math_free(m);
    return 0;
}
