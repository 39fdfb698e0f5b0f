"""matrix.py - what tests/vm/check_matrix.py compares of Unix socket traces across tiers and
builds, and which values are real races (mech/unix/tests/test_integration.c pins the rest):
a woken peer may take or refill the queue before the waker's return is sampled, as for
pipes; after a blocked writer wakes, its writes and the reader's reads interleave as the
scheduler decides (an index range: those events on)."""
from pipe.matrix import AFTER, BEFORE

# the receive queue in bytes and skbs, and the sender's charge
SOCK_OCC = ("occ_before", "occ_after", "skbs_before", "skbs_after", "wmem_before", "wmem_after")
S_BEFORE = ("occ_before", "skbs_before", "wmem_before")
S_AFTER = ("occ_after", "skbs_after", "wmem_after")

IO_FIELDS = {"sock_send": SOCK_OCC, "sock_recv": SOCK_OCC}

RACES = {
    "unix_dgram_blocks": [("sender", "sock_send", 11, S_AFTER),
                          ("receiver", "sock_recv", range(0, 2), SOCK_OCC)],
    "unix_stream_blocks": [("writer", "sock_send", range(44, 1 << 30), SOCK_OCC),
                           ("reader", "sock_recv", None, SOCK_OCC)],
    "unix_server_client": [("client", "sock_send", 0, S_AFTER), ("server", "sock_recv", 0, S_AFTER),
                           ("server", "sock_send", 0, S_AFTER), ("client", "sock_recv", 0, S_BEFORE)],
    # the helper's write wakes the owner's blocked read, which may drain the pipe first
    "unix_pass_fd": [("owner", "sock_send", 0, S_AFTER), ("helper", "sock_recv", 0, S_BEFORE),
                     ("helper", "pipe_write", 0, AFTER), ("owner", "pipe_read", 0, BEFORE)],
}

# unix_reliable: how 400 writes and 400 reads interleave once the writer has blocked.
TOTAL_ONLY = {"unix_reliable": {("st-writer", "sock_send"), ("dg-writer", "sock_send"),
                                ("st-reader", "sock_recv"), ("dg-reader", "sock_recv")}}
