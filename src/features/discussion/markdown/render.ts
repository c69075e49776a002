// The server's way to render a comment: a cheap look at the source on this thread, then the
// Markdown renderer in a worker thread with its own small heap and a time limit, so that no
// input, including one nobody has thought of, costs more than one refused request. A worker that
// runs out of memory or time is ended and replaced; the server thread never parses the Markdown.
import v8 from 'node:v8';
import Tinypool from 'tinypool';
import { refuse, type Outcome } from '../../refusal.ts';
import { LIMIT_MESSAGES, precheckCommentSource } from './limits.ts';
import type { WorkerRendering } from './render-worker.ts';
import { locateRenderWorker } from './worker-location.ts';

/** The rendered HTML, or a refusal: 'invalid' for what the source asks (too deep, too costly), 'unavailable' when the renderer is busy, 'rate-limited' while the same account's last render is under way. */
export type CommentRenderOutcome = Outcome<{ html: string; rendererVersion: number }>;

const beyondLimits = (message: string) => refuse('invalid', message, { field: 'body' });

export interface RendererOptions {
  /** The worker module; by default the one `locateRenderWorker` finds (worker-location.ts). */
  workerFile?: string;
  /**
   * Heap of the worker. 32 MB old + 4 MB young renders any comment of prose, code, quotes or lists
   * up to 10,000 characters (a 700-item list peaks near 30 MB: micromark keeps ~20 KB a list item
   * while parsing); a list of well over a thousand one-word items runs out and is refused. Each MB
   * here is an MB of the server's resident memory once a long comment has been rendered.
   */
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
  /**
   * Time for one render, worker start-up (0.2–1 s) included. Within the limits the slowest
   * comments measured take under half a second on a busy two-core machine (flat lists of a
   * thousand items; the benchmark's `--only render` reports the worst per character), ordinary
   * ones a few milliseconds.
   */
  timeoutMs?: number;
  /**
   * One worker: each adds 45–65 MB to the server's resident memory (its own V8, the Markdown
   * libraries, its heap), and the server should stay under 200 MB. Renders take milliseconds, so one
   * is enough for posting.
   */
  threads?: number;
  /**
   * Renders that may wait for the worker; more at once are refused with 503. Generous (a burst of
   * 50 readers posting at once, while a cold worker starts, must all be served): the wait itself
   * is bounded by maxWaitMs, and each waiting render holds at most 10,000 characters.
   */
  maxWaiting?: number;
  /** How long a render may wait for the worker before the reader is told to try again. */
  maxWaitMs?: number;
  /** An idle worker is ended after this long (most of its memory stays with the process, but not its heap's growth). */
  idleTimeoutMs?: number;
}

const DEFAULTS: Required<Omit<RendererOptions, 'workerFile'>> = {
  maxOldGenerationSizeMb: 32,
  maxYoungGenerationSizeMb: 4,
  timeoutMs: 3_000,
  threads: 1,
  maxWaiting: 200,
  maxWaitMs: 5_000,
  idleTimeoutMs: 60_000,
};

/**
 * V8 lets a process-wide --max-old-space-size (and --max-semi-space-size) win over a worker's
 * resourceLimits (nodejs/node#43991), and `npm start` sets both for the server thread. V8 reads
 * them only when it sets up a heap, so clearing them once the server thread's heap exists
 * leaves its limits as they are and gives each worker the heap asked for.
 */
function letWorkersHaveTheirOwnHeapLimits(): void {
  v8.setFlagsFromString('--max-old-space-size=0');
  v8.setFlagsFromString('--max-semi-space-size=0');
}

const OUT_OF_TIME = Symbol('out of time');
const WORKER_BROKEN = Symbol('worker broken');

export interface CommentRenderer {
  /**
   * Renders `source`. With an `owner` (the account), at most one render of that owner waits or
   * runs at a time: another at once is refused ('rate-limited', Retry-After), so a few accounts
   * cannot fill the one worker's queue and keep everyone else waiting.
   */
  render(source: string, owner?: string): Promise<CommentRenderOutcome>;
  close(): Promise<void>;
}

export function createCommentRenderer(options: RendererOptions = {}): CommentRenderer {
  const settings = { ...DEFAULTS, ...options };
  let pool: Tinypool | null = null;
  let running = 0;
  const waiting: (() => void)[] = [];
  /** The deadlines of the renders in the worker, to end them early if the worker cannot start. */
  const inFlight = new Set<AbortController>();
  /** The owners with a render waiting or running. */
  const owners = new Set<string>();

  const openPool = (): Tinypool => {
    if (pool) return pool;
    letWorkersHaveTheirOwnHeapLimits();
    pool = new Tinypool({
      filename: options.workerFile ?? locateRenderWorker(),
      minThreads: 0,
      maxThreads: settings.threads,
      idleTimeout: settings.idleTimeoutMs,
      // None of the server's flags: the heap limits below are the worker's.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: settings.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: settings.maxYoungGenerationSizeMb },
    });
    // A worker that fails before it takes a task (its module does not load) leaves the task
    // waiting: the renders waiting on it end now, as the server's failure (503), not the reader's.
    pool.on('error', (error: unknown) => {
      console.error('The comment renderer worker failed:', error);
      for (const deadline of inFlight) deadline.abort(WORKER_BROKEN);
    });
    return pool;
  };

  /** A place in the worker, or false if none came within maxWaitMs or too many are waiting. */
  const acquire = (): Promise<boolean> => {
    if (running < settings.threads) {
      running++;
      return Promise.resolve(true);
    }
    if (waiting.length >= settings.maxWaiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const turn = () => {
        clearTimeout(timer);
        running++;
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(turn), 1);
        resolve(false);
      }, settings.maxWaitMs);
      waiting.push(turn);
    });
  };

  const release = () => {
    running--;
    waiting.shift()?.();
  };

  const busy = (): CommentRenderOutcome => refuse('unavailable', LIMIT_MESSAGES.busy, { retryAfterSeconds: 5 });

  const renderInWorker = async (source: string): Promise<CommentRenderOutcome> => {
    if (!(await acquire())) return busy();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(OUT_OF_TIME), settings.timeoutMs);
    inFlight.add(deadline);
    try {
      const rendering = (await openPool().run(source, { signal: deadline.signal })) as WorkerRendering;
      return rendering.ok ? rendering : beyondLimits(rendering.message);
    } catch (error) {
      // Out of time (aborted: tinypool ends that worker) or out of memory (the worker is gone):
      // the input cost too much. The next render gets a new worker.
      if (deadline.signal.reason === OUT_OF_TIME || (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return beyondLimits(LIMIT_MESSAGES.overBudget);
      }
      // Anything else is the renderer's fault, not the reader's (a worker that cannot start, a pool closing).
      if (deadline.signal.reason !== WORKER_BROKEN) console.error('The comment renderer failed:', error);
      return busy();
    } finally {
      clearTimeout(timer);
      inFlight.delete(deadline);
      release();
    }
  };

  return {
    async render(source, owner) {
      const refused = precheckCommentSource(source);
      if (refused) return beyondLimits(refused);
      if (owner === undefined) return renderInWorker(source);
      // A render takes milliseconds when the worker is free: one second is enough to wait.
      if (owners.has(owner)) return refuse('rate-limited', LIMIT_MESSAGES.oneAtATime, { retryAfterSeconds: 1 });
      owners.add(owner);
      try {
        return await renderInWorker(source);
      } finally {
        owners.delete(owner);
      }
    },
    async close() {
      const closing = pool;
      pool = null;
      await closing?.destroy();
    },
  };
}

let shared: CommentRenderer | null = null;

/**
 * Renders a comment's Markdown within the limits and budget, or says why not ('invalid'), not now
 * ('unavailable') or not while the same account's previous render is under way ('rate-limited').
 */
export function renderComment(source: string, owner?: string): Promise<CommentRenderOutcome> {
  shared ??= createCommentRenderer();
  return shared.render(source, owner);
}

/** Ends the shared worker pool (tests; the server's workers end with its process). */
export async function closeCommentRenderer(): Promise<void> {
  const closing = shared;
  shared = null;
  await closing?.close();
}
