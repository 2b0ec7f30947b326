#ifndef GHB_META_H
#define GHB_META_H
#include "book.h"

/* Reads book.yaml (path may not exist: then nothing is read and 0 is returned).
   display is the path shown in diagnostics. Returns -1 on a fatal YAML error. */
int meta_read_yaml(meta_t *m, const char *path, const char *display, diags_t *d);
/* Reads a configuration file whole. NULL with *rc 0 when it does not exist; NULL
   with *rc -1 and an error at display when it cannot be read. Caller frees. */
char *meta_read_config(const char *path, const char *display, size_t *len, diags_t *d, int *rc);
/* Fills what is still unset: title fallback, lang, output name (from the title,
   else from folder's name), identifier, epoch. */
void meta_finish(meta_t *m, const char *fallback_title, const char *folder, diags_t *d,
                 const char *display);
void meta_free(meta_t *m);
/* Parses YYYY-MM-DD (optionally followed by more) into a UTC time; -1 when invalid. */
time_t meta_parse_date(const char *s);

#endif
