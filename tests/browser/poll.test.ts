// The reader poll end to end: anonymous and signed-in votes through the real forms, results after
// voting, and every kind of bad input turned away with a clear message and nothing written.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { pollVotes, users } from '../../db/schema.ts';
import { createLucia } from '../../src/auth/lucia.ts';
import { voterKey } from '../../src/lib/poll-voter.ts';
import { browserPath } from '../support/browser.ts';
import { useLiveSite } from '../support/live-site.ts';
import { makeUser } from '../support/fixtures.ts';
import { essaySlugs, essaySource, foreignRequests, recordCspViolations, recordRequests } from '../support/pages.ts';

const POLL = 'wechat-paradox';

describe.skipIf(!browserPath())('the reader poll', () => {
  const site = useLiveSite();
  let context: BrowserContext;
  beforeEach(async () => {
    await context?.close();
    context = await site.browser.newContext();
    site.server.db.delete(pollVotes).run();
  });

  const votes = () => site.server.db.select().from(pollVotes).orderBy(pollVotes.id).all();

  async function signIn(ctx: BrowserContext, options: { banned?: boolean } = {}) {
    const user = await makeUser(site.server.db);
    if (options.banned) site.server.db.update(users).set({ bannedAt: Date.now() }).where(eq(users.id, user.id)).run();
    const now = Date.now();
    const session = await createLucia(site.server.db, { secure: false }).createSession(user.id, { createdAt: now, lastUsedAt: now, device: 'Test browser' });
    await ctx.addCookies([{ name: 'session', value: session.id, url: site.server.url }]);
    return user;
  }

  /** Posts a ballot as the browser would, from the site's own origin. */
  function post(path: string, form: Record<string, string>, ctx = context) {
    return ctx.request.post(`${site.server.url}${path}`, { form, headers: { Origin: site.server.url }, maxRedirects: 0 });
  }

  it('takes an anonymous vote through the island’s form and shows the results in place', async () => {
    const page = await context.newPage();
    const requests = recordRequests(page);
    const blocked = recordCspViolations(page);
    await page.goto(`${site.server.url}/figures/`, { waitUntil: 'networkidle' });
    const poll = page.locator('figure[data-figure="reader-poll"]');
    // The island has replaced the fallback with its own form, which returns here after the vote.
    await poll.locator('input[name="via"]').waitFor({ state: 'attached' });
    await poll.getByLabel('A great deal').check();
    await poll.getByLabel('No, I would carry on').check();
    await poll.getByRole('button', { name: 'Vote and see the results' }).click();
    await page.waitForURL(`${site.server.url}/figures/#reader-poll`);
    const results = poll.locator('[data-poll-results]');
    await results.waitFor();
    expect(await results.locator('.poll-yours th').allTextContents()).toEqual(['A great deal (your answer)', 'No, I would carry on (your answer)']);
    expect(await results.locator('[data-poll-paradox]').textContent()).toContain('Of the 1 reader who worries quite a lot or a great deal, 1 (100%) would carry on');
    expect(foreignRequests(requests, site.server.url)).toEqual([]);
    expect(blocked).toEqual([]);

    const cookie = (await context.cookies()).find((c) => c.name === 'poll_voter')!;
    expect(cookie.httpOnly).toBe(true);
    expect(votes().map((v) => [v.question, v.choice, v.userId, v.voterKey])).toEqual([
      ['concern', 'great', null, voterKey(cookie.value)],
      ['behaviour', 'keep', null, voterKey(cookie.value)],
    ]);
  });

  it('works without JavaScript: the plain form posts, and the poll page shows the results', async () => {
    const noJs = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(`${site.server.url}/figures/`);
    const poll = page.locator('figure[data-figure="reader-poll"]');
    await poll.getByLabel('A little').check();
    await poll.getByLabel('I would use it less').check();
    await poll.getByRole('button', { name: 'Vote and see the results' }).click();
    await page.waitForURL(`${site.server.url}/polls/${POLL}/?from=%2Ffigures%2F`);
    expect(await page.locator('[data-poll-results] .poll-yours th').allTextContents()).toEqual(['A little (your answer)', 'I would use it less (your answer)']);
    expect(await page.getByRole('link', { name: 'Back to the essay' }).getAttribute('href')).toBe('/figures/');
    expect(votes()).toHaveLength(2);
    await noJs.close();
  });

  it('turns a second vote from the same browser away with 409, keeping the first', async () => {
    expect((await post(`/polls/${POLL}/`, { concern: 'great', behaviour: 'keep', return: '/figures/' })).status()).toBe(303);
    const again = await post(`/polls/${POLL}/`, { concern: 'none', behaviour: 'stop', return: '/figures/' });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain('You have already voted in this poll from this browser');
    expect(votes().map((v) => v.choice)).toEqual(['great', 'keep']);
  });

  it('rejects an invalid or missing answer with 400, the message, and the reader’s other answer kept', async () => {
    const invalid = await post(`/polls/${POLL}/`, { concern: 'great', behaviour: 'maybe', return: '/figures/' });
    expect(invalid.status()).toBe(400);
    const page = await context.newPage();
    await page.setContent(await invalid.text());
    expect(await page.locator('.form-error').textContent()).toContain('That is not one of the answers');
    expect(await page.locator('input[name="concern"][value="great"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="return"]').inputValue()).toBe('/figures/');

    const missing = await post(`/polls/${POLL}/`, { concern: 'great' });
    expect(missing.status()).toBe(400);
    expect(await missing.text()).toContain('Please answer');
    expect(votes()).toEqual([]);
    expect((await context.cookies()).some((c) => c.name === 'poll_voter')).toBe(false);
  });

  it('answers a vote in an unknown poll with 404 and stores nothing', async () => {
    const response = await post('/polls/no-such-poll/', { concern: 'great', behaviour: 'keep' });
    expect(response.status()).toBe(404);
    expect(await response.text()).toContain('There is no poll at this address');
    expect(votes()).toEqual([]);
  });

  it('refuses a vote posted from another site', async () => {
    const response = await context.request.post(`${site.server.url}/polls/${POLL}/`, {
      form: { concern: 'great', behaviour: 'keep' },
      headers: { Origin: 'https://elsewhere.example' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(votes()).toEqual([]);
  });

  it('never redirects off the site, whatever the form says', async () => {
    const response = await post(`/polls/${POLL}/`, { concern: 'lot', behaviour: 'stop', return: '//elsewhere.example/', via: 'island' });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe(`/polls/${POLL}/`);
  });

  it('gives a signed-in account one vote, wherever it votes from', async () => {
    const user = await signIn(context);
    expect((await post(`/polls/${POLL}/`, { concern: 'none', behaviour: 'keep' })).status()).toBe(303);
    const other = await site.browser.newContext();
    await other.addCookies((await context.cookies()).filter((c) => c.name === 'session'));
    const again = await post(`/polls/${POLL}/`, { concern: 'great', behaviour: 'stop' }, other);
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain('This account has already voted');
    await other.close();
    expect(votes().map((v) => [v.userId, v.voterKey, v.choice])).toEqual([
      [user.id, null, 'none'],
      [user.id, null, 'keep'],
    ]);
    expect((await context.cookies()).some((c) => c.name === 'poll_voter')).toBe(false);
  });

  it('lets a suspended account read the results but not vote', async () => {
    await signIn(context, { banned: true });
    const response = await post(`/polls/${POLL}/`, { concern: 'great', behaviour: 'keep' });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('Your account is suspended, so it cannot vote');
    expect(votes()).toEqual([]);
  });

  const essaysWithPoll = essaySlugs().filter((slug) => /<ReaderPoll[\s/>]/.test(essaySource(slug)));
  it.skipIf(essaysWithPoll.length === 0)('offers the ballot in every essay that has the poll, from the island', async () => {
    for (const slug of essaysWithPoll) {
      const page = await context.newPage();
      await page.goto(`${site.server.url}/essays/${slug}/`, { waitUntil: 'networkidle' });
      const poll = page.locator('figure[data-figure="reader-poll"]');
      await poll.locator('input[name="via"]').waitFor({ state: 'attached' });
      expect(await poll.locator('input[name="return"]').inputValue()).toBe(`/essays/${slug}/`);
    }
  });
});
