// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the ipclab command line: one table of subcommands, each with its handler, its
 * own options and its own --help (cli.c parses them).  Errors are printed once, here or at
 * the stage edge.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include "check.h"
#include "chrome.h"
#include "claimcheck.h"
#include "cli.h"
#include "doctor.h"
#include "lab.h"
#include "outfile.h"
#include "trace_read.h"
#include "run.h"
#include "scenarios.h"
#include "serve.h"

static const char about[] =
"See Linux IPC in the kernel: eBPF probes record reads and writes on pipes, FIFOs and\n"
"local sockets (with the kernel buffer's occupancy), page faults on shared mappings,\n"
"blocking and who woke whom, signals and process lifetimes, and check each scenario's\n"
"claims against the trace.\n";

static const char overview_tail[] =
"\n"
"Each command takes only its own options; ipclab COMMAND --help lists them.\n"
"  -h, --help  this overview;  -V, --version  the version\n"
"\n"
"Examples:\n"
"  sudo ipclab run                          # every scenario, traces in ./traces\n"
"  sudo ipclab run pipe_write_blocks -o /tmp/t --html\n"
"  sudo ipclab run --lab docs/labs/pipe_write_blocks   # a lab folder: NAME.c, NAME.claims\n"
"  ipclab view traces/pipe_eof.json\n"
"  sudo ipclab trace -o ls.json -- sh -c 'ls / | wc -l'\n"
"  sudo ipclab doctor\n"
"  ipclab export --chrome traces/pipe_eof.json -o eof.chrome.json\n"
"\n"
"Exit status:\n"
"  0 success;  1 a claim failed (run, trace --claims) or the traced program failed\n"
"  (trace);  2 usage error, a bad claims file or lab directory;  3 not root (needs\n"
"  CAP_BPF + CAP_PERFMON);  4 kernel: no BTF or no probe tier can attach;  5 output\n"
"  not writable;  6 program could not be started;\n"
"  7 a trace to read is missing, not JSON, or not an ipclab trace this version reads;\n"
"  8 out of memory;  9 a lab's program did not compile (run --lab);\n"
"  124 --timeout expired;  130 interrupted: Ctrl-C/SIGTERM while the program runs stops\n"
"  it and the trace is written, marked interrupted; while the trace is being written,\n"
"  ipclab stops at once and writes none\n";

static int cmd_list(char **args, int n, struct run_opts *o)
{
	const char *section = "";
	const struct scenario *s;

	for (size_t i = 0; (s = scenario_at(i)); i++) {
		if (strcmp(section, s->section)) {
			section = s->section;
			printf("%s%s:\n", i ? "\n" : "", section);
		}
		printf("  %-20s %s\n", s->name, s->summary);
	}
	return EXIT_OK;
}

static int unknown_scenario(const char *name)
{
	size_t count = scenario_count();
	const char *names[count], *near;

	for (size_t i = 0; i < count; i++)
		names[i] = scenario_at(i)->name;
	near = cli_closest(name, names, count);
	fprintf(stderr, "ipclab: unknown scenario '%s'", name);
	if (near)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fprintf(stderr, "; valid scenarios:");
	for (size_t i = 0; i < count; i++)
		fprintf(stderr, " %s", names[i]);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int cmd_run(char **args, int nargs, struct run_opts *o)
{
	const struct scenario **list;
	size_t n = 0;
	int ret;

	if (o->lab && nargs)
		return cli_usage_error("run", "--lab DIR runs the lab alone: no SCENARIO with it");
	if (o->lab && o->sizes[0])
		return cli_usage_error("run", "--sizes is the compare scenario's, not --lab's");
	if (o->lab)
		return lab_run(o);
	if (!o->out)
		o->out = "traces";
	list = calloc(scenario_count() + nargs, sizeof(*list));
	if (!list)
		return EXIT_OUTPUT;
	if (!nargs)
		for (; n < scenario_count(); n++)
			list[n] = scenario_at(n);
	for (int i = 0; i < nargs; i++) {
		list[n] = scenario_find(args[i]);
		if (!list[n]) {
			free(list);
			return unknown_scenario(args[i]);
		}
		n++;
	}
	ret = run_scenarios(list, n, o);
	free(list);
	return ret;
}

static int cmd_check(char **args, int n, struct run_opts *o)
{
	int ret = EXIT_OK;

	if (o->summary && !o->claims)
		return cli_usage_error("check", "--summary needs --claims FILE");
	if (o->zh && !o->claims)	/* the stored claims are printed as the trace has them */
		return cli_usage_error("check", "--lang needs --claims FILE");
	if (o->claims)
		return claims_check(args, n, o);

	for (int i = 0; i < n; i++) {
		int r = check_trace(args[i], o);

		/* a bad file outranks a failed claim; the first bad file's status is kept */
		if (r != EXIT_OK && (ret == EXIT_OK || ret == EXIT_CLAIMS_FAILED))
			ret = r;
	}
	return ret;
}

/* Whether trace[0..len) ends in suffix, with something before it */
static bool ends_with(const char *trace, size_t len, const char *suffix)
{
	size_t k = strlen(suffix);

	return len > k && !strncmp(trace + len - k, suffix, k);
}

/* x.chrome.json next to the trace x.json or x.json.gz (another name: NAME.chrome.json) */
static void chrome_path_for(const char *trace, char *out, size_t n)
{
	size_t len = strlen(trace);

	if (ends_with(trace, len, ".gz"))
		len -= 3;
	if (ends_with(trace, len, ".json"))
		len -= 5;
	snprintf(out, n, "%.*s.chrome.json", (int)len, trace);
}

static int cmd_export(char **args, int n, struct run_opts *o)
{
	char out[PATH_MAX], err[512];
	struct run_user u;
	struct out_file of;
	int ret;

	if (!o->chrome)
		return cli_usage_error("export", "export needs a format: ipclab export --chrome TRACE");
	if (o->out)
		snprintf(out, sizeof(out), "%s", o->out);
	else
		chrome_path_for(args[0], out, sizeof(out));
	run_user_from_env(&u);
	ret = out_open(&of, out);
	if (ret)
		return trace_read_status(ret, "", out);
	/* streamed: the output grows as the trace is read, and is dropped if it is bad */
	ret = export_chrome(args[0], of.f, err, sizeof(err));
	if (ret) {
		out_discard(&of);
		return trace_read_status(ret, err, out);
	}
	ret = out_commit(&of, &u);
	if (ret)
		return trace_read_status(ret, "", out);
	if (!o->quiet)
		fprintf(stderr, "ipclab: wrote %s\n", out);
	return EXIT_OK;
}

/* -o FILE, or the default; with --gzip FILE.gz unless it already ends in .gz */
static const char *output_name(const struct run_opts *o, const char *fallback)
{
	static char buf[PATH_MAX];
	const char *out = o->out ? o->out : fallback;

	if (!o->gzip || out_is_gz_path(out))
		return out;
	snprintf(buf, sizeof(buf), "%s.gz", out);
	return buf;
}

/* args: the traced command and its arguments, up to argv's closing NULL */
static int cmd_trace(char **args, int n, struct run_opts *o)
{
	if (o->zh && !o->claims)
		return cli_usage_error("trace", "--lang needs --claims FILE");
	o->out = output_name(o, "trace.json");
	if (o->claims)
		return lab_trace(args, o);	/* the claims file is read first */
	return trace_command(args, o);
}

static int cmd_replay(char **args, int n, struct run_opts *o)
{
	o->out = output_name(o, "replay.json");
	return replay_spool(args[0], o);
}

static int cmd_view(char **args, int n, struct run_opts *o)
{
	return serve_traces((const char *const *)args, n, o->port, o->claims);
}

static int cmd_doctor(char **args, int n, struct run_opts *o)
{
	return doctor(o);
}

static const struct cli_cmd *find_cmd(const char *name);
static int unknown_command(const char *name);
static void print_overview(FILE *f);

static int cmd_help(char **args, int n, struct run_opts *o)
{
	const struct cli_cmd *cmd;

	if (!n) {
		print_overview(stdout);
		return EXIT_OK;
	}
	cmd = find_cmd(args[0]);
	if (!cmd)
		return unknown_command(args[0]);
	cli_print_help(cmd, stdout);
	return EXIT_OK;
}

/* ------------------------------------------------------------ the subcommands */

static const struct cli_cmd_opt run_options[] = {
	{ CLI_OPT_OUTPUT, "directory of the traces and logs (default: traces)", "DIR" },
	{ .id = CLI_OPT_TIER }, { .id = CLI_OPT_BUFFER }, { .id = CLI_OPT_BTF },
	{ .id = CLI_OPT_TIMEOUT, .help = "stop a scenario's programs after SEC s; the others still run (exit 124)" },
	{ .id = CLI_OPT_HTML },
	{ .id = CLI_OPT_GZIP, .help = "write DIR/SCENARIO.json.gz (1/14-1/30 of the size)" },
	{ .id = CLI_OPT_SIZES }, { .id = CLI_OPT_LANG }, { .id = CLI_OPT_QUIET },
	{ .id = CLI_OPT_LAB },
	{ .id = CLI_OPT_END },
};

static const struct cli_cmd_opt trace_options[] = {
	{ CLI_OPT_OUTPUT, "the trace (default: trace.json); FILE ending in .gz:\n"
			  "gzip-compressed", "FILE" },
	{ .id = CLI_OPT_TIER }, { .id = CLI_OPT_BUFFER }, { .id = CLI_OPT_BTF },
	{ .id = CLI_OPT_TIMEOUT }, { .id = CLI_OPT_SAVE_SPOOL }, { .id = CLI_OPT_HTML },
	{ .id = CLI_OPT_GZIP, .help = "write FILE.gz, gzip-compressed (1/14-1/30 of the size)" },
	{ .id = CLI_OPT_QUIET, .help = "no progress lines and no summary line" },
	{ .id = CLI_OPT_CLAIMS, .help = "judge the trace by the claims in FILE (read first),\n"
					"store the verdicts in it, print the table" },
	{ .id = CLI_OPT_LANG, .help = "with --claims: en (default) or zh, the table's language" },
	{ .id = CLI_OPT_END },
};

static const struct cli_cmd_opt doctor_options[] = { { .id = CLI_OPT_BTF }, { .id = CLI_OPT_END } };

static const struct cli_cmd_opt replay_options[] = {
	{ CLI_OPT_OUTPUT, "the trace (default: replay.json); OUT ending in .gz:\n"
			  "gzip-compressed", "OUT" },
	{ .id = CLI_OPT_GZIP, .help = "write OUT.gz, gzip-compressed" },
	{ .id = CLI_OPT_QUIET, .help = "no progress lines" },
	{ .id = CLI_OPT_END },
};

static const struct cli_cmd_opt check_options[] = {
	{ .id = CLI_OPT_QUIET, .help = "only each trace's summary line, not its claims" },
	{ .id = CLI_OPT_CLAIMS },
	{ .id = CLI_OPT_SUMMARY },
	{ .id = CLI_OPT_LANG },
	{ .id = CLI_OPT_END },
};

static const struct cli_cmd_opt view_options[] = {
	{ .id = CLI_OPT_PORT },
	{ CLI_OPT_CLAIMS, "judge each trace by the claims in FILE: the page shows\n"
			  "their verdicts in place of the trace's own claims;\n"
			  "exit 2 for a bad FILE (docs/writing-a-lab.md)", "FILE" },
	{ .id = CLI_OPT_END },
};

static const struct cli_cmd_opt export_options[] = {
	{ .id = CLI_OPT_CHROME, .help = "Chrome Trace Event Format (required: the one format)" },
	{ CLI_OPT_OUTPUT, "the output (default: x.chrome.json for x.json or\nx.json.gz)", "OUT" },
	{ .id = CLI_OPT_QUIET, .help = "no \"wrote OUT\" line" },
	{ .id = CLI_OPT_END },
};

/* In the order the overview lists them; typos are matched against the names. */
static const struct cli_cmd cmds[] = {
	{ .name = "list", .handler = cmd_list, .synopsis = "",
	  .summary = "the scenarios, one line each",
	  .about = "List the scenarios ipclab run knows, by section, one line each.",
	  .wrong_args = "list takes no arguments" },
	{ .name = "run", .handler = cmd_run, .synopsis = "[SCENARIO...] | --lab DIR",
	  .summary = "run scenarios or a lab under tracing and check their claims",
	  .about = "Run each SCENARIO (every one when none is named) under tracing, write\n"
		   "DIR/SCENARIO.json and the programs' output to DIR/SCENARIO.log, and print the\n"
		   "claims table. Exit 1 when a claim FAILs.\n"
		   "With --lab DIR: DIR holds one program NAME.c and its claims NAME.claims; the\n"
		   "claims are read, NAME.c built (cc -O2 -Wall, as the sudo user) and traced\n"
		   "into NAME.json in the -o directory with the verdicts, and the table printed.\n"
		   "Exit 2 for a bad lab directory or claims file, 9 when NAME.c does not compile.",
	  .examples = "  sudo ipclab run                          # every scenario, traces in ./traces\n"
		      "  sudo ipclab run pipe_write_blocks -o /tmp/t --html\n"
		      "  sudo ipclab run --lab docs/labs/pipe_write_blocks -o /tmp/t\n",
	  .opts = run_options, .max_args = -1 },
	{ .name = "trace", .handler = cmd_trace, .synopsis = "[--] CMD [ARGS...]",
	  .summary = "trace any program and its children",
	  .about = "Run CMD under tracing, with every process it starts, and write the trace.\n"
		   "Options end at CMD: what follows it is CMD's own (put -- before a CMD that\n"
		   "starts with -). Exit 1 when CMD exits non-zero or is killed by a signal.\n"
		   "With --claims FILE: FILE is read first (a bad one: exit 2, nothing traced),\n"
		   "the trace is judged by it and written with the verdicts, the table printed;\n"
		   "exit 1 also when a claim FAILs.",
	  .examples = "  sudo ipclab trace -o ls.json -- sh -c 'ls / | wc -l'\n"
		      "  sudo ipclab trace -o t.json --claims prog.claims -- ./prog\n"
		      "  sudo ipclab trace --timeout 60 -o big.json.gz make -j2\n",
	  .opts = trace_options, .min_args = 1, .max_args = -1,
	  .wrong_args = "trace needs a command", .stop_at_operand = true },
	{ .name = "doctor", .handler = cmd_doctor, .synopsis = "",
	  .summary = "what this kernel allows: BTF, lockdown, tracefs, tiers",
	  .about = "Say what this kernel allows: its BTF, lockdown, tracefs, the ring buffer, and\n"
		   "for each probe tier whether it loads and attaches (each is tried for real), and\n"
		   "which one --tier auto of run and trace would use. Needs root.",
	  .examples = "  sudo ipclab doctor\n",
	  .opts = doctor_options, .wrong_args = "doctor takes no arguments" },
	{ .name = "replay", .handler = cmd_replay, .synopsis = "SPOOL",
	  .summary = "rebuild a trace from a saved spool, timed (benchmarks)",
	  .about = "Rebuild the trace from SPOOL, the raw records ipclab trace --save-spool kept,\n"
		   "and print how long the timeline and the JSON took.",
	  .examples = "  sudo ipclab trace -q -o t.json --save-spool t.spool -- make\n"
		      "  ipclab replay t.spool -o again.json\n",
	  .opts = replay_options, .min_args = 1, .max_args = 1,
	  .wrong_args = "replay takes one spool" },
	{ .name = "check", .handler = cmd_check, .synopsis = "TRACE...",
	  .summary = "is it a valid trace this ipclab reads; its claims",
	  .about = "Say whether each TRACE (plain or .json.gz) is a trace this ipclab reads, and\n"
		   "how its claims come out: a scenario's trace has them judged again on what its\n"
		   "events say, and a claim whose verdict differs from the stored one says so.\n"
		   "Exit 7 for a bad file, else 1 when a claim FAILs.\n"
		   "With --claims FILE, judge each TRACE by the claims in FILE instead (a lab's\n"
		   "own, written without C: docs/writing-a-lab.md): exit 0 when all PASS, 1\n"
		   "when one FAILs, 2 for a bad claims file, a bad trace or bad arguments.",
	  .examples = "  ipclab check traces/*.json\n"
		      "  ipclab check t.json --claims prog.claims\n"
		      "  ipclab check --claims lab.claims --summary csv class/*.json > grades.csv\n",
	  .opts = check_options, .min_args = 1, .max_args = -1,
	  .wrong_args = "check needs a trace" },
	{ .name = "view", .handler = cmd_view, .synopsis = "TRACE [TRACE2]",
	  .summary = "serve the viewer and one or two traces on 127.0.0.1",
	  .about = "Serve the viewer and TRACE (two: side by side, on one time axis) on 127.0.0.1,\n"
		   "on a free port (or --port N) under a random token, and print the URL. Ctrl-C\n"
		   "stops it. Exit 5 when the port is taken.",
	  .examples = "  ipclab view traces/pipe_eof.json\n  ipclab view a.json b.json\n"
		      "  ipclab view --port 8080 traces/pipe_eof.json\n"
		      "  ipclab view student.json --claims lab.claims\n",
	  .opts = view_options, .min_args = 1, .max_args = 2, .wrong_args = "view takes one or two traces" },
	{ .name = "export", .handler = cmd_export, .synopsis = "--chrome TRACE",
	  .summary = "Chrome Trace Event Format (Perfetto UI, speedscope)",
	  .about = "Write TRACE (plain or .json.gz) in Chrome Trace Event Format, for the Perfetto\n"
		   "UI and speedscope: spans, occupancy counters, copy flows, faults and signals.",
	  .examples = "  ipclab export --chrome traces/pipe_eof.json -o eof.chrome.json\n",
	  .opts = export_options, .min_args = 1, .max_args = 1,
	  .wrong_args = "export takes one trace" },
	{ .name = "help", .handler = cmd_help, .synopsis = "[COMMAND]",
	  .summary = "this overview, or a command's help",
	  .about = "Print the overview of the commands, or the help of COMMAND (the same as\n"
		   "ipclab COMMAND --help).",
	  .max_args = 1, .wrong_args = "help takes one command at most" },
};

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct cli_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < N_CMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *names[N_CMDS], *near;
	char list[256];
	size_t len = 0;

	for (size_t i = 0; i < N_CMDS; i++) {
		names[i] = cmds[i].name;
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", names[i]);
	}
	near = cli_closest(name, names, N_CMDS);
	if (near)
		return cli_usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name, near);
	return cli_usage_error(NULL, "unknown command '%s': the commands are %s", name, list);
}

static void print_overview(FILE *f)
{
	fprintf(f, "Usage: ipclab COMMAND [OPTIONS] [ARGS]\n\n%s\nCommands:\n", about);
	for (size_t i = 0; i < N_CMDS; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fputs(overview_tail, f);
}

static int run_cmd(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct run_opts o = { .tier = TIER_AUTO, .buffer_bytes = 16 << 20 };
	int first, ret = cli_parse(cmd, argc, argv, &o, &first);

	if (ret != CLI_RUN)
		return ret;
	return cmd->handler(argv + first, argc - first, &o);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const struct cli_cmd *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!name) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		printf("ipclab %s\n", IPCLAB_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(name, "-h") || !strcmp(name, "--help"))
		name = "help";
	cmd = find_cmd(name);
	if (!cmd)
		return unknown_command(name);
	return run_cmd(cmd, argc - 1, argv + 1);
}
