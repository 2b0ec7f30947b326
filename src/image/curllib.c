#include "curllib.h"
#include "../util/dynlib.h"
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

/* not thread-safe in old libcurl versions: done once, under the load's lock */
static bool start(void *table, char *why, size_t whylen) {
    if (((curllib_t *)table)->global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) return true;
    snprintf(why, whylen, "libcurl.so.4 failed to start");
    return false;
}

DYNLIB_MODULE(curllib_t, curllib, start)
