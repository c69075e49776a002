// The reader poll end to end: anonymous and signed-in votes through the real forms, results after
// voting (and before, without voting), and every kind of bad input turned away with a clear message
// and nothing written. Ballot stuffing has its own file: poll-stuffing.test.ts.
import { eq } from 'drizzle-orm';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { recordBallot } from '../../db/polls/polls.ts';
import { pollVotes, users } from '../../db/schema.ts';
import { createLucia } from '../../src/features/accounts/lucia.ts';
import { ANONYMOUS_BALLOTS_PER_NETWORK, voterKey } from '../../src/features/polls/voter.ts';
import { browserPath } from '../support/browser.ts';
import { makeUser } from '../support/fixtures.ts';
import { formBody, send } from '../support/http.ts';
import { essaySlugs, essaySource, foreignRequests, recordCspViolations, recordRequests } from '../support/pages.ts';
import { POLL, SIGNED_COOKIE, usePollSite } from '../support/poll-site.ts';

describe.skipIf(!browserPath())('the reader poll', () => {
  const live = usePollSite();
  const { site, votes, post, voterCookieOf } = live;

  async function signIn(ctx: BrowserContext, options: { banned?: boolean } = {}) {
    const user = await makeUser(site.server.db);
    if (options.banned) site.server.db.update(users).set({ bannedAt: Date.now() }).where(eq(users.id, user.id)).run();
    const now = Date.now();
    const session = await createLucia(site.server.db, { secure: false }).createSession(user.id, { createdAt: now, lastUsedAt: now, device: 'Test browser' });
    await ctx.addCookies([{ name: 'session', value: session.id, url: site.server.url }]);
    return user;
  }

  it('takes an anonymous vote through the island’s form and shows the results in place', async () => {
    const page = await live.context.newPage();
    const requests = recordRequests(page);
    const blocked = recordCspViolations(page);
    await page.goto(`${site.server.url}/figures/`, { waitUntil: 'networkidle' });
    const poll = page.locator('figure[data-figure="reader-poll"]');
    // The island has replaced the fallback with its own form, which returns here after the vote.
    await poll.locator('input[name="via"]').waitFor({ state: 'attached' });
    // Reading, the island included, sets no cookie: the poll hands one out with the first ballot.
    expect(await voterCookieOf(live.context)).toBeUndefined();
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

    const cookie = (await voterCookieOf(live.context))!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.value).toMatch(SIGNED_COOKIE);
    expect(votes().map((v) => [v.question, v.choice, v.userId, v.voterKey])).toEqual([
      ['concern', 'great', null, voterKey(cookie.value.split('.')[0]!)],
      ['behaviour', 'keep', null, voterKey(cookie.value.split('.')[0]!)],
    ]);

    // Once is all: the same browser voting again is refused, and the page still shows its answers.
    await page.reload({ waitUntil: 'networkidle' });
    await results.waitFor();
    const again = await post(`/polls/${POLL}/`, { concern: 'none', behaviour: 'stop', return: '/figures/' });
    expect(again.status()).toBe(409);
    expect(votes()).toHaveLength(2);
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
    expect((await voterCookieOf(noJs))?.value).toMatch(SIGNED_COOKIE);
    await noJs.close();
  });

  it('shows the results so far to a reader who has not voted, without JavaScript: linked from the essay, one click away on the poll page', async () => {
    const worried = (key: string, behaviour: string) =>
      recordBallot(site.server.db, POLL, { voterKey: key.padEnd(64, '0') }, [{ question: 'concern', choice: 'great' }, { question: 'behaviour', choice: behaviour }]);
    await worried('a1', 'keep');
    await worried('b2', 'cannot');
    await worried('c3', 'stop');
    const noJs = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(`${site.server.url}/figures/`);
    await page.locator('figure[data-figure="reader-poll"]').getByRole('link', { name: 'See the results so far without voting' }).click();
    await page.waitForURL(`${site.server.url}/polls/${POLL}/?results&from=%2Ffigures%2F#poll-results`);
    const peek = page.locator('details.poll-peek');
    expect(await peek.locator('[data-poll-paradox]').textContent()).toBe('Of the 3 readers who worry quite a lot or a great deal, 1 (33%) would carry on and 1 (33%) could not stop.');
    expect(await peek.locator('[data-poll-paradox]').isVisible()).toBe(true);
    // No answer is marked as theirs, the ballot is still the way to vote, and the essay is a link away.
    expect(await peek.locator('.poll-yours').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Vote and see the results' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Back to the essay' }).getAttribute('href')).toBe('/figures/');
    // Arriving by the poll page's own address, the results are closed, and open without any script.
    await page.goto(`${site.server.url}/polls/${POLL}/`);
    expect(await peek.locator('[data-poll-paradox]').isVisible()).toBe(false);
    await peek.locator('summary').click();
    expect(await peek.locator('[data-poll-paradox]').isVisible()).toBe(true);
    // Reading the results hands out no cookie and counts no vote.
    expect(await voterCookieOf(noJs)).toBeUndefined();
    expect(votes()).toHaveLength(6);
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
    const page = await live.context.newPage();
    await page.setContent(await invalid.text());
    expect(await page.locator('.form-error').textContent()).toContain('That is not one of the answers');
    expect(await page.locator('input[name="concern"][value="great"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="return"]').inputValue()).toBe('/figures/');

    const missing = await post(`/polls/${POLL}/`, { concern: 'great' });
    expect(missing.status()).toBe(400);
    expect(await missing.text()).toContain('Please answer');
    expect(votes()).toEqual([]);
    expect((await live.context.cookies()).some((c) => c.name === 'poll_voter')).toBe(false);
  });

  it('answers a vote in an unknown poll with 404 and stores nothing', async () => {
    const response = await post('/polls/no-such-poll/', { concern: 'great', behaviour: 'keep' });
    expect(response.status()).toBe(404);
    expect(await response.text()).toContain('There is no poll at this address');
    expect(votes()).toEqual([]);
  });

  it('refuses a vote posted from another site', async () => {
    const response = await live.context.request.post(`${site.server.url}/polls/${POLL}/`, {
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

  it('gives a signed-in account one vote, wherever it votes from, also from a network out of anonymous votes', async () => {
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK; i++) {
      const anonymous = await site.browser.newContext();
      expect((await post(`/polls/${POLL}/`, { concern: 'lot', behaviour: 'less' }, anonymous)).status()).toBe(303);
      await anonymous.close();
    }
    site.server.db.delete(pollVotes).run();
    const user = await signIn(live.context);
    expect((await post(`/polls/${POLL}/`, { concern: 'none', behaviour: 'keep' })).status()).toBe(303);
    const other = await site.browser.newContext();
    await other.addCookies((await live.context.cookies()).filter((c) => c.name === 'session'));
    const again = await post(`/polls/${POLL}/`, { concern: 'great', behaviour: 'stop' }, other);
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain('This account has already voted');
    await other.close();
    expect(votes().map((v) => [v.userId, v.voterKey, v.choice])).toEqual([
      [user.id, null, 'none'],
      [user.id, null, 'keep'],
    ]);
    expect((await live.context.cookies()).some((c) => c.name === 'poll_voter')).toBe(false);
  });

  it('lets a suspended account read the results but not vote', async () => {
    await signIn(live.context, { banned: true });
    const response = await post(`/polls/${POLL}/`, { concern: 'great', behaviour: 'keep' });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('Your account is suspended, so it cannot vote');
    expect(votes()).toEqual([]);
  });

  it('refuses a question answered twice, or an answer that does not exist, with 400 and nothing written', async () => {
    const ballots: Record<string, string | string[]>[] = [
      { concern: ['great', 'none'], behaviour: 'keep' },
      { concern: 'great', behaviour: ['keep', 'keep'] },
      { concern: 'great', behaviour: 'nonexistent' },
      { concern: 'keep', behaviour: 'keep' },
    ];
    for (const fields of ballots) {
      const response = await send(site.server.url, { path: `/polls/${POLL}/`, body: formBody({ ...fields, return: '/figures/' }) });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(response.text).toMatch(/Please choose only one answer to|That is not one of the answers to/);
    }
    expect(votes()).toEqual([]);
  });

  const essaysWithPoll = essaySlugs().filter((slug) => /<ReaderPoll[\s/>]/.test(essaySource(slug)));
  it.skipIf(essaysWithPoll.length === 0)('offers the ballot in every essay that has the poll, from the island', async () => {
    for (const slug of essaysWithPoll) {
      const page = await live.context.newPage();
      await page.goto(`${site.server.url}/essays/${slug}/`, { waitUntil: 'load' });
      const poll = page.locator('figure[data-figure="reader-poll"]');
      await poll.locator('input[name="via"]').waitFor({ state: 'attached' });
      expect(await poll.locator('input[name="return"]').inputValue()).toBe(`/essays/${slug}/`);
    }
  });
});
