// The worker pool of src/server/cluster.ts with real processes (a stand-in worker, so no build is
// needed): a start fails when a worker cannot start, a killed worker is replaced, workers that
// keep dying are forked again ever more slowly, and stop() ends them all.
import cluster from 'node:cluster';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIRST_RESTART_DELAY_MS, MAX_RESTART_DELAY_MS, restartDelay, STABLE_AFTER_MS, startWorkers, type WorkerPool } from '../../src/server/cluster.ts';
import { ROOT } from '../support/paths.ts';
import { freePort } from '../support/server.ts';

const FIXTURE = join(ROOT, 'tests/support/cluster-worker-fixture.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restartDelay', () => {
  it('doubles while workers die young, up to the cap, and starts again short after a healthy run', () => {
    const delays: number[] = [];
    let delay = 0;
    for (let i = 0; i < 10; i++) delays.push((delay = restartDelay(delay, 100)));
    expect(delays.slice(0, 4)).toEqual([FIRST_RESTART_DELAY_MS, 2 * FIRST_RESTART_DELAY_MS, 4 * FIRST_RESTART_DELAY_MS, 8 * FIRST_RESTART_DELAY_MS]);
    expect(delays.at(-1)).toBe(MAX_RESTART_DELAY_MS);
    expect(restartDelay(MAX_RESTART_DELAY_MS, STABLE_AFTER_MS)).toBe(FIRST_RESTART_DELAY_MS);
  });
});

describe('startWorkers', () => {
  let pool: WorkerPool | undefined;
  const log: string[] = [];
  let forks = 0;
  const countFork = () => forks++;
  cluster.on('fork', countFork);

  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
    log.length = 0;
    forks = 0;
  });

  const start = async (mode: string, count = 2, extra: Record<string, string> = {}) => {
    Object.assign(process.env, { FIXTURE_MODE: mode, FIXTURE_PORT: String(await freePort()), ...extra });
    return startWorkers({ count, exec: FIXTURE, args: [], log: (line) => log.push(line) });
  };

  it('fails the start, without retrying, when a worker exits before listening', async () => {
    await expect(start('fail')).rejects.toThrow(/A server worker exited \(code 3\) before the server was ready/);
    expect(forks).toBe(2);
  });

  it('forks again for a worker killed with SIGKILL, and stop() ends every worker', async () => {
    pool = await start('serve');
    const [victim, survivor] = pool.pids();
    process.kill(victim!, 'SIGKILL');
    for (let i = 0; i < 100 && (pool.pids().length < 2 || pool.pids().includes(victim!)); i++) await sleep(50);
    expect(pool.pids()).toContain(survivor);
    expect(pool.pids()).toHaveLength(2);
    expect(log).toEqual([`Server worker ${victim} exited (signal SIGKILL); starting another in 0.25 s.`]);

    const pids = pool.pids();
    await pool.stop();
    expect(pool.pids()).toEqual([]);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('forks a worker that keeps dying young again ever more slowly, not in a loop', async () => {
    pool = await start('die-soon', 1, { FIXTURE_LIFE_MS: '300' });
    await sleep(3_500);
    const delays = log.map((line) => Number(/starting another in ([\d.]+) s/.exec(line)?.[1]));
    // Lives of ~0.4 s (start-up and 0.3 s) and pauses of 0.25, 0.5, 1 and 2 s: about four deaths in 3.5 s.
    expect(delays.slice(0, 3)).toEqual([0.25, 0.5, 1]);
    expect(forks).toBeLessThanOrEqual(5);
  });
});
