/* shm.h - System V shared memory's decoders, shared by trace.c and the claims. */
#ifndef IPCLAB_SHM_H
#define IPCLAB_SHM_H

#include <stddef.h>
#include <linux/types.h>

void shm_get_flags(char *buf, size_t n, __u64 flg);
void shm_at_flags(char *buf, size_t n, __u64 flg);
const char *shm_cmd_name(__u64 cmd);

#endif
