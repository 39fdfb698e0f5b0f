"""matrix.py - the races of the FIFO scenarios in tests/vm/check_matrix.py (a FIFO's records
are a pipe's: mech/pipe/matrix.py compares them)."""
from pipe.matrix import AFTER, BEFORE

RACES = {
    "fifo_hello": [("writer", "pipe_write", 0, AFTER), ("reader", "pipe_read", 0, BEFORE)],
    "fifo_open_blocks": [("writer", "pipe_write", 0, AFTER), ("reader", "pipe_read", 0, BEFORE)],
}
