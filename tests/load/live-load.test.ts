// The live discussion, bounded: 2,000 open streams on one server process (one worker), a comment
// posted, and every stream has it within 1 s at the 99th percentile; the server's peak resident
// memory stays within 250 MB, and with nothing posted it uses next to no CPU.
import { describe, expect, it } from 'vitest';
import { peakRssMb } from '../bench/measure.ts';
import { browserPath } from '../support/browser.ts';
import { makeUser } from '../support/fixtures.ts';
import { cookieHeader, formBody, send } from '../support/http.ts';
import { startServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';
import { cpuMs, openStreams } from './live-streams.ts';
import { percentiles } from './report.ts';

const ESSAY = 'wechat-app-for-everything';
const STREAMS = 2_000;

// The project's global setup builds the site, where a browser is installed (as for the browser tests).
describe.skipIf(!browserPath() || process.platform !== 'linux')('2,000 live streams on one worker', () => {
  it('delivers a new comment to every stream within 1 s at p99, within 250 MB, idle when nothing happens', async () => {
    const server = await startServer();
    const pid = server.process.pid!;
    try {
      const crowd = await openStreams(server.url, ESSAY, STREAMS);
      try {
        expect(crowd.refused).toEqual({});
        expect(crowd.streams).toHaveLength(STREAMS);

        // Nothing posted for 5 s: the watcher's poll and nothing per stream.
        const idleFrom = cpuMs(pid)!;
        await new Promise((r) => setTimeout(r, 5_000));
        const idlePercent = ((cpuMs(pid)! - idleFrom) / 5_000) * 100;

        const cookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db)).id));
        // The comment renderer's worker starts on the first comment: started before, as on a running site.
        const warm = await send(server.url, { path: '/comments/new', body: formBody({ essay: 'taddicken-and-the-privacy-paradox', body: 'Warming up' }), cookie });
        expect(warm.status).toBe(303);
        const arrived = crowd.watchFor('Live load comment', 10_000);
        const sent = performance.now();
        const posted = await send(server.url, { path: '/comments/new', body: formBody({ essay: ESSAY, body: 'Live load comment' }), cookie });
        expect(posted.status).toBe(303);
        const postMs = Math.round(performance.now() - sent);
        await arrived;
        const latencies = crowd.streams.map((s) => (s.arrivedAt === null ? Infinity : s.arrivedAt - sent));
        const missing = latencies.filter((l) => l === Infinity).length;
        const spread = percentiles(latencies.filter((l) => l !== Infinity));
        const peak = peakRssMb(pid);
        console.log(`${STREAMS} streams: delivered to ${STREAMS - missing}, p50 ${spread.p50} ms, p99 ${spread.p99} ms, max ${spread.max} ms (the post itself took ${postMs} ms); peak RSS ${peak} MB; idle CPU ${idlePercent.toFixed(1)}% of a core`);
        expect(missing).toBe(0);
        expect(spread.p99).toBeLessThan(1_000);
        expect(peak).not.toBeNull();
        expect(peak!).toBeLessThanOrEqual(250);
        expect(idlePercent).toBeLessThan(5);
      } finally {
        crowd.close();
      }
    } finally {
      await server.stop();
    }
  }, 120_000);
});
