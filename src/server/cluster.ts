// The process model, when WORKERS is more than 1 (`npm start`; WORKERS=1 is one plain process).
//
// - The primary (src/cli/start.ts) checks the configuration, migrates the database, makes the
//   keys and builds the site, once. Then this module forks WORKERS server processes with
//   node:cluster. The primary serves nothing and loads no part of the site: it holds the
//   listening socket and hands each new connection to the next worker (cluster's round robin).
// - Each worker imports the built site (dist/server/entry.mjs) and listens on the one port. Every
//   worker has its own connection to the one SQLite file (WAL, busy_timeout: db/client.ts), so
//   the database is the only thing they share:
//   - caches follow writes made by any process: the discussion's render cache is keyed by
//     SQLite's data_version (db/data-version.ts), which moves on every commit of another
//     connection; settings, the blocklist and sessions are read from the database on each use;
//   - rate limits and throttles are rows (db/attempts.ts, db/accounts/throttle.ts), counted in
//     write transactions, so spreading requests over workers doubles none of them;
//   - what stays per process guards that process's own resources, so its bound is per worker:
//     the comment renderer's "one render per account at a time" (features/discussion/markdown/
//     render.ts: an account may have one render under way in each worker; the posting limits
//     themselves are in the database) and the caps on open live streams (STREAM_LIMITS in
//     features/discussion/live/delivery-rules.ts: a reader may hold 8 in each worker). Open
//     connections die with their process, so counting them anywhere else would only leak.
//   - a write transaction that reads first must be IMMEDIATE: a deferred one that meets another
//     process's write fails at once with SQLITE_BUSY instead of waiting. A write still refused
//     after busy_timeout is a 503 with Retry-After (src/pages/500.astro), not a 500.
// - A worker that dies is forked again, after a pause that grows while workers keep dying soon
//   after they start (restartDelay), so a broken build does not spin. If a worker dies before
//   the first ones are all listening, the start fails instead.
// - SIGINT or SIGTERM: no more restarts; each worker gets SIGTERM, stops accepting, finishes the
//   requests in flight within its grace period (stopServer in http-server.ts) and exits; then
//   the primary exits 0. A worker still alive well after its grace period is killed.
// - The V8 flags the primary was started with (`npm start`'s --max-old-space-size and
//   --max-semi-space-size) are passed to every worker: each worker is one server's memory.
import cluster, { type Worker } from 'node:cluster';

/** A worker that lived this long was healthy: its death is not a crash loop. */
export const STABLE_AFTER_MS = 10_000;
export const FIRST_RESTART_DELAY_MS = 250;
export const MAX_RESTART_DELAY_MS = 30_000;

/**
 * How long to wait before forking again for a worker that died after `livedMs`, given the pause
 * before it was forked: a short pause after a healthy run, doubling while workers die young.
 */
export function restartDelay(previousDelayMs: number, livedMs: number): number {
  if (livedMs >= STABLE_AFTER_MS) return FIRST_RESTART_DELAY_MS;
  return Math.min(Math.max(previousDelayMs * 2, FIRST_RESTART_DELAY_MS), MAX_RESTART_DELAY_MS);
}

export interface WorkerPoolOptions {
  count: number;
  /** The script each worker runs and its arguments (by default this process's own). */
  exec?: string;
  args?: string[];
  /** How long a stopping worker may take before it is killed: longer than its own grace period. */
  killAfterMs?: number;
  log?: (line: string) => void;
}

export interface WorkerPool {
  /** The process ids of the workers alive now. */
  pids(): number[];
  /** Stops every worker (each drains its requests) and resolves once all have exited. */
  stop(): Promise<void>;
}

interface Slot {
  worker: Worker | null;
  startedAt: number;
  delayMs: number;
  listening: boolean;
  restart: NodeJS.Timeout | null;
}

/** Forks `count` workers and resolves once all of them listen; rejects if one dies first. */
export function startWorkers(options: WorkerPoolOptions): Promise<WorkerPool> {
  const log = options.log ?? ((line: string) => console.error(line));
  const killAfterMs = options.killAfterMs ?? 10_000;
  cluster.setupPrimary({
    exec: options.exec ?? process.argv[1],
    args: options.args ?? process.argv.slice(2),
    // Explicit, though it is cluster's default: each worker gets the primary's V8 flags.
    execArgv: process.execArgv,
  });

  const slots: Slot[] = Array.from({ length: options.count }, () => ({ worker: null, startedAt: 0, delayMs: 0, listening: false, restart: null }));
  let started = false;
  let stopping: Promise<void> | null = null;
  let onAllExited: (() => void) | null = null;

  return new Promise((resolve, reject) => {
    const alive = () => slots.filter((s) => s.worker !== null);

    const fork = (slot: Slot) => {
      slot.restart = null;
      slot.listening = false;
      slot.startedAt = Date.now();
      const worker = cluster.fork();
      slot.worker = worker;
      worker.once('listening', () => {
        slot.listening = true;
        if (!started && slots.every((s) => s.listening)) {
          started = true;
          resolve(pool);
        }
      });
      worker.once('exit', (code, signal) => {
        slot.worker = null;
        if (stopping) {
          if (alive().length === 0) onAllExited?.();
          return;
        }
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!started) {
          // A worker that cannot start now will not start on a retry either (a missing build, a bad
          // file): fail the start as one process would, rather than try forever.
          void pool.stop().then(() => reject(new Error(`A server worker exited (${how}) before the server was ready; see the messages above.`)));
          return;
        }
        slot.delayMs = restartDelay(slot.delayMs, Date.now() - slot.startedAt);
        log(`Server worker ${worker.process.pid} exited (${how}); starting another in ${(slot.delayMs / 1000).toFixed(2)} s.`);
        slot.restart = setTimeout(() => fork(slot), slot.delayMs);
      });
    };

    const pool: WorkerPool = {
      pids: () => alive().map((s) => s.worker!.process.pid!),
      stop: () => {
        stopping ??= new Promise<void>((done) => {
          for (const slot of slots) if (slot.restart) clearTimeout(slot.restart);
          const workers = alive().map((s) => s.worker!);
          if (workers.length === 0) return done();
          onAllExited = done;
          for (const worker of workers) {
            worker.process.kill('SIGTERM');
            setTimeout(() => worker.process.kill('SIGKILL'), killAfterMs).unref();
          }
        });
        return stopping;
      },
    };

    for (const slot of slots) fork(slot);
  });
}
