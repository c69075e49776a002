// SIGTERM stops the server promptly even while a client holds a connection mid-request.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { processTree } from '../bench/measure.ts';
import { browserPath } from '../support/browser.ts';
import { startServer } from '../support/server.ts';
import { SseReader } from '../support/sse.ts';

const alive = (pid: number) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};

describe.skipIf(!browserPath())('stopping the server', () => {
  it('exits within a few seconds of SIGTERM, cutting a half-sent request', async () => {
    const server = await startServer();
    const { port, hostname } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('error', () => {});
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // headers never finished
    await new Promise((resolve) => setTimeout(resolve, 200));

    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    server.process.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(0); // a clean exit, not the harness's SIGKILL
    expect(Date.now() - started).toBeLessThan(8_000);
    socket.destroy();
    await server.stop();
  });

  it.skipIf(process.platform !== 'linux')('exits promptly on SIGTERM with live streams open, ending them and their holder process', async () => {
    const server = await startServer();
    const pid = server.process.pid!;
    const streams = await Promise.all(
      [0, 1].map(async () => {
        const response = await fetch(`${server.url}/discussion/wechat-app-for-everything/events`);
        expect(response.status).toBe(200);
        const reader = new SseReader(response.body!);
        await reader.live();
        return reader;
      }),
    );
    const holders = processTree(pid).slice(1);
    expect(holders.map((h) => readFileSync(`/proc/${h}/cmdline`, 'utf8'))).toEqual([expect.stringContaining('stream-holder')]);

    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    server.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    // The browsers see their streams end (and would reconnect), and no holder is left behind.
    await vi.waitFor(() => expect(streams.map((s) => s.ended)).toEqual([true, true]));
    await vi.waitFor(() => expect(holders.filter(alive)).toEqual([]));
    await server.stop();
  });
});
