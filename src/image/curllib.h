#ifndef GHB_IMAGE_CURLLIB_H
#define GHB_IMAGE_CURLLIB_H
/* libcurl, loaded on the first remote image that is not in the cache
   (dynlib.h). Types and prototypes are libcurl's own. */
#include <curl/curl.h>
#include <stddef.h>

/* curl.h makes curl_easy_setopt a type-checking macro under GCC, so the field
   names drop the curl_ prefix to stay clear of it. */
typedef struct {
    __typeof__(&curl_global_init) global_init;
    __typeof__(&curl_easy_init) easy_init;
    __typeof__(&curl_easy_setopt) easy_setopt;
    __typeof__(&curl_easy_perform) easy_perform;
    __typeof__(&curl_easy_strerror) easy_strerror;
    __typeof__(&curl_easy_cleanup) easy_cleanup;
} curllib_t;

/* The loaded functions (curl_global_init done), or NULL with
   "libcurl.so.4 is not available (…)" in err. Loads once (thread-safe). */
const curllib_t *curllib(char *err, size_t errlen);

#endif
