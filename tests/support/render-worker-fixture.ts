// A stand-in for the comment render worker that misbehaves on request, so the pool's budget can be
// tested without hunting for an input that breaks the real renderer: "spin" never returns,
// "hog" allocates until the worker's heap runs out, "heap-limit" reports the worker's heap limit.
import v8 from 'node:v8';

export default function misbehave(source: string): { ok: true; html: string; rendererVersion: number } {
  if (source === 'spin') while (Date.now() > 0) Math.random();
  if (source === 'hog') {
    const hoard: string[][] = [];
    while (hoard.length >= 0) hoard.push(Array.from({ length: 100_000 }, (_, i) => `${source}${i}`));
  }
  if (source === 'heap-limit') return { ok: true, html: String(v8.getHeapStatistics().heap_size_limit), rendererVersion: 0 };
  return { ok: true, html: `<p>${source}</p>`, rendererVersion: 0 };
}
