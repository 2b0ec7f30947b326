#ifndef GHB_IMAGE_FETCH_H
#define GHB_IMAGE_FETCH_H
#include <stdbool.h>
#include <stddef.h>

/* Remote images (http and https) are fetched once into the cache
   ($XDG_CACHE_HOME/ghb-book, else ~/.cache/ghb-book), named by a hash of the
   URL, so rebuilds are reproducible and offline builds use what was fetched.
   Limits: 20 s, 20 MB, 5 redirects; the body must sniff as an image.
   Returns the cached file's path (caller frees), or NULL with a reason in err.
   offline: only the cache is consulted.
   memo (one per build, created on first use, freed with fetch_memo_free)
   remembers hosts that could not be reached: their other images are not
   tried again, and after MEMO_GIVE_UP such hosts in a row nothing more is
   fetched, so a machine without a network (or behind a firewall that drops
   packets) loses seconds, not a timeout per image. */
typedef struct fetch_memo fetch_memo_t;
char *image_fetch(const char *url, bool offline, fetch_memo_t **memo, char *err, size_t errlen);
void fetch_memo_free(fetch_memo_t *memo);
/* A data: URL's picture (base64 or percent-encoded, RFC 2397) decoded into the
   same cache, named by a hash of the URL: the cached file's path (caller
   frees), or NULL with a reason in err (not a picture, broken base64). */
char *image_data_url(const char *url, char *err, size_t errlen);

#endif
