// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_events.c - libFuzzer harness for the event decoder: the bytes are records as the
 * BPF side puts them in the ring buffer (an array of struct ipclab_event, bpf/ipclab.h),
 * i.e. everything after the spool.  They go through timeline_build(), every scenario's
 * claim checker and export_trace(), like `ipclab run`/`trace` after recording.  The
 * exported text must be JSON that trace_read() reads back.  The first input byte picks the
 * scenario named in the trace's meta (its claims are the ones exported).
 */
#include "fuzz_common.h"
#include "claims.h"
#include "export.h"
#include "scenarios.h"
#include "timeline.h"

#define MAX_EVENTS 2048

static struct memfile out;
static struct claim_set sets[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	memfile_init(&out, "ipclab-fuzz-export");
	if (scenario_count() > sizeof(sets) / sizeof(sets[0]))
		FUZZ_DIE("more scenarios than claim sets");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size / sizeof(struct ipclab_event), k, len = 0;
	struct ipclab_event *ev;
	struct trace_meta m;
	struct timeline tl;
	char *text = NULL;
	FILE *f;

	if (n > MAX_EVENTS)
		n = MAX_EVENTS;
	/* exactly n records: ASan sees any read past the last one */
	ev = malloc(n ? n * sizeof(*ev) : 1);
	if (!ev)
		return 0;
	memcpy(ev, data, n * sizeof(*ev));
	if (timeline_build(&tl, ev, n, n ? ev[0].ts_start : 0)) {
		free(ev);
		return 0;
	}
	for (size_t i = 0; i < scenario_count(); i++) {
		memset(&sets[i], 0, sizeof(sets[i]));
		scenario_at(i)->check(&tl, &sets[i]);
	}
	k = size ? data[0] % scenario_count() : 0;
	memset(&m, 0, sizeof(m));
	snprintf(m.kernel, sizeof(m.kernel), "6.18.0-fuzz");
	snprintf(m.machine, sizeof(m.machine), "x86_64");
	snprintf(m.command, sizeof(m.command), "fuzz");
	m.tier = TIER_TRACEPOINT;
	m.t0 = tl.t0;
	m.scenario = scenario_at(k);
	m.page_size = 4096;
	m.end_reason = "exited";
	f = open_memstream(&text, &len);
	if (!f)
		FUZZ_DIE("open_memstream");
	if (export_trace(f, &m, &tl, &sets[k]))
		FUZZ_DIE("export_trace failed on a memory stream");
	fclose(f);
	check_trace_reads_back(&out, text, len);
	free(text);
	timeline_free(&tl);
	free(ev);
	return 0;
}
