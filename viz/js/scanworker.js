// A TraceScanner (events.js) in a worker, so that a download is scanned on another thread
// while the page keeps receiving it (loader.js fetchInto). Messages in: {expected} first,
// then {chunk} for each piece (its buffer transferred), then {finish: true}. Message out:
// {chunks, result, ms}: the pieces, and the scanner's result with the columns as typed
// arrays (everything transferred back), or result null when the scanner gave up.
// Not part of the self-contained report's bundle (nothing imports this module).

import { TraceScanner } from './events.js';

let scanner = null;

function onMessage(ev) {
  const msg = ev.data;
  if (msg.expected !== undefined) scanner = new TraceScanner(msg.expected);
  else if (msg.chunk) scanner.push(msg.chunk);
  else if (msg.finish) {
    const r = scanner.finish();
    const chunks = scanner.chunks.list;
    const result = r ? { header: r.header, columns: r.columns, start: r.events.start, end: r.events.end } : null;
    const buffers = new Set(chunks.map((c) => c.buffer));
    if (result) {
      for (const v of Object.values(result.columns)) if (ArrayBuffer.isView(v)) buffers.add(v.buffer);
      for (const table of [result.columns.pipe, result.columns.mem]) for (const v of Object.values(table)) buffers.add(v.buffer);
      buffers.add(result.start.buffer);
      buffers.add(result.end.buffer);
    }
    self.postMessage({ chunks, result, ms: scanner.ms }, Array.from(buffers));
    scanner = null;
  }
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) self.onmessage = onMessage;
