// The hand-made Unix socket trace of tests/viz/fixtures/unix_basic.json, in the socket
// contract of issue #12 (docs/trace-format.md, sock_send/sock_recv), written before the
// probes existed. Its queue numbers are the ones measured on 6.18 with the prototype probe
// (mech/unix/NOTES.md, section 3, "Tried on this machine"):
//   - labs/unix_socketpair_transfer: writes of 1000, 1000, 1000, 5000 B take the reader
//     end's queue 0/0 -> 1000 B/1 skb -> 2000/2 -> 3000/3 -> 8000/4, the writer's charge
//     (SIOCOUTQ) 2304, 4608, 6912, 13312 of sk_sndbuf 212992; one read takes 8000/4 -> 0/0,
//     a second read returns 0 (end of file), and a write then fails with EPIPE
//     (labs/unix_epipe: the stream row of NOTES.md's "after the peer closed" table);
//   - labs/unix_dgram_blocks: 100-byte datagrams take the receiver's queue (bound to an
//     abstract name, sender connected one way) 0/0 -> 100/1 -> ... -> 1100/11, charge 768
//     a datagram (8448 at 11); the 12th send sleeps (queue_max 10: 11 fit), enters and leaves
//     at 1100/11 because the receiver's read took one out while it slept.
// The times are made up (round numbers). The receives on the datagram receiver name no
// peer: it is not connected (the real probe records null there, as in
// tests/viz/fixtures/unix_dgram_blocks.json), which is how the viewer knows the backlog
// limits its queue.
//
//   node tests/viz/unix-fixture.mjs > tests/viz/fixtures/unix_basic.json

import { fileURLToPath } from 'node:url';
import { serialize } from './synth.mjs';

const SNDBUF = 212992;

export function unixTrace() {
  const ev = [];
  const sys = (t, dur, pid, name, obj, extra) => ev.push({ t, dur, pid, tid: pid, type: 'syscall', name, obj, ...extra });
  const io = (t, dur, pid, type, f) =>
    ev.push({
      t,
      dur,
      pid,
      tid: pid,
      type,
      obj: f.obj,
      peer: f.peer,
      queue: f.queue,
      fd: f.fd,
      requested: f.requested,
      bytes: f.bytes,
      ...(f.error ? { error: f.error } : {}),
      occ_before: f.occ[0],
      occ_after: f.occ[1],
      skbs_before: f.skbs[0],
      skbs_after: f.skbs[1],
      queue_max: 10,
      wmem_before: f.wmem[0],
      wmem_after: f.wmem[1],
      wmem_max: SNDBUF,
      nonblock: false,
      ...(f.data ? { data: f.data, data_tail: f.data } : {}),
      syscall: f.syscall,
    });

  // ---- stream socketpair: parent (200) writes on #0, child (201) reads on #1
  ev.push({ t: 500, pid: 200, tid: 200, type: 'exec', comm: 'parent', filename: '/work/main/build/workloads/unix_socketpair_transfer' });
  sys(1000, 4000, 200, 'socketpair', 0, { ret: 0 });
  ev.push({ t: 8000, pid: 200, tid: 200, type: 'fork', child_pid: 201, child_tid: 201, thread: false });
  ev.push({ t: 9000, pid: 201, tid: 201, type: 'rename', comm: 'child', old_comm: 'parent' });
  const w = (t, n, occ, skbs, wmem, data) =>
    io(t, 8000, 200, 'sock_send', { obj: 0, peer: 1, queue: 1, fd: 3, requested: n, bytes: n, occ, skbs, wmem, data, syscall: 'write' });
  w(100000, 1000, [0, 1000], [0, 1], [0, 2304], 'aaaaaaaaaaaaaaaa');
  w(200000, 1000, [1000, 2000], [1, 2], [2304, 4608], 'bbbbbbbbbbbbbbbb');
  w(300000, 1000, [2000, 3000], [2, 3], [4608, 6912], 'cccccccccccccccc');
  w(400000, 5000, [3000, 8000], [3, 4], [6912, 13312], 'dddddddddddddddd');
  // one read takes all four skbs (a stream read crosses message boundaries)
  io(600000, 6000, 201, 'sock_recv', { obj: 1, peer: 0, queue: 1, fd: 4, requested: 65536, bytes: 8000, occ: [8000, 0], skbs: [4, 0], wmem: [13312, 0], data: 'aaaaaaaaaaaaaaaa', syscall: 'read' });
  sys(700000, 2000, 200, 'close', 0, { ret: 0, fd: 3 });
  ev.push({ t: 705000, pid: 200, tid: 200, type: 'exit', status: 0, code: 0, signal: null, thread: false });
  io(800000, 1500, 201, 'sock_recv', { obj: 1, peer: null, queue: 1, fd: 4, requested: 65536, bytes: 0, occ: [0, 0], skbs: [0, 0], wmem: [0, 0], syscall: 'read' });
  // writing to a socketpair whose other end is closed: EPIPE (and SIGPIPE, ignored here)
  io(803000, 2000, 201, 'sock_send', { obj: 1, peer: null, queue: null, fd: 4, requested: 32, bytes: -32, error: 'EPIPE', occ: [0, 0], skbs: [0, 0], wmem: [0, 0], syscall: 'write' });
  ev.push({ t: 804000, pid: 201, tid: 201, type: 'signal', sig: 13, signal: 'SIGPIPE', result: 'ignored', sender_pid: 201, sender_tid: 201, sender_syscall: 'write' });
  ev.push({ t: 810000, pid: 201, tid: 201, type: 'exit', status: 0, code: 0, signal: null, thread: false });

  // ---- datagrams: receiver (300) bound to @ipclab-dgram (#2), sender (301) connected (#3)
  sys(1000000, 3000, 300, 'bind', 2, { ret: 0 });
  sys(1050000, 3000, 301, 'connect', 3, { ret: 0 });
  const send = (t, dur, n, occ, skbs, wmem) =>
    io(t, dur, 301, 'sock_send', { obj: 3, peer: 2, queue: 2, fd: 3, requested: 100, bytes: 100, occ, skbs, wmem, data: 'datagram ' + n, syscall: 'write' });
  for (let n = 0; n < 11; n++) send(1100000 + n * 20000, 3000, n + 1, [100 * n, 100 * (n + 1)], [n, n + 1], [768 * n, 768 * (n + 1)]);
  // the 12th: queue full (11 > queue_max 10), sleeps until the receiver takes one out
  send(1400000, 200000, 12, [1100, 1100], [11, 11], [8448, 8448]);
  ev.push({ t: 1402000, dur: 192500, pid: 301, tid: 301, type: 'block', obj: 3, wake_t: 1594500, waker: { pid: 300, tid: 300, comm: 'receiver', syscall: 'read', obj: 2 }, syscall: 'write' });
  const recv = (t, n, occ, skbs, wmem) =>
    io(t, 4000, 300, 'sock_recv', { obj: 2, peer: null, queue: 2, fd: 3, requested: 4096, bytes: 100, occ, skbs, wmem, data: 'datagram ' + n, syscall: 'read' });
  recv(1590000, 1, [1100, 1000], [11, 10], [8448, 7680]);
  // then the other eleven, one datagram per read (boundaries kept)
  for (let n = 0; n < 11; n++) {
    const left = 11 - n;
    recv(1700000 + n * 15000, n + 2, [100 * left, 100 * (left - 1)], [left, left - 1], [768 * left, 768 * (left - 1)]);
  }
  ev.push({ t: 1620000, pid: 301, tid: 301, type: 'exit', status: 0, code: 0, signal: null, thread: false });
  ev.push({ t: 1900000, pid: 300, tid: 300, type: 'exit', status: 0, code: 0, signal: null, thread: false });

  ev.sort((a, b) => a.t - b.t || a.t + (a.dur || 0) - (b.t + (b.dur || 0)) || a.tid - b.tid);
  const at = (pred) => ev.findIndex(pred);
  const writes = ev.map((e, i) => (e.type === 'sock_send' && e.obj === 0 ? i : -1)).filter((i) => i >= 0);
  const read8000 = at((e) => e.type === 'sock_recv' && e.bytes === 8000);
  const blocked = at((e) => e.type === 'sock_send' && e.dur === 200000);
  const block = at((e) => e.type === 'block');
  const wakeRead = at((e) => e.type === 'sock_recv' && e.t === 1590000);
  const procs = [
    { pid: 200, ppid: 1, comm: 'parent', exe: '/work/main/build/workloads/unix_socketpair_transfer', start: 500, exit: 705000, status: 0 },
    { pid: 201, ppid: 200, comm: 'child', exe: null, start: 8000, exit: 810000, status: 0 },
    { pid: 300, ppid: 1, comm: 'receiver', exe: '/work/main/build/workloads/unix_dgram_blocks', start: 900000, exit: 1900000, status: 0 },
    { pid: 301, ppid: 300, comm: 'sender', exe: null, start: 950000, exit: 1620000, status: 0 },
  ];
  const sock = (id, kind, extra) => ({ id, kind, inode: 5000 + id, path: null, socketpair: false, peer: null, sndbuf: SNDBUF, rcvbuf: SNDBUF, queue_max: 10, created: 1000, creator: 200, fd: null, ...extra });
  return {
    format: 'ipclab-trace',
    version: 1,
    meta: {
      tool: 'ipclab 0.1.0',
      kernel: '6.18.44-test',
      machine: 'x86_64',
      tier: 'tracepoint',
      probes: {},
      clock: 'CLOCK_MONOTONIC',
      start_time: '2026-12-06T00:00:00.000000Z',
      start_ns: 1000000000,
      command: '/work/main/build/workloads/unix_socketpair_transfer',
      scenario: 'unix_fixture',
      section: 'unix',
      summary: 'hand-made fixture: a stream socketpair transfer and a datagram receiver whose queue fills to 11',
      explain:
        'The parent writes 1000, 1000, 1000 and 5000 bytes into a stream socketpair: each write is one skb in the child\'s receive queue, charged to the parent (2304 B for a 1000-byte skb). One read takes all 8000 bytes. A datagram sender fills its receiver\'s queue to 11 datagrams (queue_max 10 + 1); the 12th send sleeps until the receiver reads one.',
      rule_zh: '本地套接字，最稳定',
      explain_zh:
        '父进程向流式 socketpair 写入 1000、1000、1000、5000 字节：每次写入是子进程接收队列中的一个 skb，计费在父进程名下（1000 字节的 skb 计 2304 字节）。一次读取取走全部 8000 字节。数据报发送者把接收方的队列填到 11 个数据报（queue_max 10 + 1）；第 12 次发送睡眠，直到接收方读走一个。',
      page_size: 4096,
      events: ev.length,
      dropped: 0,
      lost: 0,
      interrupted: false,
      end_reason: 'exited',
    },
    processes: procs,
    objects: [
      sock(0, 'unix_stream', { socketpair: true, peer: 1, fd: 3 }),
      sock(1, 'unix_stream', { socketpair: true, peer: 0, fd: 4 }),
      sock(2, 'unix_dgram', { path: '@ipclab-dgram', created: 1000000, creator: 300, fd: 3 }),
      sock(3, 'unix_dgram', { peer: 2, created: 1040000, creator: 301, fd: 3 }),
    ],
    claims: [
      { id: 'two-copies', text: 'Each message is copied twice: into the receive queue and out of it', status: 'PASS', detail: '4 sends, 8000 B; 1 receive, 8000 B', evidence: [...writes, read8000] },
      { id: 'dgram-blocks', text: 'The 12th datagram sender sleeps until the receiver takes one out', status: 'PASS', detail: '11 datagrams queued (queue_max 10)', evidence: [blocked, block, wakeRead] },
    ],
    events: ev,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(serialize(unixTrace()));
