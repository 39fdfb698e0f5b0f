"""matrix.py - what tests/vm/check_matrix.py compares of signal traces across tiers and builds.
Generation (`signal`) and delivery (`signal_deliver`) are tracepoints in every tier, so their
sequences must be the same everywhere: which signal, the kernel's verdict, the action's
flags, si_code, the queued value and SIGCHLD's status (mech/signal/tests/test_integration.c
pins them on this kernel).  Races: the pipes these labs use, as for pipes."""
from pipe.matrix import AFTER, BEFORE, OCC

IO_FIELDS = {"signal": ("signal", "result"),
             "signal_deliver": ("signal", "flags", "code_name", "value", "status")}

RACES = {
    # the handler's acknowledgement wakes the signaller's read of it, which may drain the
    # ack pipe before the write's return is sampled, or begin after the write
    "signal_eintr": [("reader", "pipe_write", None, AFTER),
                     ("signaller", "pipe_read", None, BEFORE + AFTER),
                     # round 2: the signaller's write of "x" wakes the reader's restarted
                     # read, which may empty the pipe before the write's return is sampled
                     # (6.12, own build, kprobe and tracepoint: occ_after 0; fentry: 1)
                     ("signaller", "pipe_write", None, AFTER)],
    # 1-byte ping-pong: each side may run before the other's return is sampled
    "signal_vs_pipe": [("pipe_ping", None, None, OCC), ("pipe_pong", None, None, OCC)],
}
