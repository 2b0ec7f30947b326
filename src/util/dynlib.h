#ifndef GHB_UTIL_DYNLIB_H
#define GHB_UTIL_DYNLIB_H
/* Loading a library on first use (dlopen by soname) instead of at start-up:
   each linked library costs every run its loading and relocation, and most
   books never need librsvg, libcurl, libgif, libwebp, fontconfig, lcms2 or
   (no EPUB) libzip (docs/DECISIONS.md, "Libraries on demand"). Each library
   has a small module in the stage that uses it (image/svglib.c, curllib.c,
   giflib.c, webplib.c; epub/ziplib.c; fonts/fclib.c; pdf/cmslib.c) with a
   table of function pointers typed from the library's own header, so calls
   stay type-checked. Several stages share it, so it lives here. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* One symbol: the library it comes from, its name, and where its pointer goes
   in the module's table (offsetof). */
typedef struct {
    const char *soname, *name;
    size_t offset;
} dynsym_t;

/* Opens each soname (RTLD_NOW | RTLD_LOCAL) and stores every symbol into
   table. On failure writes "SONAME is not available (why)" to err and returns
   false. Libraries are never closed: their own state (GLib types, curl's
   global init) must outlive every use, and the process ends soon after. */
bool dynlib_load(const dynsym_t *syms, size_t n, void *table, char *err, size_t errlen);

/* A module's library, loaded by whichever thread asks first. */
typedef struct {
    pthread_mutex_t mu;
    bool tried, loaded;
    char why[256];
} dynlib_once_t;
#define DYNLIB_ONCE_INIT                                                                           \
    { PTHREAD_MUTEX_INITIALIZER, false, false, "" }

/* On the first call loads syms into table (dynlib_load), then runs start if
   given (a library's own one-time set-up, which may fail with a reason); every
   call returns that first result, with the reason in err on failure. */
bool dynlib_once(dynlib_once_t *o, const dynsym_t *syms, size_t n, void *table,
                 bool (*start)(void *table, char *why, size_t whylen), char *err, size_t errlen);

/* A module's accessor, const TYPE *NAME(char *err, size_t errlen): its table,
   loaded from the module's syms[] on the first call (start as dynlib_once's,
   or NULL), or NULL with the reason in err. */
#define DYNLIB_MODULE(type, name, start)                                                           \
    static type name##_table;                                                                      \
    static dynlib_once_t name##_once = DYNLIB_ONCE_INIT;                                           \
    const type *name(char *err, size_t errlen) {                                                   \
        return dynlib_once(&name##_once, syms, sizeof syms / sizeof *syms, &name##_table, start,   \
                           err, errlen)                                                            \
                   ? &name##_table                                                                 \
                   : NULL;                                                                         \
    }

#endif
