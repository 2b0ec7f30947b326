#include "curllib.h"
#include "dynlib.h"
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SYM(field, symbol)                                                                         \
    { "libcurl.so.4", #symbol, offsetof(curllib_t, field) }
static const dynsym_t syms[] = {
    SYM(global_init, curl_global_init),     SYM(easy_init, curl_easy_init),
    SYM(easy_setopt, curl_easy_setopt),     SYM(easy_perform, curl_easy_perform),
    SYM(easy_strerror, curl_easy_strerror), SYM(easy_cleanup, curl_easy_cleanup),
};

static curllib_t lib;
static bool loaded;
static char why[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    loaded = dynlib_load(syms, sizeof syms / sizeof *syms, &lib, why, sizeof why);
    /* not thread-safe in old libcurl versions: done here, once */
    if (loaded && lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(why, sizeof why, "libcurl.so.4 failed to start");
        loaded = false;
    }
}

const curllib_t *curllib(char *err, size_t errlen) {
    pthread_once(&once, load);
    if (!loaded && err) snprintf(err, errlen, "%s", why);
    return loaded ? &lib : NULL;
}
