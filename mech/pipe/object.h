/* object.h - what the timeline keeps of a pipe or FIFO (mech/registry_objects.h). */
#ifndef IPCLAB_PIPE_OBJECT_H
#define IPCLAB_PIPE_OBJECT_H

#include <linux/types.h>

/* Its ring, as first seen (F_SETPIPE_SZ may change it later: each record has its own). */
struct tl_pipe {
	__u32 ring_size;	/* slots allocated */
	__u32 max_usage;	/* slots a writer may fill */
};

#endif
