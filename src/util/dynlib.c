#include "dynlib.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

bool dynlib_load(const dynsym_t *syms, size_t n, void *table, char *err, size_t errlen) {
    void *h = NULL;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(syms[i].soname, syms[i - 1].soname) != 0) {
            h = dlopen(syms[i].soname, RTLD_NOW | RTLD_LOCAL);
            if (!h) {
                const char *why = dlerror();
                snprintf(err, errlen, "%s is not available (%s)", syms[i].soname,
                         why ? why : "dlopen failed");
                return false;
            }
        }
        dlerror();
        /* POSIX's blessed way of storing a dlsym result in a function pointer */
        void *p = dlsym(h, syms[i].name);
        if (!p) {
            snprintf(err, errlen, "%s is not available (it lacks %s)", syms[i].soname,
                     syms[i].name);
            return false;
        }
        memcpy((char *)table + syms[i].offset, &p, sizeof p);
    }
    return true;
}

bool dynlib_once(dynlib_once_t *o, const dynsym_t *syms, size_t n, void *table,
                 bool (*start)(void *table, char *why, size_t whylen), char *err, size_t errlen) {
    pthread_mutex_lock(&o->mu);
    if (!o->tried) {
        o->tried = true;
        o->loaded = dynlib_load(syms, n, table, o->why, sizeof o->why) &&
                    (!start || start(table, o->why, sizeof o->why));
    }
    bool ok = o->loaded;
    if (!ok && err) snprintf(err, errlen, "%s", o->why);
    pthread_mutex_unlock(&o->mu);
    return ok;
}
