/*
 * registry_objects.h - the timeline's object kinds and what each kind keeps besides the
 * fields every object has (struct tl_object, user/timeline.h): one line per mechanism with
 * objects of its own.  docs/adding-a-mechanism.md says when to add one.
 */
#ifndef IPCLAB_REGISTRY_OBJECTS_H
#define IPCLAB_REGISTRY_OBJECTS_H

#include "pipe/object.h"
#include "mmap/object.h"
#include "unix/object.h"
#include "mqueue/object.h"

enum obj_kind {
	OBJ_PIPE, OBJ_FIFO,					/* mech/pipe, mech/fifo */
	OBJ_MAPPING,						/* mech/mmap */
	OBJ_UNIX_STREAM, OBJ_UNIX_DGRAM, OBJ_UNIX_SEQPACKET,	/* mech/unix */
	OBJ_MQUEUE,						/* mech/mqueue */
};

/* The members of struct tl_object that only some kinds use. */
#define TL_OBJECT_DETAILS						\
	struct tl_pipe pipe;	/* OBJ_PIPE, OBJ_FIFO */		\
	struct tl_mapping map;	/* OBJ_MAPPING */			\
	struct tl_sock sock;	/* OBJ_UNIX_* */			\
	struct tl_mq mq;	/* OBJ_MQUEUE */

#endif
