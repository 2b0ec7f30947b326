/* ghb-bench: runs a command repeatedly and prints its median wall time and peak
   resident memory, measured by the kernel (wait4's ru_maxrss), not estimated.
   usage: ghb-bench RUNS LABEL -- COMMAND [ARGS...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs argv once; returns wall milliseconds, stores peak RSS in KiB, or -1 on failure. */
static double run_once(char **argv, long *rss_kib) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return -1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    *rss_kib = ru.ru_maxrss;
    return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: ghb-bench RUNS LABEL -- COMMAND [ARGS...]\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    if (runs < 1) runs = 1;
    double *ms = calloc((size_t)runs, sizeof *ms);
    long peak = 0;
    run_once(argv + 4, &peak); /* warm the page cache; not counted */
    for (int i = 0; i < runs; i++) {
        long rss = 0;
        ms[i] = run_once(argv + 4, &rss);
        if (ms[i] < 0) {
            fprintf(stderr, "ghb-bench: %s failed\n", argv[4]);
            free(ms);
            return 1;
        }
        if (rss > peak) peak = rss;
    }
    qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
    double median = runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    printf("%-28s median %8.1f ms   min %8.1f ms   max %8.1f ms   peak RSS %6.1f MB   (%d runs)\n",
           argv[2], median, ms[0], ms[runs - 1], peak / 1024.0, runs);
    free(ms);
    return 0;
}
