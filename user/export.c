// SPDX-License-Identifier: GPL-2.0
/*
 * export.c - the trace as JSON.  The small parts (meta, processes, objects, claims) are
 * json-c objects; the events array is streamed one object at a time, so memory does not
 * grow with a second copy of the trace.
 */
#include <errno.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
#include "export.h"
#include "event_print.h"
#include "mechanism.h"
#include "names.h"

#define add(o, k, v) json_object_object_add(o, k, v)
#define jint(v) json_object_new_int64((int64_t)(v))
#define jstr(v) json_object_new_string(v)
#define jbool(v) json_object_new_boolean(v)

/* Kernel-supplied text is not trusted to be UTF-8: keep printable ASCII, dot the rest. */
static json_object *jtext(const char *s, size_t max)
{
	char buf[1024];
	size_t i;

	if (max >= sizeof(buf))
		max = sizeof(buf) - 1;
	for (i = 0; i < max && s[i]; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '.';
	buf[i] = 0;
	return json_object_new_string_len(buf, (int)i);
}

/* Length of the well-formed UTF-8 sequence of 2 to 4 bytes at s (no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	unsigned int cp;

	if (!n || s[0] > 0xf4 || n > left)
		return 0;
	for (size_t k = 1; k < n; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	cp = n == 2 ? (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu)
	   : n == 3 ? (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu)
		    : (s[0] & 0x07u) << 18 | (s[1] & 0x3fu) << 12 | (s[2] & 0x3fu) << 6 | (s[3] & 0x3fu);
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/*
 * jtext() for a text of ipclab's own in Chinese (a claim's detail_zh) that may quote
 * kernel text (a process name): its well-formed UTF-8 is kept, any other byte outside
 * printable ASCII becomes '.'.
 */
static json_object *jtext_utf8(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	char buf[1024];
	size_t i = 0, o = 0, n, len = strnlen(s, max);

	while (i < len && o < sizeof(buf) - 4) {
		n = u[i] >= 0x80 ? utf8_seq(u + i, len - i) : 0;
		if (n) {
			memcpy(buf + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		buf[o++] = (u[i] >= 0x20 && u[i] < 0x7f) ? s[i] : '.';
		i++;
	}
	buf[o] = 0;
	return json_object_new_string_len(buf, (int)o);
}

bool meta_attached(const struct trace_meta *m, const char *prog)
{
	for (int i = 0; i < m->n_optional; i++)
		if (!strcmp(m->optional[i], prog))
			return true;
	return false;
}

json_object *trace_text(const char *s, size_t max)
{
	return jtext(s, max);
}

json_object *trace_text_utf8(const char *s, size_t max)
{
	return jtext_utf8(s, max);
}

/* The events are printed directly (event_print.c); this is the json-c view of one. */
json_object *event_to_json(const struct timeline *tl, const struct tl_event *te)
{
	char buf[EVENT_JSON_MAX];

	if (!event_print(tl, te, buf, sizeof(buf)))
		return NULL;
	return json_tokener_parse(buf);
}

static json_object *probe(const char *tier, const char *symbol)
{
	json_object *o = json_object_new_object();

	add(o, "tier", jstr(tier));
	add(o, "symbol", jstr(symbol));
	return o;
}

/* Each mechanism's probes (its probes_json), the pipe's first (probes_first), and the
 * core's own between them, in the order traces have always had. */
static void mech_probes_json(json_object *o, const struct trace_meta *m, bool first)
{
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->probes_json && t->probes_first == first)
			t->probes_json(o, m);
	}
}

static json_object *probes_json(const struct trace_meta *m)
{
	json_object *o = json_object_new_object();

	mech_probes_json(o, m, true);
	add(o, "syscalls", probe("tracepoint", "tp_btf/sys_enter+sys_exit"));
	add(o, "blocking", probe("tracepoint", "tp_btf/sched_switch+sched_waking"));
	add(o, "signals", probe("tracepoint", "tp_btf/signal_generate"));
	add(o, "processes", probe("tracepoint",
				  "tp_btf/sched_process_fork+exec+exit,task_rename"));
	mech_probes_json(o, m, false);
	return o;
}

static void iso_time(char *buf, size_t n, __u64 ns)
{
	time_t s = ns / 1000000000ULL;
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), n - strlen(buf), ".%06lluZ",
		 (unsigned long long)(ns % 1000000000ULL) / 1000);
}

/* {"program": runs skipped, ...}: which probes the kernel did not run, and how often. */
static json_object *skipped_json(const struct trace_meta *m)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < m->nskipped; i++)
		add(o, m->skipped[i].name, jint(m->skipped[i].runs));
	return o;
}

/* Were sys_enter/sys_exit's stand-in copies attached, and why (user/preempt.c)? */
static json_object *stand_ins_json(const struct trace_meta *m)
{
	json_object *o = json_object_new_object();

	add(o, "attached", jbool(m->stand_ins));
	add(o, "preemptible", jbool(m->preemptible));
	add(o, "source", jstr(m->preempt_source));
	return o;
}

json_object *meta_to_json(const struct trace_meta *m, size_t nevents, size_t invalid)
{
	json_object *o = json_object_new_object();
	char when[64];

	iso_time(when, sizeof(when), m->start_realtime_ns);
	add(o, "tool", jstr("ipclab " IPCLAB_VERSION));
	add(o, "kernel", jstr(m->kernel));
	add(o, "machine", jstr(m->machine));
	add(o, "tier", jstr(tier_name(m->tier)));
	add(o, "probes", probes_json(m));
	add(o, "clock", jstr("CLOCK_MONOTONIC"));
	add(o, "start_time", jstr(when));
	add(o, "start_ns", jint(m->t0));
	add(o, "command", jtext(m->command, sizeof(m->command)));
	add(o, "scenario", m->scenario ? jstr(m->scenario->name) : NULL);
	if (m->lab)
		add(o, "lab", jtext(m->lab, 128));
	if (m->claims_file)
		add(o, "claims_file", jtext(m->claims_file, 255));
	if (m->scenario) {
		add(o, "section", jstr(m->scenario->section));
		add(o, "summary", jstr(m->scenario->summary));
		add(o, "explain", jstr(m->scenario->explain));
		add(o, "rule_zh", jstr(m->scenario->rule_zh));
		if (m->scenario->summary_zh)
			add(o, "summary_zh", jstr(m->scenario->summary_zh));
		if (m->scenario->explain_zh)
			add(o, "explain_zh", jstr(m->scenario->explain_zh));
		if (m->scenario->look)
			add(o, "look", jstr(m->scenario->look));
		if (m->scenario->look_zh)
			add(o, "look_zh", jstr(m->scenario->look_zh));
	}
	add(o, "page_size", jint(m->page_size));
	add(o, "events", jint(nevents));
	add(o, "dropped", jint(m->dropped));
	if (m->nskipped)
		add(o, "skipped", skipped_json(m));
	if (m->recovered)
		add(o, "recovered", jint(m->recovered));
	if (m->preempt_source)
		add(o, "stand_ins", stand_ins_json(m));
	add(o, "lost", jint(m->lost + invalid));
	add(o, "interrupted", jbool(m->interrupted));
	add(o, "end_reason", jstr(m->end_reason ? m->end_reason : "exited"));
	return o;
}

static json_object *process_json(const struct tl_process *p)
{
	json_object *o = json_object_new_object();

	add(o, "pid", jint(p->pid));
	add(o, "ppid", jint(p->ppid));
	add(o, "comm", jtext(p->comm, sizeof(p->comm)));
	add(o, "exe", p->exe[0] ? jtext(p->exe, sizeof(p->exe)) : NULL);
	add(o, "start", jint(p->t_start));
	add(o, "exit", p->exited ? jint(p->t_exit) : NULL);
	add(o, "status", p->exited ? jint(p->exit_status) : NULL);
	return o;
}

/* An object as its mechanism prints it (object_json), or a bare one of unknown kind. */
static json_object *object_json(const struct tl_object *ob, long page)
{
	json_object *o;

	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		o = t && t->object_json ? t->object_json(ob, page) : NULL;
		if (o)
			return o;
	}
	o = json_object_new_object();
	add(o, "id", jint(ob->id));
	add(o, "kind", jstr("unknown"));
	add(o, "created", jint(ob->t_first));
	return o;
}

static json_object *claims_json(const struct claim_set *cs)
{
	json_object *a = json_object_new_array();

	for (int i = 0; cs && i < cs->n; i++) {
		const struct claim *c = &cs->c[i];
		json_object *o = json_object_new_object(), *ev = json_object_new_array();

		add(o, "id", jstr(c->id));
		add(o, "text", jstr(c->text));
		if (c->text_zh[0])
			add(o, "text_zh", jstr(c->text_zh));
		add(o, "status", jstr(c->pass ? "PASS" : "FAIL"));
		add(o, "detail", jtext(c->detail, sizeof(c->detail)));
		if (c->detail_zh[0])
			add(o, "detail_zh", jtext_utf8(c->detail_zh, sizeof(c->detail_zh)));
		for (int k = 0; k < c->nevidence; k++)
			json_object_array_add(ev, jint(c->evidence[k]));
		add(o, "evidence", ev);
		json_object_array_add(a, o);
	}
	return a;
}

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* "key":value, -- consumes the object */
static void put(FILE *f, const char *key, json_object *o, const char *sep)
{
	fprintf(f, "\"%s\":%s%s", key, json_object_to_json_string_ext(o, JSON_FLAGS), sep);
	json_object_put(o);
}

/*
 * The processes and objects arrays, one element at a time: a trace can have hundreds of
 * thousands of mappings, and json-c holding them all at once took ~3 KB each.  The text is
 * what json-c prints for the whole array (PLAIN: "[" elements joined by "," "]").
 */
static void put_processes(FILE *f, const struct timeline *tl)
{
	fputs("\"processes\":[", f);
	for (size_t i = 0; i < tl->nprocs; i++) {
		json_object *o = process_json(&tl->procs[i]);

		fprintf(f, "%s%s", i ? "," : "", json_object_to_json_string_ext(o, JSON_FLAGS));
		json_object_put(o);
		if (i % 8192 == 8191)
			tl_processes_release(tl, i);	/* a streamed trace's are in a file */
	}
	fputs("],\n", f);
}

static void put_objects(FILE *f, const struct timeline *tl, long page)
{
	fputs("\"objects\":[", f);
	for (size_t i = 0; i < tl->nobjs; i++) {
		json_object *o = object_json(&tl->objs[i], page);

		fprintf(f, "%s%s", i ? "," : "", json_object_to_json_string_ext(o, JSON_FLAGS));
		json_object_put(o);
		if (i % 8192 == 8191)
			tl_objects_release(tl, i);	/* a streamed trace's objects are in a file */
	}
	fputs("],\n", f);
}

static void put_header(FILE *f, const struct trace_meta *m, const struct timeline *tl,
		       const struct claim_set *cs)
{
	fprintf(f, "{\"format\":\"%s\",\"version\":%d,\n", TRACE_FORMAT, TRACE_VERSION);
	put(f, "meta", meta_to_json(m, tl->n, tl->invalid), ",\n");
	put_processes(f, tl);
	put_objects(f, tl, m->page_size);
	put(f, "claims", claims_json(cs), ",\n");
	fputs("\"events\":[\n", f);
}

/* flush here so a full disk is reported as such, not as a stream error */
static int put_end(FILE *f, size_t nevents)
{
	fputs(nevents ? "\n]}\n" : "]}\n", f);
	if (fflush(f))
		return -errno;
	return ferror(f) ? -EIO : 0;
}

/* One event line; every one but the first starts with ",\n". */
static int put_event(FILE *f, const struct timeline *tl, const struct tl_event *te, size_t nth)
{
	char buf[EVENT_JSON_MAX + 2];
	size_t len = event_print(tl, te, buf + 2, EVENT_JSON_MAX), skip = nth ? 0 : 2;

	if (!len)
		return -EOVERFLOW;
	buf[0] = ',';
	buf[1] = '\n';
	errno = 0;
	if (fwrite(buf + skip, 1, len + 2 - skip, f) != len + 2 - skip)
		return errno ? -errno : -EIO;	/* a full disk says ENOSPC */
	return 0;
}

int export_trace(FILE *f, const struct trace_meta *m, const struct timeline *tl,
		 const struct claim_set *cs)
{
	int err = 0;

	put_header(f, m, tl, cs);
	for (size_t i = 0; i < tl->n && !err; i++)
		err = put_event(f, tl, &tl->ev[i], i);
	return err ? err : put_end(f, tl->n);
}

/* ------------------------------------------------------------------ streaming */

/*
 * A spilled trace is resolved twice: the first pass only builds the processes and objects
 * and counts the events, so that the header -- which comes first in the file -- is
 * complete; the second prints each event straight into the output.  Merging and resolving
 * are a small part of the work (printing and writing dominate a profile), and no scratch copy
 * of the events is made (that copy was a quarter of a profile, and a second copy on disk).  The
 * runs' blocks are given back as the second pass reads them.
 */

struct event_sink {
	struct out_file *of;
	size_t n;
};

static int sink_event(void *ctx, const struct timeline *tl, const struct tl_event *te)
{
	struct event_sink *k = ctx;

	return put_event(k->of->f, tl, te, k->n++);
}

static int count_event(void *ctx, const struct timeline *tl, const struct tl_event *te)
{
	return 0;	/* tl->n counts it */
}

#define STEP_EVERY 4096	/* records between progress/Ctrl-C checks: ~5 ms */

/* Every record of the runs through st, in time order; 0 or -errno (-EINTR: Ctrl-C). */
static int resolve_all(struct spool *sp, struct tl_stream *st, struct progress *pr,
		       struct event_sink *sink)
{
	struct spool_merge *merge;
	const struct ipclab_event *e;
	unsigned long long k = 0;
	int err = spool_merge_open(&merge, sp), merr;

	if (err)
		return err;
	if (sink)
		spool_merge_release(merge);	/* the last pass: the disk space goes back */
	while (!st->err && (e = spool_merge_next(merge))) {
		tl_stream_add(st, e);
		if (++k % STEP_EVERY == 0) {
			if (sink && fflush(sink->of->f)) {
				err = errno ? -errno : -EIO;	/* a full disk says ENOSPC */
				break;
			}
			err = progress_step(pr, sink ? sink->n : k, sink ? out_bytes(sink->of) : 0);
			if (err)
				break;
		}
	}
	merr = spool_merge_close(merge);
	if (!err)
		err = merr;
	return err ? err : tl_stream_finish(st);
}

/* The objects and processes wait in the spill file, past its runs (timeline.c: the store). */
static void objects_in_spill(struct tl_stream *st, const struct spool *sp)
{
	tl_stream_objects_in(st, sp->spill_fd, (sp->spilled * sizeof(struct ipclab_event) + 4095) &
				 ~4095ULL);
}

int export_trace_stream(struct out_file *of, struct trace_meta *m, struct spool *sp,
			struct progress *pr, size_t *nevents)
{
	struct event_sink sink = { of, 0 };
	struct tl_stream st;
	size_t n, invalid;
	int err;

	*nevents = 0;
	spool_spill_finish(sp);		/* a failure is counted in sp->lost */
	m->lost = sp->lost;
	progress_phase(pr, "resolving", sp->spilled);
	err = tl_stream_init(&st, m->t0, count_event, NULL);
	if (err)
		return err;
	objects_in_spill(&st, sp);
	err = resolve_all(sp, &st, pr, NULL);
	if (!err)
		put_header(of->f, m, &st.tl, NULL);
	n = st.tl.n;
	invalid = st.tl.invalid;
	tl_stream_free(&st);
	if (err)
		return err;

	progress_phase(pr, "writing", n);
	err = tl_stream_init(&st, m->t0, sink_event, &sink);
	if (err)
		return err;
	objects_in_spill(&st, sp);	/* the same place: the second pass rebuilds them alike */
	err = resolve_all(sp, &st, pr, &sink);
	if (!err && st.tl.n != n)
		err = -EIO;	/* the runs read back differently: never a header that lies */
	tl_stream_free(&st);
	if (!err)
		err = put_end(of->f, n);
	if (!err)
		err = progress_step(pr, n, out_bytes(of));
	if (!err && invalid)
		fprintf(stderr, "ipclab: WARNING: %zu records refused: impossible times or sizes "
			"(corrupt spool?); counted in meta.lost\n", invalid);
	*nevents = n;
	return err;
}
