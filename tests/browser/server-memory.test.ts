// The serving process starts lean: the database libraries come bundled in the server build,
// and the migrations run in a short-lived child (drizzle-orm loaded from node_modules costs
// Node 24 ~240 MB of resident memory, which a long-running server must not carry).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateRenderWorker } from '../../src/features/discussion/markdown/worker-location.ts';
import { browserPath } from '../support/browser.ts';
import { ROOT } from '../support/paths.ts';
import { startServer } from '../support/server.ts';

const residentKb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]);

describe.skipIf(!browserPath() || process.platform !== 'linux')('the server process', () => {
  it('holds well under 200 MB resident once started and serving', async () => {
    const server = await startServer();
    try {
      for (let i = 0; i < 5; i++) await (await fetch(`${server.url}/discussion/wechat-app-for-everything/`)).text();
      expect(residentKb(server.process.pid!)).toBeLessThan(200 * 1024);
    } finally {
      await server.stop();
    }
  });

  it('runs the comment renderer’s worker its build bundled into one file (some 8 MB less than from node_modules)', () => {
    expect(locateRenderWorker(join(ROOT, 'dist/server/chunks/any-chunk.mjs'))).toBe(join(ROOT, 'dist/server/render-worker.mjs'));
    expect(readFileSync(join(ROOT, 'dist/server/render-worker.mjs'), 'utf8')).toContain('function renderInWorker(');
  });
});
