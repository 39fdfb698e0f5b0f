// SPDX-License-Identifier: GPL-2.0
/*
 * spool.c - the ring-buffer drain.  It only copies fixed-size records into a growing
 * array: no decoding, no allocation per event, no JSON.  Everything else waits until the
 * traced programs have exited.
 */
#include <errno.h>
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
