// `npm run bench:live [-- --no-build] [-- --duration 10] [-- --connections 10] [-- --streams 2000]`
// What open live streams cost everything else: the benchmark's reads and writes (the island's first
// page signed out and signed in, posting a comment, toggling a like) measured with no stream open,
// then again with 2,000 idle streams open on the same server process (on another essay than the
// one written to, so they are idle: nothing they follow changes). Prints both, the ratio of each
// (aim: no more than 10% lost) and the server's peak RSS with the streams open; writes JSON to
// bench-results/ (git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { cpuMs, openStreams } from '../load/live-streams.ts';
import { buildSite, TEST_ASTRO_KEY } from '../support/build-once.ts';
import { seedDataset } from '../support/dataset.ts';
import { islandUrl } from '../support/discussion-routes.ts';
import { ROOT, tempDir } from '../support/paths.ts';
import { startServer } from '../support/server.ts';
import { measure, peakRssMb, resetPeakRss, type Measurement, type Scenario } from './measure.ts';
import { writeScenarios } from './write-scenarios.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
const duration = option('duration', 10);
const connections = option('connections', 10);
const streamCount = option('streams', 2_000);
const IDLE_ESSAY = 'taddicken-and-the-privacy-paradox';

if (!process.argv.includes('--no-build')) {
  console.log('Building the site…');
  buildSite();
}

const databasePath = join(tempDir('tcb-bench-live-'), 'site.db');
console.log('Seeding the dataset…');
const seedDb = createDatabase(databasePath);
const dataset = seedDataset(seedDb);
closeDatabase(seedDb);

const server = await startServer({ DATABASE_PATH: databasePath, ASTRO_KEY: TEST_ASTRO_KEY });
const pid = server.process.pid!;
let exitCode = 0;
try {
  const island = islandUrl(await (await fetch(`${server.url}/essays/${dataset.hotEssay}/`)).text());
  let turn = 0;
  const signedIn = (request: { headers: Record<string, string> }) => {
    request.headers.cookie = `session=${dataset.sessionIds[turn++ % dataset.sessionIds.length]}`;
  };
  const { posting, liking } = writeScenarios(dataset, signedIn, 'Live benchmark comment');
  const scenarios: Scenario[] = [
    { name: 'island, first page, signed out', url: server.url + island },
    { name: 'island, first page, signed in', url: server.url + island, setup: signedIn },
    posting('post a comment', server.url),
    liking('toggle a like', server.url),
  ];

  const run = async (label: string): Promise<Measurement[]> => {
    const results: Measurement[] = [];
    for (const scenario of scenarios) {
      process.stdout.write(`  ${scenario.name}, ${label}… `);
      const m = await measure(scenario, { duration, connections, pid });
      console.log(`${m.requestsPerSecond} req/s, p99 ${m.p99Ms} ms, peak RSS ${m.peakRssMb} MB${m.failed ? `, ${m.failed} FAILED` : ''}`);
      results.push(m);
    }
    return results;
  };

  console.log(`Measuring for ${duration} s each with ${connections} connections:`);
  const without = await run('no streams');
  resetPeakRss(pid);
  const crowd = await openStreams(server.url, IDLE_ESSAY, streamCount);
  const openedRss = peakRssMb(pid);
  const idleFrom = cpuMs(pid);
  await new Promise((r) => setTimeout(r, 5_000));
  const idleCpuPercent = idleFrom === null ? null : Math.round(((cpuMs(pid)! - idleFrom) / 5_000) * 1000) / 10;
  console.log(`${crowd.streams.length} streams open (refused: ${JSON.stringify(crowd.refused)}), peak RSS ${openedRss} MB, idle CPU ${idleCpuPercent}% of a core`);
  const withStreams = await run(`${crowd.streams.length} idle streams`);
  crowd.close();

  const rows = scenarios.map((s, i) => ({
    scenario: s.name,
    without: without[i]!.requestsPerSecond,
    with: withStreams[i]!.requestsPerSecond,
    ratio: Math.round((withStreams[i]!.requestsPerSecond / without[i]!.requestsPerSecond) * 100) / 100,
    peakRssMb: withStreams[i]!.peakRssMb,
  }));
  const header = ['scenario', 'req/s, no streams', `req/s, ${crowd.streams.length} idle streams`, 'ratio', 'peak RSS MB'];
  const lines = rows.map((r) => [r.scenario, r.without.toFixed(1), r.with.toFixed(1), r.ratio.toFixed(2), String(r.peakRssMb ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`\n${[row(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...lines.map(row)].join('\n')}\n`);
  console.log('Aim: a ratio of 0.90 or more for each (no more than 10% lost with the streams open).');

  const out = join(ROOT, 'bench-results');
  mkdirSync(out, { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
  const file = join(out, `live-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), machine, duration, connections, streams: crowd.streams.length, openedRss, idleCpuPercent, rows, without, withStreams }, null, 2) + '\n');
  console.log(`Written to ${file}`);
  if ([...without, ...withStreams].some((m) => m.failed > 0)) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await server.stop();
}
process.exit(exitCode);
