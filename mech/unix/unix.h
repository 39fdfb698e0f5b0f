/* unix.h - what mech/unix's C files share. */
#ifndef IPCLAB_UNIX_H
#define IPCLAB_UNIX_H

#include "timeline.h"

static inline bool obj_is_socket(enum obj_kind k)
{
	return k == OBJ_UNIX_STREAM || k == OBJ_UNIX_DGRAM || k == OBJ_UNIX_SEQPACKET;
}

#endif
