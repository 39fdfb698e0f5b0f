// SPDX-License-Identifier: GPL-2.0
/*
 * spool.c - the ring-buffer drain.  It only copies fixed-size records into a growing
 * array: no decoding, no allocation per event, no JSON.  Everything else waits until the
 * traced programs have exited.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spool.h"

void spool_init(struct spool *s)
{
	memset(s, 0, sizeof(*s));
}

void spool_free(struct spool *s)
{
	free(s->ev);
	spool_init(s);
}

void spool_reset(struct spool *s)
{
	s->n = 0;
	s->lost = 0;
}

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

int spool_on_event(void *ctx, void *data, size_t size)
{
	return spool_append(ctx, data, size);
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
	hd.count = s->n;
	if (fwrite(&hd, sizeof(hd), 1, f) != 1 ||
	    (s->n && fwrite(s->ev, sizeof(*s->ev), s->n, f) != s->n))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* Untrusted input: the header must match this build and the count the file's size. */
int spool_load(struct spool *s, struct spool_header *h, const char *path)
{
	FILE *f = fopen(path, "r");
	long size;
	int err = -EINVAL;

	if (!f)
		return -errno;
	spool_init(s);
	if (fread(h, sizeof(*h), 1, f) != 1 || memcmp(h->magic, SPOOL_MAGIC, sizeof(h->magic)) ||
	    h->record_size != sizeof(struct ipclab_event) || fseek(f, 0, SEEK_END) ||
	    (size = ftell(f)) < 0 ||
	    (__u64)(size - sizeof(*h)) != h->count * sizeof(struct ipclab_event))
		goto out;
	h->kernel[sizeof(h->kernel) - 1] = 0;
	h->command[sizeof(h->command) - 1] = 0;
	fseek(f, sizeof(*h), SEEK_SET);
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
