#ifndef GHB_CLI_STARTER_H
#define GHB_CLI_STARTER_H
#include <stdbool.h>
#include <stddef.h>

/* What `ghb-book new` fills into its starter book. */
typedef struct {
    const char *title, *author, *lang; /* lang: "zh-CN" or "en" */
    const char *output;                /* base name of the output files */
    const char *repository, *version;  /* the GitHub action the workflow uses: owner/name@vX */
    char date[16];                     /* YYYY-MM-DD */
} starter_t;

/* Writes the starter book into the existing, empty folder dir. 0, or -1 with a reason
   in err. */
int starter_write(const char *dir, const starter_t *st, char *err, size_t errlen);
/* Removes everything under dir, and dir itself unless keep_dir (a failed start). */
void starter_remove(const char *dir, bool keep_dir);

#endif
