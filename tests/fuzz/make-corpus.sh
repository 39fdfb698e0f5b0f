#!/bin/sh
# make-corpus.sh IPCLAB WORKLOADS_DIR - regenerate the seed corpus in tests/fuzz/corpus from
# real recordings on this machine (root).  Not run by the tests: the corpus is committed.
#   corpus/trace_load  small real traces (< 64 KiB) and hand-written edge cases
#   corpus/events      raw records (struct ipclab_event arrays) of scenario workloads: the
#                      64 most telling records (pipe I/O, blocking, signals, the process
#                      tree first; page faults last), in their original order
#   corpus/spool       spool files: a header and the same records
# Needs python3 (to cut the binary files).  Re-run it when struct ipclab_event changes.
set -eu

ipclab=${1:?usage: make-corpus.sh IPCLAB WORKLOADS_DIR}
wl=${2:?usage: make-corpus.sh IPCLAB WORKLOADS_DIR}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/ipclab-corpus.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
rm -rf "$here/corpus/events" "$here/corpus/spool"
mkdir -p "$here/corpus/trace_load" "$here/corpus/events" "$here/corpus/spool"

for s in pipe_write_blocks pipe_sigpipe pipe_nonblock pipe_read_blocks pipe_atomic \
	mmap_private_cow mmap_sigbus mmap_anon_shared mmap_msync fifo_unlink; do
	"$ipclab" trace -q -o "$tmp/$s.json" --save-spool "$tmp/$s.spool" -- "$wl/$s" >/dev/null 2>&1
done
mkdir -m 777 "$tmp/fifo"
"$ipclab" trace -q -o "$tmp/fifo_hello.json" --save-spool "$tmp/fifo_hello.spool" -- sh -c \
	"$wl/fifo_hello_writer $tmp/fifo/myfifo & sleep 0.1; $wl/fifo_hello_reader $tmp/fifo/myfifo; wait" \
	>/dev/null 2>&1
"$ipclab" trace -q -o "$tmp/true.json" --save-spool "$tmp/true.spool" -- true
"$ipclab" trace -q -o "$tmp/shpipe.json" --save-spool "$tmp/shpipe.spool" -- \
	sh -c 'echo hello | cat > /dev/null'
for s in pipe_nonblock mmap_private_cow pipe_write_blocks; do
	"$ipclab" run "$s" -q -o "$tmp/run" >/dev/null
done

python3 - "$tmp" "$here/corpus" <<'PY'
import os, struct, sys
tmp, out = sys.argv[1], sys.argv[2]
HDR = 1200          # struct spool_header (user/spool.h)

def records(path):
    d = open(path, 'rb').read()
    size, = struct.unpack_from('<I', d, 8)
    return d[:HDR], size, [d[i:i + size] for i in range(HDR, len(d), size)]

PRIORITY = {1: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0,   # pipe I/O, blocks, signals, tree
            10: 1, 11: 1, 12: 1, 13: 1, 14: 1,          # page cache, dirty, fault-around...
            2: 2,                                        # other syscalls
            9: 3}                                        # page faults (most of a trace)
BUDGET = 64         # records per seed: run-fuzzer.sh gives events -max_len=16384

for name in sorted(os.listdir(tmp)):
    if not name.endswith('.spool'):
        continue
    hdr, size, recs = records(os.path.join(tmp, name))
    ranked = sorted(range(len(recs)),
                    key=lambda i: (PRIORITY.get(struct.unpack_from('<H', recs[i], 24)[0], 4), i))
    keep = sorted(ranked[:BUDGET])      # the most telling records, in their original order
    body = b''.join(recs[i] for i in keep)
    base = name[:-6]
    open(os.path.join(out, 'events', base), 'wb').write(body)
    if base in ('true', 'pipe_nonblock', 'fifo_hello', 'pipe_sigpipe'):
        h = bytearray(hdr)
        struct.pack_into('<Q', h, 16, len(keep))
        open(os.path.join(out, 'spool', base), 'wb').write(bytes(h) + body)
for d in (tmp, os.path.join(tmp, 'run')):
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        tag = 'run_' if d.endswith('run') else 'trace_'
        wanted = ('pipe_nonblock.json', 'mmap_private_cow.json', 'pipe_write_blocks.json') \
            if tag == 'run_' else ('true.json', 'pipe_sigpipe.json')
        if name in wanted and os.path.getsize(p) <= 60000:
            open(os.path.join(out, 'trace_load', tag + name[:-5]), 'wb').write(open(p, 'rb').read())
PY
cp "$here"/seeds/trace_load/* "$here/corpus/trace_load/" 2>/dev/null || true
ls -la "$here"/corpus/*
