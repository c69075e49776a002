// The short version of `npm run test:load`: 50 clients for a few seconds, a SIGKILL halfway and a
// restart, an online backup under load; every acknowledged write must be there once.
import { describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { formatLoadReport, runLoad } from './harness.ts';

// The project's global setup builds the site, where a browser is installed (as for the browser tests).
describe.skipIf(!browserPath())('load and crash (short)', () => {
  it('loses nothing acknowledged, writes nothing twice, and answers no 5xx', async () => {
    const report = await runLoad({ clients: 50, seconds: 12 });
    expect(report.problems, formatLoadReport(report)).toEqual([]);
    expect(report.acknowledged.comments).toBeGreaterThan(0);
    expect(report.acknowledged.likes).toBeGreaterThan(0);
    expect(report.backup?.integrity).toBe('ok');
  }, 90_000);
});

describe.skipIf(!browserPath())('load with a hostile client (short)', () => {
  it('stays up beside the worst inputs known, keeps every acknowledged write, and readers stay fast', async () => {
    // Readers as people read: a request every 0.4 s or so each, some 120 a second in all, which the
    // server answers with room to spare; what is measured is what the attacker adds to their wait.
    const report = await runLoad({ clients: 50, seconds: 12, crash: false, hostile: true, thinkMs: 400 });
    expect(report.problems, formatLoadReport(report)).toEqual([]);
    expect(report.acknowledged.comments).toBeGreaterThan(0);
    expect(report.requests.read!['200']).toBeGreaterThan(0);
    // The attacker's requests were answered, and refused where they should be.
    expect(Object.keys(report.hostile ?? {})).not.toContain('failed');
    expect((report.hostile?.['403'] ?? 0) + (report.hostile?.['400'] ?? 0) + (report.hostile?.['415'] ?? 0)).toBeGreaterThan(0);
  }, 90_000);
});
