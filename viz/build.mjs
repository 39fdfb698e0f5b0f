#!/usr/bin/env node
// Build the self-contained report pieces of the ipclab viewer:
//
//   node viz/build.mjs OUTDIR
//
// writes
//   OUTDIR/viewer.bundle.js     every module of viz/js/ in one classic script (no imports)
//   OUTDIR/viewer.css           viz/style.css
//   OUTDIR/report-template.html viz/report-template.html (placeholders @@CSP@@ @@CSS@@
//                               @@JS@@ @@TRACES@@, each exactly once)
//   OUTDIR/csp-hashes.txt       the CSP hashes of the bundle and the CSS as inlined, and
//                               the full policy to put in place of @@CSP@@
//
// The bundler is deliberately small and needs nothing but node (>= 18): the viewer's
// modules use only `import { a, b as c } from './x.js';` and `export function|class|
// const|let NAME`, and anything else makes the build fail. Each module becomes a function
// scope returning its exports, in dependency order. Both outputs are pure ASCII (other
// characters are written as \uXXXX in JS and as CSS escapes), so their hashes do not
// depend on how the HTML file is encoded, and neither contains "</script", "</style",
// "<!--" or a placeholder.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';

const VIZ = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = 'js/app.js';
export const PLACEHOLDERS = ['@@CSP@@', '@@CSS@@', '@@JS@@', '@@TRACES@@'];

// './x.js', './mech/x.js' or '../x.js' (from js/mech/): always relative, within viz/js/
const IMPORT_RE = /^import\s*\{([^}]*)\}\s*from\s*(['"])(\.\.?\/(?:[\w-]+\/)*[\w.-]+\.js)\2\s*;?[ \t]*$/gm;
const EXPORT_RE = /^export\s+((?:async\s+)?function\s*\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/gm;

class BuildError extends Error {}

function loadModule(rel) {
  const file = path.join(VIZ, rel);
  let src = fs.readFileSync(file, 'utf8');
  const imports = [];
  src = src.replace(IMPORT_RE, (m, names, q, from) => {
    const list = names
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const mm = /^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(s);
        if (!mm) throw new BuildError(rel + ': cannot bundle import name "' + s + '"');
        return [mm[1], mm[2] || mm[1]];
      });
    const target = path.posix.join(path.posix.dirname(rel), from);
    if (!target.startsWith('js/')) throw new BuildError(rel + ': imports ' + from + ', outside viz/js/');
    imports.push({ from: target, names: list });
    return '';
  });
  const exports = [];
  src = src.replace(EXPORT_RE, (m, kind, name) => {
    exports.push(name);
    return kind + ' ' + name;
  });
  const problems = [
    [/^\s*import[\s{*'"]/m, 'an import the bundler does not understand'],
    [/\bimport\s*\(/, 'a dynamic import()'],
    [/\bimport\.meta\b/, 'import.meta'],
    [/^\s*export\b/m, 'an export the bundler does not understand (use export function/class/const/let NAME)'],
  ];
  for (const [re, what] of problems) {
    if (re.test(src)) throw new BuildError(rel + ': ' + what);
  }
  return { rel, src, imports, exports, id: '__m_' + rel.replace(/^js\//, '').replace(/\W/g, '_') };
}

// Modules in dependency order (dependencies first), from the entry module.
function collect(entry) {
  const mods = new Map();
  const order = [];
  const visiting = new Set();
  const visit = (rel) => {
    if (mods.has(rel)) return;
    if (visiting.has(rel)) throw new BuildError('import cycle through ' + rel);
    visiting.add(rel);
    const m = loadModule(rel);
    for (const imp of m.imports) visit(imp.from);
    visiting.delete(rel);
    mods.set(rel, m);
    order.push(m);
  };
  visit(entry);
  // every imported name must be exported
  for (const m of order) {
    for (const imp of m.imports) {
      const dep = mods.get(imp.from);
      for (const [name] of imp.names) {
        if (!dep.exports.includes(name)) throw new BuildError(m.rel + ' imports ' + name + ' which ' + imp.from + ' does not export');
      }
    }
  }
  return { order, mods };
}

function asciiJs(s) {
  return s.replace(/[^\x00-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function asciiCss(s) {
  return s.replace(/[^\x00-\x7e]/g, (c) => '\\' + c.codePointAt(0).toString(16) + ' ');
}

export function bundle() {
  const { order, mods } = collect(ENTRY);
  let out = '/* ipclab viewer: viz/js/*.js bundled by viz/build.mjs into one script. Do not edit. */\n';
  out += '(function () {\n"use strict";\n';
  for (const m of order) {
    const isEntry = m.rel === ENTRY;
    out += '\n// ---- viz/' + m.rel + '\n';
    out += isEntry ? '(function () {\n' : 'var ' + m.id + ' = (function () {\n';
    for (const imp of m.imports) {
      const dep = mods.get(imp.from);
      out += 'const { ' + imp.names.map(([a, b]) => (a === b ? a : a + ': ' + b)).join(', ') + ' } = ' + dep.id + ';\n';
    }
    out += m.src.replace(/\s+$/, '') + '\n';
    if (!isEntry) out += 'return { ' + m.exports.map((n) => n + ': ' + n).join(', ') + ' };\n';
    out += '})();\n';
  }
  out += '})();\n';
  out = asciiJs(out).replace(/<\/(script)/gi, '<\\/$1');
  for (const bad of [/<!--/, /<script/i, /<\/script/i]) {
    if (bad.test(out)) throw new BuildError('the bundle contains ' + bad + ', which would break an inline <script>');
  }
  for (const p of PLACEHOLDERS) if (out.includes(p)) throw new BuildError('the bundle contains the placeholder ' + p);
  return out;
}

export function stylesheet() {
  const css = asciiCss(fs.readFileSync(path.join(VIZ, 'style.css'), 'utf8'));
  if (/<\/style/i.test(css) || /<!--/.test(css)) throw new BuildError('style.css contains </style or <!--');
  for (const p of PLACEHOLDERS) if (css.includes(p)) throw new BuildError('style.css contains the placeholder ' + p);
  return css;
}

export function template() {
  const html = fs.readFileSync(path.join(VIZ, 'report-template.html'), 'utf8');
  for (const p of PLACEHOLDERS) {
    const n = html.split(p).length - 1;
    if (n !== 1) throw new BuildError('report-template.html must contain ' + p + ' exactly once (found ' + n + ')');
  }
  return html;
}

export function cspHash(text) {
  return "'sha256-" + crypto.createHash('sha256').update(text, 'utf8').digest('base64') + "'";
}

export function reportPolicy(js, css) {
  return "default-src 'none'; script-src " + cspHash(js) + '; style-src ' + cspHash(css) + '; img-src data:';
}

export function build(outDir) {
  const js = bundle();
  const css = stylesheet();
  const html = template();
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'viewer.bundle.js'), js);
  fs.writeFileSync(path.join(outDir, 'viewer.css'), css);
  fs.writeFileSync(path.join(outDir, 'report-template.html'), html);
  const hashes =
    '# ipclab viewer: CSP hashes of viewer.bundle.js and viewer.css as inlined in report-template.html\n' +
    'script ' + cspHash(js) + '\n' +
    'style ' + cspHash(css) + '\n' +
    'policy ' + reportPolicy(js, css) + '\n';
  fs.writeFileSync(path.join(outDir, 'csp-hashes.txt'), hashes);
  return { js, css, html, hashes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: node viz/build.mjs OUTDIR\n');
    process.exit(2);
  }
  try {
    const r = build(out);
    process.stdout.write('viz: wrote ' + path.join(out, 'viewer.bundle.js') + ' (' + r.js.length + ' bytes), viewer.css, report-template.html, csp-hashes.txt\n');
  } catch (e) {
    process.stderr.write('viz/build.mjs: ' + (e instanceof BuildError ? e.message : e.stack || e) + '\n');
    process.exit(1);
  }
}
