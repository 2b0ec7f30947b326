#ifndef GHB_CLI_COMMANDS_H
#define GHB_CLI_COMMANDS_H

/* `ghb-book new DIR ...`: argv[0] is "new". Returns the exit status. */
int cmd_new(int argc, char **argv);
/* `ghb-book watch ...`: argv[0] is "watch". Returns the exit status. */
int cmd_watch(int argc, char **argv);

#endif
