// WORKERS=N over the real built server: the primary forks N server processes with the V8 flags
// it was given, forks again for one that is killed, and on SIGTERM lets a request in flight
// finish before every process exits. (What the workers share, the database, is tested in
// shared-database.test.ts with two servers addressed one by one.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { SERVER_ENV, SERVER_NODE_FLAGS, startServer } from '../support/server.ts';

/** The process ids whose parent is `pid` (Linux). */
function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
    .filter(Boolean)
    .map(Number)
    .sort((x, y) => x - y);
}

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
const environment = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!browserPath())('WORKERS: several server processes on one port', () => {
  it('runs WORKERS=1 as the one process, and WORKERS=2 as a primary with two workers carrying its V8 flags', async () => {
    const single = await startServer({ WORKERS: '1' });
    try {
      expect(childPids(single.process.pid!)).toEqual([]);
      expect((await fetch(`${single.url}/`)).status).toBe(200);
    } finally {
      await single.stop();
    }

    const server = await startServer({ WORKERS: '2' });
    try {
      const workers = childPids(server.process.pid!);
      expect(workers).toHaveLength(2);
      for (const pid of workers) {
        expect(commandLine(pid)).toEqual(expect.arrayContaining([...SERVER_NODE_FLAGS, expect.stringMatching(/src\/cli\/start\.ts$/)]));
      }
      expect(SERVER_NODE_FLAGS).toContain('--max-old-space-size=192');
      // malloc's settings (package.json's scripts set them before node) reach every worker: glibc reads them as a process starts.
      expect(SERVER_ENV).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
      for (const pid of workers) expect(environment(pid)).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072']));
      const statuses = await Promise.all(Array.from({ length: 8 }, () => fetch(`${server.url}/`).then((r) => r.status)));
      expect(statuses).toEqual(Array(8).fill(200));
    } finally {
      await server.stop();
    }
  });

  it('forks a new worker for one killed with SIGKILL, and keeps serving', async () => {
    const server = await startServer({ WORKERS: '2' });
    try {
      const [victim, survivor] = childPids(server.process.pid!);
      process.kill(victim!, 'SIGKILL');
      const now = await waitFor('a replacement worker', () => {
        const pids = childPids(server.process.pid!);
        return pids.length === 2 && !pids.includes(victim!) ? pids : undefined;
      });
      expect(now).toContain(survivor);
      expect(alive(server.process.pid!)).toBe(true);
      for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  // systemd's stop signals the primary (and by default every process of the unit); a terminal's
  // Ctrl-C signals every process of the group, so each worker hears it from both sides.
  it.each([
    ['SIGTERM to the primary', false],
    ['SIGINT to the primary and every worker (Ctrl-C)', true],
  ] as const)('on %s finishes a request in flight, then every worker and the primary exit 0', async (_, everyProcess) => {
    const server = await startServer({ WORKERS: '2' });
    const primary = server.process.pid!;
    const workers = childPids(primary);
    const body = new URLSearchParams({ username: 'nobody_draining', password: 'a-wrong-password' }).toString();
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(
      `POST /signin HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    if (everyProcess) for (const pid of [primary, ...workers]) process.kill(pid, 'SIGINT');
    else server.process.kill('SIGTERM');
    // The rest of the body arrives after the stop began: well within the grace period.
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.write(body.slice(10));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('That username and password do not match an account.');

    expect(await exited).toBe(0);
    for (const pid of workers) expect(alive(pid)).toBe(false);
    await server.stop();
  });
});
