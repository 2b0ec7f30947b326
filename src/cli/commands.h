#ifndef GHB_CLI_COMMANDS_H
#define GHB_CLI_COMMANDS_H

/* `ghb-book pdf|epub|all|check ...`: argv[0] is the program. Returns the exit status.
   watch runs it in a forked child for each build. */
int cmd_build(int argc, char **argv);
/* `ghb-book new DIR ...`: argv[0] is "new". Returns the exit status. */
int cmd_new(int argc, char **argv);
/* `ghb-book watch ...`: argv[0] is "watch". Returns the exit status. */
int cmd_watch(int argc, char **argv);

#endif
