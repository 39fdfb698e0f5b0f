// SPDX-License-Identifier: GPL-2.0
/* main.c - the ipclab command line. Errors are printed once, here or at the stage edge. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include "chrome.h"
#include "doctor.h"
#include "outfile.h"
#include "trace_read.h"
#include "run.h"
#include "scenarios.h"
#include "serve.h"

static const char usage[] =
"Usage: ipclab COMMAND [OPTIONS]\n"
"\n"
"See Linux IPC in the kernel: eBPF probes record pipe reads/writes (with the kernel\n"
"buffer's occupancy), blocking and who woke whom, signals and process lifetimes, and\n"
"check each scenario's claims against the trace.\n"
"\n"
"Commands:\n"
"  list                         scenarios, one line each\n"
"  run [SCENARIO...]            run scenarios under tracing (all when none is named),\n"
"                               write DIR/SCENARIO.json and print the claims table\n"
"  trace [-o FILE] -- CMD ARGS  trace any program and its children\n"
"  doctor                       what this kernel allows: BTF, lockdown, tracefs, tiers\n"
"  replay SPOOL [-o OUT]        rebuild a trace from a saved spool, timed (benchmarks)\n"
"  check TRACE...               is it a valid trace this ipclab reads; its claims\n"
"  view TRACE [TRACE2]          serve the viewer and the trace(s) on 127.0.0.1 (two:\n"
"                               side by side); prints the URL; Ctrl-C stops it\n"
"  export --chrome TRACE [-o OUT]  Chrome Trace Event Format for the Perfetto UI and\n"
"                               speedscope (default OUT: TRACE.chrome.json)\n"
"\n"
"Options:\n"
"  -o, --output PATH     run: directory (default: traces); trace: file (default: trace.json)\n"
"  -t, --tier TIER       auto (default), fentry, kprobe or tracepoint\n"
"  -b, --buffer SIZE     ring buffer size, power of two (default 16M)\n"
"      --btf FILE        kernel BTF to use instead of /sys/kernel/btf/vmlinux\n"
"      --timeout SEC     stop the traced programs after SEC seconds\n"
"      --save-spool FILE trace: keep the raw kernel records (replay rebuilds the JSON)\n"
"      --html            run/trace: also write a self-contained HTML report (x.html\n"
"                        next to x.json) that opens from disk with no server\n"
"      --gzip            run/trace/replay: write gzip-compressed traces (x.json.gz;\n"
"                        1/14-1/30 of the size); an -o FILE ending in .gz does too.\n"
"                        check, export, view and the viewer page read them directly\n"
"  -q, --quiet           fewer messages\n"
"  -h, --help            this help;  -V, --version  the version\n"
"\n"
"Examples:\n"
"  sudo ipclab run                          # every scenario, traces in ./traces\n"
"  sudo ipclab run pipe_write_blocks -o /tmp/t --html\n"
"  ipclab view traces/pipe_eof.json\n"
"  sudo ipclab trace -o ls.json -- sh -c 'ls / | wc -l'\n"
"  sudo ipclab doctor\n"
"  ipclab export --chrome traces/pipe_eof.json -o eof.chrome.json\n"
"\n"
"Exit status:\n"
"  0 success;  1 a claim failed (run) or the traced program failed (trace);\n"
"  2 usage error;  3 not root (needs CAP_BPF + CAP_PERFMON);  4 kernel: no BTF or no\n"
"  probe tier can attach;  5 output not writable;  6 program could not be started;\n"
"  7 a trace to read is missing, not JSON, or not an ipclab trace this version reads;\n"
"  8 out of memory;\n"
"  124 --timeout expired;  130 interrupted: Ctrl-C/SIGTERM while the program runs stops\n"
"  it and the trace is written, marked interrupted; while the trace is being written,\n"
"  ipclab stops at once and writes none\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "ipclab: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see ipclab --help)\n");
	return EXIT_USAGE;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (v > (1ULL << 30) >> shift)	/* before shifting: no wrap-around */
		return -EINVAL;
	v <<= shift;
	/* the kernel wants a power of two, at least a page */
	if (*end || v < 4096 || v > (1ULL << 30) || (v & (v - 1)))
		return -EINVAL;
	*out = v;
	return 0;
}

enum { OPT_BTF = 1000, OPT_TIMEOUT, OPT_CHROME, OPT_HTML, OPT_SAVE_SPOOL, OPT_GZIP };

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "tier", required_argument, NULL, 't' },
	{ "buffer", required_argument, NULL, 'b' },
	{ "btf", required_argument, NULL, OPT_BTF },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "chrome", no_argument, NULL, OPT_CHROME },
	{ "html", no_argument, NULL, OPT_HTML },
	{ "save-spool", required_argument, NULL, OPT_SAVE_SPOOL },
	{ "gzip", no_argument, NULL, OPT_GZIP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Options common to run/trace/doctor; leaves optind at the first operand. */
static int parse_opts(int argc, char **argv, bool stop_at_operand, struct run_opts *o)
{
	char *end;
	int c;

	optind = 1;
	opterr = 0;
	/* trace: the command's own options must reach it untouched */
	const char *optstring = stop_at_operand ? "+:o:t:b:qh" : ":o:t:b:qh";

	while ((c = getopt_long(argc, argv, optstring, long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 't':
			if (tier_parse(optarg, &o->tier))
				return usage_error("unknown tier '%s': use auto, fentry, kprobe or "
						   "tracepoint", optarg);
			break;
		case 'b':
			if (parse_size(optarg, &o->buffer_bytes))
				return usage_error("bad --buffer '%s': a power of two from 4K to 1G",
						   optarg);
			break;
		case OPT_BTF:
			o->btf_path = optarg;
			break;
		case OPT_TIMEOUT:
			o->timeout_s = strtod(optarg, &end);
			if (*end || end == optarg || !isfinite(o->timeout_s) || o->timeout_s <= 0 ||
			    o->timeout_s > 1e6)
				return usage_error("bad --timeout '%s': seconds, > 0 and at most 1e6",
						   optarg);
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_CHROME:
			o->chrome = true;
			break;
		case OPT_HTML:
			o->html = true;
			break;
		case OPT_SAVE_SPOOL:
			o->save_spool = optarg;
			break;
		case OPT_GZIP:
			o->gzip = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(EXIT_OK);
		case ':':
			return usage_error("option %s needs an argument", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return 0;
}

static int cmd_list(void)
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
	fprintf(stderr, "ipclab: unknown scenario '%s'; valid scenarios:", name);
	for (size_t i = 0; i < scenario_count(); i++)
		fprintf(stderr, " %s", scenario_at(i)->name);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int cmd_run(int argc, char **argv, struct run_opts *o)
{
	const struct scenario **list;
	size_t n = 0;
	int ret;

	if (!o->out)
		o->out = "traces";
	list = calloc(scenario_count() + argc, sizeof(*list));
	if (!list)
		return EXIT_OUTPUT;
	if (optind == argc)
		for (; n < scenario_count(); n++)
			list[n] = scenario_at(n);
	for (int i = optind; i < argc; i++) {
		list[n] = scenario_find(argv[i]);
		if (!list[n]) {
			free(list);
			return unknown_scenario(argv[i]);
		}
		n++;
	}
	ret = run_scenarios(list, n, o);
	free(list);
	return ret;
}

/*
 * What trace_read() said, on one line; the exit status.  An error the reader did not
 * describe is the visitor's own: out of memory, or output (what_out) that cannot be written.
 */
static int read_failed(int ret, const char *err, const char *what_out)
{
	if (ret == -ENOMEM) {
		fprintf(stderr, "ipclab: %s\n", err[0] ? err : "out of memory");
		return EXIT_NOMEM;
	}
	if (err[0]) {
		fprintf(stderr, "ipclab: %s\n", err);
		return EXIT_INPUT;
	}
	fprintf(stderr, "ipclab: cannot write %s: %s\n", what_out ? what_out : "output",
		strerror(-ret));
	return EXIT_OUTPUT;
}

/*
 * `check TRACE...`: is each file a trace this ipclab reads, and did its claims pass?  The
 * reader checks the file to its end; the claims are printed once it has (an invalid file
 * prints nothing but its reason).  What check keeps is bounded: the claims' text up to
 * CHECK_TEXT_MAX bytes, counts for the rest.
 */
#define CHECK_TEXT_MAX (4u << 20)

struct check {
	size_t nclaims, fail, nevents;
	char *text;		/* "  STATUS  text\n" per claim shown */
	size_t len, cap, hidden;
};

static int check_claim(void *ctx, json_object *c)
{
	struct check *k = ctx;
	const char *st = json_object_get_string(json_object_object_get(c, "status"));
	const char *text = json_object_get_string(json_object_object_get(c, "text"));
	size_t need = strlen(st) + strlen(text) + 8;

	k->nclaims++;
	k->fail += strcmp(st, "PASS") != 0;
	if (k->len + need > CHECK_TEXT_MAX) {
		k->hidden++;
		return 0;
	}
	if (k->len + need > k->cap) {
		size_t cap = 2 * (k->len + need);
		char *t = realloc(k->text, cap);

		if (!t)
			return -ENOMEM;
		k->text = t;
		k->cap = cap;
	}
	k->len += snprintf(k->text + k->len, k->cap - k->len, "  %s  %s\n", st, text);
	return 0;
}

static int check_end(void *ctx, size_t nevents)
{
	struct check *k = ctx;

	k->nevents = nevents;
	return 0;
}

static int check_one(const char *path, const struct run_opts *o)
{
	struct check k = { 0 };
	const struct trace_visitor v = { .claim = check_claim, .end = check_end, .ctx = &k };
	char err[512];
	int ret = trace_read(path, &v, 0, err, sizeof(err));

	if (ret) {
		free(k.text);
		return read_failed(ret, err, NULL);
	}
	if (!o->quiet && k.len)
		fwrite(k.text, 1, k.len, stdout);
	if (!o->quiet && k.hidden)
		printf("  ... and %zu more claims\n", k.hidden);
	printf("%s: valid trace, %zu events, %zu claims, %zu FAIL\n", path, k.nevents, k.nclaims,
	       k.fail);
	free(k.text);
	return k.fail ? EXIT_CLAIMS_FAILED : EXIT_OK;
}

static int cmd_check(int argc, char **argv, struct run_opts *o)
{
	int ret = EXIT_OK;

	if (optind == argc)
		return usage_error("%s", "check needs a trace: ipclab check TRACE...");
	for (int i = optind; i < argc; i++) {
		int r = check_one(argv[i], o);

		/* a bad file outranks a failed claim; the first bad file's status is kept */
		if (r != EXIT_OK && (ret == EXIT_OK || ret == EXIT_CLAIMS_FAILED))
			ret = r;
	}
	return ret;
}

/* TRACE.chrome.json next to TRACE (x.json.gz: x.json.chrome.json) */
static void chrome_path_for(const char *trace, char *out, size_t n)
{
	size_t len = strlen(trace);

	if (len > 3 && !strcmp(trace + len - 3, ".gz"))
		len -= 3;
	snprintf(out, n, "%.*s.chrome.json", (int)len, trace);
}

static int cmd_export(int argc, char **argv, struct run_opts *o)
{
	char out[PATH_MAX], err[512];
	struct run_user u;
	struct out_file of;
	int ret;

	if (!o->chrome)
		return usage_error("%s", "export needs a format: ipclab export --chrome TRACE");
	if (optind + 1 != argc)
		return usage_error("%s", "export takes one trace: ipclab export --chrome TRACE");
	if (o->out)
		snprintf(out, sizeof(out), "%s", o->out);
	else
		chrome_path_for(argv[optind], out, sizeof(out));
	run_user_from_env(&u);
	ret = out_open(&of, out);
	if (ret)
		return read_failed(ret, "", out);
	/* streamed: the output grows as the trace is read, and is dropped if it is bad */
	ret = export_chrome(argv[optind], of.f, err, sizeof(err));
	if (ret) {
		out_discard(&of);
		return read_failed(ret, err, out);
	}
	ret = out_commit(&of, &u);
	if (ret)
		return read_failed(ret, "", out);
	if (!o->quiet)
		fprintf(stderr, "ipclab: wrote %s\n", out);
	return EXIT_OK;
}

/* --gzip with -o FILE: FILE.gz, unless FILE already ends in .gz (compressed either way) */
static const char *gz_name(const struct run_opts *o)
{
	static char buf[PATH_MAX];

	if (!o->gzip || out_is_gz_path(o->out))
		return o->out;
	snprintf(buf, sizeof(buf), "%s.gz", o->out);
	return buf;
}

static int cmd_trace(int argc, char **argv, struct run_opts *o)
{
	if (!o->out)
		o->out = "trace.json";
	o->out = gz_name(o);
	if (optind >= argc)
		return usage_error("%s", "trace needs a command: ipclab trace [-o FILE] -- CMD ARGS");
	return trace_command(argv + optind, o);
}

int main(int argc, char **argv)
{
	struct run_opts o = { .tier = TIER_AUTO, .buffer_bytes = 16 << 20 };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage, cmd ? stdout : stderr);
		return cmd ? EXIT_OK : EXIT_USAGE;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("ipclab %s\n", IPCLAB_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "list"))
		return argc == 2 ? cmd_list() : usage_error("%s", "list takes no arguments");
	ret = parse_opts(argc - 1, argv + 1, !strcmp(cmd, "trace"), &o);
	if (ret)
		return ret;
	/* getopt ran on argv + 1: shift optind back onto argv */
	optind += 1;
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv, &o);
	if (!strcmp(cmd, "trace"))
		return cmd_trace(argc, argv, &o);
	if (!strcmp(cmd, "view")) {
		if (optind == argc || argc - optind > 2)
			return usage_error("%s", "view takes one or two traces: ipclab view TRACE [TRACE2]");
		return serve_traces((const char *const *)argv + optind, argc - optind);
	}
	if (!strcmp(cmd, "export"))
		return cmd_export(argc, argv, &o);
	if (!strcmp(cmd, "replay")) {
		if (optind + 1 != argc)
			return usage_error("%s", "replay takes one spool: ipclab replay SPOOL -o OUT");
		if (!o.out)
			o.out = "replay.json";
		o.out = gz_name(&o);
		return replay_spool(argv[optind], &o);
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(argc, argv, &o);
	if (!strcmp(cmd, "doctor"))
		return optind == argc ? doctor(&o) : usage_error("%s", "doctor takes no arguments");
	return usage_error("unknown command '%s'", cmd);
}
