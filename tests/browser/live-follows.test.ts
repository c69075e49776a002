// What follows the live discussion in real Chromium against the real built server, beside the
// comments themselves (live-discussion.test.ts): the margin's passage counts on another reader's
// page, a discussion filtered to one passage that takes only that passage's arrivals, a moderator
// pinning and closing (the comments' controls with them), a commenter's new name, and a restored comment with its likes as each reader
// left them. All without reloading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { likes } from '../../db/schema.ts';
import type { Block } from '../../src/features/passages/blocks.ts';
import { browserPath, launchBrowser, openDiscussion } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, formBody, send } from '../support/http.ts';
import { passageBlocks } from '../support/passages.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';
/** How long a change may take to show: the poll, and for the discussion's state a page's moment apart (up to 2 s). */
const SOON = { timeout: 5_000 };

describe.skipIf(!browserPath())('what follows the live discussion, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let adminCookie: string;
  /** Paragraphs of the essay as built, each test its own, so that counts do not mix. */
  let paragraphs: Block[];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    adminCookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db, { username: 'moderator', role: 'admin' })).id));
    paragraphs = passageBlocks(ESSAY).filter((b) => b.kind === 'paragraph' && b.text.length > 60);
    expect(paragraphs.length).toBeGreaterThanOrEqual(6);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function pageAs(username: string): Promise<Page> {
    const user = await makeUser(server.db, { username });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addCookies([{ ...(await sessionCookie(server.db, user.id)), url: server.url }]);
    contexts.push(context);
    return context.newPage();
  }
  async function openLive(page: Page, path = `/essays/${ESSAY}/`): Promise<void> {
    const stream = page.waitForResponse((r) => r.url().includes(`/discussion/${ESSAY}/events`));
    await openDiscussion(page, `${server.url}${path}`);
    expect((await stream).status()).toBe(200);
  }
  /** A comment by a reader of its own (the rate limit is per account), through the real route; on a passage when given one. */
  async function postAsSomeone(body: string, on?: Block): Promise<number> {
    const cookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db)).id));
    const passage: Record<string, string> = on ? { passage: on.id, quote: on.text.slice(0, 30) } : {};
    const response = await send(server.url, { path: '/comments/new', body: formBody({ essay: ESSAY, body, ...passage }), cookie });
    expect(response.status, response.text.slice(0, 200)).toBe(303);
    return Number(/#comment-(\d+)/.exec(response.location)![1]);
  }
  async function moderate(path: string, fields: Record<string, string>): Promise<void> {
    const response = await send(server.url, { path, body: formBody({ ...fields, return: `/essays/${ESSAY}/` }), cookie: adminCookie });
    expect(response.status, response.text.slice(0, 200)).toBe(303);
  }
  const marker = (page: Page, block: Block) => page.locator(`#${block.id} > a.pm`);

  it("a passage comment posted by one reader counts in the other reader's margin at once, and a moderator's removal takes it off", async () => {
    const block = paragraphs[0]!;
    const [ada, bob] = [await pageAs('ada'), await pageAs('bob')];
    await openLive(ada);
    await openLive(bob);
    expect(await marker(bob, block).getAttribute('data-n')).toBeNull();
    const first = await postAsSomeone('A first word on this paragraph.', block);
    await expect.poll(() => marker(bob, block).getAttribute('data-n'), SOON).toBe('1');
    expect(await marker(bob, block).getAttribute('aria-label')).toBe('1 comment on this paragraph');
    await expect.poll(() => marker(ada, block).getAttribute('data-n'), SOON).toBe('1');
    await postAsSomeone('A second word on it.', block);
    await expect.poll(() => marker(bob, block).getAttribute('data-n'), SOON).toBe('2');
    expect(await marker(bob, block).getAttribute('aria-label')).toBe('2 comments on this paragraph');
    await moderate(`/admin/comments/${first}`, { action: 'hide', ids: String(first), reason: 'spam' });
    await expect.poll(() => marker(bob, block).getAttribute('data-n'), SOON).toBe('1');
    expect(await marker(bob, block).getAttribute('aria-label')).toBe('1 comment on this paragraph');
  });

  it('filtered to one passage, the list takes arrivals on that passage only; the others are counted in the margin, not offered', async () => {
    const [here, elsewhere] = [paragraphs[1]!, paragraphs[2]!];
    await postAsSomeone('Already on this passage.', here);
    const cleo = await pageAs('cleo');
    await openLive(cleo);
    await marker(cleo, here).click();
    const filter = cleo.locator('.discussion-sort a[data-sort=passage]');
    await expect.poll(() => filter.getAttribute('aria-current'), SOON).toBe('true');
    await expect.poll(() => cleo.locator('[data-threads] > li').count(), SOON).toBe(1);
    const threads = () => cleo.locator('[data-threads] > li').evaluateAll((lis) => lis.map((li) => li.id));
    const before = await threads();

    const other = await postAsSomeone('On another passage, not for this list.', elsewhere);
    const whole = await postAsSomeone('On the essay as a whole, not for this list either.');
    await expect.poll(() => marker(cleo, elsewhere).getAttribute('data-n'), SOON).toBe('1');
    await expect.poll(() => cleo.locator('[data-comment-count]').textContent(), SOON).toContain('comments');
    expect(await threads()).toEqual(before);
    expect(await cleo.locator(`#comment-${other}, #comment-${whole}`).count()).toBe(0);
    expect(await cleo.locator('.live-notice').textContent()).toBe('');

    // One on this passage joins the list (offered, or shown at once at the end of the thread).
    const same = await postAsSomeone('On this very passage, for this list.', here);
    await expect.poll(async () => (await cleo.locator(`#comment-${same}`).count()) + (await cleo.getByRole('button', { name: '1 new comment: show them' }).count()), SOON).toBe(1);
    if ((await cleo.locator(`#comment-${same}`).count()) === 0) await cleo.getByRole('button', { name: '1 new comment: show them' }).click();
    await cleo.locator(`[data-threads] > #comment-${same}`).waitFor({ state: 'attached' });
    expect(await cleo.locator(`#comment-${other}, #comment-${whole}`).count()).toBe(0);
  });

  it("the passage's own page (?passage=) takes that passage's arrivals only, too", async () => {
    const [here, elsewhere] = [paragraphs[3]!, paragraphs[4]!];
    const dan = await pageAs('dan');
    await openLive(dan, `/discussion/${ESSAY}/?passage=${here.id}`);
    const other = await postAsSomeone('Another passage again.', elsewhere);
    const same = await postAsSomeone('This passage, on its own page.', here);
    await expect.poll(async () => (await dan.locator(`#comment-${same}`).count()) + (await dan.locator('.live-notice button').count()), SOON).toBe(1);
    expect(await dan.locator('.live-notice').textContent()).toMatch(/^1 new comment/);
    expect(await dan.locator(`#comment-${other}`).count()).toBe(0);
  });

  it('a moderator pinning and unpinning a comment, and closing and reopening the discussion, show on open pages; a half-written comment survives', async () => {
    const author = await makeUser(server.db, { username: 'pinned_author' });
    const pinned = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Worth reading first.' });
    const erin = await pageAs('erin');
    await openLive(erin);
    await moderate('/admin/essays', { action: 'pin', comment: String(pinned) });
    const aside = erin.locator('[data-discussion] > .pinned-comment');
    await expect.poll(() => aside.count(), SOON).toBe(1);
    expect(await aside.locator('.comment-body').textContent()).toContain('Worth reading first.');
    expect(await aside.locator('a').getAttribute('href')).toBe(`#comment-${pinned}`);

    // The comment's own controls: a like button and a Reply link while the discussion is open.
    const controls = erin.locator(`#comment-${pinned} > article > footer`);
    const likeAndReply = controls.locator('button, a.comment-reply');
    expect(await likeAndReply.count()).toBe(2);

    const form = erin.locator('[data-discussion] > form[data-mode=new]');
    await form.locator('textarea').fill('Half of what I meant to say');
    await moderate('/admin/essays', { action: 'close', essay: ESSAY });
    await expect.poll(() => form.isVisible(), SOON).toBe(false);
    const notice = erin.locator('[data-discussion] > .discussion-notice');
    await expect.poll(() => notice.textContent(), SOON).toMatch(/closed/i);
    expect(await aside.count()).toBe(1);
    // Closed: no like or reply in the comments either (the count stays).
    await expect.poll(() => likeAndReply.count(), SOON).toBe(0);

    // A page opened while it was closed has no form, until it reopens.
    const fay = await pageAs('fay');
    await openLive(fay);
    expect(await fay.locator('[data-discussion] > form[data-mode=new]').count()).toBe(0);
    await moderate('/admin/essays', { action: 'reopen', essay: ESSAY });
    await expect.poll(() => form.isVisible(), SOON).toBe(true);
    expect(await form.locator('textarea').inputValue()).toBe('Half of what I meant to say');
    // Reopened: the like and the Reply link are back in the comment, and the like works.
    await expect.poll(() => likeAndReply.count(), SOON).toBe(2);
    await controls.getByRole('button', { name: /like/i }).click();
    await expect.poll(() => server.db.select().from(likes).where(eq(likes.commentId, pinned)).all().length, SOON).toBe(1);
    expect(await notice.count()).toBe(0);
    await expect.poll(() => fay.locator('[data-discussion] > form[data-mode=new] textarea').count(), SOON).toBe(1);
    expect(await fay.locator('[data-discussion] > .discussion-notice').count()).toBe(0);
    // The form that came back posts, in place.
    await fay.getByLabel('Add a comment').fill('Posted through the form that came back.');
    await fay.getByRole('button', { name: 'Post comment' }).click();
    await fay.locator('li.comment', { hasText: 'Posted through the form that came back.' }).waitFor();

    await moderate(`/admin/comments/${pinned}`, { action: 'unpin', essay: ESSAY });
    await expect.poll(() => aside.count(), SOON).toBe(0);
  });

  it("one moderator's pin changes the Pin button on another moderator's open page", async () => {
    const author = await makeUser(server.db, { username: 'pin_button_author' });
    const comment = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Pinned by the other moderator.' });
    const other = await makeUser(server.db, { username: 'other_moderator', role: 'admin' });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addCookies([{ ...(await sessionCookie(server.db, other.id)), url: server.url }]);
    contexts.push(context);
    const page = await context.newPage();
    await openLive(page);
    const pinButton = page.locator(`#comment-${comment} > article > footer button[value]`).filter({ hasText: /pin/i });
    expect(await pinButton.textContent()).toBe('Pin to top');
    await moderate('/admin/essays', { action: 'pin', comment: String(comment) });
    await expect.poll(() => pinButton.textContent(), SOON).toBe('Unpin');
    await moderate(`/admin/comments/${comment}`, { action: 'unpin', essay: ESSAY });
    await expect.poll(() => pinButton.textContent(), SOON).toBe('Pin to top');
  });

  it('a page whose refresh after a pin fails stays as it was, with no error thrown', async () => {
    const author = await makeUser(server.db, { username: 'refresh_author' });
    const pinned = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Pinned while the network fails.' });
    const lena = await pageAs('lena');
    await openLive(lena);
    const errors: string[] = [];
    lena.on('pageerror', (error) => errors.push(error.message));
    let refused = 0;
    await lena.route(`${server.url}/discussion/${ESSAY}/`, (route) => (refused++, route.abort()));
    await moderate('/admin/essays', { action: 'pin', comment: String(pinned) });
    await expect.poll(() => refused, SOON).toBe(1);
    await lena.waitForTimeout(300);
    expect(errors).toEqual([]);
    expect(await lena.locator('[data-discussion] > .pinned-comment').count()).toBe(0);
    expect(await lena.locator('[data-discussion] > form[data-mode=new]').isVisible()).toBe(true);
    await lena.unroute(`${server.url}/discussion/${ESSAY}/`);
    await moderate(`/admin/comments/${pinned}`, { action: 'unpin', essay: ESSAY });
  });

  it("a commenter's new display name replaces the old on open pages, as a reload would show it", async () => {
    const user = await makeUser(server.db, { username: 'gail' });
    const cookie = cookieHeader(await sessionCookie(server.db, user.id));
    const id = await makeComment(server.db, { essay: ESSAY, authorId: user.id, body: 'Signed by Gail.' });
    const hal = await pageAs('hal');
    await openLive(hal);
    const author = hal.locator(`#comment-${id} > article > header`);
    expect(await author.locator('.comment-author').textContent()).toBe('gail');
    const rename = await send(server.url, { path: '/account', body: formBody({ displayName: 'Gail the Reader' }), cookie });
    expect(rename.status, rename.text.slice(0, 200)).toBe(303);
    await expect.poll(() => author.locator('.comment-author').textContent(), SOON).toBe('Gail the Reader');
    expect(await author.locator('.comment-handle').textContent()).toBe('@gail');
    expect(await hal.locator(`#comment-${id} > article`).getAttribute('aria-label')).toBe('Comment by Gail the Reader');
    const live = await author.evaluate((h) => h.innerHTML.replace(/<time[^>]*>.*?<\/time>/, ''));
    await openLive(hal);
    expect(await author.evaluate((h) => h.innerHTML.replace(/<time[^>]*>.*?<\/time>/, ''))).toBe(live);
  });

  it('a restored comment comes back liked for the reader who liked it, with its count, and unliked for the others', async () => {
    const author = await makeUser(server.db, { username: 'ivy' });
    const id = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Hidden for a while.' });
    await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'A reply that stays.', parentId: id });
    const [jan, kim] = [await pageAs('jan'), await pageAs('kim')];
    await openLive(jan);
    await openLive(kim);
    const like = (page: Page) => page.locator(`#comment-${id} > article .like-button`);
    await like(jan).click();
    await expect.poll(() => like(jan).getAttribute('aria-pressed')).toBe('true');
    await moderate(`/admin/comments/${id}`, { action: 'hide', ids: String(id), reason: 'off-topic' });
    for (const page of [jan, kim]) await expect.poll(() => page.locator(`#comment-${id} > article .comment-placeholder`).count(), SOON).toBe(1);
    await moderate(`/admin/comments/${id}`, { action: 'restore', ids: String(id) });
    for (const page of [jan, kim]) await expect.poll(() => page.locator(`#comment-${id} > article .comment-body`).count(), SOON).toBe(1);
    expect(await like(jan).getAttribute('aria-pressed')).toBe('true');
    expect(await like(kim).getAttribute('aria-pressed')).toBe('false');
    for (const page of [jan, kim]) expect(await page.locator(`#comment-${id} > article .like-count`).textContent()).toBe('Liked by 1 person');
    // Unliking it now works from the state shown.
    await like(jan).click();
    await expect.poll(() => like(jan).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => kim.locator(`#comment-${id} > article .like-count`).count(), SOON).toBe(0);
  });
});
