// SPDX-License-Identifier: GPL-2.0
/*
 * unix.bpf.c - Unix domain sockets: the receive-queue walk, and the send/receive functions'
 * probes for the fentry/fexit and kprobe/kretprobe tiers (the tracepoint tier samples at
 * sys_enter/sys_exit: unix.bpf.h).  Attach targets are checked against kernel BTF by the
 * loader (user/attach.c); the names are the same from 5.10 to 7.2 (mech/unix/NOTES.md 2.1).
 */
#include "ipclab.bpf.h"

/*
 * One skb's `len` and UNIXCB(skb).consumed in one read: on every kernel ipclab supports
 * they lie within SKB_WINDOW bytes from `consumed` (cb at 40, consumed 28 into it, len at 112
 * on x86_64 and arm64, 5.10 to 7.2), so with `next` a queued skb costs two probe reads
 * instead of three (the walk was ~10 us a call on a Unix datagram stream with a hundred
 * datagrams queued).  The window is small because sys_exit and this function share the
 * 512-byte stack (a 120-byte copy of the skb's head made it 528).  Where a kernel's layout
 * puts them further apart, the walk reads them one by one (skb_fields_apart()).
 */
#define SKB_WINDOW 56

struct skb_fields {
	__u64 next;
	__u32 len;
	__u32 consumed;
};

static __always_inline __u32 skb_consumed_off(void)
{
	return bpf_core_field_offset(struct sk_buff, cb) +
	       bpf_core_field_offset(struct unix_skb_parms, consumed);
}

static __always_inline bool skb_window_fits(void)
{
	__u32 len_off = bpf_core_field_offset(struct sk_buff, len);

	return len_off >= skb_consumed_off() + 4 && len_off + 4 <= skb_consumed_off() + SKB_WINDOW;
}

static __always_inline bool skb_fields_window(__u64 skb, struct skb_fields *f)
{
	__u32 len_at = bpf_core_field_offset(struct sk_buff, len) - skb_consumed_off();
	__u8 window[SKB_WINDOW];
	struct sk_buff *s = (void *)skb;

	if (bpf_probe_read_kernel(window, sizeof(window), (void *)skb + skb_consumed_off()))
		return false;
	f->consumed = *(__u32 *)window;
	/* a constant after relocation, at most SKB_WINDOW - 4 where skb_window_fits() */
	f->len = *(__u32 *)(window + len_at);
	f->next = (__u64)BPF_CORE_READ(s, next);
	return true;
}

static __always_inline void skb_fields_apart(__u64 skb, struct skb_fields *f)
{
	__u32 consumed_off = skb_consumed_off();
	struct sk_buff *s = (void *)skb;

	f->len = BPF_CORE_READ(s, len);
	f->consumed = 0;
	bpf_probe_read_kernel(&f->consumed, sizeof(f->consumed), (void *)skb + consumed_off);
	f->next = (__u64)BPF_CORE_READ(s, next);
}

/*
 * The receive queue of sk: bytes (each skb's len less what a partial stream read already
 * consumed, UNIXCB(skb).consumed) and skbs (qlen).  The probes do not hold the queue's lock:
 * a walk that does not end where qlen says, or a qlen that moved meanwhile, is torn.
 */
#ifdef IPCLAB_DIRECT
/* The direct-load build (bpf/ipclab.bpf.h): three loads per skb, no helper call. */
__noinline __u64 unix_queue_sample(__u64 skp)
{
	struct sock *sk = KERNEL_OBJ(struct sock, skp);
	__u32 cb_off = bpf_core_field_offset(struct sk_buff, cb);
	__u64 head = skp + bpf_core_field_offset(struct sock, sk_receive_queue);
	__u32 qlen, qlen_end, n = 0, bytes = 0;
	struct sk_buff *skb;
	__u64 flags = 0;

	if (!skp)
		return 0;
	qlen = sk->sk_receive_queue.qlen;
	skb = sk->sk_receive_queue.next;
	for (int i = 0; i < UNIXQ_WALK_MAX; i++) {
		__u32 len, consumed;

		if (!skb || kernel_addr(skb) == head)
			break;
		len = skb->len;
		consumed = KERNEL_OBJ(struct unix_skb_parms, (void *)skb + cb_off)->consumed;
		bytes += consumed < len ? len - consumed : 0;
		n++;
		skb = skb->next;
	}
	if (skb && kernel_addr(skb) != head)
		flags |= UNIXQ_TRUNC;
	qlen_end = sk->sk_receive_queue.qlen;
	if (qlen_end != qlen || (!(flags & UNIXQ_TRUNC) && n != qlen))
		flags |= UNIXQ_TORN;
	return bytes | ((__u64)(qlen_end & 0xffffff) << 32) | flags;
}
#else
__noinline __u64 unix_queue_sample(__u64 skp)
{
	struct sock *sk = (void *)skp;
	__u32 qlen, qlen_end, n = 0, bytes = 0;
	bool window = skb_window_fits();
	struct skb_fields f;
	__u64 head, skb;
	__u64 flags = 0;

	if (!sk)
		return 0;
	head = (__u64)__builtin_preserve_access_index(&sk->sk_receive_queue);
	qlen = BPF_CORE_READ(sk, sk_receive_queue.qlen);
	skb = (__u64)BPF_CORE_READ(sk, sk_receive_queue.next);
	for (int i = 0; i < UNIXQ_WALK_MAX; i++) {
		if (!skb || skb == head)
			break;
		if (!window || !skb_fields_window(skb, &f))
			skb_fields_apart(skb, &f);
		bytes += f.consumed < f.len ? f.len - f.consumed : 0;
		n++;
		skb = f.next;
	}
	if (skb && skb != head)
		flags |= UNIXQ_TRUNC;
	qlen_end = BPF_CORE_READ(sk, sk_receive_queue.qlen);
	if (qlen_end != qlen || (!(flags & UNIXQ_TRUNC) && n != qlen))
		flags |= UNIXQ_TORN;
	return bytes | ((__u64)(qlen_end & 0xffffff) << 32) | flags;
}
#endif

/* fentry/fexit.  seqpacket's functions call dgram's: the outer one makes the record. */
#define UNIX_FENTRY(fn, name, write)						\
SEC("fentry/" #fn)								\
int BPF_PROG(fentry_##name, struct socket *so, struct msghdr *msg, size_t len)	\
{										\
	unix_fn_enter(so, msg, write, len, 0);					\
	return 0;								\
}										\
SEC("fexit/" #fn)								\
int BPF_PROG(fexit_##name, struct socket *so, struct msghdr *msg, size_t len, int ret) \
{										\
	unix_fn_exit(ret);							\
	return 0;								\
}

#define UNIX_FENTRY_RECV(fn, name)						\
SEC("fentry/" #fn)								\
int BPF_PROG(fentry_##name, struct socket *so, struct msghdr *msg, size_t len, int flags) \
{										\
	unix_fn_enter(so, msg, false, len, flags);				\
	return 0;								\
}										\
SEC("fexit/" #fn)								\
int BPF_PROG(fexit_##name, struct socket *so, struct msghdr *msg, size_t len, int flags, \
	     int ret)								\
{										\
	unix_fn_exit(ret);							\
	return 0;								\
}

/* program names: fentry_unix_stream_send ... (short enough for `meta.skipped`) */
UNIX_FENTRY(unix_stream_sendmsg, unix_stream_send, true)
UNIX_FENTRY(unix_dgram_sendmsg, unix_dgram_send, true)
UNIX_FENTRY(unix_seqpacket_sendmsg, unix_seqpacket_send, true)
UNIX_FENTRY_RECV(unix_stream_recvmsg, unix_stream_recv)
UNIX_FENTRY_RECV(unix_dgram_recvmsg, unix_dgram_recv)
UNIX_FENTRY_RECV(unix_seqpacket_recvmsg, unix_seqpacket_recv)

/* kprobe/kretprobe: the return probe sees no arguments; the entry kept what it needs. */
#define UNIX_KPROBE(fn, name, write)						\
SEC("kprobe/" #fn)								\
int BPF_KPROBE(kprobe_##name, struct socket *so, struct msghdr *msg, size_t len, int flags) \
{										\
	unix_fn_enter(so, msg, write, len, write ? 0 : flags);			\
	return 0;								\
}										\
SEC("kretprobe/" #fn)								\
int BPF_KRETPROBE(kretprobe_##name, int ret)					\
{										\
	unix_fn_exit(ret);							\
	return 0;								\
}

UNIX_KPROBE(unix_stream_sendmsg, unix_stream_send, true)
UNIX_KPROBE(unix_dgram_sendmsg, unix_dgram_send, true)
UNIX_KPROBE(unix_seqpacket_sendmsg, unix_seqpacket_send, true)
UNIX_KPROBE(unix_stream_recvmsg, unix_stream_recv, false)
UNIX_KPROBE(unix_dgram_recvmsg, unix_dgram_recv, false)
UNIX_KPROBE(unix_seqpacket_recvmsg, unix_seqpacket_recv, false)
