// The live discussion in real Chromium against the real built server: two readers on one essay;
// what one does (post, reply, edit, like) and what a moderator does (hide) reaches the other's open
// page, new comments on request without moving the text being read, a half-written reply
// untouched; "new since your last visit" with and without JavaScript; no EventSource, no change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserPath, launchBrowser, openDiscussion } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, formBody, send } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';
import type { Browser } from 'playwright-core';

const ESSAY = 'taddicken-and-the-privacy-paradox';
const SEEDED = 30;

describe.skipIf(!browserPath())('the live discussion in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let ada: Page;
  let bobCookie: string;
  let adminCookie: string;
  const seeded: number[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const carol = await makeUser(server.db, { username: 'carol' });
    // A long thread, so that its end is far below the top of the page.
    for (let i = 0; i < SEEDED; i++) {
      seeded.push(await makeComment(server.db, { essay: ESSAY, authorId: carol.id, body: `Seeded comment ${i}: ${'words to fill the line. '.repeat(8)}`, createdAt: Date.now() - 3_600_000 + i }));
    }
    bobCookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db, { username: 'bob' })).id));
    adminCookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db, { username: 'moderator', role: 'admin' })).id));
    ada = await pageAs('ada');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function pageAs(username: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const user = await makeUser(server.db, { username });
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: 1000, height: 700 } });
    await context.addCookies([{ ...(await sessionCookie(server.db, user.id)), url: server.url }]);
    contexts.push(context);
    return context.newPage();
  }
  /** A comment by a reader of its own (the rate limit is per account), through the real route. */
  async function postAsSomeone(body: string, parentId?: number): Promise<number> {
    const cookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db)).id));
    const response = await send(server.url, { path: '/comments/new', body: formBody({ essay: ESSAY, body, ...(parentId ? { parent: String(parentId) } : {}) }), cookie });
    expect(response.status, response.text.slice(0, 200)).toBe(303);
    return Number(/#comment-(\d+)/.exec(response.location)![1]);
  }
  async function openLive(page: Page): Promise<void> {
    const stream = page.waitForResponse((r) => r.url().includes(`/discussion/${ESSAY}/events`));
    await openDiscussion(page, `${server.url}/essays/${ESSAY}/`);
    expect((await stream).status()).toBe(200);
  }
  const topOf = (page: Page, id: number) => page.locator(`#comment-${id}`).evaluate((el) => el.getBoundingClientRect().top);
  /** Puts a comment at the top of the window at once (the site scrolls smoothly otherwise). */
  const scrollTo = (page: Page, id: number) => page.locator(`#comment-${id}`).evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));

  it('one reader posts; the other sees "1 new comment" within 2 s, shows it, and it is focused and marked new', async () => {
    await openLive(ada);
    const id = await postAsSomeone('Hello from another reader, live.');
    const offer = ada.getByRole('button', { name: '1 new comment: show them' });
    const started = Date.now();
    await offer.waitFor({ timeout: 2_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    // Announced, not shown: nothing was added to the thread yet.
    expect(await ada.locator(`#comment-${id}`).count()).toBe(0);
    expect(await ada.locator('.live-notice').getAttribute('role')).toBe('status');
    await offer.click();
    await ada.locator(`#comment-${id}`).waitFor();
    await expect.poll(() => ada.evaluate(() => document.activeElement?.id)).toBe(`comment-${id}`);
    expect(await ada.locator(`#comment-${id} > .comment-new-mark`).textContent()).toBe('New');
    expect(await ada.locator('[data-comment-count]').textContent()).toBe(`${SEEDED + 1} comments`);
    // Shown once, and the offer is gone.
    expect(await ada.locator(`#comment-${id}`).count()).toBe(1);
    expect(await ada.locator('.live-notice button').count()).toBe(0);
  });

  it('what changes above the text the reader is reading does not move it; a reply the reader asks to see is taken to', async () => {
    await openLive(ada);
    const anchor = seeded[20]!;
    await scrollTo(ada, anchor);
    const before = await topOf(ada, anchor);
    // A moderator removes a comment far above: the thread shrinks above the reader.
    const hide = formBody({ action: 'hide', ids: String(seeded[2]), reason: 'spam', return: `/essays/${ESSAY}/` });
    expect((await send(server.url, { path: `/admin/comments/${seeded[2]}`, body: hide, cookie: adminCookie })).status).toBe(303);
    await expect.poll(() => ada.locator(`#comment-${seeded[2]}`).count(), { timeout: 2_000 }).toBe(0);
    expect(Math.abs((await topOf(ada, anchor)) - before)).toBeLessThanOrEqual(2);
    // A reply far above arrives: offered, not inserted, so nothing moves until the reader asks.
    const reply = await postAsSomeone('A reply far above the reader.', seeded[1]);
    const offer = ada.getByRole('button', { name: '1 new comment: show them' });
    await offer.waitFor({ timeout: 2_000 });
    expect(await offer.isVisible()).toBe(true);
    expect(Math.abs((await topOf(ada, anchor)) - before)).toBeLessThanOrEqual(2);
    await offer.click();
    await ada.locator(`#comment-${seeded[1]} > ol.replies > #comment-${reply}`).waitFor({ state: 'attached' });
    await expect.poll(() => ada.evaluate(() => document.activeElement?.id)).toBe(`comment-${reply}`);
  });

  it('at the end of the thread a new comment is shown at once, and said so politely', async () => {
    await openLive(ada);
    await ada.locator('[data-threads]').evaluate((el) => el.scrollIntoView({ block: 'end', behavior: 'instant' }));
    const id = await postAsSomeone('Arrives while the reader is at the end.');
    await ada.locator(`#comment-${id}`).waitFor({ timeout: 2_000 });
    expect(await ada.locator('.live-notice').textContent()).toBe('1 new comment added below.');
  });

  it("an edit, a like and a moderator's removal reach the other page", async () => {
    const bobsComment = Number(
      /#comment-(\d+)/.exec((await send(server.url, { path: '/comments/new', body: formBody({ essay: ESSAY, body: 'Bob before the edit.' }), cookie: bobCookie })).location)![1],
    );
    await openLive(ada);
    await ada.locator(`#comment-${bobsComment}`).waitFor();
    expect((await send(server.url, { path: `/comments/${bobsComment}/edit`, body: formBody({ body: 'Bob *after* the edit.' }), cookie: bobCookie })).status).toBe(303);
    await expect.poll(() => ada.locator(`#comment-${bobsComment} > article > .comment-body`).innerHTML(), { timeout: 2_000 }).toBe('<p>Bob <em>after</em> the edit.</p>');
    expect(await ada.locator(`#comment-${bobsComment} .comment-edited`).count()).toBe(1);

    expect((await send(server.url, { path: `/comments/${seeded[3]}/like`, body: formBody({ liked: '1' }), cookie: bobCookie })).status).toBe(303);
    await expect.poll(() => ada.locator(`#comment-${seeded[3]} > article .like-count`).textContent(), { timeout: 2_000 }).toBe('Liked by 1 person');

    const hide = formBody({ action: 'hide', ids: String(bobsComment), reason: 'abuse', return: `/essays/${ESSAY}/` });
    expect((await send(server.url, { path: `/admin/comments/${bobsComment}`, body: hide, cookie: adminCookie })).status).toBe(303);
    await expect.poll(() => ada.locator(`#comment-${bobsComment}`).count(), { timeout: 2_000 }).toBe(0);
  });

  it("a half-written reply is never touched, even when the comment it answers is removed", async () => {
    await openLive(ada);
    const target = seeded[5]!;
    await ada.locator(`#comment-${target} > article a.comment-reply`).click();
    const box = ada.locator(`#comment-${target} > article form[data-mode=reply] textarea`);
    await box.fill('I was halfway through saying');
    const hide = formBody({ action: 'hide', ids: String(target), reason: 'off-topic', return: `/essays/${ESSAY}/` });
    expect((await send(server.url, { path: `/admin/comments/${target}`, body: hide, cookie: adminCookie })).status).toBe(303);
    await expect.poll(() => ada.locator(`#comment-${target} > article > .comment-body`).textContent(), { timeout: 2_000 }).toBe('[removed]');
    expect(await box.inputValue()).toBe('I was halfway through saying');
    await expect.poll(() => ada.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
  });

  it('marks what is new since the last visit, with and without JavaScript, and "Next new comment" moves between them', async () => {
    const dan = await pageAs('dan');
    await openLive(dan); // the first visit: nothing marked, the visit recorded
    expect(await dan.locator('li.comment-new').count()).toBe(0);
    const first = await postAsSomeone('New to Dan, one.');
    const second = await postAsSomeone('New to Dan, two.');
    await openLive(dan);
    expect(await dan.locator('[data-new-since]').textContent()).toContain('2 comments are new since your last visit.');
    expect(await dan.locator('li.comment-new').evaluateAll((lis) => lis.map((li) => li.id))).toEqual([`comment-${first}`, `comment-${second}`]);
    expect(await dan.locator(`#comment-${first} > .comment-new-mark`).textContent()).toBe('New since your last visit');
    const next = dan.getByRole('link', { name: 'Next new comment' });
    await next.click();
    await expect.poll(() => dan.evaluate(() => document.activeElement?.id)).toBe(`comment-${first}`);
    await next.click();
    await expect.poll(() => dan.evaluate(() => document.activeElement?.id)).toBe(`comment-${second}`);
    await next.click();
    await expect.poll(() => dan.evaluate(() => document.activeElement?.id)).toBe(`comment-${first}`);

    // Without JavaScript: the discussion page shows the same marks, and the link goes to the first.
    const user = await makeUser(server.db, { username: 'erin' });
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    contexts.push(noScript);
    await noScript.addCookies([{ ...(await sessionCookie(server.db, user.id)), url: server.url }]);
    const erin = await noScript.newPage();
    await erin.goto(`${server.url}/discussion/${ESSAY}/`);
    const third = await postAsSomeone('New to Erin.');
    await erin.goto(`${server.url}/discussion/${ESSAY}/`);
    expect(await erin.locator('li.comment-new').evaluateAll((lis) => lis.map((li) => li.id))).toEqual([`comment-${third}`]);
    expect(await erin.getByRole('link', { name: 'Next new comment' }).getAttribute('href')).toBe(`#comment-${third}`);
  });

  it('without EventSource the page works as before and opens no stream', async () => {
    const page = await pageAs('frank');
    await page.addInitScript(() => {
      delete (window as { EventSource?: unknown }).EventSource;
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openDiscussion(page, `${server.url}/essays/${ESSAY}/`);
    await page.getByLabel('Add a comment').fill('Posted without live updates.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('li.comment', { hasText: 'Posted without live updates.' }).waitFor();
    expect(requests.filter((u) => u.includes('/events'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
