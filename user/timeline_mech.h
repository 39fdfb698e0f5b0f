/*
 * timeline_mech.h - what a mechanism's timeline part (mech/NAME/timeline.c, its struct
 * mech_timeline_ops) may ask of the timeline while it resolves its records into objects.
 */
#ifndef IPCLAB_TIMELINE_MECH_H
#define IPCLAB_TIMELINE_MECH_H

#include "timeline.h"
#include "tl_index.h"

/* A new object, zeroed but for its id and fds (-1), at the end of tl->objs; NULL when out
 * of memory (the timeline is marked failed).  Earlier tl_object pointers may move. */
struct tl_object *tl_obj_new(struct timeline *tl);
/* The newest object at kernel address kptr (what blocks name), or -1. */
int tl_obj_at(const struct timeline *tl, __u64 kptr);
/* Object id is at kernel address kptr now (a FIFO reopened, an address reused). */
void tl_obj_set_kptr(struct timeline *tl, int id, __u64 kptr);
/* An index lost an entry (out of memory): lookups may miss, the build fails with -ENOMEM. */
void tl_mark_failed(struct timeline *tl);

#endif
