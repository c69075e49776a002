// Every response carries the security headers; pages carry a script CSP without 'unsafe-inline',
// and the island still loads under it with no violation reported.
import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/server/security-headers.ts';
import { browserPath } from '../support/browser.ts';
import { useLiveSite } from '../support/live-site.ts';

const ESSAY_PATH = '/essays/wechat-app-for-everything/';

describe.skipIf(!browserPath())('security headers and CSP', () => {
  const site = useLiveSite();

  it.each([ESSAY_PATH, '/', '/no-such-page', '/favicon.svg'])('sends the headers with %s', async (path) => {
    const response = await fetch(site.server.url + path);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(response.headers.get(name), name).toBe(value);
    }
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('gives the essay page a script policy of hashes, without unsafe-inline', async () => {
    const html = await (await fetch(site.server.url + ESSAY_PATH)).text();
    const policy = html.match(/<meta http-equiv="content-security-policy" content="([^"]+)"/)?.[1] ?? '';
    const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).toMatch(/'sha256-/);
    expect(scriptSrc).not.toContain('unsafe-inline');
  });

  it('loads the island under the policy with no violation', async () => {
    const page = await site.browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
    });
    await page.goto(site.server.url + ESSAY_PATH);
    await page.locator('.discussion').waitFor();
    expect(violations).toEqual([]);
  });
});
