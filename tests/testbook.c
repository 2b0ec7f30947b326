#include "testbook.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *dir, const char *rel, const char *content) {
    char *path = path_join(dir, rel);
    for (char *s = path + strlen(dir) + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        mkdir(path, 0777);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(content, 1, strlen(content), f);
        fclose(f);
    }
    free(path);
}

void testbook_make(testbook_t *t, const char *const *files) {
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/ghb-test-XXXXXX");
    if (!mkdtemp(t->dir)) abort();
    diags_init(&t->diags);
    for (size_t i = 0; files[i] && files[i + 1]; i += 2)
        write_file(t->dir, files[i], files[i + 1]);
}

book_t *testbook_load(testbook_t *t) {
    t->book = book_load(t->dir, &t->diags);
    return t->book;
}

char *testbook_diags_text(const testbook_t *t) {
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < t->diags.n; i++) {
        const diag_t *d = &t->diags.v[i];
        buf_printf(&b, "%s:%d:%d: %s: %s\n", d->file, d->line, d->col,
                   d->sev == DIAG_ERROR ? "error" : "warning", d->msg);
    }
    return buf_detach(&b);
}

bool testbook_has_diag(const testbook_t *t, const char *needle) {
    char *all = testbook_diags_text(t);
    bool found = strstr(all, needle) != NULL;
    if (!found) fprintf(stderr, "diagnostics were:\n%s", all);
    free(all);
    return found;
}

void testbook_free(testbook_t *t) {
    book_free(t->book);
    diags_free(&t->diags);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", t->dir);
}
