// Ballot stuffing against the real server: ballots without the voter cookie, made-up cookies, and
// fresh cookies fetched over and over. Plain fetch keeps no cookies: it follows the 307 with the
// same ballot and the same Cookie header (or none), as a script would.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authAttempts } from '../../db/schema.ts';
import { COOKIE_NOT_KEPT } from '../../src/features/polls/service.ts';
import { ANONYMOUS_BALLOTS_PER_NETWORK, newVoterCookie } from '../../src/features/polls/voter.ts';
import { browserPath } from '../support/browser.ts';
import { formBody } from '../support/http.ts';
import { POLL, usePollSite } from '../support/poll-site.ts';

describe.skipIf(!browserPath())('ballot stuffing', () => {
  const live = usePollSite();
  const { site, votes, post } = live;

  const ballotUrl = () => `${site.server.url}/polls/${POLL}/`;
  const ballotBody = formBody({ concern: 'great', behaviour: 'keep', return: '/figures/' });
  const postBallot = (cookie?: string, redirect: RequestRedirect = 'follow') =>
    fetch(ballotUrl(), {
      method: 'POST',
      body: ballotBody,
      redirect,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.server.url, ...(cookie === undefined ? {} : { cookie }) },
    });

  it('records no ballot sent without the voter cookie: 200 posts, 200 refusals with the reason, nothing stored', async () => {
    const statuses: number[] = [];
    const messages = new Set<boolean>();
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(Array.from({ length: 20 }, () => postBallot()));
      for (const response of responses) {
        statuses.push(response.status);
        messages.add((await response.text()).includes('Your browser did not keep the poll’s cookie'));
      }
    }
    expect(statuses).toEqual(Array<number>(200).fill(403));
    expect([...messages]).toEqual([true]);
    expect(votes()).toEqual([]);
    expect(site.server.db.select().from(authAttempts).all()).toEqual([]);

    // Step by step: the first answer hands out a signed cookie and asks for the ballot again.
    const first = await postBallot(undefined, 'manual');
    expect(first.status).toBe(307);
    expect(first.headers.get('location')).toBe(`/polls/${POLL}/?resent`);
    const [setCookie] = first.headers.getSetCookie().filter((c) => c.startsWith('poll_voter='));
    expect(setCookie).toMatch(/^poll_voter=[\w-]{43}\.[\w-]{43}; /);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Lax/i);
    // Sent back without it, the ballot is refused, and the form shows what the reader chose.
    const refused = await fetch(`${ballotUrl()}?resent`, { method: 'POST', body: ballotBody, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.server.url } });
    expect(refused.status).toBe(403);
    const page = await live.context.newPage();
    await page.setContent(await refused.text());
    expect(await page.locator('.form-error').textContent()).toBe(COOKIE_NOT_KEPT);
    expect(await page.locator('input[name="concern"][value="great"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="behaviour"][value="keep"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="return"]').inputValue()).toBe('/figures/');
    expect(votes()).toEqual([]);
  });

  it('counts nothing for a made-up voter cookie, whatever it holds, and answers every one with a 4xx', async () => {
    const token = randomBytes(32).toString('base64url');
    const forged = [
      `poll_voter=${token}`, // unsigned, as the cookies were before they were signed
      `poll_voter=${token}.${randomBytes(32).toString('base64url')}`,
      `poll_voter=${newVoterCookie(randomBytes(32))}`, // signed, with another secret
      `poll_voter="${newVoterCookie(randomBytes(32))}"`,
      'poll_voter=',
      `poll_voter=${'A'.repeat(4000)}`,
      'poll_voter=%zz%E0%A4%A; other=1',
      `poll_voter=${encodeURIComponent('漢字 "quoted"; \\ \u0000')}`,
      `poll_voter=${token}; poll_voter=${token}.${token}`,
    ];
    for (const cookie of forged) {
      const response = await postBallot(cookie);
      expect(response.status, cookie.slice(0, 80)).toBe(403);
      expect(await response.text()).toContain('Your browser did not keep the poll’s cookie');
      // Reading the poll with it is no error either: the ballot, as for any reader who has not voted.
      const read = await fetch(ballotUrl(), { headers: { cookie } });
      expect(read.status).toBe(200);
      expect(await read.text()).toContain('Vote and see the results');
    }
    // A header too big for the server is turned away before any route sees it.
    const huge = await postBallot(`poll_voter=${'x'.repeat(20_000)}`);
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    expect(votes()).toEqual([]);
    expect(site.server.db.select().from(authAttempts).all()).toEqual([]);
  });

  it('limits the ballots of one network, however many fresh cookies it fetches', async () => {
    // Fetching the pages hands out no cookie at all: only a ballot does.
    for (const path of ['/figures/', `/polls/${POLL}/`]) {
      const response = await fetch(`${site.server.url}${path}`);
      expect(response.headers.getSetCookie().filter((c) => c.startsWith('poll_voter='))).toEqual([]);
    }
    const statuses: number[] = [];
    let refused = { retryAfter: '', html: '' };
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK + 3; i++) {
      // A fresh browser each time: no cookie, so a new one is handed out for each ballot.
      const fresh = await site.browser.newContext();
      const response = await post(`/polls/${POLL}/`, { concern: 'lot', behaviour: 'cannot', return: '/figures/' }, fresh);
      statuses.push(response.status());
      if (response.status() === 429) refused = { retryAfter: response.headers()['retry-after'] ?? '', html: await response.text() };
      await fresh.close();
    }
    expect(statuses).toEqual([...Array<number>(ANONYMOUS_BALLOTS_PER_NETWORK).fill(303), 429, 429, 429]);
    expect(votes()).toHaveLength(2 * ANONYMOUS_BALLOTS_PER_NETWORK);
    expect(Number(refused.retryAfter)).toBeGreaterThan(23 * 60 * 60);
    const page = await live.context.newPage();
    await page.setContent(refused.html);
    expect(await page.locator('.form-error').textContent()).toMatch(/^Too many votes in this poll have come from your network today .*or sign in to vote\.$/);
    expect(await page.locator('input[name="concern"][value="lot"]').isChecked()).toBe(true);
    // The limiter holds keyed hashes, never the address.
    expect(JSON.stringify(site.server.db.select().from(authAttempts).all())).not.toContain('127.0.0.1');
  });

});
