#ifndef GHB_HYPHEN_H
#define GHB_HYPHEN_H
/* Hyphenation of Latin words: libhyphen with the system's patterns (TeX's, from
   the hyphen-* packages in /usr/share/hyphen) plus a book's own exceptions
   (book.yaml hyphenation-exceptions, written like "to-ken-iza-tion"). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hyphenator hyphenator_t;

/* A hyphenator for a BCP 47 language ("en", "en-GB", ...), or NULL when no
   patterns for it are installed. exceptions: n words with their hyphens. */
hyphenator_t *hyphenator_open(const char *lang, char *const *exceptions, size_t n);
void hyphenator_free(hyphenator_t *h);
/* Marks in after[0..n) where word w (n code points) may break with a hyphen:
   after[i] is true when a hyphen may follow letter i. Only plain words of ASCII
   letters are hyphenated (code, URLs and identifiers never reach here: the
   caller passes words of letters only); returns the number of break points. */
size_t hyphenate(const hyphenator_t *h, const uint32_t *w, size_t n, bool *after);
/* Starts loading the patterns for lang on a thread of its own (#14: libhyphen
   takes 5-6 ms to read the English ones, which a book's parsing can hide); a
   hyphenator for lang opened meanwhile waits for it. Nothing for a language
   set without hyphens (Chinese, Japanese, Korean) or without patterns. */
void hyphen_prefetch(const char *lang);
/* Releases the pattern files kept loaded between books (after waiting for a
   prefetch still loading). */
void hyphen_release(void);

#endif
