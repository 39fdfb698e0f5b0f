// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - options and usage errors for every subcommand (cli.h).  Each option is spelled and
 * parsed here once; a subcommand's getopt table is built from the options it names, so an
 * option it does not use is refused instead of being accepted and ignored.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* One option, for every subcommand that takes it. */
struct cli_option {
	const char *name;		/* --NAME */
	char short_name;		/* -C, or 0 */
	const char *arg;		/* the argument's default name in help; NULL: a flag */
	size_t field;			/* where it goes in struct run_opts */
	/* NULL: the argument string is stored (a flag: true); else 0 or -EINVAL */
	int (*parse)(const char *arg, void *field);
	const char *refused;		/* the usage error for a value parse refuses (%s: it) */
	const char *help;		/* what it does, unless the subcommand says otherwise */
};

static int parse_tier(const char *s, void *field)
{
	return tier_parse(s, field);
}

/* A ring buffer size: a power of two from 4K to 1G, with an optional k/M/G suffix. */
static int parse_size(const char *s, void *field)
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
	*(size_t *)field = v;
	return 0;
}

/* Seconds, > 0 and at most 1e6: NaN, inf and 1e300 would overflow the deadline (run.c). */
static int parse_seconds(const char *s, void *field)
{
	char *end;
	double v = strtod(s, &end);

	if (*end || end == s || !isfinite(v) || v <= 0 || v > 1e6)
		return -EINVAL;
	*(double *)field = v;
	return 0;
}

/* Message sizes: comma-separated bytes, 1 to 1M each (k/K and m/M suffixes), at most
 * RUN_SIZES_MAX; kept space-separated for the scenario's program line. */
static int parse_sizes(const char *s, void *field)
{
	char *out = field, copy[256], *tok, *save = NULL;
	size_t len = 0;
	int n = 0;

	if (strlen(s) >= sizeof(copy) || s[0] == ',' || strstr(s, ",,") ||
	    s[strlen(s) - (s[0] != 0)] == ',')
		return -EINVAL;
	snprintf(copy, sizeof(copy), "%s", s);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(tok, &end, 10);
		if (*end == 'k' || *end == 'K')
			v <<= 10, end++;
		else if (*end == 'm' || *end == 'M')
			v <<= 20, end++;
		if (errno || end == tok || *end || *tok == '-' || v == 0 || v > (1UL << 20) ||
		    ++n > RUN_SIZES_MAX)
			return -EINVAL;
		len += snprintf(out + len, sizeof(((struct run_opts *)0)->sizes) - len, "%s%lu",
				len ? " " : "", v);
	}
	return n ? 0 : -EINVAL;
}

/* en or zh: the language of run's claims table */
static int parse_lang(const char *s, void *field)
{
	if (strcmp(s, "en") && strcmp(s, "zh"))
		return -EINVAL;
	*(bool *)field = !strcmp(s, "zh");
	return 0;
}

/* A TCP port, 1 to 65535 (0 would be "any free one": that is leaving --port out) */
static int parse_port(const char *s, void *field)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *s == '+' || v < 1 || v > 65535)
		return -EINVAL;
	*(unsigned int *)field = v;
	return 0;
}

/* csv or md: check's one row per trace */
static int parse_summary(const char *s, void *field)
{
	if (!strcmp(s, "csv"))
		*(int *)field = SUMMARY_CSV;
	else if (!strcmp(s, "md"))
		*(int *)field = SUMMARY_MD;
	else
		return -EINVAL;
	return 0;
}

#define FIELD(name) offsetof(struct run_opts, name)

static const struct cli_option catalogue[CLI_OPT_COUNT] = {
	[CLI_OPT_OUTPUT] = { .name = "output", .short_name = 'o', .arg = "PATH",
			     .field = FIELD(out) },
	[CLI_OPT_TIER] = { .name = "tier", .short_name = 't', .arg = "TIER", .field = FIELD(tier),
			   .parse = parse_tier,
			   .refused = "unknown tier '%s': use auto, fentry, kprobe or tracepoint",
			   .help = "auto (default), fentry, kprobe or tracepoint" },
	[CLI_OPT_BUFFER] = { .name = "buffer", .short_name = 'b', .arg = "SIZE",
			     .field = FIELD(buffer_bytes), .parse = parse_size,
			     .refused = "bad --buffer '%s': a power of two from 4K to 1G",
			     .help = "ring buffer size, a power of two from 4K to 1G\n(default 16M)" },
	[CLI_OPT_BTF] = { .name = "btf", .arg = "FILE", .field = FIELD(btf_path),
			  .help = "kernel BTF to use instead of /sys/kernel/btf/vmlinux" },
	[CLI_OPT_TIMEOUT] = { .name = "timeout", .arg = "SEC", .field = FIELD(timeout_s),
			      .parse = parse_seconds,
			      .refused = "bad --timeout '%s': seconds, > 0 and at most 1e6",
			      .help = "stop the traced programs after SEC seconds (exit 124)" },
	[CLI_OPT_SAVE_SPOOL] = { .name = "save-spool", .arg = "FILE", .field = FIELD(save_spool),
				 .help = "also keep the raw kernel records in FILE (ipclab\n"
					 "replay rebuilds the trace from them)" },
	[CLI_OPT_HTML] = { .name = "html", .field = FIELD(html),
			   .help = "also write a self-contained HTML report (x.html next\n"
				   "to x.json) that opens from disk with no server" },
	[CLI_OPT_GZIP] = { .name = "gzip", .field = FIELD(gzip),
			   .help = "write the trace gzip-compressed (1/14-1/30 of the size)" },
	[CLI_OPT_CHROME] = { .name = "chrome", .field = FIELD(chrome) },
	[CLI_OPT_QUIET] = { .name = "quiet", .short_name = 'q', .field = FIELD(quiet),
			    .help = "fewer messages" },
	[CLI_OPT_SIZES] = { .name = "sizes", .arg = "LIST", .field = FIELD(sizes),
			    .parse = parse_sizes,
			    .refused = "bad --sizes '%s': up to 8 comma-separated sizes, 1 to 1M "
				       "bytes each (64,4K,1M)",
			    .help = "message sizes of the compare scenario, comma-separated\n"
				    "(default 64,4K,64K; 1 byte to 1M each, at most 8)" },
	[CLI_OPT_LANG] = { .name = "lang", .arg = "LANG", .field = FIELD(zh), .parse = parse_lang,
			   .refused = "unknown language '%s': use en or zh",
			   .help = "en (default) or zh: the claims table, statements and\ndetails, in English or Chinese" },
	[CLI_OPT_PORT] = { .name = "port", .arg = "N", .field = FIELD(port), .parse = parse_port,
			   .refused = "bad --port '%s': a port number from 1 to 65535",
			   .help = "serve on port N of 127.0.0.1 (default: a free one);\n"
				   "exit 5 when N is taken" },
	[CLI_OPT_CLAIMS] = { .name = "claims", .arg = "FILE", .field = FIELD(claims),
			     .help = "judge each trace by the claims in FILE\n"
				     "(docs/writing-a-lab.md)" },
	[CLI_OPT_SUMMARY] = { .name = "summary", .arg = "FORMAT", .field = FIELD(summary),
			      .parse = parse_summary,
			      .refused = "unknown summary '%s': use csv or md",
			      .help = "with --claims: one row per trace instead of the\n"
				      "claims table, as csv or md (a Markdown table)" },
	[CLI_OPT_LAB] = { .name = "lab", .arg = "DIR", .field = FIELD(lab),
			  .help = "run the lab in DIR instead of scenarios: NAME.c built\n"
				  "with cc, traced into NAME.json (in -o's directory),\n"
				  "judged by NAME.claims (docs/writing-a-lab.md)" },
};

/* getopt_long's value for an option with no short form */
#define LONG_ONLY(id) (256 + (int)(id))

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* one write: the line is never split by another process's output */
	fprintf(stderr, "ipclab: %s (see ipclab %s%s--help)\n", msg, cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

/* The subcommand's getopt tables: its options, and -h/--help. */
static void getopt_tables(const struct cli_cmd *cmd, struct option *longs, char *shorts)
{
	const struct cli_cmd_opt *co;
	size_t n = 0;

	/* "+": stop at the first operand; ":": report a missing argument as such */
	shorts += sprintf(shorts, "%s:h", cmd->stop_at_operand ? "+" : "");
	for (co = cmd->opts; co && co->id != CLI_OPT_END; co++, n++) {
		const struct cli_option *opt = &catalogue[co->id];

		longs[n] = (struct option){ opt->name, opt->arg ? required_argument : no_argument,
					    NULL, opt->short_name ? opt->short_name : LONG_ONLY(co->id) };
		if (opt->short_name)
			shorts += sprintf(shorts, "%c%s", opt->short_name, opt->arg ? ":" : "");
	}
	longs[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longs[n] = (struct option){ 0 };
}

static enum cli_opt option_of(int c)
{
	if (c >= LONG_ONLY(0))
		return c - LONG_ONLY(0);
	for (enum cli_opt id = CLI_OPT_END + 1; id < CLI_OPT_COUNT; id++)
		if (catalogue[id].short_name == c)
			return id;
	return CLI_OPT_END;
}

static int store(const struct cli_cmd *cmd, enum cli_opt id, const char *arg,
		 struct run_opts *o)
{
	const struct cli_option *opt = &catalogue[id];
	void *field = (char *)o + opt->field;

	if (opt->parse) {
		if (opt->parse(arg, field))
			return cli_usage_error(cmd->name, opt->refused, arg);
	} else if (opt->arg) {
		*(const char **)field = arg;
	} else {
		*(bool *)field = true;
	}
	return CLI_RUN;
}

/*
 * For an unknown long option: the options of this command it begins (getopt_long refuses an
 * abbreviation of two), or the one it is a letter or two off; "" when there is none.
 */
static void suggest_option(const struct cli_cmd *cmd, const char *word, char *out, size_t n)
{
	const char *names[CLI_OPT_COUNT + 1], *near;
	const struct cli_cmd_opt *co;
	size_t k = 0, len = strlen(word), used = 0;

	for (co = cmd->opts; co && co->id != CLI_OPT_END; co++)
		names[k++] = catalogue[co->id].name;
	names[k++] = "help";
	out[0] = 0;
	for (size_t i = 0; i < k && len; i++)
		if (!strncmp(names[i], word, len))
			used += snprintf(out + used, n - used, "%s'--%s'",
					 used ? " or " : "; it could be ", names[i]);
	near = used ? NULL : cli_closest(word, names, k);
	if (near)
		snprintf(out, n, "; did you mean '--%s'?", near);
}

/*
 * The option getopt_long refused, as the user wrote it.  glibc leaves optopt 0 for an
 * unknown long option, and the option's value for a flag given "=VALUE" (optind is then
 * past the option); for an unknown short option optopt is its letter (optind may still
 * point at its bundle, "-xq").
 */
static int refused_option(const struct cli_cmd *cmd, char **argv)
{
	const char *arg = argv[optind - 1];
	bool is_long = !strncmp(arg, "--", 2);
	int len = (int)strcspn(arg, "=");
	char hint[128];

	if (optopt && is_long && arg[len] == '=')
		return cli_usage_error(cmd->name, "%s: option '%.*s' takes no argument", cmd->name,
				       len, arg);
	if (optopt)
		return cli_usage_error(cmd->name, "%s: unknown option '-%c'", cmd->name, optopt);
	suggest_option(cmd, is_long ? arg + 2 : arg, hint, sizeof(hint));
	return cli_usage_error(cmd->name, "%s: unknown option '%.*s'%s", cmd->name, len, arg, hint);
}

static int take_option(const struct cli_cmd *cmd, int c, char **argv, struct run_opts *o)
{
	switch (c) {
	case 'h':
		cli_print_help(cmd, stdout);
		return EXIT_OK;
	case ':':
		return cli_usage_error(cmd->name, "%s: option %s needs an argument", cmd->name,
				       argv[optind - 1]);
	case '?':
		return refused_option(cmd, argv);
	default:
		return store(cmd, option_of(c), optarg, o);
	}
}

static int check_operands(const struct cli_cmd *cmd, int n)
{
	if (n >= cmd->min_args && (cmd->max_args < 0 || n <= cmd->max_args))
		return CLI_RUN;
	if (!cmd->synopsis[0])
		return cli_usage_error(cmd->name, "%s", cmd->wrong_args);
	return cli_usage_error(cmd->name, "%s: ipclab %s %s", cmd->wrong_args, cmd->name,
			       cmd->synopsis);
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct run_opts *o, int *first)
{
	struct option longs[CLI_OPT_COUNT + 2];
	char shorts[4 + 2 * CLI_OPT_COUNT];
	int c, ret;

	getopt_tables(cmd, longs, shorts);
	optind = 0;	/* glibc: start afresh, reading the "+" again */
	opterr = 0;	/* the one-line errors are ours */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		ret = take_option(cmd, c, argv, o);
		if (ret != CLI_RUN)
			return ret;
	}
	*first = optind;
	return check_operands(cmd, argc - optind);
}

/* "  -o, --output DIR" padded to the help column, then the help; its lines indented alike */
#define HELP_COLUMN 26

static void print_option(FILE *f, char short_name, const char *name, const char *arg,
			 const char *help)
{
	char left[64];
	int len;

	if (short_name)
		len = snprintf(left, sizeof(left), "  -%c, --%s", short_name, name);
	else
		len = snprintf(left, sizeof(left), "      --%s", name);
	if (arg)
		len += snprintf(left + len, sizeof(left) - len, " %s", arg);
	fprintf(f, "%-*s", HELP_COLUMN, left);
	if (len >= HELP_COLUMN)
		fprintf(f, "\n%*s", HELP_COLUMN, "");
	for (const char *nl; (nl = strchr(help, '\n')); help = nl + 1)
		fprintf(f, "%.*s\n%*s", (int)(nl - help), help, HELP_COLUMN, "");
	fprintf(f, "%s\n", help);
}

void cli_print_help(const struct cli_cmd *cmd, FILE *f)
{
	const struct cli_cmd_opt *co;

	fprintf(f, "Usage: ipclab %s%s%s%s\n\n%s\n\nOptions:\n", cmd->name,
		cmd->opts ? " [OPTIONS]" : "", cmd->synopsis[0] ? " " : "", cmd->synopsis,
		cmd->about);
	for (co = cmd->opts; co && co->id != CLI_OPT_END; co++) {
		const struct cli_option *opt = &catalogue[co->id];

		print_option(f, opt->short_name, opt->name, co->arg ? co->arg : opt->arg,
			     co->help ? co->help : opt->help);
	}
	print_option(f, 'h', "help", NULL, "this help");
	if (cmd->examples)
		fprintf(f, "\nExamples:\n%s", cmd->examples);
}

/* Edit distance, a swap of two neighbouring letters counting as one edit; words < 32. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[32][32];

	if (la >= 32 || lb >= 32)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *cli_closest(const char *word, const char *const *names, size_t n)
{
	size_t len = strlen(word), best_d = SIZE_MAX;
	const char *best = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]);

		if (len >= 2 && !strncmp(names[i], word, len))
			d = 1;	/* the start of a name: as near as one typo */
		if (d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	/* more than two edits, or as many as the word has letters: another word, not a typo */
	return best_d <= 2 && best_d < len ? best : NULL;
}
