// SPDX-License-Identifier: GPL-2.0
/*
 * spool.c - the ring-buffer drain.  It only copies fixed-size records into a growing
 * array: no decoding, no allocation per event, no JSON.  Everything else waits until the
 * traced programs have exited.
 */
#define _GNU_SOURCE	/* fallocate */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spool.h"

void spool_init(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->spill_fd = -1;
	s->raw_fd = -1;
}

void spool_free(struct spool *s)
{
	free(s->ev);
	free(s->runs);
	if (s->spill_fd >= 0)
		close(s->spill_fd);
	if (s->raw_fd >= 0)
		close(s->raw_fd);
	spool_init(s);
}

void spool_reset(struct spool *s)
{
	s->raw_bytes = 0;
	s->n = 0;
	s->lost = 0;
	s->nruns = 0;
	s->spilled = 0;
	if (s->spill_fd >= 0) {
		/* runs are addressed by offset: a file that could not be emptied only costs disk */
		int unused = ftruncate(s->spill_fd, 0);

		(void)unused;
	}
}

static int spill_chunk(struct spool *s);

static int spool_grow(struct spool *s)
{
	size_t cap = s->cap ? s->cap * 2 : 65536;
	struct ipclab_event *ev = realloc(s->ev, cap * sizeof(*ev));

	if (!ev)
		return -ENOMEM;
	s->ev = ev;
	s->cap = cap;
	return 0;
}

int spool_append(struct spool *s, const void *data, size_t size)
{
	struct ipclab_event *e;

	if (s->spill_fd >= 0 && s->n >= s->chunk)
		spill_chunk(s);	/* a failure is counted in lost: keep draining */
	if (s->n == s->cap && spool_grow(s)) {
		s->lost++;
		return 0;	/* keep draining; the loss is reported */
	}
	e = &s->ev[s->n++];
	if (size > sizeof(*e))
		size = sizeof(*e);
	memcpy(e, data, size);
	if (size < sizeof(*e))
		memset((char *)e + size, 0, sizeof(*e) - size);
	return 0;
}

/* Records, each as long as its type says, appended to the spool; returns the bytes used (a
 * record cut at the end of data is left for the caller). */
static size_t append_records(struct spool *s, const char *data, size_t size)
{
	struct ipclab_event head;
	size_t off = 0, n;

	while (size - off >= offsetof(struct ipclab_event, io)) {
		memcpy(&head, data + off, offsetof(struct ipclab_event, io));
		n = event_size(head.type);
		if (n > size - off)
			break;
		spool_append(s, data + off, n);
		off += n;
	}
	return off;
}

/* A ring-buffer sample is a batch of whole records (the BPF side never tears one). */
int spool_on_event(void *ctx, void *data, size_t size)
{
	struct spool *s = ctx;

	if (s->raw_fd < 0) {
		append_records(s, data, size);
		return 0;
	}
	if (pwrite(s->raw_fd, data, size, s->raw_bytes) == (ssize_t)size) {
		s->raw_bytes += size;
		return 0;
	}
	/* no room on disk: count the batch's records as lost, keep draining */
	for (size_t off = 0, n; off + offsetof(struct ipclab_event, io) <= size; off += n) {
		struct ipclab_event head;

		memcpy(&head, (char *)data + off, offsetof(struct ipclab_event, io));
		n = event_size(head.type);
		s->lost++;
	}
	return 0;
}

void spool_raw_to(struct spool *s, int fd)
{
	s->raw_fd = fd;
	s->raw_bytes = 0;
}

/*
 * Give the disk blocks of [*from, to) of fd back (both already read, never read again);
 * whole blocks only, so a neighbouring run's records in a shared block stay.  Without
 * FALLOC_FL_PUNCH_HOLE the space is only freed at the end.
 */
static void release_blocks(int fd, __u64 *from, __u64 to)
{
	__u64 start = (*from + 4095) & ~4095ULL, end = to & ~4095ULL;

	if (end <= start || end - start < (1u << 20))
		return;
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, start, end - start) == 0)
		*from = end;
}

int spool_ingest_raw(struct spool *s, struct progress *pr)
{
	static char buf[1 << 20];
	__u64 off = 0, freed = 0;
	size_t have = 0;
	int err = 0;

	if (s->raw_fd < 0)
		return 0;
	progress_phase(pr, "sorting", s->raw_bytes);
	while (off < s->raw_bytes) {
		size_t want = sizeof(buf) - have, used;
		ssize_t got;

		if (want > s->raw_bytes - off)
			want = s->raw_bytes - off;
		got = pread(s->raw_fd, buf + have, want, off);
		if (got <= 0) {
			err = got < 0 ? -errno : -EIO;
			break;
		}
		off += got;
		have += got;
		used = append_records(s, buf, have);
		memmove(buf, buf + used, have - used);	/* a record cut by the block */
		have -= used;
		release_blocks(s->raw_fd, &freed, off - have);
		err = progress_step(pr, off, 0);
		if (err)
			return err;	/* -EINTR, Ctrl-C: the caller lets the file go */
	}
	close(s->raw_fd);
	s->raw_fd = -1;
	s->raw_bytes = 0;
	return err;
}

/* Copy the runs' records from the spill file to f (their order does not matter there). */
static int copy_runs(const struct spool *s, FILE *f)
{
	static char buf[1 << 20];
	__u64 left = s->spilled * sizeof(struct ipclab_event), off = 0;

	while (left) {
		size_t want = left < sizeof(buf) ? left : sizeof(buf);
		ssize_t got = pread(s->spill_fd, buf, want, off);

		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		if (fwrite(buf, 1, got, f) != (size_t)got)
			return -EIO;
		off += got;
		left -= got;
	}
	return 0;
}

int spool_save(const struct spool *s, const struct spool_header *h, const char *path)
{
	struct spool_header hd = *h;
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	memcpy(hd.magic, SPOOL_MAGIC, sizeof(hd.magic));
	hd.record_size = sizeof(struct ipclab_event);
	hd.count = s->spilled + s->n;
	if (fwrite(&hd, sizeof(hd), 1, f) != 1)
		err = -EIO;
	if (!err && s->spilled)
		err = copy_runs(s, f);
	if (!err && s->n && fwrite(s->ev, sizeof(*s->ev), s->n, f) != s->n)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* Untrusted input: the header must match this build and the count the file's size. */
static int read_header(FILE *f, struct spool_header *h)
{
	long size;

	if (fread(h, sizeof(*h), 1, f) != 1 || memcmp(h->magic, SPOOL_MAGIC, sizeof(h->magic)) ||
	    h->record_size != sizeof(struct ipclab_event) || fseek(f, 0, SEEK_END) ||
	    (size = ftell(f)) < 0 ||
	    (__u64)(size - sizeof(*h)) != h->count * sizeof(struct ipclab_event) ||
	    fseek(f, sizeof(*h), SEEK_SET))
		return -EINVAL;
	h->kernel[sizeof(h->kernel) - 1] = 0;
	h->command[sizeof(h->command) - 1] = 0;
	return 0;
}

int spool_load(struct spool *s, struct spool_header *h, const char *path)
{
	FILE *f = fopen(path, "r");
	int err;

	if (!f)
		return -errno;
	spool_init(s);
	err = read_header(f, h);
	if (err)
		goto out;
	s->ev = malloc(h->count ? h->count * sizeof(*s->ev) : 1);
	err = -ENOMEM;
	if (!s->ev)
		goto out;
	s->cap = h->count;
	err = -EIO;
	if (h->count && fread(s->ev, sizeof(*s->ev), h->count, f) != (size_t)h->count)
		goto out;
	s->n = h->count;
	err = 0;
out:
	fclose(f);
	if (err)
		spool_free(s);
	return err;
}

int spool_load_spilling(struct spool *s, struct spool_header *h, const char *path)
{
	static struct ipclab_event block[256];
	FILE *f = fopen(path, "r");
	__u64 left;
	int err;

	if (!f)
		return -errno;
	err = read_header(f, h);
	for (left = h->count; !err && left;) {
		size_t want = left < 256 ? left : 256, got = fread(block, sizeof(block[0]), want, f);

		if (got != want)
			err = -EIO;
		for (size_t i = 0; i < got; i++)
			spool_append(s, &block[i], sizeof(block[i]));
		left -= got;
	}
	fclose(f);
	return err;
}

/* ------------------------------------------------------------------ spilling */

int spool_spill_to(struct spool *s, int fd)
{
	const char *test = getenv("IPCLAB_SPOOL_CHUNK");

	/* tests: many runs from a small trace, or none at all from a big one */
	s->chunk = test && atol(test) > 0 ? (size_t)atol(test) : SPOOL_CHUNK;
	if (s->cap < SPOOL_CHUNK) {
		struct ipclab_event *ev = realloc(s->ev, SPOOL_CHUNK * sizeof(*ev));

		if (!ev)
			return -ENOMEM;
		s->ev = ev;
		s->cap = SPOOL_CHUNK;
	}
	s->spill_fd = fd;
	return 0;
}

bool spool_spilled(const struct spool *s)
{
	return s->spill_fd >= 0 && s->nruns > 0;
}

/* The timeline's order (timeline.c cmp_event): start, end, thread. */
static int cmp_record(const struct ipclab_event *x, const struct ipclab_event *y)
{
	if (x->ts_start != y->ts_start)
		return x->ts_start < y->ts_start ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return memcmp(x, y, sizeof(*x));	/* total, as timeline.c cmp_event */
}

/*
 * Sorting a chunk: the keys cmp_record() looks at first, copied out of the records once, so
 * that comparing two records mostly reads 24 bytes next to each other instead of two 240-byte
 * records far apart.  The order is cmp_record()'s, which is total: any correct sort gives
 * the same runs, byte for byte.
 */
struct sort_key {
	__u64 ts_start, ts;
	__u32 tid, idx;
};

static inline bool key_before(const struct ipclab_event *ev, const struct sort_key *x,
			      const struct sort_key *y)
{
	if (x->ts_start != y->ts_start)
		return x->ts_start < y->ts_start;
	if (x->ts != y->ts)
		return x->ts < y->ts;
	if (x->tid != y->tid)
		return x->tid < y->tid;
	return memcmp(&ev[x->idx], &ev[y->idx], sizeof(*ev)) < 0;
}

#define SORT_BLOCK 32	/* sorted by insertion before the merging starts */

static void insertion_sort(const struct ipclab_event *ev, struct sort_key *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sort_key k = a[i];
		size_t j = i;

		for (; j > 0 && key_before(ev, &k, &a[j - 1]); j--)
			a[j] = a[j - 1];
		a[j] = k;
	}
}

/* a[0, mid) and a[mid, n), each sorted, merged into out. */
static void merge_keys(const struct ipclab_event *ev, const struct sort_key *a, size_t mid,
		       size_t n, struct sort_key *out)
{
	size_t i = 0, j = mid, o = 0;

	if (mid == n || !key_before(ev, &a[mid], &a[mid - 1])) {
		memcpy(out, a, n * sizeof(*a));	/* already in order: the common case, as a
						 * CPU's batches come in time order */
		return;
	}
	while (i < mid && j < n)
		out[o++] = key_before(ev, &a[j], &a[i]) ? a[j++] : a[i++];
	memcpy(out + o, a + i, (mid - i) * sizeof(*a));
	o += mid - i;
	memcpy(out + o, a + j, (n - j) * sizeof(*a));
}

/* Bottom-up merge sort of a (n keys) using tmp (as large); returns where the result is. */
static struct sort_key *sort_keys(const struct ipclab_event *ev, struct sort_key *a,
				  struct sort_key *tmp, size_t n)
{
	for (size_t i = 0; i < n; i += SORT_BLOCK)
		insertion_sort(ev, a + i, n - i < SORT_BLOCK ? n - i : SORT_BLOCK);
	for (size_t w = SORT_BLOCK; w < n; w *= 2) {
		struct sort_key *t;

		for (size_t i = 0; i < n; i += 2 * w) {
			size_t len = n - i < 2 * w ? n - i : 2 * w;

			merge_keys(ev, a + i, len < w ? len : w, len, tmp + i);
		}
		t = a;
		a = tmp;
		tmp = t;
	}
	return a;
}

/* The chunk's records in cmp_record() order, as indexes; NULL without memory. */
static struct sort_key *sorted_chunk(const struct spool *s, struct sort_key **scratch)
{
	struct sort_key *a = malloc(s->n * sizeof(*a)), *tmp = malloc(s->n * sizeof(*tmp));

	*scratch = NULL;
	if (!a || !tmp) {
		free(a);
		free(tmp);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++)
		a[i] = (struct sort_key){ s->ev[i].ts_start, s->ev[i].ts, s->ev[i].tid, i };
	if (sort_keys(s->ev, a, tmp, s->n) == a) {
		*scratch = tmp;
		return a;
	}
	*scratch = a;
	return tmp;
}

/* Sort the chunk and append it to the spill file as a run; the chunk is then empty. */
static int spill_chunk(struct spool *s)
{
	static struct ipclab_event out[256];
	struct sort_key *order = NULL, *scratch = NULL;
	__u64 off = s->spilled * sizeof(struct ipclab_event);
	struct spool_run *runs;
	size_t n = s->n, k = 0;
	int err = 0;

	if (!n)
		return 0;
	runs = realloc(s->runs, (s->nruns + 1) * sizeof(*runs));
	if (runs)
		order = sorted_chunk(s, &scratch);
	if (!runs || !order)
		err = -ENOMEM;
	for (size_t i = 0; !err && i < n; i += k) {
		k = n - i < 256 ? n - i : 256;
		for (size_t j = 0; j < k; j++)
			out[j] = s->ev[order[i + j].idx];
		if (pwrite(s->spill_fd, out, k * sizeof(out[0]), off) != (ssize_t)(k * sizeof(out[0])))
			err = errno ? -errno : -EIO;
		off += k * sizeof(out[0]);
	}
	free(order);
	free(scratch);
	if (err) {
		s->lost += n;	/* no room on disk (or in memory): counted, the trace says so */
		if (runs)
			s->runs = runs;
	} else {
		s->runs = runs;
		s->runs[s->nruns++] = (struct spool_run){ s->spilled * sizeof(struct ipclab_event), n };
		s->spilled += n;
	}
	s->n = 0;
	return err;
}

int spool_spill_finish(struct spool *s)
{
	return s->spill_fd >= 0 ? spill_chunk(s) : 0;
}

/* ------------------------------------------------------------------ merging */

#define MERGE_BUF 64	/* records read at a time from each run: 15 KiB */

struct run_cursor {
	__u64 off, left;	/* what is still on disk */
	__u64 freed;		/* release: blocks before this were given back */
	struct ipclab_event buf[MERGE_BUF];
	size_t pos, n;
};

struct spool_merge {
	const struct spool *s;
	struct run_cursor *c;
	size_t *heap, nheap;	/* cursors by their current record, smallest first */
	size_t last;		/* the cursor whose record was returned last, or SIZE_MAX */
	bool release;		/* give the runs' blocks back as they are read */
	int err;
};

static const struct ipclab_event *cur(const struct spool_merge *m, size_t k)
{
	return &m->c[k].buf[m->c[k].pos];
}

/* Refill cursor k when its buffer is used up: false when the run is exhausted. */
static bool cursor_ready(struct spool_merge *m, size_t k)
{
	struct run_cursor *c = &m->c[k];
	size_t want;
	ssize_t got;

	if (c->pos < c->n)
		return true;
	if (!c->left)
		return false;
	want = c->left < MERGE_BUF ? c->left : MERGE_BUF;
	got = pread(m->s->spill_fd, c->buf, want * sizeof(c->buf[0]), c->off);
	if (got != (ssize_t)(want * sizeof(c->buf[0]))) {
		m->err = got < 0 ? -errno : -EIO;
		c->left = 0;
		return false;
	}
	c->off += got;
	c->left -= want;
	if (m->release)
		release_blocks(m->s->spill_fd, &c->freed, c->off);
	c->pos = 0;
	c->n = want;
	return true;
}

static void sift_down(struct spool_merge *m, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, min = i, t;

		if (l < m->nheap && cmp_record(cur(m, m->heap[l]), cur(m, m->heap[min])) < 0)
			min = l;
		if (r < m->nheap && cmp_record(cur(m, m->heap[r]), cur(m, m->heap[min])) < 0)
			min = r;
		if (min == i)
			return;
		t = m->heap[i];
		m->heap[i] = m->heap[min];
		m->heap[min] = t;
		i = min;
	}
}

int spool_merge_open(struct spool_merge **out, const struct spool *s)
{
	struct spool_merge *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->s = s;
	m->last = SIZE_MAX;
	m->c = calloc(s->nruns ? s->nruns : 1, sizeof(*m->c));
	m->heap = calloc(s->nruns ? s->nruns : 1, sizeof(*m->heap));
	if (!m->c || !m->heap) {
		spool_merge_close(m);
		return -ENOMEM;
	}
	for (size_t k = 0; k < s->nruns; k++) {
		m->c[k].off = m->c[k].freed = s->runs[k].off;
		m->c[k].left = s->runs[k].n;
		if (cursor_ready(m, k))
			m->heap[m->nheap++] = k;
	}
	for (size_t i = m->nheap / 2; i-- > 0;)
		sift_down(m, i);
	*out = m;
	return 0;
}

const struct ipclab_event *spool_merge_next(struct spool_merge *m)
{
	if (m->last != SIZE_MAX) {
		/* the record returned last may be overwritten now: advance its run */
		m->c[m->last].pos++;
		if (!cursor_ready(m, m->last))
			m->heap[0] = m->heap[--m->nheap];
		if (m->nheap)
			sift_down(m, 0);
		m->last = SIZE_MAX;
	}
	if (!m->nheap)
		return NULL;
	m->last = m->heap[0];
	return cur(m, m->last);
}

void spool_merge_release(struct spool_merge *m)
{
	m->release = true;
}

int spool_merge_close(struct spool_merge *m)
{
	int err;

	if (!m)
		return 0;
	err = m->err;
	free(m->c);
	free(m->heap);
	free(m);
	return err;
}
