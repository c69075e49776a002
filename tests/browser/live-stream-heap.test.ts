// What an open live stream keeps in the server's heap, which every full garbage collection marks
// again while the other requests run (issue 15's limit (c): reads and writes lose no more than 10%
// with 2,000 idle streams open). Once its connection is with the stream holder, a stream is its
// `LiveStream`, the holder's record of it and its network's name: three objects. It was sixteen
// (a sink of three closures, a closure and its scope for each listener, its own signed-out reader).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStreams } from '../load/live-streams.ts';
import { browserPath } from '../support/browser.ts';
import { snapshotHeap, type HeapCount } from '../support/heap-snapshot.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'taddicken-and-the-privacy-paradox';
const STREAMS = 500;

describe.skipIf(!browserPath() || process.platform !== 'linux')('an open live stream in the server’s heap', () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tcb-heap-'));
    server = await startServer({ NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}` });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is three objects and under 800 bytes once held: what each full collection marks for it', async () => {
    // The holder and the watcher made, and the route's code run, before the first count.
    const warm = await openStreams(server.url, ESSAY, 8);
    warm.close();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = await snapshotHeap(server.process, dir);
    const crowd = await openStreams(server.url, ESSAY, STREAMS);
    let after: HeapCount;
    try {
      expect(crowd.streams).toHaveLength(STREAMS);
      after = await snapshotHeap(server.process, dir);
    } finally {
      crowd.close();
    }
    const per = (n: number) => n / STREAMS;
    const grown = [...after.byName].map(([name, n]) => [name, per(n - (before.byName.get(name) ?? 0))] as const).filter(([, n]) => n >= 0.5);
    console.log(`Per open stream: ${per(after.objects - before.objects).toFixed(2)} objects, ${per(after.bytes - before.bytes).toFixed(0)} bytes;`, Object.fromEntries(grown));
    expect(after.byName.get('object:LiveStream')! - (before.byName.get('object:LiveStream') ?? 0)).toBe(STREAMS);
    expect(per(after.objects - before.objects)).toBeLessThanOrEqual(5);
    expect(per(after.bytes - before.bytes)).toBeLessThan(800);
  }, 120_000);
});
