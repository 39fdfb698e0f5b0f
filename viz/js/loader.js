// Where traces come from: script elements of type "application/json" and class "ipclab-trace"
// in the page (the self-contained report), ?trace=URL&trace2=URL2, a file picker, or
// files dropped on the page. Each source has a name and load(scanner), which hands the
// trace's bytes to a TraceScanner (events.js) and returns the scanner that has them (the
// same, or one that scanned them in a worker); parsing is model.js's job. A URL is read as
// a stream, piece by piece, and the pieces go to a scanner in a worker (scanworker.js),
// which reads the event lines on another thread while the rest is still arriving; where
// there is no worker (file:// pages), the page's own scanner does it between pieces.

import { TraceScanner } from './events.js';

// Traces embedded in the page, in document order. The optional data-name attribute
// names a trace (e.g. its file name).
export function embeddedSources() {
  const out = [];
  const nodes = document.querySelectorAll('script.ipclab-trace');
  nodes.forEach((node, i) => {
    const given = node.getAttribute('data-name');
    const name = given || 'trace ' + (i + 1);
    out.push({
      name,
      named: !!given,
      load: async (scanner) => {
        scanner.push(new TextEncoder().encode(node.textContent));
        return scanner;
      },
    });
  });
  return out;
}

// ?trace=URL and ?trace2=URL2 (relative URLs are resolved against the page).
export function urlSources(search) {
  const p = new URLSearchParams(search);
  const out = [];
  for (const key of ['trace', 'trace2']) {
    const u = p.get(key);
    if (u) out.push({ name: baseName(u), url: u, load: (scanner) => fetchInto(u, scanner) });
  }
  return out;
}

export function fileSource(file) {
  return { name: file.name, file: true, load: (scanner) => readFileInto(file, scanner) };
}

async function fetchInto(u, scanner, noWorker) {
  let res;
  try {
    res = await fetch(new URL(u, document.baseURI).href, { credentials: 'same-origin' });
  } catch (e) {
    throw new LoadError('fetch', e && e.message ? e.message : String(e));
  }
  if (!res.ok) throw new LoadError('fetch', 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''));
  const len = Number(res.headers.get('content-length'));
  if (len > 0 && !res.headers.get('content-encoding')) scanner.expected = len;
  if (!res.body || typeof res.body.getReader !== 'function') {
    scanner.push(new Uint8Array(await res.arrayBuffer()));
    return scanner;
  }
  // The pieces are kept as they come (no copy into one buffer).
  const reader = res.body.getReader();
  const worker = noWorker ? null : scanWorker();
  if (!worker) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      scanner.push(value);
    }
    return scanner;
  }
  const result = new Promise((resolve, reject) => {
    worker.onmessage = (ev) => resolve(ev.data);
    worker.onerror = (ev) => reject(new Error(ev && ev.message ? ev.message : 'worker failed'));
  });
  result.catch(() => {}); // handled below, after the download
  try {
    worker.postMessage({ expected: scanner.expected });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // the piece's memory moves to the worker (a copy if it is part of a larger buffer)
      const piece = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice();
      worker.postMessage({ chunk: piece }, [piece.buffer]);
    }
    worker.postMessage({ finish: true });
    let out;
    try {
      out = await result;
    } catch (e) {
      // the worker could not run: download again and scan here
      return fetchInto(u, new TraceScanner(0), true);
    }
    return TraceScanner.settled(out.chunks, out.result, out.ms);
  } finally {
    worker.terminate();
  }
}

// The scanner worker (a module next to this one), or null where workers cannot run.
function scanWorker() {
  if (typeof Worker !== 'function' || !/^https?:$/.test(location.protocol)) return null;
  try {
    return new Worker(new URL('js/scanworker.js', document.baseURI).href, { type: 'module' });
  } catch (e) {
    return null;
  }
}

async function readFileInto(file, scanner) {
  scanner.expected = file.size || 0;
  if (typeof file.arrayBuffer === 'function') {
    let ab;
    try {
      ab = await file.arrayBuffer();
    } catch (e) {
      throw new LoadError('read', e && e.message ? e.message : String(e));
    }
    scanner.push(new Uint8Array(ab));
    return scanner;
  }
  const text = await new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(new LoadError('read', String(r.error)));
    r.readAsText(file);
  });
  scanner.push(new TextEncoder().encode(text));
  return scanner;
}

export class LoadError extends Error {
  constructor(kind, detail) {
    super(detail);
    this.kind = kind;
    this.detail = detail;
  }
}

function baseName(u) {
  const s = String(u).split(/[?#]/)[0];
  const parts = s.split('/');
  return decodeURIComponent(parts[parts.length - 1] || s);
}
