/* libFuzzer target: any bytes as a chapter -> the whole EPUB package in memory. */
#include "book/book.h"
#include "epub/epub.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    diags_t d;
    diags_init(&d);
    book_t *b = book_from_markdown((const char *)data, size, &d);
    buf_t out;
    buf_init(&out);
    epub_build(b, NULL, &d, &out);
    buf_free(&out);
    book_free(b);
    diags_free(&d);
    return 0;
}
