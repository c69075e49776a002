// Requests stopped before Astro sees them (found by the outside review): methods no route takes,
// including those fetch cannot even express (TRACE), and Astro's on-demand image endpoint.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

function raw(port: number, method: string, path: string): Promise<{ status: number; allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!browserPath())('requests refused before the site', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'])('answers %s with 405 and the methods it takes', async (method) => {
    for (const path of ['/account', '/comments/1/delete', '/signin', '/_server-islands/Discussion', '/']) {
      const answer = await raw(server.port, method, path);
      expect(answer, `${method} ${path}`).toEqual({ status: 405, allow: 'GET, HEAD, POST' });
    }
  });

  it('has no on-demand image endpoint, whatever the parameters', async () => {
    for (const query of ['href=/og.png&f=avif&q=100', 'href=/robots.txt', 'href=/og.png&w=-1', 'href=/og.png&f=exe', 'href=/../server/entry.mjs']) {
      expect((await raw(server.port, 'GET', `/_image?${query}`)).status, query).toBe(404);
    }
    expect((await raw(server.port, 'GET', '/og.png')).status).toBe(200);
  });
});
