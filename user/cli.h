/*
 * cli.h - the command line's machinery: every option once (how it is spelled and parsed),
 * each subcommand naming only the options it uses, its own --help made from that list, and
 * one-line usage errors that point at the subcommand's help.  The subcommands themselves
 * (their handlers and texts) are in main.c.
 */
#ifndef IPCLAB_CLI_H
#define IPCLAB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "run.h"

/* Every option ipclab has; a subcommand takes a few of them. */
enum cli_opt {
	CLI_OPT_END,		/* ends a subcommand's list */
	CLI_OPT_OUTPUT,
	CLI_OPT_TIER,
	CLI_OPT_BUFFER,
	CLI_OPT_BTF,
	CLI_OPT_TIMEOUT,
	CLI_OPT_SAVE_SPOOL,
	CLI_OPT_HTML,
	CLI_OPT_GZIP,
	CLI_OPT_CHROME,
	CLI_OPT_QUIET,
	CLI_OPT_SIZES,
	CLI_OPT_LANG,
	CLI_OPT_PORT,
	CLI_OPT_CLAIMS,
	CLI_OPT_SUMMARY,
	CLI_OPT_LAB,
	CLI_OPT_COUNT,
};

/*
 * One option of one subcommand, and what it is called and does there when that differs from
 * what every subcommand says (NULL: the common text).
 */
struct cli_cmd_opt {
	enum cli_opt id;
	const char *help;	/* may hold '\n': the next line is indented under the first */
	const char *arg;	/* the argument's name in the help */
};

struct cli_cmd {
	const char *name;
	/* the operands (what getopt left), in order; returns the exit status */
	int (*handler)(char **args, int n, struct run_opts *o);
	const char *synopsis;	/* what follows "ipclab NAME" in the usage line */
	const char *summary;	/* one line in the overview */
	const char *about;	/* a paragraph for NAME --help */
	const char *examples;	/* lines for NAME --help, or NULL */
	const struct cli_cmd_opt *opts;	/* ends with CLI_OPT_END; NULL: none */
	int min_args, max_args;	/* operands allowed; max_args < 0: any number */
	const char *wrong_args;	/* the one line when the count is wrong */
	bool stop_at_operand;	/* trace: the traced command's own options reach it untouched */
};

/* What cli_parse() returns when the subcommand should run (anything else: the exit status). */
#define CLI_RUN (-1)

/*
 * Parse argv (argv[0] is the subcommand's name) into o with the subcommand's options only;
 * checks the number of operands, which then start at argv[*first].  --help prints the
 * subcommand's help on stdout and returns EXIT_OK; a usage error prints one line on stderr
 * and returns EXIT_USAGE.
 */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct run_opts *o, int *first);
void cli_print_help(const struct cli_cmd *cmd, FILE *f);
/* "ipclab: MESSAGE (see ipclab CMD --help)" on stderr (CMD NULL: ipclab --help); EXIT_USAGE */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The name closest to a typo (a few letters off, or word begins it), or NULL. */
const char *cli_closest(const char *word, const char *const *names, size_t n);

#endif
