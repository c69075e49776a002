// The short version of `npm run test:load`: 50 clients for a few seconds, a SIGKILL halfway and a
// restart, an online backup under load; every acknowledged write must be there once.
import { describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { formatLoadReport, runLoad } from '../load/harness.ts';

// Runs with the browser tests because they build the site it needs.
describe.skipIf(!browserPath())('load and crash (short)', () => {
  it('loses nothing acknowledged, writes nothing twice, and answers no 5xx', async () => {
    const report = await runLoad({ clients: 50, seconds: 12 });
    expect(report.problems, formatLoadReport(report)).toEqual([]);
    expect(report.acknowledged.comments).toBeGreaterThan(0);
    expect(report.acknowledged.likes).toBeGreaterThan(0);
    expect(report.backup?.integrity).toBe('ok');
  }, 90_000);
});
