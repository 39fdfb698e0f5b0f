"""matrix.py - what tests/vm/check_matrix.py compares of pipe traces across tiers and builds,
and which of those values are real races on two CPUs (tests/integration/test_scenarios.c
pins everything else).  A woken peer may drain or refill the pipe before the waker's return
is sampled."""

# the occupancy of the pipe before and after a read or write, in bytes and slots
OCC = ("occ_before", "occ_after", "slots_before", "slots_after")
BEFORE = ("occ_before", "slots_before")
AFTER = ("occ_after", "slots_after")

# The I/O events compared, with their state fields.
IO_FIELDS = {"pipe_read": OCC, "pipe_write": OCC}

# scenario -> list of (comm, event type, index or None for all, fields)
RACES = {
    "pipe_read_blocks": [("writer", "pipe_write", 0, AFTER)],
    "pipe_eof": [("writer", "pipe_write", 0, AFTER), ("reader", "pipe_read", 0, BEFORE)],
    "pipe_write_blocks": [("reader", "pipe_read", 0, AFTER)],
    "pipe_two_way": [("parent", "pipe_write", None, AFTER), ("child", "pipe_write", None, AFTER),
                     ("parent", "pipe_read", None, BEFORE), ("child", "pipe_read", None, BEFORE)],
    "pipe_atomic": [(None, None, None, OCC)],
    "pipe_atomic_large": [(None, None, None, OCC)],
}

# Sequences whose very split into calls is a race: only their total bytes are compared.
# pipe_atomic_large: how the reader's reads cut the two interleaved 200000-byte writes.
TOTAL_ONLY = {"pipe_atomic_large": {("reader", "pipe_read")}}
