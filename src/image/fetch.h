#ifndef GHB_IMAGE_FETCH_H
#define GHB_IMAGE_FETCH_H
#include <stdbool.h>
#include <stddef.h>

/* Remote images (http and https) are fetched once into the cache
   ($XDG_CACHE_HOME/ghb-book, else ~/.cache/ghb-book), named by a hash of the
   URL, so rebuilds are reproducible and offline builds use what was fetched.
   Limits: 20 s, 20 MB, 5 redirects; the body must sniff as an image.
   Returns the cached file's path (caller frees), or NULL with a reason in err.
   offline: only the cache is consulted. */
char *image_fetch(const char *url, bool offline, char *err, size_t errlen);

#endif
