/* object.h - what the timeline keeps of a Unix domain socket (mech/registry_objects.h). */
#ifndef IPCLAB_UNIX_OBJECT_H
#define IPCLAB_UNIX_OBJECT_H

#include <stdbool.h>
#include <linux/types.h>

/* Its link and limits, from the first record that showed them. */
struct tl_sock {
	int peer;		/* the object at the other end, -1 until one is seen */
	bool socketpair;	/* made by socketpair() */
	__u32 sndbuf;
	__u32 rcvbuf;
	__u32 max_qlen;		/* sk_max_ack_backlog */
};

#endif
