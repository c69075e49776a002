// A server's V8 heap as its objects, from a heap snapshot it writes on SIGUSR2 (started with
// `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=<dir>`): how many of them, and their bytes.
// Compiled code and V8's own bookkeeping are left out: V8 compiles and flushes bytecode as it
// likes, by thousands of objects between two snapshots, while what a garbage collection marks
// for the program's data is its objects, closures, contexts, arrays and strings.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

export interface HeapCount {
  objects: number;
  bytes: number;
  /** Objects by type and constructor name (`object:LiveStream`, `closure:write`, `string`). */
  byName: Map<string, number>;
}

const STRINGS = new Set(['string', 'concatenated string', 'sliced string']);
const LEFT_OUT = new Set(['code', 'hidden', 'synthetic', 'object shape']);

/** Counts the snapshot in `file`. */
export function countHeap(file: string): HeapCount {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [width, type, name, size] = [fields.length, fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const count: HeapCount = { objects: 0, bytes: 0, byName: new Map() };
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const kind = types[snapshot.nodes[i + type]!]!;
    if (LEFT_OUT.has(kind)) continue;
    const label = STRINGS.has(kind) ? 'string' : `${kind}:${snapshot.strings[snapshot.nodes[i + name]!]}`;
    count.objects++;
    count.bytes += snapshot.nodes[i + size]!;
    count.byName.set(label, (count.byName.get(label) ?? 0) + 1);
  }
  return count;
}

/** Has `server` (started with the flags above) write a snapshot into `dir`, and counts it. */
export async function snapshotHeap(server: ChildProcess, dir: string, timeoutMs = 60_000): Promise<HeapCount> {
  const before = new Set(readdirSync(dir));
  server.kill('SIGUSR2');
  const until = Date.now() + timeoutMs;
  const wait = () => new Promise((resolve) => setTimeout(resolve, 250));
  let name: string | undefined;
  while (!(name = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f)))) {
    if (Date.now() > until) throw new Error('The server wrote no heap snapshot.');
    await wait();
  }
  // Written in pieces, with pauses as long as a busy machine makes them: done when it parses.
  const file = join(dir, name);
  for (;;) {
    await wait();
    try {
      const count = countHeap(file);
      rmSync(file, { force: true });
      return count;
    } catch (error) {
      if (!(error instanceof SyntaxError) || Date.now() > until) throw error;
    }
  }
}
