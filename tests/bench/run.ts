// `npm run bench [-- --no-build] [-- --duration 10] [-- --connections 10] [-- --only <text>]`
// Seeds a deterministic dataset into a fresh SQLite file, builds and starts the real server on
// 127.0.0.1, measures each scenario with autocannon, measures the floor (one raw query and string
// concatenation in a bare node:http server, the discussion benchmark's discussion-floor.ts) in the
// same run, prints a table and writes JSON into bench-results/ (git-ignored).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { buildSite, TEST_ASTRO_KEY } from '../support/build-once.ts';
import { seedDataset } from '../support/dataset.ts';
import { islandUrl, postRequest } from '../support/discussion-routes.ts';
import { ROOT, tempDir } from '../support/paths.ts';
import { startProcess, stopProcess } from '../support/process.ts';
import { freePort, startServer } from '../support/server.ts';
import { ACCEPT_ENCODING, formatTable, measure, type Measurement, type Scenario } from './measure.ts';
import { attribute, formatAttribution, readProfile } from './cpu-profile.ts';
import { formatRenderCost, measureRenderCost, type RenderCostReport } from './render-cost.ts';
import { pageWeight, transfer } from './transferred.ts';
import { writeScenarios } from './write-scenarios.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const duration = option('duration', 10);
// --only <text>: measure only the scenarios whose name contains it (to profile one).
const only = process.argv.includes('--only') ? (process.argv[process.argv.indexOf('--only') + 1] ?? '') : '';
// 50 connections, as the aims of issue 14 were measured.
const connections = option('connections', 50);

if (!process.argv.includes('--no-build')) {
  console.log('Building the site…');
  buildSite();
}

const dir = tempDir('tcb-bench-');
const databasePath = join(dir, 'site.db');
console.log('Seeding the dataset…');
const seedDb = createDatabase(databasePath);
const dataset = seedDataset(seedDb);
closeDatabase(seedDb);
console.log(
  `Seeded ${dataset.counts.accounts} accounts, ${dataset.counts.comments} comments, ${dataset.counts.likes} likes ` +
    `(${dataset.hotEssay}: ${dataset.counts.hotComments} comments, ${dataset.counts.hotLikes} likes) in ${dataset.seconds.toFixed(1)} s`,
);

// BENCH_SERVER_NODE_OPTIONS (e.g. --max-semi-space-size=16) goes to the measured server only.
// --profile: a CPU profile of the measured server, attributed (cpu-profile.ts) when it stops.
const profileDir = process.argv.includes('--profile') ? join(ROOT, 'bench-results', `profile-${new Date().toISOString().replace(/[:.]/g, '-')}`) : null;
const serverNodeOptions = [process.env.BENCH_SERVER_NODE_OPTIONS ?? '', profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : ''].join(' ').trim();
// WORKERS (1 unless given) is the measured server's: the figures are then for all its processes.
const workers = process.env.WORKERS ?? '1';
const server = await startServer({ DATABASE_PATH: databasePath, ASTRO_KEY: TEST_ASTRO_KEY, WORKERS: workers, ...(serverNodeOptions ? { NODE_OPTIONS: serverNodeOptions } : {}) });
// With several workers the started process is the primary, which serves nothing: memory is read from its first worker.
const servingPid = (pid = server.process.pid!): number => {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || pid;
  } catch {
    return pid; // not Linux: the peak is then the primary's
  }
};
const floorPort = await freePort();
// The discussion benchmark's floor: one raw query and string concatenation in bare node:http.
const floor = await startProcess(
  [join(ROOT, 'tests/bench/discussion-floor.ts')],
  { DATABASE_PATH: databasePath, PORT: String(floorPort), ESSAY: dataset.hotEssay },
  'floor listening',
);
const floorUrl = `http://127.0.0.1:${floorPort}`;

// Signed-in writes rotate through every seeded account, as real readers would arrive.
let turn = 0;
const nextAccount = () => turn++ % dataset.sessionIds.length;
const signedIn = (request: { headers: Record<string, string> }) => {
  request.headers.cookie = `session=${dataset.sessionIds[nextAccount()]}`;
};

// Signed-in reads: 200 different readers in turn, each with their own likes, flags and comments.
let reader = 0;
const oneOfTheReaders = (request: { headers: Record<string, string> }) => {
  request.headers.cookie = `session=${dataset.sessionIds[reader++ % 200]}`;
};

/** Posts `perSecond` comments a second to the hot essay until stopped, each from the next of the last 1,000 accounts. */
function writingInBackground(base: string, perSecond: number) {
  let n = 0;
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const i = n++;
    const account = dataset.sessionIds.length - 1 - (i % 1_000);
    const request = postRequest(base, { essay: dataset.hotEssay, parentId: null, body: `Background comment ${i}, posted while readers read.` });
    const sent = fetch(base + request.path, {
      method: 'POST',
      headers: { ...request.headers, cookie: `session=${dataset.sessionIds[account]}` },
      body: request.body,
      redirect: 'manual',
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 303 && response.status !== 201 && response.status !== 200) failed++;
      })
      .catch(() => void failed++)
      .finally(() => pending.delete(sent));
    pending.add(sent);
  }, 1_000 / perSecond);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return { posted: n, failed };
    },
  };
}

const results: Measurement[] = [];
// A scenario left out by --only: no figures, so its ratios come out as NaN.
const skipped = (name: string): Measurement => ({ name, requestsPerSecond: NaN, p50Ms: NaN, p99Ms: NaN, bytesPerResponse: 0, requests: 0, failed: 0, statuses: {}, peakRssMb: null });
const run = async (scenario: Scenario, pid = servingPid()) => {
  if (!scenario.name.includes(only)) return skipped(scenario.name);
  process.stdout.write(`  ${scenario.name}… `);
  const m = await measure(scenario, { duration, connections, pid });
  results.push(m);
  console.log(`${m.requestsPerSecond} req/s, p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms${m.failed ? `, ${m.failed} FAILED` : ''}`);
  return m;
};

let exitCode = 0;
try {
  const essayPath = `/essays/${dataset.hotEssay}/`;
  const essayHtml = await (await fetch(server.url + essayPath)).text();
  const island = islandUrl(essayHtml);
  // Bytes as a reader receives them, with the Accept-Encoding every scenario sends (measure.ts).
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const essayPage = await pageWeight(server.url, essayPath, essayHtml);
  const transferred = {
    acceptEncoding: ACCEPT_ENCODING,
    essayPage,
    islandSignedOutBytes: (await transfer(server.url + island)).bytes,
    islandSignedInBytes: (await transfer(server.url + island, { cookie: `session=${dataset.sessionIds[0]}` })).bytes,
  };
  console.log(
    `As transferred (Accept-Encoding: ${ACCEPT_ENCODING}): essay page ${kb(essayPage.html)} + CSS ${kb(essayPage.css)} = ${kb(essayPage.total)}; ` +
      `island's first page ${kb(transferred.islandSignedOutBytes)} signed out, ${kb(transferred.islandSignedInBytes)} signed in`,
  );
  console.log(`Measuring for ${duration} s each with ${connections} connections:`);
  await run({ name: 'essay page (static)', url: server.url + essayPath });
  const islandOut = await run({ name: 'island, first page, signed out', url: server.url + island });
  const islandIn = await run({ name: 'island, first page, signed in', url: server.url + island, setup: oneOfTheReaders });
  // Reads between writes come from the render cache; here a writer posts 4 comments a second
  // (from accounts the other scenarios do not use), so readers keep meeting a new database version.
  const mixed = 'island, signed out, 4 posts/s';
  const writer = mixed.includes(only) ? writingInBackground(server.url, 4) : null;
  const islandMixed = await run({ name: mixed, url: server.url + island });
  const written = await writer?.stop();
  if (written) console.log(`    (the writer posted ${written.posted} comments, ${written.failed} refused or failed)`);
  const floorOut = await run({ name: 'floor, signed out', url: floorUrl }, floor.pid);
  const floorIn = await run({ name: 'floor, signed in', url: floorUrl, setup: oneOfTheReaders }, floor.pid);

  const { posting, liking } = writeScenarios(dataset, signedIn);
  const postApp = await run(posting('post a comment', server.url));
  const likeApp = await run(liking('toggle a like', server.url));
  const postFloor = await run(posting('floor, post a comment', floorUrl), floor.pid);
  const likeFloor = await run(liking('floor, toggle a like', floorUrl), floor.pid);

  // Not a request: the Markdown renderer's worst cost per character on hostile input (--only render).
  let renderCost: RenderCostReport | null = null;
  if ('comment render cost'.includes(only)) {
    process.stdout.write('  comment render cost (hostile Markdown)… ');
    renderCost = await measureRenderCost();
    console.log(`worst ${renderCost.worst[0]!.microsecondsPerChar} µs/char\n${formatRenderCost(renderCost)}`);
  }

  const ratio = (a: Measurement, b: Measurement) => Math.round((a.requestsPerSecond / b.requestsPerSecond) * 100) / 100;
  const summary = {
    islandToFloorSignedOut: ratio(islandOut, floorOut),
    islandToFloorSignedIn: ratio(islandIn, floorIn),
    islandWhilePostingToFloor: ratio(islandMixed, floorOut),
    postToFloor: ratio(postApp, postFloor),
    likeToFloor: ratio(likeApp, likeFloor),
    peakRssMb: Math.max(...results.filter((r) => !r.name.startsWith('floor')).map((r) => r.peakRssMb ?? 0)),
  };
  // The load average says how much else the machine was doing: figures from a busy machine are low.
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
  console.log(`\n${formatTable(results)}\n`);
  console.log(
    `island / floor throughput: signed out ${summary.islandToFloorSignedOut}, signed in ${summary.islandToFloorSignedIn}, ` +
      `signed out while posting ${summary.islandWhilePostingToFloor}; ` +
      `posting ${summary.postToFloor}, liking ${summary.likeToFloor}`,
  );
  console.log(`server peak RSS: ${summary.peakRssMb} MB${workers === '1' ? '' : ` (one of ${workers} workers)`}${serverNodeOptions ? ` (server NODE_OPTIONS: ${serverNodeOptions})` : ''} · ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`);

  const out = join(ROOT, 'bench-results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const report = { when: new Date().toISOString(), machine, duration, connections, workers: Number(workers), serverNodeOptions, dataset: { ...dataset.counts, seedSeconds: dataset.seconds, hotEssay: dataset.hotEssay }, transferred, results, summary, renderCost };
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(out, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`Written to ${file}`);
  if (results.some((r) => r.failed > 0)) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await stopProcess(floor);
  await server.stop();
}
if (profileDir) {
  // The server's profile is the largest (the migration child writes one too, and workers one each).
  const files = readdirSync(profileDir).map((f) => join(profileDir, f)).sort((a, b) => statSync(b).size - statSync(a).size);
  const requests = results.filter((r) => !r.name.startsWith('floor')).reduce((n, r) => n + r.requests, 0);
  console.log(`\nCPU profile ${files[0]}\n${formatAttribution(attribute(readProfile(files[0]!)), requests)}`);
}
process.exit(exitCode);
