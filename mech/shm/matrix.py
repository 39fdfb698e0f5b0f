"""matrix.py - what tests/vm/check_matrix.py compares of shared-memory traces across tiers and
builds.  Shared memory has no I/O records of its own: the data moves by page faults, and
check_matrix.py already compares the fault sequences (kind, page) per process in every
mapping a scenario made, which includes the /dev/shm files' mappings (named by the file) and
the System V attaches (backing "sysv shm", named SYSV and the key).  Their sequences are the
same in every tier (mech/shm/tests/test_integration.c pins them on 6.18): no race, since each
lab orders its writer and its reader with a fork (and wait), not with timing."""

IO_FIELDS = {}
RACES = {}
TOTAL_ONLY = {}
