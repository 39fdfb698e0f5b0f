// SPDX-License-Identifier: GPL-2.0
/*
 * touch_pages.c - test program: map a fresh file and touch its pages as told.
 *
 *   touch_pages FILE NPAGES shared|private OP...
 *
 *   OP: rN  read page N
 *       wN  write page N
 *       sN  take a signal whose frame straddles pages N and N+1 (see signal_on_stack())
 *
 * The file is written one page per write() so the page cache holds it in 4 KiB folios
 * (the exact fault set then does not depend on large-folio sizes).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <ucontext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *frame_top;		/* top of the signal stack in use */
static long fpstate_offset;		/* frame_top - the FPU state the kernel saved */

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
#if defined(__aarch64__)
	/* arm64: the FP/SIMD registers are the first record of the frame's __reserved area */
	fpstate_offset = frame_top - (char *)((ucontext_t *)uc)->uc_mcontext.__reserved;
#else
	fpstate_offset = frame_top - (char *)((ucontext_t *)uc)->uc_mcontext.fpregs;
#endif
}

static int signal_on(char *stack, size_t size)
{
	stack_t ss = { .ss_sp = stack, .ss_size = size };
	stack_t off = { .ss_flags = SS_DISABLE };
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_ONSTACK | SA_SIGINFO };

	frame_top = stack + size;
	if (sigaltstack(&ss, NULL) || sigaction(SIGUSR1, &sa, NULL) || raise(SIGUSR1))
		return -1;
	return sigaltstack(&off, NULL);
}

/*
 * Take a signal whose frame straddles pages N and N+1 of the mapping, both untouched: the
 * FPU state starts 64 bytes below page N+1, so the kernel's XSAVE into it (done with page
 * faults disabled) faults on page N before anything else touched that page.  Where the FPU
 * state lies depends on the CPU's XSAVE size: a first signal on a scratch stack measures it.
 * (arm64 writes the whole frame, FP/SIMD registers included, with page faults enabled.)
 */
static int signal_on_stack(volatile char *m, long page)
{
	static char scratch[64 * 1024] __attribute__((aligned(64)));
	char *fpstate = (char *)m + (page + 1) * 4096 - 64;

	memset(scratch, 0, sizeof(scratch));
	if (signal_on(scratch, sizeof(scratch)) || fpstate_offset <= 0 ||
	    fpstate_offset > 4 * 4096)
		return -1;
	return signal_on((char *)m + page * 4096, fpstate + fpstate_offset - ((char *)m + page * 4096));
}

int main(int argc, char **argv)
{
	char page[4096];
	volatile char *m;
	long npages;
	int fd, shared;

	if (argc < 4)
		return 2;
	npages = atol(argv[2]);
	shared = strcmp(argv[3], "shared") == 0;
	fd = open(argv[1], O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		return 1;
	memset(page, 'p', sizeof(page));
	for (long i = 0; i < npages; i++)
		if (write(fd, page, sizeof(page)) != sizeof(page))
			return 1;
	m = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE,
		 fd, 0);
	if (m == MAP_FAILED)
		return 1;
	close(fd);
	for (int i = 4; i < argc; i++) {
		long p = atol(argv[i] + 1);

		if (argv[i][0] == 'w')
			m[p * 4096 + i] = 'w';
		else if (argv[i][0] == 's') {
			if (signal_on_stack(m, p))
				return 1;
		} else
			(void)m[p * 4096 + i];
	}
	munmap((void *)m, npages * 4096);
	unlink(argv[1]);
	return 0;
}
