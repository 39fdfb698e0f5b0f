// Where traces come from: script elements of type "application/json" and class "ipclab-trace"
// in the page (the self-contained report), ?trace=URL&trace2=URL2, a file picker, or
// files dropped on the page. Each source yields {name, text}; parsing is model.js's job.

// Traces embedded in the page, in document order. The optional data-name attribute
// names a trace (e.g. its file name).
export function embeddedSources() {
  const out = [];
  const nodes = document.querySelectorAll('script.ipclab-trace');
  nodes.forEach((node, i) => {
    const given = node.getAttribute('data-name');
    const name = given || 'trace ' + (i + 1);
    out.push({ name, named: !!given, load: async () => node.textContent });
  });
  return out;
}

// ?trace=URL and ?trace2=URL2 (relative URLs are resolved against the page).
export function urlSources(search) {
  const p = new URLSearchParams(search);
  const out = [];
  for (const key of ['trace', 'trace2']) {
    const u = p.get(key);
    if (u) out.push({ name: baseName(u), url: u, load: () => fetchText(u) });
  }
  return out;
}

export function fileSource(file) {
  return { name: file.name, file: true, load: () => readFileText(file) };
}

async function fetchText(u) {
  let res;
  try {
    res = await fetch(new URL(u, document.baseURI).href, { credentials: 'same-origin' });
  } catch (e) {
    throw new LoadError('fetch', e && e.message ? e.message : String(e));
  }
  if (!res.ok) throw new LoadError('fetch', 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''));
  if (!res.body || typeof res.body.getReader !== 'function') return res.text();
  // Read the body as a stream into one buffer and decode it once: for traces of
  // hundreds of MB this is several times faster than res.text() in Chromium.
  const reader = res.body.getReader();
  const len = Number(res.headers.get('content-length'));
  let buf = new Uint8Array(len > 0 && !res.headers.get('content-encoding') ? len : 1 << 20);
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (n + value.length > buf.length) {
      const bigger = new Uint8Array(Math.max(buf.length * 2, n + value.length));
      bigger.set(buf.subarray(0, n));
      buf = bigger;
    }
    buf.set(value, n);
    n += value.length;
  }
  return decode(buf.subarray(0, n));
}

function decode(bytes) {
  return new TextDecoder('utf-8').decode(bytes);
}

function readFileText(file) {
  if (typeof file.arrayBuffer === 'function') {
    return file.arrayBuffer().then(
      (ab) => decode(new Uint8Array(ab)),
      (e) => {
        throw new LoadError('read', e && e.message ? e.message : String(e));
      },
    );
  }
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(new LoadError('read', String(r.error)));
    r.readAsText(file);
  });
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
