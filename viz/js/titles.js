// What a trace is called on the page (the heading, the window's title, the compare labels,
// the exported timeline): its scenario (ipclab run) or lab (run --lab), else the command it
// traced (ipclab trace), else the name of the file it came from. The file's name is shown beside the
// title when it says more than the title does (a file opened from disk, a ?trace= URL).

const COMMAND_MAX = 60; // characters of a command line in a title

export function traceTitle(m) {
  const meta = (m && m.meta) || {};
  if (typeof meta.scenario === 'string' && meta.scenario) return meta.scenario;
  if (typeof meta.lab === 'string' && meta.lab) return meta.lab; // ipclab run --lab
  if (typeof meta.command === 'string' && meta.command.trim()) return shortCommand(meta.command);
  return (m && m.name) || 'trace';
}

// The file name worth showing next to the title, or ''.
export function traceFile(m) {
  const name = (m && m.name) || '';
  const title = traceTitle(m);
  if (!name || name === title) return '';
  if (name === title + '.json' || name === title + '.json.gz') return '';
  return name;
}

// "/usr/bin/sort -n /tmp/x" -> "sort -n /tmp/x": the program's base name and its arguments.
function shortCommand(cmd) {
  const words = cmd.trim().split(/\s+/);
  words[0] = words[0].slice(words[0].lastIndexOf('/') + 1) || words[0];
  const s = words.join(' ');
  return s.length > COMMAND_MAX ? s.slice(0, COMMAND_MAX - 1) + '…' : s;
}
