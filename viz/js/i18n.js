// UI strings in English and Chinese. Only UI labels live here; text from the trace
// (meta.explain, rule_zh, claim text...) is shown as the trace gives it.

const STRINGS = {
  en: {
    title: 'ipclab viewer',
    whatHappened: 'What happened',
    open: 'Open trace…',
    compare: 'Compare with…',
    closeCompare: 'Single view',
    langLabel: 'Language',
    welcomeTitle: 'Open an ipclab trace',
    welcomeText: 'Drop a trace file (JSON written by ipclab) anywhere on this page, or choose one. Drop two files to compare them on one time scale.',
    welcomeUrl: 'You can also open ?trace=URL (and &trace2=URL2 to compare).',
    loading: 'Loading {name}…',
    parsing: 'Reading {name} ({size})…',
    errNotTrace: '{name}: not a valid ipclab trace: {detail}',
    errJson: '{name}: not a valid ipclab trace: the file is not JSON ({detail})',
    errVersion: '{name}: this trace is format version {version}; this viewer reads version {supported}. Use a newer ipclab viewer.',
    errFetch: '{name}: could not load the trace: {detail}',
    errRead: '{name}: could not read the file: {detail}',
    lab: 'Lab',
    noScenario: 'Not a scenario: a trace of a command.',
    command: 'Command',
    courseNotes: 'The course notes say (Chinese original)',
    courseNotesZh: 'The course notes say',
    whatTraceShows: 'What the trace shows',
    englishOnly: '',
    traceInfo: 'Trace',
    kernel: 'kernel',
    tier: 'probe tier',
    started: 'started',
    events: 'events',
    claims: 'Claims',
    noClaims: 'No claims (a trace of a command, not a scenario).',
    evidence: 'evidence',
    evidenceNone: 'no events cited',
    evidenceN: '{n} events — click to show',
    evidence1: '1 event — click to show',
    passFail: '{pass} PASS · {fail} FAIL',
    warnDropped: '{n} events were dropped by the kernel ring buffer: claims were checked on incomplete data.',
    warnLost: '{n} events were lost by the loader: claims were checked on incomplete data.',
    warnInterrupted: 'The trace was interrupted ({reason}): the programs were stopped early.',
    timeline: 'Timeline',
    timelineHelp: 'Wheel: zoom at pointer · drag: pan · W/S or ↑/↓: zoom · A/D or ←/→: pan · 0: whole trace · click the time axis to move the cursor · click an event to select it',
    legendSyscall: 'other syscall',
    legendBlock: 'blocked (asleep)',
    legendWake: 'wake-up (waker → sleeper)',
    legendSignal: 'signal',
    legendExit: 'exit',
    legendProc: 'fork / exec / rename',
    legendSyscallAll: 'syscall',
    legendCopy: 'bytes copied',
    showCopies: 'copies',
    showStray: 'faults outside mappings ({n})',
    resetView: 'Whole trace',
    copiesHidden: '{n} copies in view: zoom in to see the arrows',
    noBuffers: 'No pipe or FIFO in this trace.',
    inode: 'inode',
    atCursor: 'at {t}',
    unusable: 'beyond slots_max',
    selection: 'Selected event',
    noSelection: 'Click an event on the timeline to see all its fields here.',
    pages: '{n} pages',
    traceA: 'A',
    traceB: 'B',
    cursor: 'cursor',
    lane_pid: 'pid {pid}',
    lane_threads: '{n} threads',
    exitedWith: 'exit {s}',
  },
  zh: {
    title: 'ipclab 查看器',
    whatHappened: '发生了什么',
    open: '打开跟踪文件…',
    compare: '对比另一个跟踪…',
    closeCompare: '单个视图',
    langLabel: '语言',
    welcomeTitle: '打开 ipclab 跟踪文件',
    welcomeText: '把跟踪文件（ipclab 生成的 JSON）拖到本页任意位置，或选择一个文件。拖入两个文件可在同一时间轴上对比。',
    welcomeUrl: '也可以打开 ?trace=URL（加上 &trace2=URL2 进行对比）。',
    loading: '正在加载 {name}…',
    parsing: '正在读取 {name}（{size}）…',
    errNotTrace: '{name}：不是有效的 ipclab 跟踪文件：{detail}',
    errJson: '{name}：不是有效的 ipclab 跟踪文件：不是 JSON（{detail}）',
    errVersion: '{name}：该跟踪文件格式版本为 {version}；本查看器只能读取版本 {supported}。请使用更新的 ipclab 查看器。',
    errFetch: '{name}：无法加载跟踪文件：{detail}',
    errRead: '{name}：无法读取文件：{detail}',
    lab: '实验',
    noScenario: '不是实验场景：这是一个命令的跟踪。',
    command: '命令',
    courseNotes: '课程笔记原文',
    courseNotesZh: '课程笔记原文',
    whatTraceShows: '跟踪结果说明',
    englishOnly: '（仅有英文说明）',
    traceInfo: '跟踪',
    kernel: '内核',
    tier: '探针层级',
    started: '开始于',
    events: '事件',
    claims: '结论检查',
    noClaims: '没有结论（这是命令的跟踪，不是实验场景）。',
    evidence: '证据',
    evidenceNone: '未引用事件',
    evidenceN: '{n} 个事件——点击查看',
    evidence1: '1 个事件——点击查看',
    passFail: '{pass} 通过 · {fail} 失败',
    warnDropped: '内核环形缓冲区丢弃了 {n} 个事件：结论是在不完整的数据上检查的。',
    warnLost: '加载器丢失了 {n} 个事件：结论是在不完整的数据上检查的。',
    warnInterrupted: '跟踪被中断（{reason}）：程序被提前停止。',
    timeline: '时间线',
    timelineHelp: '滚轮：以指针为中心缩放 · 拖动：平移 · W/S 或 ↑/↓：缩放 · A/D 或 ←/→：平移 · 0：整个跟踪 · 点击时间轴移动游标 · 点击事件以选中',
    legendSyscall: '其他系统调用',
    legendBlock: '阻塞（睡眠）',
    legendWake: '唤醒（唤醒者 → 睡眠者）',
    legendSignal: '信号',
    legendExit: '退出',
    legendProc: 'fork / exec / 改名',
    legendSyscallAll: '系统调用',
    legendCopy: '复制的字节',
    showCopies: '数据复制',
    showStray: '映射区以外的缺页（{n}）',
    resetView: '整个跟踪',
    copiesHidden: '视图中有 {n} 次复制：放大后可见箭头',
    noBuffers: '此跟踪中没有管道或 FIFO。',
    inode: 'inode',
    atCursor: '时刻 {t}',
    unusable: '超出 slots_max',
    selection: '选中的事件',
    noSelection: '点击时间线上的事件，在此查看它的全部字段。',
    pages: '{n} 页',
    traceA: 'A',
    traceB: 'B',
    cursor: '游标',
    lane_pid: 'pid {pid}',
    lane_threads: '{n} 个线程',
    exitedWith: '退出 {s}',
  },
};

let lang = 'en';

// A mechanism module (mechanisms.js) brings its own strings: {en: {...}, zh: {...}}, with
// keys that start with its name (unix_...), so that they cannot clash with the core's.
export function addStrings(tables) {
  for (const l of ['en', 'zh']) Object.assign(STRINGS[l], tables[l] || {});
}

export function setLang(l) {
  lang = l === 'zh' ? 'zh' : 'en';
  return lang;
}

export function getLang() {
  return lang;
}

// t('key', {name: 'x'}) -> the string with {name} replaced. Values are plain text.
export function t(key, vars) {
  let s = STRINGS[lang][key];
  if (s === undefined) s = STRINGS.en[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}
