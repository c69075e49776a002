// What a load run found: the facts any copy of the database must satisfy, readers' latency
// percentiles, and the table `npm run test:load` prints.
import type { Db } from '../../db/client.ts';
import type { LoadReport } from './harness.ts';

export function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
}

/** What must hold of any copy of the database, and the load comments it holds (by nonce). */
export function inspect(db: Db) {
  const sqlite = db.$client;
  const problems: string[] = [];
  const integrity = String(sqlite.pragma('integrity_check', { simple: true }));
  if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
  const drift = sqlite
    .prepare<[], { id: number; like_count: number; n: number }>(
      `select c.id, c.like_count, (select count(*) from likes l where l.comment_id = c.id) as n from comments c where c.like_count != n`,
    )
    .all();
  for (const d of drift) problems.push(`comment ${d.id} says ${d.like_count} likes but has ${d.n} rows`);
  const nonces = new Map<string, number>();
  for (const { body_source } of sqlite.prepare<[], { body_source: string }>(`select body_source from comments where body_source like 'Comment load-%'`).all()) {
    const nonce = /^Comment (load-\d+-\d+):/.exec(body_source)?.[1];
    if (nonce) nonces.set(nonce, (nonces.get(nonce) ?? 0) + 1);
  }
  const count = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return { integrity, problems, nonces, comments: count('comments'), likes: count('likes') };
}

export function formatLoadReport(report: LoadReport): string {
  const lines = [
    report.crash.killedAtSeconds ? `ran ${report.seconds} s; server SIGKILLed at ${report.crash.killedAtSeconds} s, back after ${report.crash.downSeconds} s` : `ran ${report.seconds} s, no crash`,
    '| request | ' + ['2xx/3xx', '429', 'other 4xx', '5xx', 'no reply'].join(' | ') + ' |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [kind, tally] of Object.entries(report.requests)) {
    const sum = (pred: (code: number) => boolean) => Object.entries(tally).reduce((s, [code, n]) => s + (code !== 'lost' && pred(Number(code)) ? n : 0), 0);
    lines.push(`| ${kind} | ${sum((c) => c < 400)} | ${sum((c) => c === 429)} | ${sum((c) => c >= 400 && c < 500 && c !== 429)} | ${sum((c) => c >= 500)} | ${tally.lost ?? 0} |`);
  }
  lines.push(`acknowledged: ${report.acknowledged.comments} comments, ${report.acknowledged.likes} like toggles; replies lost in the crash: ${report.unacknowledged}`);
  if (report.backup) lines.push(`backup at ${report.backup.takenAtSeconds} s: ${report.backup.comments} comments, ${report.backup.likes} likes, integrity ${report.backup.integrity}; restored and checked`);
  lines.push(`readers' latency over ${report.latency.count} requests: p50 ${report.latency.p50} ms, p99 ${report.latency.p99} ms, max ${report.latency.max} ms`);
  if (report.hostile) lines.push(`hostile client's answers: ${Object.entries(report.hostile).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  lines.push(`final database: ${report.final.comments} comments, ${report.final.likes} likes, integrity ${report.final.integrity}`);
  lines.push(report.problems.length ? `FAILED: ${report.problems.length} problem(s):\n  ${report.problems.slice(0, 50).join('\n  ')}` : 'every acknowledged write is there, once; counts match rows; no 5xx');
  return lines.join('\n');
}
