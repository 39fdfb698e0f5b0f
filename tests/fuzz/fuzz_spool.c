// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_spool.c - libFuzzer harness for saved spools (`ipclab trace --save-spool`,
 * `ipclab replay SPOOL`): the bytes are a spool file.  spool_load() must refuse it or
 * return records that the replay path (timeline_build() + export_trace()) turns into a
 * trace ipclab reads back.  The streaming path (spilled runs, merged, export_trace_stream())
 * must write the very same text.
 */
#include "fuzz_common.h"
#include "export.h"
#include "spool.h"
#include "timeline.h"

static struct memfile in, out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	memfile_init(&in, "ipclab-fuzz-spool");
	memfile_init(&out, "ipclab-fuzz-export");
	return 0;
}

/* The same spool, spilled in runs of 3 records and streamed, gives the same trace. */
static void check_streamed_same(struct trace_meta *m, const char *text, size_t len)
{
	int spill = memfd_create("ipclab-fuzz-spill", MFD_CLOEXEC);
	struct spool_header h;
	struct spool sp;
	char *streamed = NULL;
	size_t slen = 0, n = 0;
	FILE *f;
	struct out_file of = { .fd = -1 };

	if (spill < 0)
		FUZZ_DIE("memfd_create");
	spool_init(&sp);
	if (spool_spill_to(&sp, spill))
		FUZZ_DIE("spool_spill_to");
	sp.chunk = 3;
	if (spool_load_spilling(&sp, &h, in.path))
		FUZZ_DIE("spool_load_spilling refused what spool_load read");
	f = open_memstream(&streamed, &slen);
	if (!f)
		FUZZ_DIE("open_memstream");
	of.f = f;
	if (export_trace_stream(&of, m, &sp, NULL, &n))
		FUZZ_DIE("export_trace_stream failed on memory files");
	fclose(f);
	if (slen != len || memcmp(streamed, text, len))
		FUZZ_DIE("the streamed trace differs from the in-memory one");
	free(streamed);
	spool_free(&sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spool sp;
	struct spool_header h;
	struct trace_meta m;
	struct timeline tl;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	memfile_set(&in, data, size);
	if (spool_load(&sp, &h, in.path))
		return 0;
	if (sp.n > 4096 || timeline_build(&tl, sp.ev, sp.n, h.t0)) {
		spool_free(&sp);
		return 0;
	}
	memset(&m, 0, sizeof(m));
	snprintf(m.kernel, sizeof(m.kernel), "%s", h.kernel);
	snprintf(m.command, sizeof(m.command), "%s", h.command);
	m.tier = h.tier <= TIER_TRACEPOINT ? h.tier : TIER_TRACEPOINT;
	m.t0 = h.t0;
	m.dropped = h.dropped;
	m.page_size = 4096;
	m.end_reason = "exited";
	f = open_memstream(&text, &len);
	if (!f)
		FUZZ_DIE("open_memstream");
	if (export_trace(f, &m, &tl, NULL))
		FUZZ_DIE("export_trace failed on a memory stream");
	fclose(f);
	check_trace_reads_back(&out, text, len);
	check_streamed_same(&m, text, len);
	free(text);
	timeline_free(&tl);
	spool_free(&sp);
	return 0;
}
