// The benchmark's CPU profile attribution (tests/bench/cpu-profile.ts) on a small made-up profile:
// each sample's time goes to the first bucket its stack matches, idle and startup time to none.
import { describe, expect, it } from 'vitest';
import { attribute } from '../bench/cpu-profile.ts';

const frame = (functionName: string, url = 'file:///srv/dist/server/chunks/page_x.mjs') => ({ functionName, url, lineNumber: 1 });

describe('the CPU profile attribution', () => {
  it('puts SQL, templates, garbage collection and encoding in their buckets, and leaves idle and startup out', () => {
    const nodes = [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 5, 6, 7] },
      { id: 2, callFrame: frame('loadDiscussionMarkup'), children: [8, 9] },
      { id: 3, callFrame: frame('(garbage collector)', '') },
      { id: 4, callFrame: frame('(idle)', '') },
      { id: 5, callFrame: frame('spawnSync', 'node:internal/child_process') },
      { id: 6, callFrame: frame('encodeUtf8String', '') },
      { id: 7, callFrame: frame('somethingElse') },
      // likedAmong is declared in db/: its own time is its statement's.
      { id: 8, callFrame: frame('likedAmong') },
      // Anything under the markup's functions is template time.
      { id: 9, callFrame: frame('fillThreadBytes'), children: [10] },
      { id: 10, callFrame: frame('from', 'node:buffer') },
    ];
    const samples = [8, 8, 10, 9, 3, 3, 3, 4, 4, 5, 6, 7];
    const timeDeltas = samples.map(() => 1000);
    const { busyMs, buckets } = attribute({ nodes, samples, timeDeltas });
    expect(busyMs).toBe(9);
    expect(Object.fromEntries(buckets.map((b) => [b.bucket, b.ms]))).toEqual({
      'garbage collection': 3,
      'SQL (better-sqlite3)': 2,
      'templates (comment markup)': 2,
      'UTF-8 encoding of the response': 1,
      'other JavaScript': 1,
    });
  });
});
