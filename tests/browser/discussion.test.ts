// The discussion in real Chromium against the real built server, with JavaScript (actions
// update in place) and without it (forms, redirects, on-demand pages).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { comments, likes } from '../../db/schema.ts';
import { browserPath, launchBrowser, openDiscussion } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';

function harness(javaScriptEnabled: boolean) {
  const state = {} as { server: RunningServer; browser: Browser; contexts: BrowserContext[]; cspViolations: string[] };
  beforeAll(async () => {
    state.server = await startServer();
    state.browser = await launchBrowser();
    state.contexts = [];
    state.cspViolations = [];
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.server?.stop();
  });
  const as = async (username: string): Promise<Page> => {
    const user = await makeUser(state.server.db, { username, displayName: username.toUpperCase() });
    const context = await state.browser.newContext({ javaScriptEnabled });
    const cookie = await sessionCookie(state.server.db, user.id);
    await context.addCookies([{ ...cookie, url: state.server.url }]);
    state.contexts.push(context);
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) state.cspViolations.push(message.text());
    });
    return context.newPage();
  };
  const idOf = (body: string) => state.server.db.select({ id: comments.id }).from(comments).where(eq(comments.bodySource, body)).get()?.id;
  const likeRows = (id: number) => state.server.db.select().from(likes).where(eq(likes.commentId, id)).all().length;
  const seedLaterPage = async () => {
    const author = await makeUser(state.server.db);
    let last = 0;
    for (let i = 0; i < 55; i++) {
      last = await makeComment(state.server.db, { essay: ESSAY, authorId: author.id, body: `filler ${i}`, createdAt: Date.now() + 3_600_000 + i });
    }
    return last;
  };
  return { state, as, idOf, likeRows, seedLaterPage };
}

const own = (id: number, selector: string) => `#comment-${id} > article ${selector}`;

describe.skipIf(!browserPath())('the discussion with JavaScript', () => {
  const { state, as, idOf, likeRows, seedLaterPage } = harness(true);
  let ada: Page;
  let bob: Page;
  const ids: Record<string, number> = {};

  async function openEssay(page: Page) {
    await openDiscussion(page, `${state.server.url}/essays/${ESSAY}/`);
  }
  async function reply(page: Page, parent: number, text: string) {
    await page.locator(own(parent, 'a.comment-reply')).click();
    const form = page.locator(own(parent, 'form[data-mode=reply]'));
    await form.getByLabel('Your reply').fill(text);
    await form.getByRole('button', { name: 'Post reply' }).click();
    await expect.poll(() => idOf(text)).toBeDefined();
    const id = idOf(text)!;
    await page.locator(`#comment-${id}`).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`comment-${id}`);
    return id;
  }

  beforeAll(async () => {
    ada = await as('ada');
    bob = await as('bob');
  });

  it('posts a comment in place, focuses and announces it', async () => {
    await openEssay(ada);
    const before = ada.url();
    await ada.getByLabel('Add a comment').fill('Hello from *Ada*, with JavaScript.');
    await ada.getByRole('button', { name: 'Post comment' }).click();
    await ada.locator('li.comment', { hasText: 'Hello from Ada, with JavaScript.' }).waitFor();
    ids.top = idOf('Hello from *Ada*, with JavaScript.')!;
    expect(ada.url()).toBe(before);
    expect(await ada.locator(`#comment-${ids.top} .comment-body em`).textContent()).toBe('Ada');
    await expect.poll(() => ada.evaluate(() => document.activeElement?.id)).toBe(`comment-${ids.top}`);
    await expect.poll(() => ada.locator('[data-live]').textContent()).toBe('Your comment was posted.');
    expect(await ada.locator('[data-comment-count]').textContent()).toBe('1 comment');
    expect(await ada.getByLabel('Add a comment').inputValue()).toBe('');
  });

  it('replies three levels deep, each nested under its parent', async () => {
    await openEssay(bob);
    ids.r1 = await reply(bob, ids.top!, 'Bob answers Ada.');
    await openEssay(ada);
    ids.r2 = await reply(ada, ids.r1, 'Ada answers Bob.');
    await openEssay(bob);
    ids.r3 = await reply(bob, ids.r2, 'Bob answers again.');
    const chain = `#comment-${ids.top} > ol.replies > #comment-${ids.r1} > ol.replies > #comment-${ids.r2} > ol.replies > #comment-${ids.r3}`;
    expect(await bob.locator(chain).count()).toBe(1);
    await openEssay(bob);
    expect(await bob.locator(chain).count()).toBe(1);
    expect(await bob.locator(`#comment-${ids.r3}`).getAttribute('data-depth')).toBe('3');
  });

  it('lists replies to you, the new ones marked until seen, with the unread count in the header', async () => {
    await ada.goto(`${state.server.url}/`);
    await expect.poll(() => ada.locator('.site-account .replies-unread').textContent()).toBe('2 unread');
    await ada.goto(`${state.server.url}/replies`);
    // Bob's two replies answer Ada; her own reply is not listed.
    expect(await ada.locator('.replies-list > li .comment-body').allTextContents()).toEqual(['Bob answers again.', 'Bob answers Ada.']);
    expect(await ada.locator('.replies-list > li', { hasText: 'Bob answers Ada.' }).locator('.unread').count()).toBe(1);
    await ada.reload();
    expect(await ada.locator('.replies-list > li', { hasText: 'Bob answers Ada.' }).locator('.unread').count()).toBe(0);
    await ada.goto(`${state.server.url}/`);
    await ada.locator('.site-account .replies-badge').waitFor();
    expect(await ada.locator('.site-account .replies-unread').count()).toBe(0);
  });

  it('shows the live comment count on the home page and in the essay header', async () => {
    await bob.goto(`${state.server.url}/`);
    await expect.poll(() => bob.locator(`a.comment-count-link[href="/essays/${ESSAY}/#discussion"]`).textContent()).toBe('4 comments');
    await bob.goto(`${state.server.url}/essays/${ESSAY}/`);
    await expect.poll(() => bob.locator('article header a.comment-count-link').textContent()).toBe('4 comments');
  });

  it('likes and unlikes with a pressed button, the stored count following', async () => {
    await openEssay(bob);
    const button = bob.locator(own(ids.top!, 'button.like-button'));
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await button.click();
    await expect.poll(() => bob.locator(own(ids.top!, 'button.like-button')).getAttribute('aria-pressed')).toBe('true');
    expect(await bob.locator(own(ids.top!, '.like-count')).textContent()).toBe('Liked by 1 person');
    expect(likeRows(ids.top!)).toBe(1);
    await bob.locator(own(ids.top!, 'button.like-button')).click();
    await expect.poll(() => bob.locator(own(ids.top!, 'button.like-button')).getAttribute('aria-pressed')).toBe('false');
    expect(likeRows(ids.top!)).toBe(0);
    expect(await bob.locator(own(ids.top!, '.like-count')).count()).toBe(0);
    // No like button on one's own comment.
    await openEssay(ada);
    expect(await ada.locator(own(ids.top!, 'button.like-button')).count()).toBe(0);
  });

  it('edits within the window, in place, then shows "edited"', async () => {
    await openEssay(ada);
    await ada.locator(own(ids.top!, 'a.comment-edit')).click();
    const box = ada.locator(own(ids.top!, 'form[data-mode=edit] textarea'));
    expect(await box.inputValue()).toBe('Hello from *Ada*, with JavaScript.');
    await box.fill('Hello from Ada, **edited**.');
    await ada.getByRole('button', { name: 'Save changes' }).click();
    await ada.locator(own(ids.top!, '.comment-edited')).waitFor();
    expect(await ada.locator(own(ids.top!, '.comment-body')).innerHTML()).toBe('<p>Hello from Ada, <strong>edited</strong>.</p>');
    expect(await ada.locator(`#comment-${ids.r3}`).count()).toBe(1);
  });

  it('deletes: a placeholder while replies hang on it, gone with the last reply', async () => {
    ada.once('dialog', (d) => void d.accept());
    await ada.locator(own(ids.r2!, 'a.comment-delete')).click();
    await expect.poll(() => ada.locator(`#comment-${ids.r2} > article`).textContent()).toContain('[deleted]');
    expect(await ada.locator(`#comment-${ids.r3}`).count()).toBe(1);
    await openEssay(bob);
    bob.once('dialog', (d) => void d.accept());
    await bob.locator(own(ids.r3!, 'a.comment-delete')).click();
    await expect.poll(() => bob.locator(`#comment-${ids.r3}`).count()).toBe(0);
    expect(await bob.locator(`#comment-${ids.r2}`).count()).toBe(0);
    expect(await bob.locator(`#comment-${ids.r1}`).count()).toBe(1);
    expect(idOf('Ada answers Bob.')).toBeUndefined();
  });

  it('follows a permalink to a comment on a later page', async () => {
    const last = await seedLaterPage();
    const page = await bob.context().newPage();
    await page.goto(`${state.server.url}/essays/${ESSAY}/#comment-${last}`);
    await page.locator(`#comment-${last}.is-target`).waitFor();
    expect(await page.locator(`#comment-${last}`).isVisible()).toBe(true);
    expect(await page.locator('.threads > li').count()).toBeGreaterThan(50);
  });

  it('makes a reply form on demand from the one template: focus goes into it, Escape or Cancel closes it and returns focus to Reply, and a refused reply comes back in it with the reason and the text', async () => {
    await openEssay(bob);
    // One template for the whole discussion, no form under any comment until asked for.
    expect(await bob.locator('.discussion template[data-reply-template]').count()).toBe(1);
    expect(await bob.locator('li.comment form[data-comment-form]').count()).toBe(0);
    const replyLink = bob.locator(own(ids.top!, 'a.comment-reply'));
    const form = bob.locator(own(ids.top!, 'form[data-mode=reply]'));
    const box = form.getByLabel('Your reply');
    const focused = () => bob.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.id || document.activeElement?.getAttribute('href')}`);
    const onReplyLink = `A ${await replyLink.getAttribute('href')}`;

    // By keyboard: Enter on Reply makes the form, focus in its text box (named by its label).
    await replyLink.focus();
    await bob.keyboard.press('Enter');
    await expect.poll(focused).toBe(`TEXTAREA reply-${ids.top}-body`);
    expect(await form.locator('input[name=parent]').inputValue()).toBe(String(ids.top));
    // Escape on an empty form closes it, and focus is back on Reply.
    await bob.keyboard.press('Escape');
    await expect.poll(() => form.count()).toBe(0);
    expect(await focused()).toBe(onReplyLink);

    // With words in it, Escape keeps the form and the words; Cancel closes it.
    await bob.keyboard.press('Enter');
    await box.fill('A draft worth keeping.');
    await bob.keyboard.press('Escape');
    expect(await box.inputValue()).toBe('A draft worth keeping.');
    await expect.poll(() => bob.locator('[data-live]').textContent()).toBe('Your text is kept. Choose Cancel to close the form without it.');
    await form.getByRole('link', { name: 'Cancel' }).click();
    await expect.poll(() => form.count()).toBe(0);
    expect(await focused()).toBe(onReplyLink);

    // Refused (too long): the server's form takes its place with the reason and the text, focus in it.
    const long = `${'x'.repeat(10_000)}y`;
    await replyLink.click();
    await box.fill(long);
    await form.getByRole('button', { name: 'Post reply' }).click();
    await form.locator('.form-error').waitFor();
    expect(await form.locator('.form-error').textContent()).toContain('A comment can be at most 10,000 characters; this one has 10,001.');
    expect(await box.inputValue()).toBe(long);
    await expect.poll(focused).toBe(`TEXTAREA reply-${ids.top}-body`);
    expect(idOf(long)).toBeUndefined();
    // Escape keeps the refused text too; the fixed reply posts in place under its parent.
    await bob.keyboard.press('Escape');
    expect(await box.inputValue()).toBe(long);
    await box.fill('Short enough now.');
    await form.getByRole('button', { name: 'Post reply' }).click();
    await expect.poll(() => idOf('Short enough now.')).toBeDefined();
    const posted = idOf('Short enough now.')!;
    await bob.locator(`#comment-${ids.top} > ol.replies > #comment-${posted}`).waitFor();
    await expect.poll(focused).toBe(`LI comment-${posted}`);
    expect(await form.count()).toBe(0);
  });

  it('closes an edit form with Escape while the text is as it was, focus back on Edit', async () => {
    await openEssay(ada);
    const edit = ada.locator(own(ids.top!, 'a.comment-edit'));
    await edit.click();
    const box = ada.locator(own(ids.top!, 'form[data-mode=edit] textarea'));
    await expect.poll(() => ada.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    expect(await ada.locator(own(ids.top!, '.comment-body')).isHidden()).toBe(true);
    await ada.keyboard.press('Escape');
    await expect.poll(() => box.count()).toBe(0);
    expect(await ada.locator(own(ids.top!, '.comment-body')).isVisible()).toBe(true);
    expect(await ada.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(await edit.getAttribute('href'));
    // Changed, Escape keeps it.
    await edit.click();
    await box.fill('Changed my mind.');
    await ada.keyboard.press('Escape');
    expect(await box.inputValue()).toBe('Changed my mind.');
    await ada.locator(own(ids.top!, 'form[data-mode=edit]')).getByRole('link', { name: 'Cancel' }).click();
    await expect.poll(() => box.count()).toBe(0);
  });

  it('breaks no rule of the Content Security Policy', () => {
    expect(state.cspViolations).toEqual([]);
  });
});

describe.skipIf(!browserPath())('the discussion without JavaScript', () => {
  const { state, as, idOf, likeRows, seedLaterPage } = harness(false);
  let ada: Page;
  let bob: Page;
  const ids: Record<string, number> = {};
  const discussionUrl = () => `${state.server.url}/discussion/${ESSAY}/`;

  async function reply(page: Page, parent: number, text: string) {
    await page.goto(discussionUrl());
    await page.locator(own(parent, 'a.comment-reply')).click();
    await page.getByLabel('Your reply').fill(text);
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.waitForURL(/#comment-\d+$/);
    const id = idOf(text)!;
    expect(page.url()).toBe(`${discussionUrl()}#comment-${id}`);
    return id;
  }

  beforeAll(async () => {
    ada = await as('ada');
    bob = await as('bob');
  });

  it('links from the essay to the discussion, and posts a comment through the form', async () => {
    await ada.goto(`${state.server.url}/essays/${ESSAY}/`);
    await ada.getByRole('link', { name: 'Read and join the discussion' }).click();
    expect(ada.url()).toBe(discussionUrl());
    await ada.getByLabel('Add a comment').fill('Posted without JavaScript.');
    await ada.getByRole('button', { name: 'Post comment' }).click();
    await ada.waitForURL(/#comment-\d+$/);
    ids.top = idOf('Posted without JavaScript.')!;
    expect(ada.url()).toBe(`${discussionUrl()}#comment-${ids.top}`);
    expect(await ada.evaluate(() => document.querySelector(':target')?.id)).toBe(`comment-${ids.top}`);
    expect(await ada.locator(`#comment-${ids.top} .comment-body`).textContent()).toBe('Posted without JavaScript.');
  });

  it('replies three levels deep through the reply page', async () => {
    ids.r1 = await reply(bob, ids.top!, 'Level one, by Bob.');
    ids.r2 = await reply(ada, ids.r1, 'Level two, by Ada.');
    ids.r3 = await reply(bob, ids.r2, 'Level three, by Bob.');
    const chain = `#comment-${ids.top} > ol.replies > #comment-${ids.r1} > ol.replies > #comment-${ids.r2} > ol.replies > #comment-${ids.r3}`;
    expect(await bob.locator(chain).count()).toBe(1);
  });

  it('likes and unlikes through the form', async () => {
    await bob.goto(discussionUrl());
    await bob.locator(own(ids.top!, 'button.like-button')).click();
    await bob.waitForURL(/#comment-\d+$/);
    expect(await bob.locator(own(ids.top!, 'button.like-button')).getAttribute('aria-pressed')).toBe('true');
    expect(await bob.locator(own(ids.top!, '.like-count')).textContent()).toBe('Liked by 1 person');
    expect(likeRows(ids.top!)).toBe(1);
    await bob.locator(own(ids.top!, 'button.like-button')).click();
    await bob.waitForLoadState();
    expect(await bob.locator(own(ids.top!, 'button.like-button')).getAttribute('aria-pressed')).toBe('false');
    expect(likeRows(ids.top!)).toBe(0);
  });

  it('edits within the window on the edit page', async () => {
    await ada.goto(discussionUrl());
    await ada.locator(own(ids.top!, 'a.comment-edit')).click();
    expect(await ada.getByLabel('Edit your comment').inputValue()).toBe('Posted without JavaScript.');
    await ada.getByLabel('Edit your comment').fill('Edited without JavaScript.');
    await ada.getByRole('button', { name: 'Save changes' }).click();
    await ada.waitForURL(/#comment-\d+$/);
    expect(await ada.locator(own(ids.top!, '.comment-body')).textContent()).toBe('Edited without JavaScript.');
    expect(await ada.locator(own(ids.top!, '.comment-edited')).textContent()).toBe('edited');
  });

  it('deletes after confirming: a placeholder with replies, gone without', async () => {
    await ada.goto(discussionUrl());
    await ada.locator(own(ids.r2!, 'a.comment-delete')).click();
    await ada.getByRole('button', { name: 'Delete comment' }).click();
    await ada.waitForURL(/\/discussion\//);
    expect(await ada.locator(`#comment-${ids.r2} > article`).textContent()).toContain('[deleted]');
    await bob.goto(discussionUrl());
    await bob.locator(own(ids.r3!, 'a.comment-delete')).click();
    await bob.getByRole('button', { name: 'Delete comment' }).click();
    await bob.waitForURL(/\/discussion\//);
    expect(await bob.locator(`#comment-${ids.r3}`).count()).toBe(0);
    expect(await bob.locator(`#comment-${ids.r2}`).count()).toBe(0);
    expect(await bob.locator(`#comment-${ids.r1}`).count()).toBe(1);
  });

  it('follows a permalink to a comment on a later page', async () => {
    const last = await seedLaterPage();
    await bob.goto(`${state.server.url}/comments/${last}`);
    expect(bob.url()).toBe(`${discussionUrl()}?page=2#comment-${last}`);
    expect(await bob.locator(`#comment-${last}`).isVisible()).toBe(true);
    expect(await bob.evaluate(() => document.querySelector(':target')?.id)).toBe(`comment-${last}`);
    await bob.goto(discussionUrl());
    await bob.getByRole('link', { name: 'Show more comments' }).click();
    expect(bob.url()).toBe(`${discussionUrl()}?page=2`);
    expect(await bob.locator(`#comment-${last}`).count()).toBe(1);
  });

  it('breaks no rule of the Content Security Policy', () => {
    expect(state.cspViolations).toEqual([]);
  });
});
