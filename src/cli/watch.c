/* `ghb-book watch`: builds, then rebuilds after every save in the book folder.
   Each build runs in a child forked from the watcher (cmd_build, no exec), so a rebuild
   is exactly a command-line build: the same diagnostics, the same atomic writes (a book
   with errors writes nothing, so the last good output stays), no state carried from one
   build to the next, and a crash kills only that build; but the libraries are already
   loaded. Changes are seen through inotify on every folder of the book
   (folders created later are added as they appear) and debounced (SETTLE_MS, DEBOUNCE_MS). */
#include "cli/commands.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Debounce: a build starts once the book has been quiet for SETTLE_MS after an event that
   ends a save (a file closed after writing, renamed into place, chmod, deleted), or for
   DEBOUNCE_MS after one that starts it (a file created or renamed away: an atomic save
   in progress, whose write and fsync may take a while). Measured save bursts: `cp` and
   an in-place write are one close; vim's write is modify-attrib-close within a ms; sed -i
   is create-close-rename with 0.1 ms between events. */
enum {
    SETTLE_MS = 3,
    DEBOUNCE_MS = 15,
    EVENTS = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB |
             IN_DELETE_SELF
};

static const char watch_usage[] =
    "usage: ghb-book watch [pdf|epub|all] [--book DIR] [--out DIR] [--quiet]\n"
    "  other options are passed on to each build\n";

typedef struct {
    int wd;
    char *path;
} watched_t;

typedef struct {
    int fd;
    watched_t *w;
    size_t n, cap;
    char *out_real; /* the output folder, never watched */
} watcher_t;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Hidden files and folders (.git, editor swap files) and backups (name~) are no part
   of the book. */
static bool ignored_name(const char *name) {
    size_t n = strlen(name);
    return name[0] == '.' || (n && name[n - 1] == '~');
}

static void watch_tree(watcher_t *wt, const char *dir) {
    char *real = realpath(dir, NULL);
    bool skip = !real || (wt->out_real && strcmp(real, wt->out_real) == 0);
    free(real);
    if (skip) return;
    int wd = inotify_add_watch(wt->fd, dir, EVENTS | IN_ONLYDIR);
    if (wd < 0) {
        fprintf(stderr, "ghb-book: watch: warning: cannot watch %s: %s\n", dir, strerror(errno));
        return;
    }
    size_t i = 0;
    while (i < wt->n && wt->w[i].wd != wd)
        i++;
    if (i == wt->n) {
        if (wt->n == wt->cap) {
            wt->cap = wt->cap ? wt->cap * 2 : 16;
            wt->w = xrealloc(wt->w, wt->cap * sizeof *wt->w);
        }
        wt->w[wt->n++] = (watched_t){wd, xstrdup(dir)};
    }
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (ignored_name(e->d_name)) continue;
        char *sub = path_join(dir, e->d_name);
        if (path_is_dir(sub)) watch_tree(wt, sub);
        free(sub);
    }
    closedir(d);
}

static const char *watched_path(const watcher_t *wt, int wd) {
    for (size_t i = 0; i < wt->n; i++)
        if (wt->w[i].wd == wd) return wt->w[i].path;
    return NULL;
}

static void forget(watcher_t *wt, int wd) {
    for (size_t i = 0; i < wt->n; i++)
        if (wt->w[i].wd == wd) {
            free(wt->w[i].path);
            wt->w[i] = wt->w[--wt->n];
            return;
        }
}

/* Reads what inotify has; returns how many events concern the book, and remembers the
   first changed path in first (for the message). New folders are watched at once.
   *settled tells whether the last of them ends a save (see SETTLE_MS). */
static int drain(watcher_t *wt, buf_t *first, bool *settled) {
    char ev[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len = read(wt->fd, ev, sizeof ev);
    if (len <= 0) return 0;
    int hits = 0;
    for (char *p = ev; p < ev + len;) {
        const struct inotify_event *e = (const struct inotify_event *)p;
        p += sizeof *e + e->len;
        if (e->mask & IN_Q_OVERFLOW) {
            *settled = false;
            hits++;
            continue;
        }
        if (e->mask & IN_IGNORED) {
            forget(wt, e->wd);
            continue;
        }
        const char *dir = watched_path(wt, e->wd);
        if (!dir || (e->len && ignored_name(e->name))) continue;
        char *path = e->len ? path_join(dir, e->name) : xstrdup(dir);
        if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO))) watch_tree(wt, path);
        if (first->len == 0) buf_puts(first, path);
        free(path);
        *settled = !(e->mask & (IN_CREATE | IN_MOVED_FROM));
        hits++;
    }
    return hits;
}

/* Runs `ghb-book ARGS` in a forked child, in process: the libraries are loaded and
   relocated once, in the watcher, rather than for every build (a new process spends
   ~10 ms of CPU in the dynamic linker alone). The child is still a separate process, so
   a crash or a leak in a build ends with it, and it writes its outputs atomically as a
   command-line build does. Returns the child's exit status (or 128+signal) and the CPU
   time it used, in ms (the build's own cost, apart from waiting for the CPU). */
static int run_build(char **args, int inotify_fd, double *cpu_ms) {
    *cpu_ms = 0;
    int argc = 0;
    while (args[argc])
        argc++;
    fflush(NULL); /* nothing buffered may be written twice, by the child too */
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        /* the child is a build, not a watcher: no inotify, the default signal actions
           (the build sets its own, which remove a half-written temporary file) */
        close(inotify_fd);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        /* exit, not _exit: stdio is flushed and, under ASan, the child is checked for leaks */
        exit(cmd_build(argc, args));
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) return -1;
    *cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
              (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int build(char **args, int inotify_fd, const char *why, double t0) {
    double cpu;
    int rc = run_build(args, inotify_fd, &cpu);
    double ms = now_ms() - t0;
    if (rc == 0) /* one line per build, even with --quiet: the build time */
        fprintf(stderr, "ghb-book: watch: built in %.0f ms (%.0f ms CPU)%s%s\n", ms, cpu,
                why ? " after a change to " : "", why ? why : "");
    else
        fprintf(
            stderr,
            "ghb-book: watch: build failed (exit %d) in %.0f ms; the last good output is kept\n",
            rc, ms);
    return rc;
}

static volatile sig_atomic_t stop;
static void on_stop(int sig) {
    (void)sig;
    stop = 1;
}

/* Splits watch's own arguments from those passed to each build: args becomes
   {argv0, format, --book, B, --out, O, rest...}. */
static int parse_watch(int argc, char **argv, char **args, const char **book, const char **out,
                       bool *quiet) {
    int n = 6;
    const char *format = "all";
    *book = "book";
    *out = "out";
    *quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(watch_usage, stdout);
            exit(0);
        } else if ((strcmp(a, "--book") == 0 || strcmp(a, "--out") == 0) && i + 1 < argc) {
            *(strcmp(a, "--book") == 0 ? book : out) = argv[++i];
        } else if (strncmp(a, "--book=", 7) == 0) {
            *book = a + 7;
        } else if (strncmp(a, "--out=", 6) == 0) {
            *out = a + 6;
        } else if (strcmp(a, "pdf") == 0 || strcmp(a, "epub") == 0 || strcmp(a, "all") == 0) {
            format = a;
        } else if (a[0] == '-') {
            if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) *quiet = true;
            args[n++] = argv[i];
        } else {
            fprintf(stderr, "ghb-book: error: watch: unexpected argument '%s'\n%s", a, watch_usage);
            return -1;
        }
    }
    args[0] = "ghb-book";
    args[1] = (char *)format;
    args[2] = "--book";
    args[3] = (char *)*book;
    args[4] = "--out";
    args[5] = (char *)*out;
    args[n] = NULL;
    return 0;
}

int cmd_watch(int argc, char **argv) {
    char **args = xcalloc((size_t)argc + 8, sizeof *args);
    const char *book, *out;
    bool quiet;
    if (parse_watch(argc, argv, args, &book, &out, &quiet) != 0) {
        free(args);
        return 2;
    }
    if (!path_is_dir(book)) {
        fprintf(stderr, "ghb-book: error: %s: no such book folder\n", book);
        free(args);
        return 1;
    }
    watcher_t wt = {.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)};
    if (wt.fd < 0) {
        fprintf(stderr, "ghb-book: error: watch: inotify: %s\n", strerror(errno));
        free(args);
        return 1;
    }
    /* the output folder may lie inside the book (`--book . --out out`): never watch it,
       or each build would trigger the next */
    char *o = xstrdup(out);
    for (char *s = o + 1; *s; s++)
        if (*s == '/') *s = '\0', mkdir(o, 0777), *s = '/';
    mkdir(o, 0777);
    free(o);
    wt.out_real = realpath(out, NULL);
    watch_tree(&wt, book);

    struct sigaction sa = {.sa_handler = on_stop};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGHUP, on_stop);

    if (build(args, wt.fd, NULL, now_ms()) == 2) stop = 1; /* bad usage: stop at once */
    if (!stop && !quiet)
        fprintf(stderr, "ghb-book: watch: watching %s (%zu folders); Ctrl-C stops\n", book, wt.n);
    buf_t why;
    buf_init(&why);
    struct pollfd pfd = {wt.fd, POLLIN, 0};
    while (!stop) {
        if (poll(&pfd, 1, -1) <= 0) continue;
        why.len = 0;
        bool settled = false;
        if (drain(&wt, &why, &settled) == 0) continue;
        double t0 = now_ms();
        /* debounce: an editor's save is often several events (write, rename, chmod) */
        while (!stop && poll(&pfd, 1, settled ? SETTLE_MS : DEBOUNCE_MS) > 0)
            drain(&wt, &why, &settled);
        if (stop) break;
        if (why.len == 0) buf_puts(&why, book);
        build(args, wt.fd, why.data, t0);
    }
    buf_free(&why);
    for (size_t i = 0; i < wt.n; i++)
        free(wt.w[i].path);
    free(wt.w);
    free(wt.out_real);
    close(wt.fd);
    free(args);
    return 0;
}
