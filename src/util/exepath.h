#ifndef GHB_EXEPATH_H
#define GHB_EXEPATH_H

/* The running program's own file, from /proc/self/exe (symbolic links resolved), else
   argv0 as given. Caller frees. */
char *exe_path(const char *argv0);
/* rel resolved against the folder holding the running program, e.g.
   exe_relative(argv0, "../share/ghb-book/fonts"): what makes an installed prefix
   relocatable. Caller frees. */
char *exe_relative(const char *argv0, const char *rel);

#endif
