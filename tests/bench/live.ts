// `npm run bench:live [-- --no-build] [-- --duration 5] [-- --connections 10] [-- --streams 2000] [-- --rounds 8]`
// What open live streams cost one server process (issue 15), in three parts:
// 1. Idle: the server's CPU (ms per second) and memory with no stream open, then with 2,000
//    streams open and nothing posted, on the fresh server (limit (a): peak RSS within 250 MB,
//    CPU near idle).
// 2. The benchmark's reads (the island's first page signed out and signed in), then its writes
//    (posting a comment, toggling a like), on two servers of the same build started alike, each
//    with its own copy of the seeded database ("twins"): one has the streams open, the other none.
//    A round measures each scenario on both, back to back (which goes first alternating), so the two
//    conditions see the same minute of this shared machine, whose other work moves a figure by half
//    from one minute to the next; measured a round apart, that noise was most of any difference.
//    Halfway through the rounds the streams move to the other twin, so that what differs between two
//    processes of one build (where V8 put things, what it compiled) counts for both conditions alike.
//    All the reads come before any write: the writes grow the essay the reads read (its first page
//    gains replies), which made the signed-in island five times dearer over a run when the two were
//    interleaved; each twin's essay grows by its own writes only. Each scenario is measured as req/s
//    and as the server's CPU time per request: CPU per request moves far less with other work than
//    req/s (all the server's threads, and the main thread alone: the rest is mostly V8's garbage
//    collection on its helper threads).
// 3. Per scenario, the median of the rounds' ratios (with / without) and their range (limit (c):
//    no more than 10% lost: req/s ratio ≥ 0.90, CPU per request ratio ≤ 1/0.9 ≈ 1.11).
// The streams follow another essay than the one written to, so they stay idle. Writes JSON to
// bench-results/ (git-ignored). Linux only for the server's figures (/proc).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { openStreams, type StreamCrowd } from '../load/live-streams.ts';
import { buildSite, TEST_ASTRO_KEY } from '../support/build-once.ts';
import { seedDataset } from '../support/dataset.ts';
import { islandUrl } from '../support/discussion-routes.ts';
import { ROOT, tempDir } from '../support/paths.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { cpuMs, measure, median, peakRssMb, processTree, resetPeakRss, rssMb, type Measurement, type Scenario } from './measure.ts';
import { writeScenarios } from './write-scenarios.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
const duration = option('duration', 5);
const connections = option('connections', 10);
const streamCount = option('streams', 2_000);
const rounds = option('rounds', 8);
const IDLE_ESSAY = 'taddicken-and-the-privacy-paradox';
const IDLE_SECONDS = 10;
const AIM = { rssMb: 250, idleCpuMsPerSecond: 50, ratio: 0.9 };

type Condition = 'without' | 'with';
interface Sample {
  round: number;
  condition: Condition;
  /** Which twin it was measured on. */
  server: string;
  loadAverage: number;
  measurement: Measurement;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The server's CPU over `seconds` with nothing asked of it, in ms per second (10 ms = 1% of a core). */
async function idleCpuMsPerSecond(pid: number, seconds: number): Promise<number | null> {
  const from = cpuMs(pid);
  const start = performance.now();
  await sleep(seconds * 1000);
  const to = cpuMs(pid);
  return from === null || to === null ? null : round((to - from) / ((performance.now() - start) / 1000), 1);
}

/** Sockets the server and its stream holder hold: how the benchmark knows they let go of the streams it closed. */
function socketsOf(pid: number): number {
  let sockets = 0;
  for (const one of processTree(pid)) {
    try {
      for (const fd of readdirSync(`/proc/${one}/fd`)) {
        try {
          if (readlinkSync(`/proc/${one}/fd/${fd}`).startsWith('socket:')) sockets++;
        } catch {
          // Closed meanwhile.
        }
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return sockets;
}

/** The idle streams, opened or closed on demand; closing waits until the server has dropped them, then each settles a second. */
function idleStreams(base: string, pid: number) {
  let crowd: StreamCrowd | null = null;
  return {
    get isOpen(): boolean {
      return crowd !== null;
    },
    async set(open: boolean): Promise<void> {
      if (open && !crowd) {
        crowd = await openStreams(base, IDLE_ESSAY, streamCount);
        if (crowd.streams.length < streamCount) throw new Error(`Only ${crowd.streams.length} of ${streamCount} streams opened; refused: ${JSON.stringify(crowd.refused)}`);
      } else if (!open && crowd) {
        crowd.close();
        crowd = null;
        for (let waited = 0; socketsOf(pid) > 50 && waited < 10_000; waited += 100) await sleep(100);
      } else return;
      await sleep(1_000);
    },
  };
}

/** What the measured server runs: the tree's commit and how many files differ from it (dist/ is as last built), its flags and malloc's settings. */
function serverFacts(pid: number) {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    changedFiles: git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).length,
    malloc: environ.filter((v) => v.startsWith('MALLOC_')),
    node: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.startsWith('--')),
  };
}

/** Part 1: idle, with no stream and then with the streams open (left open). */
async function measureIdle(pid: number, streams: ReturnType<typeof idleStreams>) {
  console.log(`Idle for ${IDLE_SECONDS} s with no stream open…`);
  const without = { rssMb: rssMb(pid), cpuMsPerSecond: await idleCpuMsPerSecond(pid, IDLE_SECONDS) };
  resetPeakRss(pid);
  const opening = performance.now();
  await streams.set(true);
  const openSeconds = round((performance.now() - opening) / 1000, 1);
  await sleep(2_000);
  console.log(`${streamCount} streams open in ${openSeconds} s; idle for ${IDLE_SECONDS} s…`);
  const cpuMsPerSecond = await idleCpuMsPerSecond(pid, IDLE_SECONDS);
  const withStreams = { rssMb: rssMb(pid), peakRssMb: peakRssMb(pid), cpuMsPerSecond, openSeconds };
  console.log(
    `  no stream: RSS ${without.rssMb} MB, CPU ${without.cpuMsPerSecond} ms/s; ` +
      `${streamCount} streams: RSS ${withStreams.rssMb} MB (peak ${withStreams.peakRssMb} MB), CPU ${withStreams.cpuMsPerSecond} ms/s`,
  );
  return { without, with: withStreams };
}

/** One of the two servers measured side by side, with its own scenarios and streams. */
interface Twin {
  name: string;
  server: RunningServer;
  pid: number;
  streams: ReturnType<typeof idleStreams>;
  reads: Scenario[];
  writes: Scenario[];
}

/** One scenario once on one twin, in one round. */
async function measureOn(twin: Twin, scenario: Scenario, roundNo: number, condition: Condition): Promise<Sample> {
  const loadAverage = round(loadavg()[0]!, 2);
  process.stdout.write(`  round ${roundNo}, server ${twin.name} ${condition} streams, ${scenario.name}… `);
  const m = await measure(scenario, { duration, connections, pid: twin.pid });
  console.log(`${m.requestsPerSecond} req/s, ${m.cpuMsPerRequest} CPU ms/req (${m.mainThreadCpuMsPerRequest} main thread), p99 ${m.p99Ms} ms, peak RSS ${m.peakRssMb} MB${m.failed ? `, ${m.failed} FAILED` : ''}`);
  return { round: roundNo, condition, server: twin.name, loadAverage, measurement: m };
}

/**
 * Part 2 for the reads or the writes: a warm-up on both twins, then `rounds` rounds, each measuring
 * every scenario on both back to back (the first twin first in odd rounds); the streams are on the
 * first twin for the first half of the rounds and on the second for the rest.
 */
async function measureRounds(group: (twin: Twin) => Scenario[], twins: readonly [Twin, Twin]): Promise<Sample[]> {
  console.log(`Warming up (2 s a scenario on each server, not counted), then ${rounds} rounds, ${duration} s a scenario on each, ${connections} connections:`);
  for (const twin of twins) for (const scenario of group(twin)) await measure(scenario, { duration: 2, connections });
  const samples: Sample[] = [];
  for (let r = 1; r <= rounds; r++) {
    const [streaming, other] = r <= Math.ceil(rounds / 2) ? twins : ([twins[1], twins[0]] as const);
    await other.streams.set(false);
    await streaming.streams.set(true);
    const order = r % 2 === 1 ? twins : ([twins[1], twins[0]] as const);
    for (let i = 0; i < group(twins[0]).length; i++) {
      for (const twin of order) samples.push(await measureOn(twin, group(twin)[i]!, r, twin === streaming ? 'with' : 'without'));
    }
  }
  return samples;
}

/** Part 3: per scenario, the medians of each condition and of the rounds' own ratios, with the range of those. */
function summarise(scenarios: Scenario[], samples: Sample[]) {
  const of = (name: string, condition: Condition) =>
    samples.filter((s) => s.measurement.name === name && s.condition === condition).sort((a, b) => a.round - b.round).map((s) => s.measurement);
  const compare = (name: string, figure: (m: Measurement) => number) => {
    const without = of(name, 'without').map(figure);
    const withStreams = of(name, 'with').map(figure);
    const perRound = withStreams.map((w, r) => w / without[r]!);
    return {
      without: median(without),
      with: median(withStreams),
      ratio: round(median(perRound), 2),
      range: [round(Math.min(...perRound), 2), round(Math.max(...perRound), 2)] as const,
    };
  };
  const peak = (name: string, condition: Condition) => Math.max(...of(name, condition).map((m) => m.peakRssMb ?? 0));
  return scenarios.map(({ name }) => ({
    scenario: name,
    requestsPerSecond: compare(name, (m) => m.requestsPerSecond),
    cpuMsPerRequest: compare(name, (m) => m.cpuMsPerRequest ?? NaN),
    mainThreadCpuMsPerRequest: compare(name, (m) => m.mainThreadCpuMsPerRequest ?? NaN),
    peakRssMb: { without: peak(name, 'without'), with: peak(name, 'with') },
  }));
}

function formatSummary(rows: ReturnType<typeof summarise>): string {
  const header = ['scenario', 'req/s without', 'req/s with', 'ratio (range)', 'CPU ms/req without', 'CPU ms/req with', 'ratio (range)', 'main thread only: ratio (range)', 'peak RSS MB without / with'];
  const pair = (c: { ratio: number; range: readonly [number, number] }) => `${c.ratio.toFixed(2)} (${c.range[0].toFixed(2)}–${c.range[1].toFixed(2)})`;
  const lines = rows.map((r) => [
    r.scenario,
    r.requestsPerSecond.without.toFixed(1),
    r.requestsPerSecond.with.toFixed(1),
    pair(r.requestsPerSecond),
    r.cpuMsPerRequest.without.toFixed(3),
    r.cpuMsPerRequest.with.toFixed(3),
    pair(r.cpuMsPerRequest),
    pair(r.mainThreadCpuMsPerRequest),
    `${r.peakRssMb.without} / ${r.peakRssMb.with}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [row(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...lines.map(row)].join('\n');
}

function verdicts(idle: Awaited<ReturnType<typeof measureIdle>>, rows: ReturnType<typeof summarise>): string[] {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const cpuAim = round(1 / AIM.ratio, 2);
  return [
    `(a) peak RSS with ${streamCount} idle streams: ${idle.with.peakRssMb} MB (aim ≤ ${AIM.rssMb}): ${met((idle.with.peakRssMb ?? Infinity) <= AIM.rssMb)}`,
    `(a) idle CPU with ${streamCount} streams: ${idle.with.cpuMsPerSecond} ms/s (${idle.without.cpuMsPerSecond} with none; aim ≤ ${AIM.idleCpuMsPerSecond}, 5% of a core): ${met((idle.with.cpuMsPerSecond ?? Infinity) <= AIM.idleCpuMsPerSecond)}`,
    ...rows.map(
      (r) =>
        `(c) ${r.scenario}, by the median: CPU per request ×${r.cpuMsPerRequest.ratio.toFixed(2)} (rounds ${r.cpuMsPerRequest.range.join('–')}; aim ≤ ${cpuAim}): ${met(r.cpuMsPerRequest.ratio <= cpuAim)}; ` +
        `req/s ×${r.requestsPerSecond.ratio.toFixed(2)} (rounds ${r.requestsPerSecond.range.join('–')}; aim ≥ ${AIM.ratio}): ${met(r.requestsPerSecond.ratio >= AIM.ratio)}`,
    ),
  ];
}

if (!process.argv.includes('--no-build')) {
  console.log('Building the site…');
  buildSite();
}

const databasePath = join(tempDir('tcb-bench-live-'), 'site.db');
console.log('Seeding the dataset…');
const seedDb = createDatabase(databasePath);
const dataset = seedDataset(seedDb);
closeDatabase(seedDb);

// The twins: the second server's database a copy of the first's (the seeding's WAL checkpointed on close).
const twinPath = join(tempDir('tcb-bench-live-'), 'site.db');
if (existsSync(`${databasePath}-wal`) && statSync(`${databasePath}-wal`).size > 0) throw new Error('The seeded database kept a write-ahead log; its copy would miss it.');
copyFileSync(databasePath, twinPath);
const servers: RunningServer[] = [];
let exitCode = 0;
try {
  for (const path of [databasePath, twinPath]) servers.push(await startServer({ DATABASE_PATH: path, ASTRO_KEY: TEST_ASTRO_KEY }));
  const pid = servers[0]!.process.pid!;
  const facts = serverFacts(pid);
  const loadAtStart = loadavg().map((l) => round(l, 2));
  const island = islandUrl(await (await fetch(`${servers[0]!.url}/essays/${dataset.hotEssay}/`)).text());
  // Each twin its own scenarios, whose counters then walk the same accounts and comments on both.
  const twinOf = (server: RunningServer, name: string): Twin => {
    let turn = 0;
    const signedIn = (request: { headers: Record<string, string> }) => {
      request.headers.cookie = `session=${dataset.sessionIds[turn++ % dataset.sessionIds.length]}`;
    };
    const { posting, liking } = writeScenarios(dataset, signedIn, 'Live benchmark comment');
    return {
      name,
      server,
      pid: server.process.pid!,
      streams: idleStreams(server.url, server.process.pid!),
      reads: [
        { name: 'island, first page, signed out', url: server.url + island },
        { name: 'island, first page, signed in', url: server.url + island, setup: signedIn },
      ],
      writes: [posting('post a comment', server.url), liking('toggle a like', server.url)],
    };
  };
  const twins = [twinOf(servers[0]!, 'A'), twinOf(servers[1]!, 'B')] as const;
  const scenarios = [...twins[0].reads, ...twins[0].writes];

  const idle = await measureIdle(pid, twins[0].streams);
  const samples = [...(await measureRounds((twin) => twin.reads, twins)), ...(await measureRounds((twin) => twin.writes, twins))];
  for (const twin of twins) await twin.streams.set(false);

  const rows = summarise(scenarios, samples);
  const loadAtEnd = loadavg().map((l) => round(l, 2));
  console.log(`\nMedians of ${rounds} rounds; ratio: the median of the rounds' own (with / without), in brackets the lowest and highest:\n`);
  console.log(formatSummary(rows) + '\n');
  for (const line of verdicts(idle, rows)) console.log(line);
  console.log(`Load average ${loadAtStart.join(' ')} at the start, ${loadAtEnd.join(' ')} at the end; tree ${facts.commit}${facts.changedFiles ? ` + ${facts.changedFiles} changed files` : ''}, ${[...facts.node, ...facts.malloc].join(' ')}`);

  const out = join(ROOT, 'bench-results');
  mkdirSync(out, { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAtStart, loadAtEnd };
  const file = join(out, `live-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), machine, server: facts, twins: true, duration, connections, streams: streamCount, rounds, idle, rows, samples }, null, 2) + '\n');
  console.log(`Written to ${file}`);
  if (samples.some((s) => s.measurement.failed > 0)) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const server of servers) await server.stop();
}
process.exit(exitCode);
