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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    math_t *m = math_parse((const char *)data, size, ignore, NULL);
    char *ml = math_to_mathml(m, (const char *)data, size, size & 1, NULL, NULL);
    /* alttext and annotation carry the source as is: only check well-formedness
       when the input is text (NULs and invalid UTF-8 are cleaned by the loader) */
    bool text = true;
    for (size_t i = 0; i < size; i++)
        if (data[i] < 0x20 && data[i] != '\n' && data[i] != '\t') text = false;
    char *src = strndup((const char *)data, size);
    if (text && xmlCheckUTF8((const xmlChar *)src)) {
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
