#define _POSIX_C_SOURCE 200809L
#include "hyphen.h"
#include "../book/words.h"
#include "../util/fsutil.h"
#include "../util/strmap.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#define HYPHEN_DIR "/usr/share/hyphen"
#define WORD_MAX 64 /* longer "words" are not words: never hyphenated */

/* Pattern files are loaded once per process: a book is typeset up to three
   times, and every table cell and paragraph asks. */
static struct {
    char *path;
    HyphenDict *dict;
} loaded[4];

/* two typesetting threads may open hyphenators at once (#14); a loaded
   dictionary is only read */
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;

static HyphenDict *find_or_load(const char *path) {
    for (size_t i = 0; i < 4 && loaded[i].path; i++)
        if (strcmp(loaded[i].path, path) == 0) return loaded[i].dict;
    for (size_t i = 0; i < 4; i++)
        if (!loaded[i].path) {
            HyphenDict *d = hnj_hyphen_load(path);
            if (!d) return NULL;
            loaded[i].path = xstrdup(path);
            loaded[i].dict = d;
            return d;
        }
    return NULL;
}

static HyphenDict *dict_for(const char *path) {
    pthread_mutex_lock(&loaded_lock);
    HyphenDict *d = find_or_load(path);
    pthread_mutex_unlock(&loaded_lock);
    return d;
}

static char *pattern_file(const char *lang);

static pthread_t prefetcher;
static bool prefetching;

static void *prefetch_run(void *path) {
    dict_for(path);
    free(path);
    return NULL;
}

void hyphen_prefetch(const char *lang) {
    if (prefetching || !lang || lang_is_cjk(lang_kind_of(lang))) return;
    char *path = pattern_file(lang);
    if (!path) return;
    prefetching = pthread_create(&prefetcher, NULL, prefetch_run, path) == 0;
    if (!prefetching) free(path);
}

void hyphen_release(void) {
    if (prefetching) pthread_join(prefetcher, NULL);
    prefetching = false;
    for (size_t i = 0; i < 4; i++) {
        if (loaded[i].dict) hnj_hyphen_free(loaded[i].dict);
        free(loaded[i].path);
        loaded[i].path = NULL, loaded[i].dict = NULL;
    }
}

struct hyphenator {
    HyphenDict *dict;
    strmap_t except; /* lower-case word -> index in breaks */
    char **breaks;   /* per exception: '1' after each letter that may take a hyphen */
    size_t n;
    /* the patterns' answer per lower-case word: bit i set when a hyphen may follow
       letter i (the last letter never takes one, so the value is never negative).
       #14: a book repeats its words, and libhyphen took a tenth of a code book's
       instructions asking again. A hyphenator belongs to one typesetting thread. */
    strmap_t *memo;
};

/* The pattern file for lang: hyph_ll_CC.dic, else (English) hyph_en_US.dic. */
static char *pattern_file(const char *lang) {
    char ll[4] = {0}, cc[4] = {0};
    size_t i = 0;
    for (; i < 3 && isalpha((unsigned char)lang[i]); i++)
        ll[i] = (char)tolower((unsigned char)lang[i]);
    if (i < 2) return NULL;
    if (lang[i] == '-' || lang[i] == '_') {
        size_t k = 0;
        for (const char *p = lang + i + 1; k < 2 && isalpha((unsigned char)p[k]); k++)
            cc[k] = (char)toupper((unsigned char)p[k]);
        if (k != 2) cc[0] = 0;
    }
    char path[256];
    if (cc[0]) {
        snprintf(path, sizeof path, "%s/hyph_%s_%s.dic", HYPHEN_DIR, ll, cc);
        if (path_exists(path)) return xstrdup(path);
    }
    if (strcmp(ll, "en") == 0) {
        snprintf(path, sizeof path, "%s/hyph_en_US.dic", HYPHEN_DIR);
        if (path_exists(path)) return xstrdup(path);
    }
    return NULL;
}

hyphenator_t *hyphenator_open(const char *lang, char *const *exceptions, size_t n) {
    char *path = lang ? pattern_file(lang) : NULL;
    HyphenDict *d = path ? dict_for(path) : NULL;
    free(path);
    if (!d) return NULL;
    hyphenator_t *h = xcalloc(1, sizeof *h);
    h->dict = d;
    strmap_init(&h->except);
    h->memo = xmalloc(sizeof *h->memo);
    strmap_init(h->memo);
    h->breaks = xcalloc(n + 1, sizeof *h->breaks);
    for (size_t i = 0; i < n; i++) {
        const char *e = exceptions[i];
        char word[WORD_MAX + 1], *marks = xcalloc(WORD_MAX + 1, 1);
        size_t len = 0;
        for (; *e && len < WORD_MAX; e++) {
            if (*e == '-') {
                if (len) marks[len - 1] = '1';
            } else {
                word[len] = (char)tolower((unsigned char)*e);
                marks[len++] = '0';
            }
        }
        word[len] = 0;
        if (!len || *e) { /* too long to be a word */
            free(marks);
            continue;
        }
        marks[len - 1] = '0';
        h->breaks[h->n] = marks;
        strmap_put(&h->except, word, (long)h->n++);
    }
    return h;
}

void hyphenator_free(hyphenator_t *h) {
    if (!h) return;
    for (size_t i = 0; i < h->n; i++)
        free(h->breaks[i]);
    free(h->breaks);
    strmap_free(&h->except);
    strmap_free(h->memo);
    free(h->memo);
    free(h);
}

size_t hyphenate(const hyphenator_t *h, const uint32_t *w, size_t n, bool *after) {
    memset(after, 0, n * sizeof *after);
    if (!h || n < 5 || n > WORD_MAX) return 0;
    char word[WORD_MAX + 1];
    for (size_t i = 0; i < n; i++) {
        if (w[i] >= 0x80 || !isalpha((int)w[i])) return 0;
        word[i] = (char)tolower((int)w[i]);
    }
    word[n] = 0;
    size_t count = 0;
    long e = strmap_get(&h->except, word);
    if (e >= 0) {
        for (size_t i = 0; i + 1 < n; i++)
            if (h->breaks[e][i] == '1') after[i] = true, count++;
        return count;
    }
    long known = strmap_get(h->memo, word);
    if (known >= 0) {
        for (size_t i = 0; i + 1 < n; i++)
            if ((unsigned long)known >> i & 1) after[i] = true, count++;
        return count;
    }
    char hyphens[WORD_MAX + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    /* at least two letters before a hyphen and three after it, as TeX sets English */
    if (hnj_hyphen_hyphenate3(h->dict, word, (int)n, hyphens, NULL, &rep, &pos, &cut, 2, 3, 2, 3) ==
        0) {
        for (size_t i = 0; i + 1 < n; i++)
            if (hyphens[i] & 1) after[i] = true, count++;
    }
    if (rep) {
        for (size_t i = 0; i < n; i++)
            free(rep[i]);
        free(rep), free(pos), free(cut);
    }
    unsigned long bits = 0;
    for (size_t i = 0; i + 1 < n; i++)
        bits |= (unsigned long)after[i] << i;
    strmap_put(h->memo, word, (long)bits);
    return count;
}
