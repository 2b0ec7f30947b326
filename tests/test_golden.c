/* Golden tests of the layout: each tests/golden/NAME.md is typeset as a
   one-chapter book (and each folder tests/golden/NAME/ with a SUMMARY.md as a
   book, for what needs files: images) with the built-in print style and the
   bundled fonts, and the display list's text dump (src/layout/dump.c), followed
   by the diagnostics, must equal tests/golden/NAME.txt. After an intended change, regenerate with
     GHB_GOLDEN_UPDATE=1 build/tests/test_golden tests/golden
   (or --update as the second argument) and review the diff like code. */
#include "book/book.h"
#include "check.h"
#include "layout/dump.h"
#include "layout/style.h"
#include "layout/typeset.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static fontset_t *fs;
static print_t ps;

/* The text a fixture sets to: the dump and the diagnostics. md is the chapter's
   text, or NULL for the book in folder dir (whose path is left out of the
   diagnostics, so that they do not depend on where the tree is). */
static char *render(const char *md, size_t len, const char *dir) {
    diags_t d;
    diags_init(&d);
    book_t *b = md ? book_from_markdown(md, len, &d) : book_load(dir, &d);
    if (!b) {
        diags_free(&d);
        return NULL;
    }
    typeset_t ts;
    typeset_book(b, fs, &ps, NULL, 2, &ts);
    buf_t out;
    buf_init(&out);
    typeset_dump(&ts, fs, &out);
    buf_puts(&out, "== diagnostics\n");
    for (size_t i = 0; i < d.n; i++) {
        const diag_t *x = &d.v[i];
        const char *file = x->file;
        if (dir && strncmp(file, dir, strlen(dir)) == 0) file += strlen(dir);
        buf_printf(&out, "%s:%d:%d: %s: %s\n", file, x->line, x->col,
                   x->sev == DIAG_ERROR ? "error" : "warning", x->msg);
    }
    typeset_free(&ts);
    book_free(b);
    diags_free(&d);
    return buf_detach(&out);
}

/* Prints the first line where got and want part, for the failure message. */
static void first_difference(const char *name, const char *got, const char *want) {
    int line = 1;
    const char *g = got, *w = want;
    while (*g && *g == *w) {
        if (*g == '\n') line++;
        g++, w++;
    }
    const char *gl = g, *wl = w;
    while (gl > got && gl[-1] != '\n')
        gl--;
    while (wl > want && wl[-1] != '\n')
        wl--;
    fprintf(stderr, "%s.txt:%d: differs\n  want: %.*s\n  got:  %.*s\n", name, line,
            (int)strcspn(wl, "\n"), wl, (int)strcspn(gl, "\n"), gl);
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static const char *golden_dir;

/* NAME.md, or a folder NAME holding a book (SUMMARY.md). */
static int is_fixture(const struct dirent *e) {
    size_t n = strlen(e->d_name);
    if (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0) return 1;
    if (e->d_name[0] == '.') return 0;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/SUMMARY.md", golden_dir, e->d_name);
    return path_exists(path);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_golden DIR [--update]\n");
        return 2;
    }
    const char *dir = argv[1];
    golden_dir = dir;
    bool update = (argc > 2 && strcmp(argv[2], "--update") == 0) || getenv("GHB_GOLDEN_UPDATE");
    /* bundled fonts only: a character they lack is a warning here, not whatever
       this machine has installed */
    setenv("GHB_NO_SYSTEM_FONTS", "1", 1);
    diags_t d;
    diags_init(&d);
    CHECK(print_load(&ps, NULL, &d) == 0);
    char *fdir = fontset_default_dir(NULL);
    fs = fontset_open(fdir, (const char *const(*)[CHAIN_MAX])ps.fonts, &d);
    free(fdir);
    CHECK(fs && d.errors == 0);
    struct dirent **names;
    int n = scandir(dir, &names, is_fixture, by_name);
    CHECK(n >= 9); /* one fixture per feature at least: a lost folder must not pass */
    for (int i = 0; i < n; i++) {
        char *md_path = path_join(dir, names[i]->d_name);
        size_t nl = strlen(names[i]->d_name);
        bool folder = !(nl > 3 && strcmp(names[i]->d_name + nl - 3, ".md") == 0);
        if (!folder) names[i]->d_name[nl - 3] = '\0';
        char txt_name[300];
        snprintf(txt_name, sizeof txt_name, "%s.txt", names[i]->d_name);
        char *txt_path = path_join(dir, txt_name);
        size_t len, wlen;
        char *md = folder ? NULL : read_file(md_path, &len);
        char *got = folder ? render(NULL, 0, md_path) : md ? render(md, len, NULL) : NULL;
        char *want = read_file(txt_path, &wlen);
        CHECK(got != NULL);
        if (got && update) {
            char err[256];
            CHECK(write_atomic(txt_path, got, strlen(got), err, sizeof err) == 0);
            if (!want || strcmp(want, got) != 0) printf("updated %s\n", txt_name);
        } else if (got) {
            bool same = want && strcmp(want, got) == 0;
            if (!same && want) first_difference(names[i]->d_name, got, want);
            if (!want) fprintf(stderr, "%s: missing (run with GHB_GOLDEN_UPDATE=1)\n", txt_name);
            CHECK(same);
        }
        free(md), free(got), free(want), free(md_path), free(txt_path), free(names[i]);
    }
    free(names);
    fontset_free(fs);
    print_free(&ps);
    para_release();
    diags_free(&d);
    return check_done();
}
