// The comment renderer's cost per character on the fuzzer's families of pathological Markdown,
// at a few sizes: measured, not asserted, so a regression (a new quadratic path, a limit that
// stopped biting) shows as a number. Each family is rendered the way the worker renders it
// (tryRenderCommentMarkdown, limits first), here on this thread, best of a few runs; the worst
// family at the largest size is also timed through the real worker pool.
import { tryRenderCommentMarkdown } from '../../src/features/discussion/markdown/markdown.ts';
import { closeCommentRenderer, renderComment } from '../../src/features/discussion/markdown/render.ts';
import { markdownFamilies } from '../support/markdown-families.ts';
import { HOSTILE_BODIES } from '../support/hostile-inputs.ts';

export interface RenderCost {
  family: string;
  chars: number;
  microsecondsPerChar: number;
  outcome: 'rendered' | 'refused';
}

export interface RenderCostReport {
  sizes: number[];
  /** The costliest families, worst first. */
  worst: RenderCost[];
  /** The worst cost per character at each size. */
  worstBySize: Record<number, RenderCost>;
  /** The worst family at the largest size, through the pool (worker hop and budget included). */
  throughPool: { family: string; milliseconds: number; outcome: string };
}

function timeOne(source: string): { microseconds: number; outcome: RenderCost['outcome'] } {
  let best = Infinity;
  let outcome: RenderCost['outcome'] = 'rendered';
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    outcome = tryRenderCommentMarkdown(source).ok ? 'rendered' : 'refused';
    best = Math.min(best, (performance.now() - started) * 1_000);
    if (best > 500_000) break; // half a second: one run says enough
  }
  return { microseconds: best, outcome };
}

export async function measureRenderCost(sizes = [1_000, 3_000, 10_000]): Promise<RenderCostReport> {
  tryRenderCommentMarkdown('warm *up* the [renderer](https://example.org)\n\n> - once');
  const costs: RenderCost[] = [];
  for (const size of sizes) {
    const families = markdownFamilies(size);
    if (size === Math.max(...sizes)) for (const [name, source] of Object.entries(HOSTILE_BODIES)) families.push({ name: `load test: ${name}`, source });
    for (const { name, source } of families) {
      if (source.length === 0) continue;
      const { microseconds, outcome } = timeOne(source);
      costs.push({ family: name, chars: source.length, microsecondsPerChar: Math.round((microseconds / source.length) * 100) / 100, outcome });
    }
  }
  costs.sort((a, b) => b.microsecondsPerChar - a.microsecondsPerChar);
  const worstBySize: Record<number, RenderCost> = {};
  for (const size of sizes) worstBySize[size] = costs.find((c) => c.chars <= size && c.chars > size / 2)!;
  const largest = costs.filter((c) => c.chars > Math.max(...sizes) / 2)[0]!;
  const source = [...markdownFamilies(Math.max(...sizes)), ...Object.entries(HOSTILE_BODIES).map(([name, body]) => ({ name: `load test: ${name}`, source: body }))].find((f) => f.name === largest.family)!.source;
  await renderComment('warm the worker');
  const started = performance.now();
  const pooled = await renderComment(source);
  const throughPool = { family: largest.family, milliseconds: Math.round(performance.now() - started), outcome: pooled.ok ? 'rendered' : `${pooled.code}: ${pooled.message}` };
  await closeCommentRenderer();
  return { sizes, worst: costs.slice(0, 10), worstBySize, throughPool };
}

export function formatRenderCost(report: RenderCostReport): string {
  const lines = ['Comment render cost, worst families (µs per character, best of 3):'];
  for (const c of report.worst) lines.push(`  ${c.microsecondsPerChar.toFixed(2).padStart(8)}  ${String(c.chars).padStart(6)} chars  ${c.outcome.padEnd(8)}  ${c.family}`);
  lines.push('Worst by size: ' + report.sizes.map((s) => `${s.toLocaleString('en')} chars ${report.worstBySize[s]!.microsecondsPerChar} µs/char (${report.worstBySize[s]!.family})`).join('; '));
  lines.push(`Through the worker pool: ${report.throughPool.family}, ${report.throughPool.milliseconds} ms, ${report.throughPool.outcome}`);
  return lines.join('\n');
}
