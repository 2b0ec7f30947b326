/* libFuzzer target: the paragraph layout engine. The first byte picks the
   measure and the style runs; the rest is text (any bytes, valid UTF-8 or not). */
#include "fonts/fontset.h"
#include "layout/para.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static fontset_t *fs;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    static const char *chains[ROLE_COUNT][CHAIN_MAX] = {
        {"NotoSerif-Regular.ttf", "NotoSerifCJKsc-Regular.otf", "DejaVuSans.ttf"},
        {"NotoSans-Regular.ttf", "NotoSansCJKsc-Regular.otf"},
        {"LXGWWenKai-Regular.ttf"},
        {"NotoSansMono-Regular.ttf"}};
    diags_t d;
    diags_init(&d);
    char *dir = fontset_default_dir(NULL);
    fs = fontset_open(dir, chains, &d);
    free(dir);
    diags_free(&d);
    return 0;
}

static void ignore(void *ctx, uint32_t cp, size_t i) {
    (void)ctx, (void)cp, (void)i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned k = data[0];
    para_t *p = para_new(fs, 10.5f);
    size_t n = size - 1, third = n / 3;
    const char *t = (const char *)data + 1;
    para_text(p, t, third, (pstyle_t){(font_role)(k % ROLE_COUNT), 10.5f, 0, -1, -1, false});
    if (k & 0x10) para_break(p);
    para_text_keep(p, t + third, third, (pstyle_t){ROLE_MONO, 9.5f, 0, 1, -1, false});
    para_text(p, t + 2 * third, n - 2 * third,
              (pstyle_t){ROLE_BODY, 6.5f, 4, -1, (k & 0x20) ? 0 : -1, false});
    lines_t l;
    para_layout(p, 10.5f * (float)(1 + (k >> 3) % 40), (k & 1) ? 21.0f : 0, &l, ignore, NULL);
    lines_free(&l);
    para_free(p);
    return 0;
}
