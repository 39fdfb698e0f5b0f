// Synthetic traces for the tests: a small hostile one (text that looks like markup) and a
// large one (a million events), written the way ipclab writes traces (one event a line).

import fs from 'node:fs';

const PROBES = Object.fromEntries(
  ['pipe_read', 'pipe_write', 'fifo_read', 'fifo_write', 'syscalls', 'blocking', 'signals', 'processes'].map((k) => [k, { tier: 'tracepoint', symbol: 'tp_btf/test' }]),
);

export function meta(extra) {
  return {
    tool: 'ipclab 0.1.0',
    kernel: '6.18.44-test',
    machine: 'x86_64',
    tier: 'tracepoint',
    probes: PROBES,
    clock: 'CLOCK_MONOTONIC',
    start_time: '2026-11-25T00:00:00.000000Z',
    start_ns: 1000000000,
    command: 'synthetic',
    scenario: null,
    page_size: 4096,
    events: 0,
    dropped: 0,
    lost: 0,
    interrupted: false,
    end_reason: 'exited',
    ...extra,
  };
}

export function serialize(doc) {
  let s = '{"format":' + JSON.stringify(doc.format) + ',"version":' + JSON.stringify(doc.version) + ',\n';
  for (const k of ['meta', 'processes', 'objects', 'claims']) s += JSON.stringify(k) + ':' + JSON.stringify(doc[k]) + ',\n';
  s += '"events":[\n' + doc.events.map((e) => JSON.stringify(e)).join(',\n') + '\n]}\n';
  return s;
}

export const EVIL_COMM = '<img src=x onerror=alert(1)>';
export const EVIL_PATH = '/tmp/</script><script>alert(2)</script>';

// A FIFO transfer whose every piece of untrusted text is markup.
export function evilTrace() {
  const pipeIo = (t, dur, pid, type, bytes, before, after, extra) => ({
    t,
    dur,
    pid,
    tid: pid,
    type,
    obj: 0,
    fd: 3,
    requested: bytes,
    bytes,
    occ_before: before,
    occ_after: after,
    slots_before: before ? 1 : 0,
    slots_after: after ? 1 : 0,
    slots_max: 16,
    ring_size: 16,
    readers: 1,
    writers: 1,
    nonblock: false,
    syscall: type === 'pipe_write' ? 'write' : 'read',
    ...extra,
  });
  const events = [
    { t: 100, pid: 10, tid: 10, type: 'exec', comm: EVIL_COMM, filename: EVIL_PATH },
    { t: 1000, dur: 500, pid: 10, tid: 10, type: 'syscall', name: 'openat', args: [1, 2, 3, 4, 5, 6], ret: 3, path: EVIL_PATH },
    pipeIo(2000, 300, 10, 'pipe_write', 13, 0, 13, { data: '<b>bold</b>&lt;' }),
    { t: 2500, pid: 10, tid: 10, type: 'fork', child_pid: 11, child_tid: 11, thread: false },
    { t: 2600, pid: 11, tid: 11, type: 'rename', comm: '<svg onload=alert(3)>' },
    pipeIo(3000, 400, 11, 'pipe_read', 13, 13, 0, { data: '"><img src=x onerror=alert(4)>' }),
    {
      t: 3500,
      dur: 200,
      pid: 11,
      tid: 11,
      type: 'block',
      obj: 0,
      wake_t: 3600,
      waker: { pid: 10, tid: 10, comm: '<iframe src=javascript:alert(5)>', syscall: 'write', obj: 0 },
      syscall: 'read',
    },
    { t: 4000, pid: 11, tid: 11, type: 'exit', status: 0, code: 0, signal: null, thread: false },
    { t: 5000, pid: 10, tid: 10, type: 'exit', status: 0, code: 0, signal: null, thread: false },
  ];
  return {
    format: 'ipclab-trace',
    version: 1,
    meta: meta({
      command: 'sh -c "</script><script>alert(6)</script>"',
      scenario: '<svg onload=alert(7)>',
      section: 'fifo',
      summary: '<img src=x onerror=alert(8)> summary',
      explain: '</script><b>explain</b>',
      rule_zh: '<img src=x onerror=alert(9)>规则',
      events: events.length,
    }),
    processes: [
      { pid: 10, ppid: 1, comm: EVIL_COMM, exe: EVIL_PATH, start: 100, exit: 5000, status: 0 },
      { pid: 11, ppid: 10, comm: '<svg onload=alert(3)>', exe: null, start: 2500, exit: 4000, status: 0 },
    ],
    objects: [{ id: 0, kind: 'fifo', inode: 5, dev: 1, path: EVIL_PATH, capacity: 65536, slots: 16, ring_size: 16, created: 1000, creator: null }],
    claims: [{ id: '<i>x</i>', text: '<img src=x onerror=alert(10)>', status: 'PASS', detail: '</script><script>alert(11)</script>', evidence: [2, 5] }],
    events,
  };
}

// A million-event trace: four processes, one pipe between two of them, syscalls, blocks
// and a few signals; about 1 s long. Written straight to `file`; returns a summary.
export function writeBigTrace(file, n = 1000000) {
  const fd = fs.openSync(file, 'w');
  const procs = [
    { pid: 1000, ppid: 1, comm: 'producer', exe: '/bin/producer', start: 0, exit: null, status: null },
    { pid: 1001, ppid: 1000, comm: 'consumer', exe: null, start: 10, exit: null, status: null },
    { pid: 1002, ppid: 1000, comm: 'logger', exe: null, start: 20, exit: null, status: null },
    { pid: 1003, ppid: 1000, comm: 'idle', exe: null, start: 30, exit: null, status: null },
  ];
  const head =
    '{"format":"ipclab-trace","version":1,\n' +
    '"meta":' + JSON.stringify(meta({ command: 'synthetic 1M', events: n })) + ',\n' +
    '"processes":' + JSON.stringify(procs) + ',\n' +
    '"objects":' + JSON.stringify([{ id: 0, kind: 'pipe', inode: 99, dev: 15, path: null, capacity: 65536, slots: 16, ring_size: 16, created: 0, creator: 1000, fds: [3, 4] }]) + ',\n' +
    '"claims":' + JSON.stringify([{ id: 'big', text: 'a synthetic trace of a million events', status: 'PASS', detail: 'synthetic', evidence: [0, Math.floor(n / 2), n - 1] }]) + ',\n' +
    '"events":[\n';
  fs.writeSync(fd, head);
  let t = 100;
  let occ = 0;
  let buf = [];
  let copies = 0;
  let maxOcc = 0;
  for (let i = 0; i < n; i++) {
    const r = i % 10;
    let e;
    t += 900 + ((i * 7919) % 400);
    if (r < 2) {
      const before = occ;
      occ = Math.min(65536, occ + 4096);
      const bytes = occ - before || -11;
      if (bytes > 0) copies++;
      maxOcc = Math.max(maxOcc, before, occ);
      e = `{"t":${t},"dur":600,"pid":1000,"tid":1000,"type":"pipe_write","obj":0,"fd":4,"requested":4096,"bytes":${bytes}${bytes < 0 ? ',"error":"EAGAIN"' : ''},"occ_before":${before},"occ_after":${occ},"slots_before":${before / 4096},"slots_after":${occ / 4096},"slots_max":16,"ring_size":16,"readers":1,"writers":1,"nonblock":${bytes < 0},"syscall":"write"}`;
    } else if (r < 4) {
      const before = occ;
      occ = Math.max(0, occ - (r === 2 ? 4096 : 8192));
      const bytes = before - occ;
      if (bytes > 0) copies++;
      maxOcc = Math.max(maxOcc, before, occ);
      e = `{"t":${t},"dur":700,"pid":1001,"tid":1001,"type":"pipe_read","obj":0,"fd":3,"requested":65536,"bytes":${bytes},"occ_before":${before},"occ_after":${occ},"slots_before":${before / 4096},"slots_after":${occ / 4096},"slots_max":16,"ring_size":16,"readers":1,"writers":1,"nonblock":false,"syscall":"read"}`;
    } else if (r === 4) {
      e = `{"t":${t},"dur":400,"pid":1001,"tid":1001,"type":"block","obj":0,"wake_t":${t + 350},"waker":{"pid":1000,"tid":1000,"comm":"producer","syscall":"write","obj":0},"syscall":"read"}`;
    } else if (r === 9 && i % 10000 === 9) {
      e = `{"t":${t},"pid":1002,"tid":1002,"type":"signal","sig":10,"signal":"SIGUSR1","result":"delivered","sender_pid":1000,"sender_tid":1000,"sender_syscall":"kill"}`;
    } else {
      const pid = r < 8 ? 1002 : 1003;
      e = `{"t":${t},"dur":300,"pid":${pid},"tid":${pid},"type":"syscall","name":"write","args":[1,94385714221728,57,0,0,100],"ret":57}`;
    }
    buf.push(e);
    if (buf.length === 20000 || i === n - 1) {
      fs.writeSync(fd, buf.join(',\n') + (i === n - 1 ? '\n' : ',\n'));
      buf = [];
    }
  }
  fs.writeSync(fd, ']}\n');
  fs.closeSync(fd);
  return { n, duration: t + 1000, copies, maxOcc };
}
