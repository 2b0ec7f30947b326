#ifndef GHB_FSUTIL_H
#define GHB_FSUTIL_H
#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file; the result is NUL-terminated and owned by the caller.
   Returns NULL and sets errno on failure. */
char *read_file(const char *path, size_t *len);

/* Writes data to a temporary file beside path, then renames it into place, so a
   failure (disk full, file-size limit, signal) leaves the old file untouched and no
   temporary behind. Returns 0, or -1 with a reason in err. */
int write_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen);
/* Removes an in-flight temporary file; safe to call from a signal handler. */
void write_atomic_cleanup(void);

/* Joins dir and rel ("" dir means rel itself); caller frees. */
char *path_join(const char *dir, const char *rel);
/* The directory part of a relative path ("" for none); caller frees. */
char *path_dirname(const char *path);
/* Lexically normalizes a relative path ("a/./b/../c" -> "a/c"). Returns NULL when
   the path is absolute or climbs above its starting point. Caller frees. */
char *path_normalize(const char *path);
bool path_exists(const char *path);
bool path_is_dir(const char *path);
/* True when path (which exists) really lies inside root, after symbolic links. */
bool path_inside(const char *root, const char *path);

#endif
