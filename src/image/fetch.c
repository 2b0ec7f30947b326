#include "fetch.h"
#include "curllib.h"
#include "image.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BYTES (20L * 1024 * 1024)

static char *cache_dir(void) {
    const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (x && *x == '/') return path_join(x, "ghb-book");
    if (home && *home) return path_join(home, ".cache/ghb-book");
    return NULL;
}

static void mkdirs(const char *dir) {
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    mkdir(p, 0777);
    free(p);
}

/* Two FNV-1a hashes: a 128-bit name, enough to keep URLs apart. */
static char *cache_name(const char *url) {
    uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
    for (const unsigned char *s = (const unsigned char *)url; *s; s++) {
        a = (a ^ *s) * 0x100000001b3ULL;
        b = (b ^ *s) * 0x100000001b3ULL ^ (b >> 29);
    }
    char name[40];
    snprintf(name, sizeof name, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
    return xstrdup(name);
}

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
    buf_t *b = ud;
    if (b->len + size * n > (size_t)MAX_BYTES) return 0; /* aborts the transfer */
    buf_put(b, p, size * n);
    return size * n;
}

static int download(const char *url, buf_t *body, char *err, size_t errlen) {
    /* libcurl is loaded only now: a book whose images are local or cached never needs it */
    const curllib_t *cl = curllib(err, errlen);
    if (!cl) return -1;
    CURL *c = cl->easy_init();
    if (!c) {
        snprintf(err, errlen, "libcurl failed to start");
        return -1;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    cl->easy_setopt(c, CURLOPT_URL, url);
    cl->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    cl->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    cl->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    cl->easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    cl->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    cl->easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    cl->easy_setopt(c, CURLOPT_MAXFILESIZE, MAX_BYTES);
    cl->easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    cl->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    cl->easy_setopt(c, CURLOPT_USERAGENT, "ghb-book/" GHB_VERSION);
    cl->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    cl->easy_setopt(c, CURLOPT_WRITEDATA, body);
    cl->easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    CURLcode rc = cl->easy_perform(c);
    if (rc != CURLE_OK) snprintf(err, errlen, "%s", *cerr ? cerr : cl->easy_strerror(rc));
    cl->easy_cleanup(c);
    return rc == CURLE_OK ? 0 : -1;
}

char *image_fetch(const char *url, bool offline, char *err, size_t errlen) {
    char *dir = cache_dir();
    if (!dir) {
        snprintf(err, errlen, "no cache folder (HOME is not set)");
        return NULL;
    }
    char *name = cache_name(url), *path = path_join(dir, name);
    free(name);
    if (path_exists(path)) {
        free(dir);
        return path;
    }
    if (offline) {
        snprintf(err, errlen, "not in the cache and --offline was given");
        free(dir), free(path);
        return NULL;
    }
    buf_t body;
    buf_init(&body);
    char *result = NULL;
    if (download(url, &body, err, errlen) == 0) {
        if (!image_sniff((const unsigned char *)body.data, body.len < 1024 ? body.len : 1024)) {
            snprintf(err, errlen, "the server did not send an image");
        } else {
            mkdirs(dir);
            char werr[256];
            if (write_atomic(path, body.data ? body.data : "", body.len, werr, sizeof werr) == 0)
                result = path, path = NULL;
            else
                snprintf(err, errlen, "cannot write the cache: %s", werr);
        }
    }
    buf_free(&body);
    free(dir), free(path);
    return result;
}
