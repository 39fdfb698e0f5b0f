"""matrix.py - what tests/vm/check_matrix.py compares of the comparison scenario across tiers
and builds.  Every pair streams 128 KiB while its reader drains it on the other CPU: the
occupancy each call sees, and how the reader's bytes split into calls, are races, so only
each lane's total bytes are compared (each writer's one call per message and the readers'
totals are pinned by mech/compare/tests/test_integration.c and the claims).  The shm pairs'
faults depend on which side touches a page first (a read fault then a write fault, or one
write fault): not compared."""

SIZES = ("64", "4K", "64K")	# as labs/compare.c names them
TYPES = {"pipe": ("pipe_write", "pipe_read"), "fifo": ("pipe_write", "pipe_read"),
         "ustrm": ("sock_send", "sock_recv"), "udgrm": ("sock_send", "sock_recv"),
         "mq": ("mq_send", "mq_recv")}

TOTAL_ONLY = {"compare": {("%s.%s.%s" % (mech, size, side), etype)
                          for mech, types in TYPES.items() for size in SIZES
                          for side in "wr" for etype in types}}

RACY_FAULTS = {"compare"}
