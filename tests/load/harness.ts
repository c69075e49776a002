// Load and crash: concurrent readers with their own accounts post comments and replies and
// toggle likes against the real server; midway the server is killed with SIGKILL and started again
// on the same database, and the clients carry on. An online backup is taken under the load.
// Afterwards every acknowledged write is looked for, and every broken promise is named.
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeDatabase, createDatabase, openDatabase } from '../../db/client.ts';
import { TEST_ASTRO_KEY } from '../support/build-once.ts';
import { seedDataset } from '../support/dataset.ts';
import { likeRequest, postRequest, type HttpRequest } from '../support/discussion-routes.ts';
import { ROOT, tempDir } from '../support/paths.ts';
import { seededRandom } from '../support/random.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { hostileClient } from './hostile-client.ts';
import { inspect, percentiles } from './report.ts';

export { formatLoadReport } from './report.ts';

export interface LoadOptions {
  clients?: number;
  /** How long the clients run, in seconds; the server is killed halfway. */
  seconds?: number;
  accountsPerClient?: number;
  seed?: number;
  log?: (line: string) => void;
  /** Kill the server with SIGKILL halfway and start it again (default true). */
  crash?: boolean;
  /** Each reader's pause between requests, on average, in ms (0: back to back, a stress test). */
  thinkMs?: number;
  /** One more client that sends the worst inputs known, all the time; readers' p99 must stay under HOSTILE_P99_MS. */
  hostile?: boolean;
}

/** With a hostile client sending its worst, the other readers' 99th-percentile latency must stay under this. */
export const HOSTILE_P99_MS = 1000;

export interface LoadReport {
  problems: string[];
  requests: Record<string, Record<string, number>>;
  acknowledged: { comments: number; likes: number };
  unacknowledged: number;
  crash: { killedAtSeconds: number; downSeconds: number };
  backup: { takenAtSeconds: number; comments: number; likes: number; integrity: string } | null;
  final: { comments: number; likes: number; integrity: string };
  seconds: number;
  /** The ordinary readers' response times (reads, posts, likes), in ms. */
  latency: { count: number; p50: number; p99: number; max: number };
  /** What the hostile client sent, by status. */
  hostile: Record<string, number> | null;
}

interface Ack {
  kind: 'comment' | 'like';
  at: number;
}
interface CommentAck extends Ack {
  kind: 'comment';
  nonce: string;
  client: number;
}

const ESSAY = 'wechat-app-for-everything';
const POST_INTERVAL_MS = 12_500;
/** A response body as one short line, for a problem report. */
const snippet = (text: string) => text.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^<>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(options: LoadOptions = {}): Promise<LoadReport> {
  const clients = options.clients ?? 50;
  const seconds = options.seconds ?? 30;
  const perClient = options.accountsPerClient ?? 3;
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed ?? 11);
  const dir = tempDir('tcb-load-');
  const databasePath = join(dir, 'site.db');

  // Readers who already took part, and one set of fresh accounts per client.
  const seedDb = createDatabase(databasePath);
  const dataset = seedDataset(seedDb, {
    accounts: clients * perClient + 50,
    comments: 600,
    likes: 1_500,
    hotEssay: ESSAY,
    hotComments: 300,
    hotLikes: 600,
  });
  closeDatabase(seedDb);
  const accountOf = (client: number, k: number) => 50 + client * perClient + k;

  // What the clients know: comments to answer and like (with their author's account index).
  const known: { id: number; author: number }[] = dataset.hotComments.map((c) => ({ ...c }));
  const commentAcks: CommentAck[] = [];
  // The last word on each (account, comment) like: acknowledged state, or unknown after a lost reply.
  const likeState = new Map<string, { liked: boolean; acknowledged: boolean; account: number; commentId: number }>();
  const requests: Record<string, Record<string, number>> = { comment: {}, reply: {}, like: {}, read: {} };
  const latencies: number[] = [];
  const problems: string[] = [];
  let likeAcks = 0;
  let unacknowledged = 0;

  let server: RunningServer = await startServer({ DATABASE_PATH: databasePath, ASTRO_KEY: TEST_ASTRO_KEY });
  const port = server.port;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const deadline = started + seconds * 1000;

  const send = async (kind: string, request: HttpRequest | { method: 'GET'; path: string }, account: number) => {
    const tally = requests[kind]!;
    try {
      const sent = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
        method: request.method,
        headers: { ...('headers' in request ? request.headers : {}), cookie: `session=${dataset.sessionIds[account]}` },
        body: 'body' in request ? request.body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      latencies.push(performance.now() - sent);
      tally[response.status] = (tally[response.status] ?? 0) + 1;
      if (response.status >= 500) problems.push(`${kind} by account ${account} got ${response.status} at ${elapsed().toFixed(1)} s: ${snippet(text)}`);
      return { status: response.status, location: response.headers.get('location') ?? '', text, retryAfter: Number(response.headers.get('retry-after') ?? 0) };
    } catch {
      // Refused while the server is down, or cut off when it died: the write may or may not be in.
      tally.lost = (tally.lost ?? 0) + 1;
      unacknowledged++;
      return null;
    }
  };
  const acknowledged = (status: number) => status >= 200 && status < 400;

  const client = async (c: number) => {
    const mutedUntil = Array.from({ length: perClient }, () => 0);
    // Likes have their own limit (30 a minute an account): a reader told to wait waits.
    const likesMutedUntil = Array.from({ length: perClient }, () => 0);
    let n = 0;
    type Post = { account: number; parentId: number | null; body: string; nonce: string };
    let pending: Post | null = null;
    while (performance.now() < deadline) {
      if (options.thinkMs) await sleep(options.thinkMs * 2 * random.next());
      const k = random.int(perClient);
      const account = accountOf(c, k);
      const roll = random.next();
      if (!pending && roll > 0.75) {
        // Readers mostly read: a page of the discussion, as a signed-in reader sees it.
        const result = await send('read', { method: 'GET', path: `/discussion/${ESSAY}/?sort=${random.pick(['oldest', 'newest', 'liked'])}` }, account);
        if (result && result.status !== 200) problems.push(`read by account ${account} answered ${result.status}: ${snippet(result.text)}`);
        if (!result) await sleep(100);
        continue;
      }
      if (pending || (roll < 0.45 && performance.now() >= mutedUntil[k]!)) {
        // A post whose reply was lost is sent again with the same text, as a reader would.
        const post: Post = pending ?? (() => {
          const nonce = `load-${c}-${n++}`;
          const parent = roll < 0.2 ? random.pick(known).id : null;
          return { account, parentId: parent, nonce, body: `Comment ${nonce}: ${parent ? 'a reply to the point above' : 'on the essay'}.` };
        })();
        const result = await send(post.parentId ? 'reply' : 'comment', postRequest(`http://127.0.0.1:${port}`, { essay: ESSAY, parentId: post.parentId, body: post.body }), post.account);
        if (!result) {
          pending = post;
          await sleep(100);
          continue;
        }
        pending = null;
        const slot = post.account - accountOf(c, 0);
        if (acknowledged(result.status)) {
          commentAcks.push({ kind: 'comment', at: elapsed(), nonce: post.nonce, client: c });
          const id = Number(/comment-(\d+)/.exec(result.location + result.text)?.[1]);
          if (id) known.push({ id, author: post.account });
          // A reader posts at the pace the rate limit allows (5 a minute), so posting goes on
          // through the whole run, the crash included, instead of spending the limit at once.
          mutedUntil[slot] = performance.now() + POST_INTERVAL_MS * (0.9 + 0.2 * random.next());
        } else if (result.status === 429) {
          mutedUntil[slot] = performance.now() + Math.max(1, result.retryAfter) * 1000;
        } else {
          problems.push(`post ${post.nonce} refused with ${result.status}: ${snippet(result.text)}`);
        }
        continue;
      }
      const target = random.pick(known);
      if (target.author === account || performance.now() < likesMutedUntil[k]!) continue;
      const key = `${account}:${target.id}`;
      const liked = !(likeState.get(key)?.liked ?? false);
      const result = await send('like', likeRequest(`http://127.0.0.1:${port}`, { commentId: target.id, liked }), account);
      if (!result) {
        likeState.set(key, { liked, acknowledged: false, account, commentId: target.id });
        await sleep(100);
      } else if (acknowledged(result.status)) {
        likeAcks++;
        likeState.set(key, { liked, acknowledged: true, account, commentId: target.id });
      } else if (result.status === 429) {
        likesMutedUntil[k] = performance.now() + Math.max(1, result.retryAfter) * 1000;
      } else {
        problems.push(`like of comment ${target.id} by account ${account} refused with ${result.status}: ${snippet(result.text)}`);
      }
    }
  };

  // The backup, a third of the way in; the crash, halfway.
  let backup: LoadReport['backup'] = null;
  const backupDone = (async () => {
    await sleep(seconds * 330);
    const takenAt = elapsed();
    const before = commentAcks.length;
    const file = join(dir, 'backup.db');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'db:backup', '--', '--to', file], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_PATH: databasePath },
        stdio: 'ignore',
      });
      child.once('exit', resolve);
    });
    if (code !== 0) return void problems.push(`npm run db:backup exited with ${code} under load`);
    // Restore: the copy becomes the database of a fresh site, which must open, migrate and check.
    const restoredPath = join(tempDir('tcb-restore-'), 'site.db');
    copyFileSync(file, restoredPath);
    const restored = createDatabase(restoredPath);
    const facts = inspect(restored);
    for (const ack of commentAcks.slice(0, before)) {
      if (!facts.nonces.has(ack.nonce)) problems.push(`backup lacks comment ${ack.nonce}, acknowledged at ${ack.at.toFixed(1)} s before the backup began at ${takenAt.toFixed(1)} s`);
    }
    problems.push(...facts.problems.map((p) => `backup: ${p}`));
    backup = { takenAtSeconds: Math.round(takenAt * 10) / 10, comments: facts.comments, likes: facts.likes, integrity: facts.integrity };
    closeDatabase(restored);
    log(`backup taken at ${takenAt.toFixed(1)} s: ${facts.comments} comments, integrity ${facts.integrity}`);
  })();

  const crash = { killedAtSeconds: 0, downSeconds: 0 };
  const crashDone = (async () => {
    if (options.crash === false) return;
    await sleep(seconds * 500);
    crash.killedAtSeconds = Math.round(elapsed() * 10) / 10;
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGKILL');
    await exited;
    closeDatabase(server.db);
    log(`server killed (SIGKILL) at ${crash.killedAtSeconds} s`);
    server = await startServer({ DATABASE_PATH: databasePath, ASTRO_KEY: TEST_ASTRO_KEY, PORT: String(port) });
    crash.downSeconds = Math.round((elapsed() - crash.killedAtSeconds) * 10) / 10;
    log(`server back after ${crash.downSeconds} s`);
  })();

  // The attacker holds ten of the accounts that took part before (0–9); the victim wrote elsewhere.
  const attackers = dataset.sessionIds.slice(0, 10);
  const victim = known.find((c) => c.author >= 10)!.id;
  const hostile = options.hostile ? hostileClient({ origin: `http://127.0.0.1:${port}`, sessions: attackers, victim, essay: ESSAY, deadline, problems, elapsed }) : null;
  await Promise.all([...Array.from({ length: clients }, (_, c) => client(c)), backupDone, crashDone, hostile]);
  await server.stop();

  const db = openDatabase(databasePath);
  const facts = inspect(db);
  for (const ack of commentAcks) {
    const count = facts.nonces.get(ack.nonce) ?? 0;
    if (count === 0) problems.push(`LOST: comment ${ack.nonce} by client ${ack.client}, acknowledged at ${ack.at.toFixed(1)} s, is not in the database`);
    if (count > 1) problems.push(`DUPLICATED: comment ${ack.nonce} by client ${ack.client} is stored ${count} times`);
  }
  for (const [nonce, count] of facts.nonces) if (count > 1 && !commentAcks.some((a) => a.nonce === nonce)) problems.push(`DUPLICATED: unacknowledged comment ${nonce} is stored ${count} times`);
  const likeRows = new Set(db.$client.prepare<[], { k: string }>(`select user_id || ':' || comment_id as k from likes`).all().map((r) => r.k));
  for (const state of likeState.values()) {
    if (!state.acknowledged) continue;
    const has = likeRows.has(`${dataset.userIds[state.account]}:${state.commentId}`);
    if (has !== state.liked) problems.push(`LOST: account ${state.account}'s ${state.liked ? 'like' : 'unlike'} of comment ${state.commentId} was acknowledged but the like is ${has ? 'there' : 'missing'}`);
  }
  problems.push(...facts.problems);
  closeDatabase(db);
  const latency = percentiles(latencies);
  if (options.hostile && latency.p99 >= HOSTILE_P99_MS) problems.push(`readers' p99 latency was ${latency.p99} ms beside the hostile client (limit ${HOSTILE_P99_MS} ms)`);

  return {
    problems,
    requests,
    acknowledged: { comments: commentAcks.length, likes: likeAcks },
    unacknowledged,
    crash,
    backup,
    final: { comments: facts.comments, likes: facts.likes, integrity: facts.integrity },
    seconds: Math.round(elapsed() * 10) / 10,
    latency,
    hostile: hostile ? await hostile : null,
  };
}
