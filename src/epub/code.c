#include "code.h"
#include "../highlight/hl.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include <stdlib.h>
#include <string.h>

static void lineno(buf_t *out, int n) {
    buf_printf(out, "<span class=\"hl-lineno\" aria-hidden=\"true\">%d </span>", n);
}

void epub_code_block(buf_t *out, const char *text, const char *info) {
    bool linenos = false;
    const char *lang = hl_language(info, &linenos);
    buf_puts(out, "<pre><code");
    if (info && *info) {
        size_t l = strcspn(info, " \t,{");
        char *name = xstrndup(info, l);
        buf_puts(out, " class=\"language-");
        xml_escape_attr(out, name);
        buf_putc(out, '"');
        free(name);
    }
    buf_putc(out, '>');
    size_t len = strlen(text);
    unsigned char *cls = xmalloc(len + 1);
    hl_highlight(lang, text, len, cls);
    int n = 1;
    if (linenos && len) lineno(out, n);
    for (size_t i = 0; i < len;) {
        size_t j = i + 1;
        while (j < len && cls[j] == cls[i] && text[j] != '\n' && text[i] != '\n')
            j++;
        char *piece = xstrndup(text + i, j - i);
        if (cls[i] != HL_PLAIN && text[i] != '\n') {
            buf_printf(out, "<span class=\"hl-%s\">", hl_class_name((hl_class)cls[i]));
            xml_escape_str(out, piece);
            buf_puts(out, "</span>");
        } else {
            xml_escape_str(out, piece);
        }
        free(piece);
        if (text[i] == '\n' && linenos && j < len) lineno(out, ++n);
        i = j;
    }
    free(cls);
    buf_puts(out, "</code></pre>");
}
