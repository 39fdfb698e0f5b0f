"""matrix.py - what tests/vm/check_matrix.py compares of message queue traces across tiers and
builds, and which values are real races (mech/mqueue/tests/test_integration.c pins the rest).
Every tier samples the queue at the same two instants, the syscall tracepoints
(mech/mqueue/NOTES.md), so the sequences must be the same everywhere.  The one race: a sender
woken from a full queue returns while the receiver drains it, so its return's sample is
whatever the receiver has left by then (measured 0 of 4 on 6.18)."""

# the queue in messages and bytes before and after, and the message's priority
MQ_STATE = ("prio", "msgs_before", "msgs_after", "occ_before", "occ_after")
MQ_AFTER = ("msgs_after", "occ_after")

IO_FIELDS = {"mq_send": MQ_STATE, "mq_recv": MQ_STATE}

RACES = {
    "mq_full_blocks": [("sender", "mq_send", 4, MQ_AFTER)],
}
