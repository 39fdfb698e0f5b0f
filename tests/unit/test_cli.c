// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c - the command line's machinery (user/cli.c), in process: a subcommand takes
 * only the options it names, trace-like commands stop at their first operand, operands are
 * counted, help is made from the option list, and typos find the nearest name.
 * (tests/integration/test_cli.c runs the real subcommands.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cli.h"

static const struct cli_cmd_opt some_options[] = {
	{ CLI_OPT_OUTPUT, "where it goes", "DIR" },
	{ .id = CLI_OPT_TIER }, { .id = CLI_OPT_BUFFER }, { .id = CLI_OPT_TIMEOUT },
	{ .id = CLI_OPT_QUIET }, { .id = CLI_OPT_END },
};

static const struct cli_cmd runs = {
	.name = "runs", .synopsis = "[X...]", .about = "about runs", .opts = some_options,
	.max_args = -1,
};

static const struct cli_cmd traces = {
	.name = "traces", .synopsis = "CMD [ARGS...]", .about = "about traces",
	.opts = some_options, .min_args = 1, .max_args = -1, .wrong_args = "traces needs a command",
	.stop_at_operand = true,
};

static const struct cli_cmd bare = {
	.name = "bare", .synopsis = "", .about = "about bare", .wrong_args = "bare takes none",
};

static char *argv_buf[16];
static struct run_opts o;
static int first;

/* cli_parse() of the NULL-terminated words, into o (defaults as main.c sets them) */
static int parse(const struct cli_cmd *cmd, ...)
{
	va_list ap;
	int argc = 0;
	char *w;

	o = (struct run_opts){ .tier = TIER_AUTO, .buffer_bytes = 16 << 20 };
	argv_buf[argc++] = (char *)cmd->name;
	va_start(ap, cmd);
	while ((w = va_arg(ap, char *)))
		argv_buf[argc++] = w;
	va_end(ap);
	argv_buf[argc] = NULL;
	first = -1;
	return cli_parse(cmd, argc, argv_buf, &o, &first);
}

static void test_takes_its_options(void **state)
{
	assert_int_equal(parse(&runs, "a", "-o", "D", "--tier", "tracepoint", "--timeout=2.5",
			       "-qb", "64K", "b", NULL), CLI_RUN);
	assert_string_equal(o.out, "D");
	assert_int_equal(o.tier, TIER_TRACEPOINT);
	assert_true(o.timeout_s == 2.5);
	assert_true(o.quiet);
	assert_int_equal(o.buffer_bytes, 64 << 10);
	/* options after operands too: getopt moved the operands to the end */
	assert_string_equal(argv_buf[first], "a");
	assert_string_equal(argv_buf[first + 1], "b");
	assert_null(argv_buf[first + 2]);
}

/* Options ipclab has but this command does not name are refused, not ignored. */
static void test_refuses_options_of_others(void **state)
{
	assert_int_equal(parse(&runs, "--html", NULL), EXIT_USAGE);
	assert_false(o.html);
	assert_int_equal(parse(&runs, "--save-spool", "S", NULL), EXIT_USAGE);
	assert_null(o.save_spool);
	assert_int_equal(parse(&runs, "--chrome", NULL), EXIT_USAGE);
	assert_int_equal(parse(&bare, "-q", NULL), EXIT_USAGE);
	assert_int_equal(parse(&bare, "--tier", "tracepoint", NULL), EXIT_USAGE);
	assert_int_equal(o.tier, TIER_AUTO);
	assert_int_equal(parse(&runs, "--nothing-at-all", NULL), EXIT_USAGE);
	assert_int_equal(parse(&runs, "--quiet=yes", NULL), EXIT_USAGE);
}

static void test_bad_values(void **state)
{
	assert_int_equal(parse(&runs, "-o", NULL), EXIT_USAGE);	/* missing argument */
	assert_int_equal(parse(&runs, "--tier", "bogus", NULL), EXIT_USAGE);
	assert_int_equal(parse(&runs, "--timeout", "nan", NULL), EXIT_USAGE);
	assert_int_equal(parse(&runs, "--timeout", "1e300", NULL), EXIT_USAGE);
	assert_int_equal(parse(&runs, "--buffer", "3000", NULL), EXIT_USAGE);
	assert_int_equal(parse(&runs, "--buffer", "17179869185G", NULL), EXIT_USAGE);
	assert_int_equal(o.buffer_bytes, 16 << 20);
}

/* The traced command's own options reach it: parsing stops at the first operand. */
static void test_stops_at_operand(void **state)
{
	assert_int_equal(parse(&traces, "-q", "--", "cmd", "-o", "x", "--tier", "bogus", NULL),
			 CLI_RUN);
	assert_true(o.quiet);
	assert_null(o.out);
	assert_string_equal(argv_buf[first], "cmd");
	assert_string_equal(argv_buf[first + 1], "-o");
	assert_int_equal(parse(&traces, "-o", "F", "cmd", "-q", NULL), CLI_RUN);
	assert_string_equal(o.out, "F");
	assert_false(o.quiet);
	assert_string_equal(argv_buf[first + 1], "-q");
}

static void test_operand_count(void **state)
{
	assert_int_equal(parse(&bare, NULL), CLI_RUN);
	assert_int_equal(parse(&bare, "x", NULL), EXIT_USAGE);
	assert_int_equal(parse(&traces, "-q", NULL), EXIT_USAGE);
	assert_int_equal(parse(&traces, "-q", "--", NULL), EXIT_USAGE);
	assert_int_equal(parse(&runs, NULL), CLI_RUN);
}

static char *help_of(const struct cli_cmd *cmd)
{
	static char text[4096];
	FILE *f = fmemopen(text, sizeof(text), "w");

	assert_non_null(f);
	cli_print_help(cmd, f);
	fclose(f);
	return text;
}

/* The help lists exactly the command's options, in its words where it has its own. */
static void test_help(void **state)
{
	const char *h = help_of(&runs);

	assert_non_null(strstr(h, "Usage: ipclab runs [OPTIONS] [X...]\n\nabout runs\n"));
	assert_non_null(strstr(h, "\n  -o, --output DIR        where it goes\n"));
	assert_non_null(strstr(h, "\n  -t, --tier TIER         auto (default)"));
	/* a help text's second line is indented under its first */
	assert_non_null(strstr(h, "from 4K to 1G\n                          (default 16M)\n"));
	assert_non_null(strstr(h, "\n      --timeout SEC       "));
	assert_non_null(strstr(h, "\n  -h, --help              this help\n"));
	assert_null(strstr(h, "--html"));
	assert_null(strstr(h, "--btf"));
	h = help_of(&bare);
	assert_non_null(strstr(h, "Usage: ipclab bare\n"));
	assert_null(strstr(h, "--output"));
	/* --help: the help on stdout, exit 0, whatever else is on the line */
	assert_int_equal(parse(&bare, "--help", "x", NULL), EXIT_OK);
}

static void test_closest(void **state)
{
	static const char *const cmds[] = { "list", "run", "trace", "doctor", "replay", "check",
					     "view", "export", "help" };
	const size_t n = sizeof(cmds) / sizeof(cmds[0]);

	assert_string_equal(cli_closest("chek", cmds, n), "check");	/* a letter missing */
	assert_string_equal(cli_closest("tarce", cmds, n), "trace");	/* two swapped */
	assert_string_equal(cli_closest("exprot", cmds, n), "export");
	assert_string_equal(cli_closest("doctr", cmds, n), "doctor");
	assert_string_equal(cli_closest("veiw", cmds, n), "view");
	assert_string_equal(cli_closest("rum", cmds, n), "run");	/* one wrong */
	assert_string_equal(cli_closest("rep", cmds, n), "replay");	/* a beginning */
	assert_string_equal(cli_closest("checks", cmds, n), "check");	/* one too many */
	/* not typos: too far, or as many edits as letters */
	assert_null(cli_closest("frobnicate", cmds, n));
	assert_null(cli_closest("x", cmds, n));
	assert_null(cli_closest("ls", cmds, n));
	assert_null(cli_closest("", cmds, n));
	assert_null(cli_closest("a-word-longer-than-thirty-two-letters", cmds, n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_takes_its_options),
		cmocka_unit_test(test_refuses_options_of_others),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_stops_at_operand),
		cmocka_unit_test(test_operand_count),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_closest),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
