// SIGTERM stops the server promptly even while a client holds a connection mid-request.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { startServer } from '../support/server.ts';

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
});
