#ifndef GHB_XALLOC_H
#define GHB_XALLOC_H
#include <stddef.h>

/* Allocation failure is not recoverable for a batch compiler: these print and exit. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grows *v (of *cap elements of size elem) so that index `need` fits. */
void xgrow(void **v, size_t *cap, size_t need, size_t elem);
/* The test is inline: most calls find room (hot loops append one element at a time). */
#define XGROW(v, cap, need)                                                                        \
    ((need) < (cap) ? (void)0 : xgrow((void **)&(v), &(cap), (need), sizeof *(v)))

#endif
