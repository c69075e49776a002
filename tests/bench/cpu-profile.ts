// Where a server's CPU time went, from a V8 CPU profile (`node --cpu-prof`): every sample's time
// is put in one bucket by its stack, the first rule that matches. `npm run bench -- --profile`
// profiles the measured server and prints this; by hand: `node tests/bench/cpu-profile.ts <file>
// [requests]`. Startup (the migration child, module loading) and idle time are left out.
//
// SQL is the time spent in the functions of db/ (found by name in the source; their own code is
// a statement call, so their time is the statement's), templates the time under the functions of
// the discussion's markup modules, both read from the source so the buckets follow the code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/paths.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Function names declared in the .ts files under `dir` (or in the one file). */
function declaredNames(path: string): Set<string> {
  const names = new Set<string>();
  if (!existsSync(path)) return names; // a module an older tree does not have
  const files = statSync(path).isDirectory() ? readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(path, f)) : [path];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:function\s+|const\s+)([A-Za-z_$][\w$]*)\s*(?:=\s*(?:async\s*)?(?:\(|perConnection)|[<(])/g)) names.add(m[1]!);
  }
  return names;
}

const SQL = declaredNames(join(ROOT, 'db'));
const TEMPLATES = new Set(
  ['src/features/discussion/comment-html.ts', 'src/features/discussion/page-markup.ts', 'src/features/discussion/markup-bytes.ts', 'src/lib/html-template.ts', 'src/lib/escape-html.ts', 'src/features/discussion/relative-time.ts', 'src/features/discussion/thread.ts'].flatMap((f) => [
    ...declaredNames(join(ROOT, f)),
  ]),
);
// Names too common to say anything (a `get` in db/ is not every `get`).
for (const common of ['get', 'set', 'all', 'run', 'render', 'reading', 'add', 'emit', 'html', 'next']) {
  SQL.delete(common);
  TEMPLATES.delete(common);
}

type Rule = [bucket: string, test: (leaf: CallFrame, stack: CallFrame[]) => boolean];
const has = (stack: CallFrame[], pattern: RegExp) => stack.some((f) => pattern.test(`${f.functionName} ${f.url}`));
const RULES: Rule[] = [
  ['startup', (_, s) => has(s, /spawnSync|esm\/loader|compileSourceTextModule|module_job|cjs\/loader/)],
  ['idle', (l) => l.functionName === '(idle)'],
  ['garbage collection', (l) => l.functionName === '(garbage collector)'],
  ['UTF-8 encoding of the response', (l) => /^(?:encodeUtf8String|encode|encodeInto|utf8Write)$/.test(l.functionName)],
  ['copies of the response (Astro, web streams, Buffer)', (l) => /^(?:HTMLBytes|FastBuffer|concat)$/.test(l.functionName) || /undici/.test(l.url)],
  ['compression (the main thread\'s part)', (l) => /zlib|brotli|gzip/i.test(`${l.functionName} ${l.url}`)],
  ['SQL (better-sqlite3)', (l) => SQL.has(l.functionName)],
  ['templates (comment markup)', (_, s) => s.some((f) => TEMPLATES.has(f.functionName) && !/node_modules|node:/.test(f.url))],
  ['writing to the socket', (l) => /^(?:writev|writeBuffer|writeGeneric|writeUtf8String)$/.test(l.functionName) || /_http_outgoing|node:net|stream_base/.test(l.url)],
  ['island props decryption (Astro, AES-GCM)', (_, s) => has(s, /crypto\/util|decryptString|webcrypto/)],
  ['session check', (_, s) => has(s, /lucia|sessionFromCookies|validateSession/)],
  ['Astro (rendering, middleware, routing)', (_, s) => has(s, /jsx-runtime|astro|entry\.mjs|sequence_|middleware/)],
  ['native, unattributed', (l) => l.functionName === '(program)'],
];

export interface Attribution {
  busyMs: number;
  buckets: { bucket: string; ms: number; share: number }[];
}

export function attribute(profile: CpuProfile): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bucketOf = new Map<number, string>();
  const classify = (id: number): string => {
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!.callFrame);
    return RULES.find(([, test]) => test(stack[0]!, stack))?.[0] ?? 'other JavaScript';
  };
  const time = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    let bucket = bucketOf.get(id);
    if (bucket === undefined) bucketOf.set(id, (bucket = classify(id)));
    time.set(bucket, (time.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  time.delete('idle');
  time.delete('startup');
  const busy = [...time.values()].reduce((a, b) => a + b, 0);
  const buckets = [...time]
    .map(([bucket, us]) => ({ bucket, ms: us / 1000, share: us / busy }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: busy / 1000, buckets };
}

export function formatAttribution(a: Attribution, requests = 0): string {
  const lines = [`Busy ${(a.busyMs / 1000).toFixed(1)} s on the main thread${requests ? `, ${(a.busyMs / requests).toFixed(2)} ms per request (${requests} requests)` : ''}:`];
  for (const b of a.buckets) lines.push(`  ${(b.share * 100).toFixed(1).padStart(5)}%  ${b.bucket}${requests ? ` (${(b.ms / requests).toFixed(2)} ms)` : ''}`);
  return lines.join('\n');
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, requests] = process.argv.slice(2);
  if (!file) throw new Error('usage: node tests/bench/cpu-profile.ts <file.cpuprofile> [requests]');
  console.log(formatAttribution(attribute(readProfile(file)), Number(requests ?? 0)));
}
