/* libFuzzer target: any bytes as a chapter -> the book model (loader, autolinks,
   line joining, index) -> freed. */
#include "book/book.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    diags_t d;
    diags_init(&d);
    book_t *b = book_from_markdown((const char *)data, size, &d);
    book_free(b);
    diags_free(&d);
    return 0;
}
