#include "unlisted.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Folders deep enough for any book; a deeper tree is not walked further. */
#define MAX_DEPTH 8

typedef struct {
    const summary_t *s;
    const char *contents; /* the contents page the README links, or NULL: read, not left out */
    size_t count;
    char *first; /* the first one found, for the message */
} walk_t;

static bool listed(const summary_t *s, const char *rel) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].path, rel) == 0) return true;
    return false;
}

/* Repository files that are not chapters of any book. */
static bool housekeeping(const char *name) {
    static const char *const names[] = {"SUMMARY.md",  "CONTRIBUTING.md",    "CHANGELOG.md",
                                        "LICENSE.md",  "CODE_OF_CONDUCT.md", "SECURITY.md",
                                        "_sidebar.md", "_navbar.md",         "_coverpage.md"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(name, names[i]) == 0) return true;
    return false;
}

static bool is_markdown(const char *name) {
    size_t n = strlen(name);
    return n > 3 && strcasecmp(name + n - 3, ".md") == 0;
}

static void walk(walk_t *w, const char *root, const char *rel, int depth) {
    char *dir = *rel ? path_join(root, rel) : xstrdup(root);
    DIR *d = opendir(dir);
    free(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (name[0] == '.' || !strcmp(name, "node_modules") || !strcmp(name, "_book")) continue;
        char *sub = *rel ? path_join(rel, name) : xstrdup(name);
        char *full = path_join(root, sub);
        if (path_is_dir(full)) {
            if (depth < MAX_DEPTH) walk(w, root, sub, depth + 1);
        } else if (is_markdown(name) && !housekeeping(name) && !listed(w->s, sub) &&
                   !(w->contents && strcmp(sub, w->contents) == 0)) {
            w->count++;
            if (!w->first || strcmp(sub, w->first) < 0) free(w->first), w->first = xstrdup(sub);
        }
        free(full);
        free(sub);
    }
    closedir(d);
}

void unlisted_warn(book_t *b, const summary_t *s, const char *readme) {
    walk_t w = {s, b->contents_page, 0, NULL};
    walk(&w, b->root, "", 0);
    if (w.count) {
        char *display = book_display_path(b, readme);
        diag_add(b->diags, DIAG_WARNING, display, 1, 1,
                 "%zu Markdown file%s of the book folder %s not linked from %s%s and "
                 "left out (%s%s); a SUMMARY.md lists the chapters of a book",
                 w.count, w.count == 1 ? "" : "s", w.count == 1 ? "is" : "are",
                 b->contents_page ? "its contents page " : "this README",
                 b->contents_page ? b->contents_page : "", w.first,
                 w.count > 1 ? " and others" : "");
        free(display);
    }
    free(w.first);
}
