#include "exepath.h"
#include "fsutil.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *exe_path(const char *argv0) {
    /* /proc/self/exe names the real file even when run through $PATH or a symlink */
    size_t cap = 256;
    for (;;) {
        char *p = xmalloc(cap);
        ssize_t n = readlink("/proc/self/exe", p, cap);
        if (n < 0) {
            free(p);
            break;
        }
        if ((size_t)n < cap) {
            p[n] = '\0';
            return p;
        }
        free(p);
        cap *= 2;
    }
    return xstrdup(argv0 ? argv0 : "");
}

char *exe_relative(const char *argv0, const char *rel) {
    char *exe = exe_path(argv0);
    char *slash = strrchr(exe, '/');
    if (slash)
        *(slash == exe ? slash + 1 : slash) = '\0';
    else
        strcpy(exe, ".");
    char *dir = path_join(exe, rel);
    free(exe);
    return dir;
}
