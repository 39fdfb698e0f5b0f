/* object.h - what the timeline keeps of a POSIX message queue (mech/registry_objects.h). */
#ifndef IPCLAB_MQUEUE_OBJECT_H
#define IPCLAB_MQUEUE_OBJECT_H

#include <linux/types.h>

/* Its limits, from the first record that showed them. */
struct tl_mq {
	__u32 maxmsg;		/* mq_maxmsg: the capacity, in messages */
	__u32 msgsize;		/* mq_msgsize: the largest message, in bytes */
};

#endif
