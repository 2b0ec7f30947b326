/* Times the layout stage alone: typeset_book on a book, as the PDF build runs
   it once (a fresh fontset each run, opened untimed, so per-run caches start
   cold as in the command line), and prints the median over the runs of the
   process CPU time and the wall time per typesetting, in ms.
   usage: ghb-bench-layout BOOK_DIR [RUNS]   (default 15) */
#include "book/book.h"
#include "layout/style.h"
#include "layout/typeset.h"
#include "util/fsutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: ghb-bench-layout BOOK_DIR [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 15;
    if (runs < 1) runs = 1;
    diags_t d;
    diags_init(&d);
    book_t *b = book_load(argv[1], &d);
    char *override = path_join(argv[1], "print.yaml");
    print_t ps;
    if (!b || print_load(&ps, path_exists(override) ? override : NULL, &d) != 0) {
        diags_print(&d, stderr);
        return 1;
    }
    free(override);
    const char *chains[ROLE_COUNT][CHAIN_MAX] = {{0}};
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int k = 0; k < CHAIN_MAX; k++)
            chains[r][k] = r == ROLE_MATH && !b->n_maths ? NULL : ps.fonts[r][k];
    char *dir = fontset_default_dir(argv[0]);
    double *cpu = malloc(sizeof *cpu * (size_t)runs), *wall = malloc(sizeof *wall * (size_t)runs);
    size_t boxes = 0;
    for (int i = 0; i < runs; i++) {
        diags_t quiet;
        diags_init(&quiet);
        fontset_t *fs = fontset_open(dir, chains, &quiet);
        typeset_t ts;
        double c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
        typeset_book(b, fs, &ps, NULL, 2, &ts);
        cpu[i] = now(CLOCK_PROCESS_CPUTIME_ID) - c0, wall[i] = now(CLOCK_MONOTONIC) - w0;
        boxes = ts.body.n;
        typeset_free(&ts);
        fontset_free(fs);
        diags_free(&quiet);
    }
    qsort(cpu, (size_t)runs, sizeof *cpu, cmp);
    qsort(wall, (size_t)runs, sizeof *wall, cmp);
    printf(
        "typeset %s: %zu boxes; median of %d runs: %.2f ms CPU, %.2f ms wall (min %.2f / %.2f)\n",
        argv[1], boxes, runs, cpu[runs / 2], wall[runs / 2], cpu[0], wall[0]);
    free(cpu), free(wall), free(dir);
    print_free(&ps);
    book_free(b);
    para_release();
    diags_free(&d);
    return 0;
}
