#include "callout.h"
#include "../book/callout.h"
#include "../book/words.h"
#include "../util/xmlesc.h"

void epub_callout(buf_t *out, const book_t *b, cmark_node *n, bool entering) {
    if (!entering) {
        buf_puts(out, "</aside>");
        return;
    }
    int kind = callout_kind_of(n);
    const char *title = cmark_node_get_on_exit(n);
    const char *label = title && *title
                            ? title
                            : word(lang_kind_of(b->meta.lang), (word_id)(W_CALLOUT_NOTE + kind));
    buf_printf(out, "<aside class=\"callout callout-%s\" role=\"note\"><p class=\"callout-label\">",
               callout_name((callout_kind)kind));
    xml_escape_str(out, label);
    buf_puts(out, "</p>");
}
