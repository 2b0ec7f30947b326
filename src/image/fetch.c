#include "fetch.h"
#include "curllib.h"
#include "image.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/strmap.h"
#include "../util/url.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BYTES (20L * 1024 * 1024)
/* Unreachable hosts in a row before the build stops fetching. */
#define MEMO_GIVE_UP 3

struct fetch_memo {
    strmap_t failed; /* host -> index in why */
    char **why;      /* the first error of each failed host */
    size_t n, cap;
    int in_row; /* unreachable hosts since the last fetch that worked */
};

void fetch_memo_free(fetch_memo_t *m) {
    if (!m) return;
    for (size_t i = 0; i < m->n; i++)
        free(m->why[i]);
    free(m->why);
    strmap_free(&m->failed);
    free(m);
}

/* "host:port" of an http(s) URL, lower case. Caller frees. */
static char *host_of(const char *url) {
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    const char *at = h + strcspn(h, "/?#"), *cred = memchr(h, '@', (size_t)(at - h));
    if (cred) h = cred + 1;
    char *host = xstrndup(h, (size_t)(at - h));
    for (char *p = host; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return host;
}

/* A failure of the network or the host, not of this one file. */
static bool unreachable(CURLcode rc) {
    return rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
           rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT;
}

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

static int download(const char *url, buf_t *body, CURLcode *code, char *err, size_t errlen) {
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
    *code = rc;
    if (rc != CURLE_OK) snprintf(err, errlen, "%s", *cerr ? cerr : cl->easy_strerror(rc));
    cl->easy_cleanup(c);
    return rc == CURLE_OK ? 0 : -1;
}

/* Whether the memo says not to try: the host failed before, or too many did. */
static bool skip(fetch_memo_t *m, const char *host, char *err, size_t errlen) {
    if (!m) return false;
    long i = strmap_get(&m->failed, host);
    if (i >= 0)
        snprintf(err, errlen, "%s was unreachable earlier in this build: %s", host, m->why[i]);
    else if (m->in_row >= MEMO_GIVE_UP)
        snprintf(err, errlen, "%d hosts in a row were unreachable; no more fetching in this build",
                 m->in_row);
    return i >= 0 || m->in_row >= MEMO_GIVE_UP;
}

static void remember(fetch_memo_t **mp, const char *host, CURLcode rc, const char *err) {
    if (!*mp) {
        *mp = xcalloc(1, sizeof **mp);
        strmap_init(&(*mp)->failed);
    }
    fetch_memo_t *m = *mp;
    if (rc == CURLE_OK || !unreachable(rc)) {
        m->in_row = 0; /* the network works */
        return;
    }
    XGROW(m->why, m->cap, m->n);
    m->why[m->n] = xstrdup(err);
    strmap_put(&m->failed, host, (long)m->n++);
    m->in_row++;
}

char *image_fetch(const char *url, bool offline, fetch_memo_t **memo, char *err, size_t errlen) {
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
    char *host = host_of(url);
    if (skip(*memo, host, err, errlen)) {
        free(host), free(dir), free(path);
        return NULL;
    }
    buf_t body;
    buf_init(&body);
    char *result = NULL;
    CURLcode code = CURLE_FAILED_INIT;
    int got = download(url, &body, &code, err, errlen);
    if (code != CURLE_FAILED_INIT) remember(memo, host, code, err);
    free(host);
    if (got == 0) {
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

/* ---------------------------------------------------------------- data: URLs */

static int b64_value(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62; /* '-' and '_': the URL-safe alphabet */
    if (c == '/' || c == '_') return 63;
    return -1;
}

/* Base64 (white space and percent-encoded line breaks passed over, '='
   ends it); false on any other character. */
static bool b64_decode(const char *s, buf_t *out) {
    unsigned acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        if (isspace((unsigned char)*s)) continue;
        if (s[0] == '%' && s[1] == '0' &&
            (s[2] == 'A' || s[2] == 'a' || s[2] == 'D' || s[2] == 'd')) {
            s += 2;
            continue;
        }
        int v = b64_value((unsigned char)*s);
        if (v < 0) return false;
        acc = acc << 6 | (unsigned)v, bits += 6;
        if (bits >= 8) buf_putc(out, (char)(acc >> (bits -= 8) & 0xFF));
    }
    return true;
}

char *image_data_url(const char *url, char *err, size_t errlen) {
    const char *comma = strchr(url, ',');
    if (strncasecmp(url, "data:", 5) != 0 || !comma) {
        snprintf(err, errlen, "a data: URL without a comma");
        return NULL;
    }
    /* ";base64" ends the media type's parameters (RFC 2397) */
    bool b64 = comma - url >= 12 && strncasecmp(comma - 7, ";base64", 7) == 0;
    buf_t body;
    buf_init(&body);
    char *result = NULL, *dir = cache_dir();
    if (!b64) { /* SVG as text: "data:image/svg+xml;utf8,%3Csvg …" */
        char *text = url_decode(comma + 1, strlen(comma + 1));
        buf_puts(&body, text);
        free(text);
    }
    if (b64 && !b64_decode(comma + 1, &body)) {
        snprintf(err, errlen, "its base64 text is broken");
    } else if (body.len > (size_t)MAX_BYTES) {
        snprintf(err, errlen, "larger than 20 MB");
    } else if (!image_sniff((const unsigned char *)body.data, body.len < 1024 ? body.len : 1024)) {
        snprintf(err, errlen, "its data is not a PNG, JPEG, GIF, WebP or SVG picture");
    } else if (!dir) {
        snprintf(err, errlen, "no cache folder to decode it into (HOME is not set)");
    } else {
        /* decoded once into the cache, as a fetched picture is: the backends
           read pictures from files */
        char *name = cache_name(url), *path = path_join(dir, name);
        char werr[256];
        free(name);
        mkdirs(dir);
        if (path_exists(path) || write_atomic(path, body.data, body.len, werr, sizeof werr) == 0)
            result = path, path = NULL;
        else
            snprintf(err, errlen, "cannot write the cache: %s", werr);
        free(path);
    }
    buf_free(&body);
    free(dir);
    return result;
}
