/* `ghb-book new DIR`: starts a book that builds with no warnings and a GitHub workflow
   that publishes it. Everything is written into a hidden sibling folder first and renamed
   into place, so a refusal or a failure leaves nothing behind. */
#include "cli/commands.h"
#include "cli/starter.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include <errno.h>
#include <signal.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char new_usage[] =
    "usage: ghb-book new DIR [--title T] [--author A] [--lang zh-CN|en]\n";

/* A missing folder, or one with no entries, may take a new book. */
static bool dir_is_empty_or_missing(const char *dir, bool *is_dir) {
    struct stat st;
    *is_dir = false;
    if (stat(dir, &st) != 0) return errno == ENOENT;
    if (!S_ISDIR(st.st_mode)) return false;
    *is_dir = true;
    DIR *d = opendir(dir);
    if (!d) return false;
    bool empty = true;
    struct dirent *e;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = false;
    closedir(d);
    return empty;
}

static int mkdir_parents(const char *dir) {
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    free(p);
    return 0;
}

static bool has_han(const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len && cp_is_han(cp)) return true;
        i += len ? len : 1;
    }
    return false;
}

/* The folder's name made a file name: [A-Za-z0-9._-], else "book". */
static char *output_name(const char *dir) {
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    buf_t b;
    buf_init(&b);
    for (const char *p = base; *p && *p != '/'; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || (*p == '.' && b.len > 0))
            buf_putc(&b, *p);
    if (b.len == 0 || strcmp(b.data, ".") == 0 || strcmp(b.data, "..") == 0) {
        b.len = 0;
        buf_puts(&b, "book");
    }
    return buf_detach(&b);
}

static bool is_printable(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F) return false;
    return true;
}

static int parse_new(int argc, char **argv, starter_t *st, const char **dir) {
    *dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--title") == 0    ? &st->title
                            : strcmp(a, "--author") == 0 ? &st->author
                            : strcmp(a, "--lang") == 0   ? &st->lang
                                                         : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(new_usage, stdout);
            exit(0);
        } else if (slot && i + 1 < argc) {
            *slot = argv[++i];
        } else if (!*dir && a[0] != '-') {
            *dir = a;
        } else {
            fprintf(stderr, "ghb-book: error: unexpected argument '%s'\n%s", a, new_usage);
            return -1;
        }
    }
    if (!*dir || !**dir) {
        fprintf(stderr, "ghb-book: error: new: no folder given\n%s", new_usage);
        return -1;
    }
    if (st->lang && strcmp(st->lang, "zh-CN") != 0 && strcmp(st->lang, "en") != 0) {
        fprintf(stderr, "ghb-book: error: new: --lang must be zh-CN or en\n");
        return -1;
    }
    if ((st->title && (!*st->title || !is_printable(st->title))) ||
        (st->author && (!*st->author || !is_printable(st->author)))) {
        fprintf(stderr, "ghb-book: error: new: title and author must be one non-empty line\n");
        return -1;
    }
    return 0;
}

/* Fills the defaults the options left open. */
static void starter_defaults(starter_t *st) {
    if (!st->lang) st->lang = st->title && has_han(st->title) ? "zh-CN" : "en";
    bool zh = strcmp(st->lang, "zh-CN") == 0;
    if (!st->title) st->title = zh ? "我的书" : "My Book";
    if (!st->author) {
        const char *user = getenv("USER");
        st->author = user && *user && is_printable(user) ? user : zh ? "佚名" : "Anonymous";
    }
    /* the book's date: reproducible under SOURCE_DATE_EPOCH, else today (UTC) */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(st->date, sizeof st->date, "%Y-%m-%d", &tm);
}

/* An existing empty folder (perhaps the current one) is written in place and emptied
   again on failure. */
static int write_into_empty(const char *dir, const starter_t *st, char *err, size_t errlen) {
    if (starter_write(dir, st, err, errlen) == 0) return 0;
    starter_remove(dir, true);
    return -1;
}

/* A missing folder is built as a hidden sibling and renamed into place: it appears whole
   or not at all. */
static int write_beside(const char *dir, const starter_t *st, char *err, size_t errlen) {
    char *trimmed = xstrdup(dir);
    for (size_t n = strlen(trimmed); n > 1 && trimmed[n - 1] == '/'; n--)
        trimmed[n - 1] = '\0';
    mkdir_parents(trimmed);
    char *parent = path_dirname(trimmed);
    buf_t tmpl;
    buf_init(&tmpl);
    buf_printf(&tmpl, "%s%s.ghb-book-new.XXXXXX", parent,
               parent[0] && strcmp(parent, "/") != 0 ? "/" : "");
    int rc = -1;
    bool made = mkdtemp(tmpl.data) != NULL;
    if (!made) {
        snprintf(err, errlen, "cannot create a folder beside it: %s", strerror(errno));
    } else if (starter_write(tmpl.data, st, err, errlen) == 0) {
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmpl.data, 0777 & ~mask);
        if (rename(tmpl.data, trimmed) == 0)
            rc = 0;
        else
            snprintf(err, errlen, "cannot move the new book into place: %s", strerror(errno));
    }
    if (rc != 0 && made) starter_remove(tmpl.data, false);
    buf_free(&tmpl);
    free(parent);
    free(trimmed);
    return rc;
}

int cmd_new(int argc, char **argv) {
    starter_t st = {0};
    const char *dir;
    if (parse_new(argc, argv, &st, &dir) != 0) return 2;
    bool is_dir;
    if (!dir_is_empty_or_missing(dir, &is_dir)) {
        fprintf(stderr, "ghb-book: error: %s: %s; nothing written\n", dir,
                is_dir ? "the folder is not empty" : "not a folder that can take a new book");
        return 1;
    }
    starter_defaults(&st);
    signal(SIGXFSZ, SIG_IGN); /* a file-size limit must fail a write, not kill us mid-book */
    /* `new .` in an empty folder is named after that folder */
    char *real = is_dir ? realpath(dir, NULL) : NULL;
    char *out = output_name(real ? real : dir);
    free(real);
    st.output = out;
    st.repository = GHB_REPOSITORY;
    st.version = GHB_VERSION;
    char err[512] = "";
    int rc = is_dir ? write_into_empty(dir, &st, err, sizeof err)
                    : write_beside(dir, &st, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "ghb-book: error: %s: %s; nothing written\n", dir, err);
    else
        printf("ghb-book: started %s (%s) in %s\n"
               "  build it:   ghb-book all --book %s\n"
               "  write with: ghb-book watch --book %s\n",
               st.title, st.lang, dir, dir, dir);
    free(out);
    return rc ? 1 : 0;
}
