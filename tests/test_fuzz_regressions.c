/* Inputs the fuzzers found crashing, kept so they never crash again: each goes
   through the loader and the EPUB writer (run under the sanitizer build too). */
#include "check.h"
#include "epub/epub.h"
#include "util/fsutil.h"
#include <dirent.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/data/fuzz-regressions";
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    int seen = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char *path = path_join(dir, e->d_name);
        size_t len;
        char *text = read_file(path, &len);
        CHECK(text != NULL);
        if (text) {
            diags_t diags;
            diags_init(&diags);
            book_t *b = book_from_markdown(text, len, &diags);
            buf_t out;
            buf_init(&out);
            CHECK(epub_build(b, NULL, &diags, &out) == 0 && out.len > 0);
            buf_free(&out);
            book_free(b);
            diags_free(&diags);
            seen++;
        }
        free(text);
        free(path);
    }
    if (d) closedir(d);
    CHECK(seen >= 2);
    return check_done();
}
