// SPDX-License-Identifier: GPL-2.0
/*
 * test_integration.c - the shared-memory scenarios under real BPF, checked event by event.
 *
 * The group setup runs `ipclab run` once for every shm_* scenario (as root, with the probe
 * tier from IPCLAB_TEST_TIER, default auto).  Each test reads one trace and compares the exact
 * sequence of one process's shared-memory events with the one measured on 6.18 x86_64
 * (mech/shm/NOTES.md): its shm* syscalls as decoded, its mmap/munmap of /dev/shm files and
 * its page faults on shared-memory mappings (a /dev/shm file's or a System V attach), each
 * named by the mapping's backing and page.  They follow from the kernel's code, not its
 * version: shmat maps the whole segment; a System V attach has no fault-around (ipc/shm.c
 * shm_vm_ops has no map_pages); a write fault maps one page.  Without the probes there are
 * no shm syscall records and no faults, and every test fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../../tests/integration/trace_read.h"
#include "../../../tests/integration/run_scenarios.h"

static char outdir[] = "/tmp/ipclab-shm-itest.XXXXXX";
static int run_status = -1;

/* The object obj of the trace, or NULL. */
static json_object *object(json_object *t, long long id)
{
	for (size_t i = 0; i < jlen(t, "objects"); i++)
		if (jint(jat(t, "objects", i), "id") == id)
			return jat(t, "objects", i);
	return NULL;
}

/* A shared-memory mapping: a System V attach or a /dev/shm file the labs made. */
static const char *shm_backing(json_object *o)
{
	json_object *file = o ? jget(o, "file") : NULL;

	if (!o || strcmp(jstr(o, "kind"), "mapping"))
		return NULL;
	if (!strcmp(jstr(o, "backing"), "sysv shm"))
		return "sysv";
	if (!strcmp(jstr(o, "backing"), "shmem") && file &&
	    json_object_get_type(file) == json_type_string &&
	    !strncmp(json_object_get_string(file), "ipclab-shm-", 11))
		return "posix";
	return NULL;
}

/* One event as a line, or false when it is not a shared-memory event. */
static bool line_of(json_object *t, json_object *e, char *buf, size_t n)
{
	const char *type = jstr(e, "type"), *name;
	json_object *o;
	const char *b;

	if (!strcmp(type, "fault")) {
		o = json_object_get_type(jget(e, "mapping")) == json_type_null ? NULL :
		    object(t, jint(e, "mapping"));
		b = shm_backing(o);
		if (!b)
			return false;
		snprintf(buf, n, "fault %s %s p%lld", b, jstr(e, "kind"), jint(e, "page"));
		return true;
	}
	if (strcmp(type, "syscall"))
		return false;
	name = jstr(e, "name");
	o = jget(e, "obj") ? object(t, jint(e, "obj")) : NULL;
	if (!strcmp(name, "shmget"))
		snprintf(buf, n, "shmget size=%lld %s ok=%d", jint(e, "shm_size"),
			 jstr(e, "shm_flags"), jint(e, "ret") >= 0);
	else if (!strcmp(name, "shmat"))
		snprintf(buf, n, "shmat %s -> %s %lld pages %s", jstr(e, "shm_flags"),
			 o ? jstr(o, "backing") : "no mapping", o ? jint(o, "pages") : 0LL,
			 o ? jstr(o, "prot") : "");
	else if (!strcmp(name, "shmdt"))
		snprintf(buf, n, "shmdt %lld%s", jint(e, "ret"), o && shm_backing(o) ?
			 " ends its mapping" : "");
	else if (!strcmp(name, "shmctl"))
		snprintf(buf, n, "shmctl %s %lld", jstr(e, "shm_cmd"), jint(e, "ret"));
	else if ((!strcmp(name, "mmap") || !strcmp(name, "munmap")) && shm_backing(o))
		snprintf(buf, n, "%s %s %lld pages %s", name, shm_backing(o), jint(o, "pages"),
			 jstr(o, "prot"));
	else
		return false;
	return true;
}

/* The role's shared-memory events are exactly want[] (NULL-terminated). */
static void expect(const char *scenario, const char *role, const char *const *want)
{
	json_object *t = scenario_trace(outdir, scenario);
	long long pid = role_pid(t, role);
	size_t k = 0;
	char line[256];

	assert_true(pid > 0);
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);

		if (jint(e, "pid") != pid || !line_of(t, e, line, sizeof(line)))
			continue;
		if (!want[k])
			fail_msg("%s %s: unexpected \"%s\" after %zu events", scenario, role, line, k);
		if (strcmp(line, want[k]))
			fail_msg("%s %s event %zu: \"%s\", expected \"%s\"", scenario, role, k, line,
				 want[k]);
		k++;
	}
	if (want[k])
		fail_msg("%s %s: %zu events, expected more (\"%s\" next)", scenario, role, k, want[k]);
	json_object_put(t);
}

static void test_run_exit_status(void **state)
{
	(void)state;
	assert_int_equal(run_status, 0);	/* every claim of every shm scenario passed */
}

/* shm_open + mmap, one store; the exec'd reader's own mapping, one read fault */
static void test_posix(void **state)
{
	static const char *const writer[] = {
		"mmap posix 1 pages rw-", "fault posix write p0", "munmap posix 1 pages rw-", NULL
	};
	static const char *const reader[] = {
		"mmap posix 1 pages r--", "fault posix read p0", "munmap posix 1 pages r--", NULL
	};

	(void)state;
	expect("shm_posix", "writer", writer);
	expect("shm_posix", "reader", reader);
}

/* 0600 | IPC_CREAT = 01600 (896); SHM_RDONLY's attach is r--; IPC_STAT after the last
 * detach: -EINVAL (-22), the segment is gone */
static void test_sysv(void **state)
{
	static const char *const owner[] = {
		"shmget size=8192 IPC_CREAT|0600 ok=1", "shmat 0 -> sysv shm 2 pages rw-",
		"fault sysv write p0", "shmctl IPC_RMID 0", "shmdt 0 ends its mapping",
		"shmctl IPC_STAT -22", NULL
	};
	static const char *const reader[] = {
		"shmat SHM_RDONLY -> sysv shm 2 pages r--", "fault sysv read p0",
		"shmdt 0 ends its mapping", NULL
	};

	(void)state;
	expect("shm_sysv", "owner", owner);
	expect("shm_sysv", "reader", reader);
}

/* 8 write faults each; the reader: 1 read fault through POSIX (fault-around maps the other
 * 7), 8 through System V (no map_pages) */
static void test_fault_around(void **state)
{
	static const char *const around[] = {
		"mmap posix 8 pages rw-", "shmget size=32768 IPC_CREAT|0600 ok=1",
		"shmat 0 -> sysv shm 8 pages rw-",
		"fault posix write p0", "fault posix write p1", "fault posix write p2",
		"fault posix write p3", "fault posix write p4", "fault posix write p5",
		"fault posix write p6", "fault posix write p7",
		"fault sysv write p0", "fault sysv write p1", "fault sysv write p2",
		"fault sysv write p3", "fault sysv write p4", "fault sysv write p5",
		"fault sysv write p6", "fault sysv write p7",
		"munmap posix 8 pages rw-", "shmctl IPC_RMID 0", "shmdt 0 ends its mapping", NULL
	};
	static const char *const reader[] = {
		"mmap posix 8 pages r--", "shmat SHM_RDONLY -> sysv shm 8 pages r--",
		"fault posix read p0",
		"fault sysv read p0", "fault sysv read p1", "fault sysv read p2",
		"fault sysv read p3", "fault sysv read p4", "fault sysv read p5",
		"fault sysv read p6", "fault sysv read p7",
		"munmap posix 8 pages r--", "shmdt 0 ends its mapping", NULL
	};

	(void)state;
	expect("shm_fault_around", "around", around);
	expect("shm_fault_around", "reader", reader);
}

static int run_all(void **state)
{
	(void)state;
	return run_scenarios(outdir, "shm_", &run_status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_exit_status),
		cmocka_unit_test(test_posix),
		cmocka_unit_test(test_sysv),
		cmocka_unit_test(test_fault_around),
	};

	return cmocka_run_group_tests(tests, run_all, NULL);
}
