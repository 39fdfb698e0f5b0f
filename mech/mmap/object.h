/* object.h - what the timeline keeps of a memory mapping (mech/registry_objects.h). */
#ifndef IPCLAB_MMAP_OBJECT_H
#define IPCLAB_MMAP_OBJECT_H

#include <linux/types.h>

/* A memory mapping, from a successful mmap() (grid of pages in the viewer). */
struct tl_mapping {
	__u64 start;
	__u64 length;		/* rounded up to whole pages */
	__u32 prot;		/* PROT_* */
	__u32 flags;		/* MAP_* */
	__u64 offset;		/* in the file */
	__u64 file_ino;		/* 0: anonymous */
	__u32 file_dev;
	__u32 file_magic;
	__s64 unmapped;		/* ns from trace start, -1 while mapped */
	/* System V shared memory (mech/shm): a shmat() attach, not an mmap() */
	__u32 sysv;		/* 1: a System V segment attached by shmat() */
	__s32 shmid;		/* its id (shmat's argument) */
	__u32 shm_key;		/* the key shmget() made or found it with (0: IPC_PRIVATE) */
	__u32 shm_key_known;	/* shmget() was traced: the key is known */
};

#endif
