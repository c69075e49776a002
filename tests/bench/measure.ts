// One benchmark scenario: autocannon against one URL for a bounded time, summarised as the
// figures the README reports, with the server's peak resident memory during that scenario.
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * What every request accepts, as browsers send it, so bytes are counted as transferred (autocannon
 * counts what arrives on the socket). BENCH_ACCEPT_ENCODING=identity measures them uncompressed.
 */
export const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? 'br, gzip';

export interface Scenario {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  /** Called for every request: vary the body, the cookie, the target. */
  setup?: (request: { headers: Record<string, string>; body?: string; path: string }) => void;
  headers?: Record<string, string>;
  /** Statuses that count as success (autocannon itself counts only 2xx). */
  ok?: number[];
}

export interface Measurement {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  bytesPerResponse: number;
  requests: number;
  failed: number;
  statuses: Record<string, number>;
  peakRssMb: number | null;
  /**
   * Resident memory when the scenario began: the peak cannot read lower, since the kernel's mark
   * is reset to it. A high start is memory an earlier scenario took and the process kept.
   */
  startRssMb?: number | null;
}

/** Resets the kernel's peak-RSS mark of a process (Linux), so each scenario reads its own peak. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or not allowed: the peak then covers the whole run so far.
  }
}

function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

export function peakRssMb(pid: number): number | null {
  return statusMb(pid, 'VmHWM');
}

export function rssMb(pid: number): number | null {
  return statusMb(pid, 'VmRSS');
}

export async function measure(
  scenario: Scenario,
  options: { duration: number; connections: number; pid?: number },
): Promise<Measurement> {
  if (options.pid) resetPeakRss(options.pid);
  const startRssMb = options.pid ? rssMb(options.pid) : null;
  const url = new URL(scenario.url);
  const result = await autocannon({
    url: url.origin,
    connections: options.connections,
    duration: options.duration,
    // A request that takes longer than this counts as an error, not a hang.
    timeout: 20,
    requests: [
      {
        method: scenario.method ?? 'GET',
        path: url.pathname + url.search,
        headers: { 'accept-encoding': ACCEPT_ENCODING, ...scenario.headers },
        setupRequest: (request: { headers: Record<string, string>; body?: string; path: string }) => {
          request.headers = { ...request.headers };
          scenario.setup?.(request);
          return request;
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries((result.statusCodeStats ?? {}) as Record<string, { count: number }>)) statuses[code] = Number(stat.count);
  const ok = new Set(scenario.ok ?? [200]);
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const good = Object.entries(statuses).reduce((sum, [code, n]) => sum + (ok.has(Number(code)) ? n : 0), 0);
  return {
    name: scenario.name,
    requestsPerSecond: Math.round((total / result.duration) * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    bytesPerResponse: total ? Math.round(result.throughput.total / total) : 0,
    requests: total,
    failed: total - good + result.errors + result.timeouts,
    statuses,
    peakRssMb: options.pid ? peakRssMb(options.pid) : null,
    startRssMb,
  };
}

export function formatTable(rows: Measurement[]): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'p99/p50', 'bytes/resp', 'requests', 'failed', 'peak RSS MB', 'RSS at start'];
  const lines = rows.map((r) => [
    r.name,
    r.requestsPerSecond.toFixed(1),
    String(r.p50Ms),
    String(r.p99Ms),
    (r.p99Ms / Math.max(r.p50Ms, 1)).toFixed(1),
    String(r.bytesPerResponse),
    String(r.requests),
    String(r.failed),
    r.peakRssMb === null ? '-' : r.peakRssMb.toFixed(1),
    r.startRssMb === null || r.startRssMb === undefined ? '-' : r.startRssMb.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [row(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...lines.map(row)].join('\n');
}
