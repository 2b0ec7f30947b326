#ifndef GHB_LANGS_H
#define GHB_LANGS_H
/* GitBook's multilingual books: a LANGS.md at the top lists the language
   folders (`* [English](en/)`), each a book of its own (SUMMARY.md, README.md,
   optionally book.json) sharing the top folder's book.json and files. */
#include <stdbool.h>
#include <stddef.h>

/* The language folders LANGS.md in dir lists (relative, normalized, existing
   folders inside dir, in its order); 0 when there is no LANGS.md or it lists
   none. Caller frees each and the array. */
size_t langs_list(const char *dir, char ***folders);
/* Whether dir is one of the language folders of the LANGS.md in the folder
   above; then *top is that folder (caller frees) and *folder dir's name there. */
bool langs_parent(const char *dir, char **top, char **folder);

#endif
