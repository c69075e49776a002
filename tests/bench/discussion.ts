// `npm run bench:discussion`: the discussion island and its writes under load, beside a floor
// measured in the same run (the same rows by one raw better-sqlite3 query, rendered by string
// concatenation in a bare node:http server). Seeds an essay with 1,000 comments and 3,000 likes,
// then measures with autocannon: the island's first page signed out and signed in, posting a
// comment, toggling a like. Prints a table; writes JSON to bench-results/ (git-ignored).
// Options: --duration <s> (default 10), --connections <n> (default 10), --no-build, --only <text>.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { insertComment } from '../../db/discussion/comment-writes.ts';
import { insertUser } from '../../db/accounts/users.ts';
import { COMMENT_RENDERER_VERSION, renderCommentMarkdown } from '../../src/features/discussion/markdown/markdown.ts';
import { TEST_ASTRO_KEY } from '../support/build-once.ts';
import { freePort, startServer } from '../support/server.ts';
import { ROOT } from '../support/paths.ts';
import { sessionCookie } from '../support/session.ts';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'no-build': { type: 'boolean', default: false },
    /** Only the scenarios whose name contains this text. */
    only: { type: 'string', default: '' },
  },
});
const DURATION = Number(options.duration);
const CONNECTIONS = Number(options.connections);
const ESSAY = 'wechat-app-for-everything';
const COMMENTS = 1_000;
const TOP_LEVEL = 300;
const LIKES = 3_000;

if (!options['no-build']) {
  console.log('Building the site…');
  const built = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ASTRO_KEY: TEST_ASTRO_KEY, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) throw new Error('astro build failed');
}

// A deterministic pseudo-random sequence, so every run measures the same discussion.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

// BENCH_SERVER_NODE_OPTIONS (e.g. --cpu-prof) goes to the measured server only.
const server = await startServer({ ASTRO_KEY: TEST_ASTRO_KEY, ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) });
const db = server.db;
let floor: ChildProcess | undefined;
try {
  console.log('Seeding 1,000 comments and 3,000 likes…');
  const authors: string[] = [];
  const likers: string[] = [];
  const posters: string[] = [];
  const makeUsers = async (n: number, list: string[], prefix: string) => {
    for (let i = 0; i < n; i++) {
      const id = `${prefix}-${i}`;
      await insertUser(db, { id, username: `${prefix}${i}`, displayName: `${prefix} ${i}`, passwordHash: 'x' });
      list.push(id);
    }
  };
  await makeUsers(50, authors, 'author');
  await makeUsers(150, likers, 'liker');
  await makeUsers(1_500, posters, 'poster');

  const start = Date.now() - 30 * 86_400_000;
  const ids: number[] = [];
  const roots: number[] = [];
  db.$client.exec('begin');
  for (let i = 0; i < COMMENTS; i++) {
    const body = `Comment ${i}: the *convenience* of one app is the **price** of one profile. See https://example.org/${i} and \`code ${i}\`.\n\n> quoting an earlier point\n\n- one\n- two`;
    const parentId = i < TOP_LEVEL ? null : pick(ids.slice(Math.max(0, ids.length - 400)));
    const id = await insertComment(db, {
      essay: ESSAY,
      authorId: pick(authors),
      parentId,
      bodySource: body,
      bodyHtml: renderCommentMarkdown(body),
      rendererVersion: COMMENT_RENDERER_VERSION,
      createdAt: start + i * 60_000,
    });
    ids.push(id);
    if (parentId === null) roots.push(id);
  }
  const likeRow = db.$client.prepare('insert or ignore into likes (comment_id, user_id, created_at) values (?, ?, ?)');
  let liked = 0;
  while (liked < LIKES) liked += likeRow.run(pick(ids), pick(likers), start).changes;
  db.$client.exec('update comments set like_count = (select count(*) from likes where comment_id = comments.id)');
  db.$client.exec('commit');
  const firstPage = db.$client.prepare('select id from comments where root_id in (select id from comments where parent_id is null order by created_at, id limit 50)').pluck().all() as number[];
  console.log(`  ${COMMENTS} comments (${TOP_LEVEL} threads; ${firstPage.length} on the first page), ${liked} likes`);

  const viewer = await sessionCookie(db, likers[0]!);
  const likerCookies = await Promise.all(likers.map((id) => sessionCookie(db, id)));
  const posterCookies = await Promise.all(posters.map((id) => sessionCookie(db, id)));

  const essayPage = await (await fetch(`${server.url}/essays/${ESSAY}/`)).text();
  const islandPath = /href="(\/_server-islands\/Discussion[^"]+)"/.exec(essayPage)![1]!.replaceAll('&amp;', '&');

  const floorPort = await freePort();
  floor = spawn(process.execPath, [join(ROOT, 'tests/bench/discussion-floor.ts')], {
    env: { ...process.env, DATABASE_PATH: server.databasePath, ESSAY, PORT: String(floorPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => floor!.stdout!.once('data', () => resolve()));
  const floorUrl = `http://127.0.0.1:${floorPort}`;

  type Shape = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
  let postCounter = 0;
  let posterIndex = 0;
  const scenarios: { name: string; app: () => Shape; floor: () => Shape }[] = [
    {
      name: 'island, first page, signed out',
      app: () => ({ method: 'GET', path: islandPath, headers: {} }),
      floor: () => ({ method: 'GET', path: '/island', headers: {} }),
    },
    {
      name: 'island, first page, signed in',
      app: () => ({ method: 'GET', path: islandPath, headers: { cookie: `session=${viewer.value}` } }),
      floor: () => ({ method: 'GET', path: '/island', headers: { cookie: `session=${viewer.value}` } }),
    },
    {
      name: 'toggle a like',
      app: () => likeRequest(),
      floor: () => likeRequest(),
    },
    {
      name: 'post a comment',
      app: () => postRequest(),
      floor: () => postRequest(),
    },
  ];
  function likeRequest(): Shape {
    const cookie = pick(likerCookies);
    return {
      method: 'POST',
      path: `/comments/${pick(firstPage)}/like`,
      headers: { cookie: `session=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded', 'x-discussion-fragment': '1' },
      body: `liked=${random() < 0.5 ? 1 : 0}`,
    };
  }
  function postRequest(): Shape {
    // Each poster posts once per run: the rate limits (5 a minute) are not what is measured.
    const cookie = posterCookies[posterIndex++ % posterCookies.length]!;
    const n = ++postCounter;
    return {
      method: 'POST',
      path: '/comments/new',
      headers: { cookie: `session=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded', 'x-discussion-fragment': '1' },
      body: new URLSearchParams({ essay: ESSAY, body: `Benchmark comment ${n}, with *emphasis* and a link: https://example.org/${n}` }).toString(),
    };
  }

  async function measure(base: string, shape: () => Shape) {
    const origin = base;
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [{ setupRequest: (req: any) => { const s = shape(); return { ...req, ...s, headers: { ...s.headers, origin } }; } }],
    });
    const bad = result.non2xx + result.errors + result.timeouts;
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, non2xx: result.non2xx, errors: result.errors + result.timeouts, bad };
  }

  const rows = [];
  for (const scenario of scenarios.filter((s) => s.name.includes(options.only!))) {
    console.log(`Measuring: ${scenario.name} (${DURATION} s each, ${CONNECTIONS} connections)…`);
    const app = await measure(server.url, scenario.app);
    const base = await measure(floorUrl, scenario.floor);
    rows.push({ scenario: scenario.name, app, floor: base, share: app.rps / base.rps });
  }

  const f = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const table = [
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'p99/p50', 'floor req/s', 'floor p50', 'floor p99', 'vs floor', 'non-2xx'],
    ...rows.map((r) => [
      r.scenario,
      f(r.app.rps),
      f(r.app.p50, 1),
      f(r.app.p99, 1),
      f(r.app.p99 / Math.max(r.app.p50, 1), 1) + '×',
      f(r.floor.rps),
      f(r.floor.p50, 1),
      f(r.floor.p99, 1),
      f(r.share * 100) + '%',
      String(r.app.non2xx + r.app.errors),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  console.log('\n' + table.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n'));
  console.log('\nAim: the island at 50% or more of the floor’s throughput, p99 under 5× p50.');

  const folder = join(ROOT, 'bench-results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `discussion-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), node: process.version, duration: DURATION, connections: CONNECTIONS, comments: COMMENTS, likes: liked, firstPageComments: firstPage.length, results: rows }, null, 2) + '\n',
  );
  console.log(`Results written to ${file}`);
} finally {
  floor?.kill('SIGTERM');
  await server.stop();
}
