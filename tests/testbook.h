#ifndef GHB_TEST_TESTBOOK_H
#define GHB_TEST_TESTBOOK_H
/* Crafted books for tests: a temporary folder filled from name/content pairs. */
#include "book/book.h"
#include "util/diag.h"

typedef struct {
    char dir[256];
    diags_t diags;
    book_t *book;
} testbook_t;

/* files: NULL-terminated list of alternating relative path and content. */
void testbook_make(testbook_t *t, const char *const *files);
/* Loads the book; diagnostics are collected in t->diags. */
book_t *testbook_load(testbook_t *t);
void testbook_free(testbook_t *t);
/* True when some diagnostic's formatted text contains needle. */
bool testbook_has_diag(const testbook_t *t, const char *needle);
/* The formatted diagnostics, for failure messages. Caller frees. */
char *testbook_diags_text(const testbook_t *t);

#endif
