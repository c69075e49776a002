// One benchmark scenario: autocannon against one URL for a bounded time, summarised as the
// figures the README reports, with the server's peak resident memory during that scenario.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  /** The server's CPU time (user + system, all its threads) during the scenario, in ms. */
  serverCpuMs?: number | null;
  /**
   * That CPU time per request completed: what a request costs the server, which other work on a
   * shared machine moves far less than it moves req/s.
   */
  cpuMsPerRequest?: number | null;
  /** The part of it on the main thread (the rest: V8's garbage collection and compiler threads, libuv's pool, workers). */
  mainThreadCpuMsPerRequest?: number | null;
}

/**
 * A process and those it started, and theirs (Linux; just `pid` where /proc cannot tell): the
 * server and its live streams' holder (src/server/held-streams.ts), which together do the work a
 * figure is about. The comment renderer is a thread of the server, counted with it.
 */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // The parent is the second field after the command, which is in parentheses and may hold spaces.
        const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
      } catch {
        // Gone meanwhile.
      }
    }
  } catch {
    return [pid];
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

/** Resets the kernel's peak-RSS mark of a process and those it started (Linux), so each scenario reads its own peak. */
export function resetPeakRss(pid: number): void {
  for (const one of processTree(pid)) {
    try {
      writeFileSync(`/proc/${one}/clear_refs`, '5');
    } catch {
      // Not Linux, or not allowed: the peak then covers the whole run so far.
    }
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

/** A figure summed over the process tree; null if the process itself cannot tell. */
function treeMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  const own = statusMb(pid, field);
  if (own === null) return null;
  const others = processTree(pid)
    .slice(1)
    .reduce((sum, one) => sum + (statusMb(one, field) ?? 0), 0);
  return Math.round((own + others) * 10) / 10;
}

function threadCpuMs(stat: string): number {
  const fields = stat.split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time (user + system) in ms; null where /proc cannot tell. With `thread`, that thread's alone
 * (the main thread's id is the pid). Without, the process's (all its threads) and that of the
 * processes it started: those running now, and those it has waited for (cutime and cstime, fields
 * 16 and 17), so that a holder ending between two readings takes nothing away from the sum.
 */
export function cpuMs(pid: number, thread?: number): number | null {
  try {
    if (thread) return threadCpuMs(readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8'));
    let total = 0;
    for (const one of processTree(pid)) {
      try {
        const fields = readFileSync(`/proc/${one}/stat`, 'utf8').split(') ')[1]!.split(' ');
        total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
      } catch {
        if (one === pid) throw new Error('gone');
      }
    }
    return total;
  } catch {
    return null;
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The peak resident memory of a process and those it started, each since its mark was reset, summed: at most this much was resident at once. */
export function peakRssMb(pid: number): number | null {
  return treeMb(pid, 'VmHWM');
}

/** The resident memory of a process and those it started. */
export function rssMb(pid: number): number | null {
  return treeMb(pid, 'VmRSS');
}

export async function measure(
  scenario: Scenario,
  options: { duration: number; connections: number; pid?: number },
): Promise<Measurement> {
  if (options.pid) resetPeakRss(options.pid);
  const startRssMb = options.pid ? rssMb(options.pid) : null;
  const cpuFrom = options.pid ? cpuMs(options.pid) : null;
  const mainFrom = options.pid ? cpuMs(options.pid, options.pid) : null;
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
  const cpuTo = options.pid ? cpuMs(options.pid) : null;
  const mainTo = options.pid ? cpuMs(options.pid, options.pid) : null;
  const serverCpuMs = cpuFrom === null || cpuTo === null ? null : cpuTo - cpuFrom;
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries((result.statusCodeStats ?? {}) as Record<string, { count: number }>)) statuses[code] = Number(stat.count);
  const ok = new Set(scenario.ok ?? [200]);
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const good = Object.entries(statuses).reduce((sum, [code, n]) => sum + (ok.has(Number(code)) ? n : 0), 0);
  const perRequest = (from: number | null, to: number | null) => (from === null || to === null || !total ? null : Math.round(((to - from) / total) * 1000) / 1000);
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
    serverCpuMs,
    cpuMsPerRequest: perRequest(cpuFrom, cpuTo),
    mainThreadCpuMsPerRequest: perRequest(mainFrom, mainTo),
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
