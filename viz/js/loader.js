// Where traces come from: script elements of type "application/json" and class "ipclab-trace"
// in the page (the self-contained report), ?trace=URL&trace2=URL2, a file picker, or
// files dropped on the page. Each source has a name and load(scanner), which hands the
// trace's bytes to a TraceScanner (events.js) and returns the scanner that has them (the
// same, or one that scanned them in a worker); parsing is model.js's job. A URL is read as
// a stream, piece by piece, and the pieces go to a scanner in a worker (scanworker.js),
// which reads the event lines on another thread while the rest is still arriving; where
// there is no worker (file:// pages), the page's own scanner does it between pieces.
// A gzip-compressed trace (`ipclab trace -o x.json.gz`, `--gzip`) is recognised by its first
// two bytes (1f 8b), not by its name or the server's headers, and decompressed as it
// arrives with the browser's DecompressionStream.

import { TraceScanner, Chunks, CompactError, CompactDownload, compactColumns, compactDocument, compactHeaderEnd, scannerOfCompact } from './events.js';

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

// ?trace=URL and ?trace2=URL2 (relative URLs are resolved against the page). With
// `ipclab view --claims FILE`, ?claims=URL (and claims2) names FILE's verdicts on that trace
// (claimsFile below), which the page shows in place of the trace's own claims.
export function urlSources(search) {
  const p = new URLSearchParams(search);
  const out = [];
  for (const [key, claimsKey, colsKey] of [
    ['trace', 'claims', 'cols'],
    ['trace2', 'claims2', 'cols2'],
  ]) {
    const u = p.get(key);
    const c = p.get(claimsKey);
    const cols = p.get(colsKey);
    const load = cols ? (scanner, early) => fetchWithCompact(u, cols, scanner, early) : (scanner) => fetchInto(u, scanner);
    const early = cols ? () => fetchCompactDocument(cols) : null;
    if (u) out.push({ name: baseName(u), url: u, claimsUrl: c || null, load, early });
  }
  return out;
}

// A claims file's verdicts as `ipclab view --claims` serves them: {file, claims: [...]},
// each claim as a trace stores one. Throws LoadError('fetch'), or Error for a document
// that is not one (applyClaimsFile checks its claims).
export async function claimsFile(u) {
  const res = await fetchOk(u);
  const doc = await res.json();
  if (!doc || typeof doc.file !== 'string' || !Array.isArray(doc.claims)) throw new Error('not the verdicts of a claims file');
  return doc;
}

export function fileSource(file) {
  return { name: file.name, file: true, load: (scanner) => readFileInto(file, scanner) };
}

// u fetched from the page's server; a failure or an HTTP error as LoadError('fetch')
async function fetchOk(u) {
  let res;
  try {
    res = await fetch(new URL(u, document.baseURI).href, { credentials: 'same-origin' });
  } catch (e) {
    throw new LoadError('fetch', e && e.message ? e.message : String(e));
  }
  if (!res.ok) throw new LoadError('fetch', 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''));
  return res;
}

async function fetchInto(u, scanner, noWorker) {
  const res = await fetchOk(u);
  const len = Number(res.headers.get('content-length'));
  const body = res.body && typeof res.body.getReader === 'function' ? res.body : new Blob([await res.arrayBuffer()]).stream();
  const { reader, gzip } = await plainBytes(body);
  // a compressed file's length says little about the text's: the columns grow instead
  if (len > 0 && !gzip && !res.headers.get('content-encoding')) scanner.expected = len;
  // The pieces are kept as they come (no copy into one buffer).
  const worker = noWorker ? null : scanWorker();
  if (!worker) {
    for (;;) {
      const { done, value } = await readPiece(reader, gzip);
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
      const { done, value } = await readPiece(reader, gzip);
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

// With `ipclab view`, ?cols=URL names the trace's events in a compact form (user/cols.c)
// the page reads in place of scanning the JSON: both are downloaded at once, the JSON text
// kept as it arrives (each event's details are parsed from it), not scanned, and the
// columns read from the compact form as soon as it and the JSON's header are here. A
// compact form that cannot be used is one line on the console (and body.dataset.colsError);
// the JSON already here is then scanned (on this thread: the download is over), so the page
// shows the same trace either way.
// `early`: what fetchCompactDocument gave, when the page has built its model from it
// already (its columns are not read again).
async function fetchWithCompact(u, colsUrl, scanner, early) {
  let buf = early ? early.buf : null;
  let why = null;
  const compact = early ? Promise.resolve(buf) : fetchOk(colsUrl).then((res) => res.arrayBuffer());
  compact.then((b) => (buf = b), (e) => (why = e.message || String(e)));
  const res = await fetchOk(u);
  const body = res.body && typeof res.body.getReader === 'function' ? res.body : new Blob([await res.arrayBuffer()]).stream();
  const { reader, gzip } = await plainBytes(body);
  const chunks = new Chunks();
  let got = early || null;
  const columns = () => {
    try {
      got = compactColumns(buf, chunks);
      if (!got) why = 'an event fails the line reader\'s checks';
    } catch (e) {
      if (!(e instanceof CompactError)) throw e;
      why = e.message;
    }
  };
  for (;;) {
    const { done, value } = await readPiece(reader, gzip);
    if (done) break;
    chunks.add(value);
    // the header is in the first pieces: read the columns while the rest arrives
    if (buf && !got && !why && chunks.length > compactHeaderEnd(buf)) columns();
  }
  if (!got && !why) {
    await compact.catch(() => {});
    if (buf) columns();
  }
  if (got) {
    try {
      return scannerOfCompact(chunks, got);
    } catch (e) {
      if (!(e instanceof CompactError)) throw e;
      why = e.message;
    }
  }
  const note = 'ipclab: the compact form of ' + baseName(u) + ' is not used (' + why + '); reading the JSON';
  console.warn(note);
  document.body.dataset.colsError = note;
  scanner.expected = chunks.length;
  for (const piece of chunks.list) scanner.push(piece);
  return scanner;
}

// The compact form alone, read (events.js CompactDownload: its records as they arrive)
// before the JSON text is asked for: the page builds its model from it and downloads the
// text afterwards (app.js). null when it cannot be used that way (the page then loads as
// without it, and says why there).
async function fetchCompactDocument(colsUrl) {
  try {
    const res = await fetchOk(colsUrl);
    if (!res.body || typeof res.body.getReader !== 'function') return compactDocument(await res.arrayBuffer());
    const len = Number(res.headers.get('content-length'));
    const form = new CompactDownload(len > 0 && !res.headers.get('content-encoding') ? len : 0);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      form.add(value);
    }
    return form.end();
  } catch (e) {
    if (e instanceof CompactError || e instanceof LoadError) return null;
    throw e;
  }
}

const isGzip = (b) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

// A reader of the trace's text from a stream of its bytes: the bytes themselves, or, when
// they start with gzip's magic bytes, what they decompress to. Returns {reader, gzip}.
async function plainBytes(stream) {
  const src = stream.getReader();
  const head = [];
  let have = 0;
  let ended = false;
  while (have < 2) {
    const { done, value } = await src.read();
    if (done) {
      ended = true;
      break;
    }
    head.push(value);
    have += value.length;
  }
  let first = head.length === 1 ? head[0] : new Uint8Array(have);
  if (head.length > 1) {
    let at = 0;
    for (const h of head) {
      first.set(h, at);
      at += h.length;
    }
  }
  const gzip = isGzip(first);
  const joined = new ReadableStream({
    start(c) {
      if (first.length) c.enqueue(first);
      first = null;
      if (ended) c.close();
    },
    async pull(c) {
      const { done, value } = await src.read();
      if (done) c.close();
      else c.enqueue(value);
    },
    cancel(reason) {
      return src.cancel(reason);
    },
  });
  if (!gzip) return { reader: joined.getReader(), gzip };
  if (typeof DecompressionStream !== 'function') {
    throw new LoadError('read', 'the trace is gzip-compressed and this browser has no DecompressionStream: gunzip it first');
  }
  return { reader: joined.pipeThrough(new DecompressionStream('gzip')).getReader(), gzip };
}

// reader.read(), with a damaged gzip stream reported as such.
async function readPiece(reader, gzip) {
  try {
    return await reader.read();
  } catch (e) {
    const why = e && e.message ? e.message : String(e);
    throw new LoadError('read', gzip ? 'damaged gzip data (' + why + ')' : why);
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
    const bytes = new Uint8Array(ab);
    if (!isGzip(bytes)) {
      scanner.push(bytes);
      return scanner;
    }
    scanner.expected = 0;
    const { reader } = await plainBytes(new Blob([bytes]).stream());
    for (;;) {
      const { done, value } = await readPiece(reader, true);
      if (done) break;
      scanner.push(value);
    }
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
