/* mmap.h - what mech/mmap's C files share. */
#ifndef IPCLAB_MMAP_H
#define IPCLAB_MMAP_H

#include "timeline.h"

/* What backs a mapping's pages: "file", "anon", "shmem" or "sysv shm" (a shmat). */
const char *mapping_backing(const struct tl_object *o);

#endif
