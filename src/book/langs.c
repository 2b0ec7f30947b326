#include "langs.h"
#include "mdutil.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool is_link(cmark_node *n, void *ctx) {
    (void)ctx;
    const char *u = cmark_node_get_url(n);
    return u && *u && !url_has_scheme(u) && u[0] != '#';
}

size_t langs_list(const char *dir, char ***folders) {
    *folders = NULL;
    char *path = path_join(dir, "LANGS.md");
    size_t len, n = 0;
    char *text = read_file(path, &len);
    free(path);
    if (!text) return 0;
    cmark_node *doc = md_parse(text, len), **v;
    size_t nl = md_collect(doc, CMARK_NODE_LINK, is_link, NULL, &v);
    *folders = xcalloc(nl + 1, sizeof **folders);
    for (size_t i = 0; i < nl; i++) {
        /* "en/", "./zh/README.md": the folder */
        char *u = xstrdup(cmark_node_get_url(v[i]));
        u[strcspn(u, "#?")] = '\0';
        size_t ul = strlen(u);
        if (ul > 3 && strcmp(u + ul - 3, ".md") == 0) {
            char *d = path_dirname(u);
            free(u);
            u = d;
        }
        char *norm = path_normalize(u), *full = norm ? path_join(dir, norm) : NULL;
        free(u);
        bool ok =
            full && *norm && strcmp(norm, ".") != 0 && path_is_dir(full) && path_inside(dir, full);
        for (size_t k = 0; ok && k < n; k++)
            ok = strcmp((*folders)[k], norm) != 0;
        if (ok)
            (*folders)[n++] = norm;
        else
            free(norm);
        free(full);
    }
    free(v);
    cmark_node_free(doc);
    free(text);
    if (!n) free(*folders), *folders = NULL;
    return n;
}

bool langs_parent(const char *dir, char **top, char **folder) {
    char real[PATH_MAX];
    if (!realpath(dir, real)) return false;
    char *up = path_dirname(real), **v;
    const char *name = strrchr(real, '/');
    name = name ? name + 1 : real;
    size_t n = langs_list(up, &v);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        if (!found && strcmp(v[i], name) == 0) found = true;
        free(v[i]);
    }
    free(v);
    if (found) {
        /* the folder above as the user named it, for readable diagnostics */
        char *named = path_join(dir, ".."), *norm = dir[0] == '/' ? NULL : path_normalize(named);
        *top = norm ? (*norm ? norm : (free(norm), xstrdup("."))) : up;
        if (norm) free(up);
        free(named);
        *folder = xstrdup(name);
    } else {
        free(up);
    }
    return found;
}
