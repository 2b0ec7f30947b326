#define _POSIX_C_SOURCE 200809L
#include "fsutil.h"
#include "buf.h"
#include "xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) errno = EISDIR;
        close(fd);
        return NULL;
    }
    buf_t b;
    buf_init(&b);
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            buf_free(&b);
            errno = e;
            return NULL;
        }
        if (r == 0) break;
        buf_put(&b, chunk, (size_t)r);
    }
    close(fd);
    if (len) *len = b.len;
    return buf_detach(&b);
}

/* The temporary file being written, for the signal handler. */
static char pending_tmp[PATH_MAX];
static volatile sig_atomic_t pending_set;

void write_atomic_cleanup(void) {
    if (pending_set) unlink(pending_tmp);
    pending_set = 0;
}

static int write_all(int fd, const char *p, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = ENOSPC;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int fail(int fd, char *err, size_t errlen, const char *what) {
    int e = errno;
    if (fd >= 0) close(fd);
    write_atomic_cleanup();
    snprintf(err, errlen, "%s: %s", what, strerror(e));
    return -1;
}

int write_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen) {
    char *dir = path_dirname(path);
    const char *base = path + strlen(dir) + (dir[0] ? 1 : 0);
    int n = snprintf(pending_tmp, sizeof pending_tmp, "%s%s.%s.tmpXXXXXX", dir, dir[0] ? "/" : "",
                     base);
    free(dir);
    if (n < 0 || (size_t)n >= sizeof pending_tmp) {
        snprintf(err, errlen, "path too long");
        return -1;
    }
    int fd = mkstemp(pending_tmp);
    if (fd < 0) return fail(-1, err, errlen, "cannot create temporary file");
    pending_set = 1;
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) return fail(fd, err, errlen, "cannot set permissions");
    if (write_all(fd, data, len) != 0) return fail(fd, err, errlen, "cannot write");
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        return fail(fd, err, errlen, "cannot flush");
    if (close(fd) != 0) return fail(-1, err, errlen, "cannot close");
    if (rename(pending_tmp, path) != 0) return fail(-1, err, errlen, "cannot rename into place");
    pending_set = 0;
    return 0;
}

char *path_join(const char *dir, const char *rel) {
    if (!dir || !dir[0]) return xstrdup(rel);
    buf_t b;
    buf_init(&b);
    buf_puts(&b, dir);
    if (b.data[b.len - 1] != '/') buf_putc(&b, '/');
    buf_puts(&b, rel);
    return buf_detach(&b);
}

char *path_dirname(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return xstrdup("");
    if (slash == path) return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

char *path_normalize(const char *path) {
    if (path[0] == '/') return NULL;
    size_t n = strlen(path);
    /* each kept segment's start offset in out */
    size_t *seg = xmalloc((n + 1) * sizeof *seg);
    size_t nseg = 0;
    buf_t out;
    buf_init(&out);
    const char *p = path;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == 0 || (l == 1 && p[0] == '.')) {
            /* skip */
        } else if (l == 2 && p[0] == '.' && p[1] == '.') {
            if (nseg == 0) {
                free(seg);
                buf_free(&out);
                return NULL;
            }
            out.len = seg[--nseg];
            out.data[out.len] = '\0';
        } else {
            seg[nseg++] = out.len;
            if (out.len) buf_putc(&out, '/');
            buf_put(&out, p, l);
        }
        p += l;
        if (*p == '/') p++;
    }
    free(seg);
    return buf_detach(&out);
}

bool path_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

bool path_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_inside(const char *root, const char *path) {
    char *r = realpath(root, NULL), *p = realpath(path, NULL);
    bool ok = false;
    if (r && p) {
        size_t rl = strlen(r);
        ok = strncmp(r, p, rl) == 0 && (p[rl] == '/' || p[rl] == '\0' || (rl == 1 && r[0] == '/'));
    }
    free(r);
    free(p);
    return ok;
}
