// Moderation inside the discussion island, in real Chromium with JavaScript: a new account's first
// comment is held and approved in place, three readers flag a comment until it hides, an admin pins
// a comment and closes the discussion.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { listLog } from '../../db/moderation/moderation-log.ts';
import { comments, users } from '../../db/schema.ts';
import { browserPath, openDiscussion } from '../support/browser.ts';
import { moderationHarness } from '../support/moderation-browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { axeViolations, describeViolations } from '../support/pages.ts';

const ESSAY = 'wechat-app-for-everything';
const PASSWORD = 'a long and unusual passphrase';

describe.skipIf(!browserPath())('moderation in the discussion island', () => {
  const { state, newPage } = moderationHarness();
  const signedIn = (userId: string) => newPage(userId);
  const freshPage = () => newPage();

  async function openEssay(page: Page) {
    await openDiscussion(page, `${state.server.url}/essays/${ESSAY}/`);
  }
  const row = (body: string) => state.server.db.select().from(comments).where(eq(comments.bodySource, body)).get();

  it("holds a new account's first comment, shows it only to its author, and lets an admin approve it in place", async () => {
    const newcomer = await freshPage();
    await newcomer.goto(`${state.server.url}/signup`);
    await newcomer.getByLabel('Username', { exact: true }).fill('first_timer');
    await newcomer.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await newcomer.getByLabel('Password again', { exact: true }).fill(PASSWORD);
    await newcomer.getByRole('button', { name: 'Create account' }).click();
    await newcomer.waitForURL((url) => !url.pathname.startsWith('/signup'));

    await openEssay(newcomer);
    const body = 'My very first comment here.';
    await newcomer.getByLabel('Add a comment').fill(body);
    await newcomer.getByRole('button', { name: 'Post comment' }).click();
    // The first comment after start wakes the comment renderer's worker: on a loaded machine that is over a second.
    await expect.poll(() => row(body)?.status, { timeout: 15_000 }).toBe('pending');
    const id = row(body)!.id;
    expect(row(body)!.moderationNote).toBe('held: first comment of a new account');
    await newcomer.locator(`#comment-${id} .comment-pending`).waitFor();
    expect(await newcomer.locator(`#comment-${id} .comment-pending`).textContent()).toBe('Awaiting moderation: only you can see this.');

    const reader = await signedIn((await makeUser(state.server.db, { username: 'onlooker' })).id);
    await openEssay(reader);
    expect(await reader.locator(`#comment-${id}`).count()).toBe(0);

    const moderator = await signedIn(state.admin.id);
    await openEssay(moderator);
    // The header tells admins that something waits, and readers nothing.
    const link = moderator.getByRole('link', { name: /^Moderation( \d+ waiting)?$/ });
    await link.waitFor();
    expect(await link.textContent()).toBe('Moderation 1 waiting');
    expect(await reader.getByRole('link', { name: /^Moderation( \d+ waiting)?$/ }).count()).toBe(0);
    const held = moderator.locator(`#comment-${id}`);
    expect(await held.locator('.comment-pending').textContent()).toBe('Held for review: only moderators can see this.');
    await held.getByRole('button', { name: 'Approve' }).click();
    await moderator.waitForURL(`${state.server.url}/essays/${ESSAY}/#comment-${id}`);
    expect(row(body)!.status).toBe('published');
    const author = state.server.db.select().from(users).where(eq(users.username, 'first_timer')).get()!;
    expect(author.trustedAt).not.toBeNull();

    await openEssay(reader);
    await reader.locator(`#comment-${id}`).waitFor();
    // Trusted now: the next comment appears at once.
    await openEssay(newcomer);
    await newcomer.getByLabel('Add a comment').fill('And a second one.');
    await newcomer.getByRole('button', { name: 'Post comment' }).click();
    await expect.poll(() => row('And a second one.')?.status).toBe('published');
    // Readers may flag others' comments, never their own.
    await openEssay(newcomer);
    expect(await newcomer.locator(`#comment-${row('And a second one.')!.id} .flag-link`).count()).toBe(0);
    expect(await reader.locator(`#comment-${id} .flag-link`).count()).toBe(1);
  });

  it('hides a comment once three readers have flagged it from the island', async () => {
    const author = await makeUser(state.server.db, { username: 'hothead' });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: author.id, body: 'Only idiots use WeChat Pay.' });
    for (const [i, reason] of (['Abuse or harassment', 'Abuse or harassment', 'Spam'] as const).entries()) {
      const page = await signedIn((await makeUser(state.server.db, { username: `island_flagger${i}` })).id);
      await openEssay(page);
      await page.locator(`#comment-${id}`).getByRole('link', { name: 'Flag', exact: true }).click();
      await page.waitForURL(`${state.server.url}/moderation/flag/${id}`);
      expect(await page.locator('blockquote').textContent()).toContain('Only idiots use WeChat Pay.');
      await page.getByLabel(reason).check();
      await page.getByRole('button', { name: 'Flag for moderators' }).click();
      await page.waitForURL(`${state.server.url}/moderation/flag/${id}`);
      expect(await page.getByRole('status').textContent()).toContain(i < 2 ? 'a moderator will look at this comment' : 'hidden until a moderator reviews it');
      if (i === 0) {
        await openEssay(page);
        expect(await page.locator(`#comment-${id} .flag-done`).textContent()).toBe('Flagged');
        // …and no second flag is offered.
        expect(await page.locator(`#comment-${id} .flag-link`).count()).toBe(0);
      }
    }
    expect(state.server.db.select({ s: comments.status }).from(comments).where(eq(comments.id, id)).get()!.s).toBe('pending');
    const reader = await freshPage();
    await openEssay(reader);
    expect(await reader.locator(`#comment-${id}`).count()).toBe(0);
    // Signed-out readers see no flag control, only the comments.
    expect(await reader.locator('.flag-link').count()).toBe(0);
  });

  it('lets an admin pin a comment and close the discussion from the island and the dashboard', async () => {
    const author = await makeUser(state.server.db, { username: 'thoughtful' });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: author.id, body: 'A careful, well-sourced point.' });
    const moderator = await signedIn(state.admin.id);
    await openEssay(moderator);
    await moderator.locator(`#comment-${id}`).getByRole('button', { name: 'Pin to top' }).click();
    await moderator.waitForURL(`${state.server.url}/essays/${ESSAY}/#comment-${id}`);
    const reader = await signedIn((await makeUser(state.server.db, { username: 'latecomer' })).id);
    await openEssay(reader);
    const pinned = reader.locator('.pinned-comment');
    expect(await pinned.locator('.comment-body').textContent()).toContain('A careful, well-sourced point.');
    expect(await pinned.getByRole('link', { name: 'Read it in its thread' }).getAttribute('href')).toBe(`#comment-${id}`);
    expect(await reader.locator('.admin-controls').count()).toBe(0);
    // The flag controls (reader) and the inline moderation controls (admin) pass axe.
    for (const page of [reader, moderator]) {
      const violations = await axeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
    }

    await moderator.goto(`${state.server.url}/admin/essays`);
    await moderator.locator(`#essay-${ESSAY}`).getByRole('button', { name: 'Close discussion' }).click();
    await openEssay(reader);
    expect(await reader.locator('.discussion-notice').first().textContent()).toContain('This discussion is closed');
    expect(await reader.getByLabel('Add a comment').count()).toBe(0);
    const actions = (await listLog(state.server.db)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['approve', 'auto-hide', 'pin', 'close']));
  });

  it("shows a refused inline action on the comment's own admin page, in place, with the refusal's status", async () => {
    const author = await makeUser(state.server.db, { username: 'vanishing' });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: author.id, body: 'Soon gone for good.' });
    const moderator = await signedIn(state.admin.id);
    // A page that missed the live removal (a dropped stream, a browser without EventSource): the
    // live discussion would otherwise take the comment, and its button, away before the click.
    await moderator.addInitScript(() => Reflect.deleteProperty(window, 'EventSource'));
    await openEssay(moderator);
    const hide = moderator.locator(`#comment-${id}`).getByRole('button', { name: 'Hide', exact: true });
    await hide.waitFor();
    // Meanwhile another moderator deletes it for good.
    moderateComments(state.server.db, state.admin, [id], 'purge');
    const answered = moderator.waitForResponse((r) => r.request().method() === 'POST');
    await hide.click();
    const response = await answered;
    expect(new URL(response.url()).pathname).toBe(`/admin/comments/${id}`);
    expect(response.status()).toBe(404);
    await moderator.waitForURL(`${state.server.url}/admin/comments/${id}`);
    expect(await moderator.getByRole('alert').textContent()).toBe(`There is no comment #${id}: it may have been deleted for good.`);
  });

  it("keeps an admin's inline controls on every comment after sorting, after Show more and on page 2; a reader never has them", async () => {
    const essay = 'fuchs-and-the-prosumer';
    const author = await makeUser(state.server.db, { username: 'prolific' });
    const start = Date.now() - 60 * 60_000;
    for (let i = 0; i < 60; i++) await makeComment(state.server.db, { essay, authorId: author.id, body: `Thread number ${i}.`, createdAt: start + i * 1000 });
    const moderator = await signedIn(state.admin.id);
    const reader = await signedIn((await makeUser(state.server.db, { username: 'bystander' })).id);
    // Every comment the page shows, and how many of them carry the moderation group.
    const tally = (page: Page) =>
      page.locator('.discussion [id^="comment-"]').evaluateAll((nodes) => ({
        comments: nodes.length,
        controlled: nodes.filter((n) => n.querySelector(':scope > .admin-controls, :scope .admin-controls')).length,
      }));
    for (const page of [moderator, reader]) await openDiscussion(page, `${state.server.url}/essays/${essay}/`);
    const first = await tally(moderator);
    expect(first.comments).toBeGreaterThanOrEqual(50);
    expect(first.controlled).toBe(first.comments);
    expect((await tally(reader)).controlled).toBe(0);

    for (const page of [moderator, reader]) {
      await page.locator('[data-sort="newest"]').click();
      await page.locator('[data-sort="newest"][aria-current="true"]').waitFor();
      await page.getByText('Thread number 59.').waitFor();
    }
    const sorted = await tally(moderator);
    expect(sorted.controlled).toBe(sorted.comments);
    expect((await tally(reader)).controlled).toBe(0);

    for (const page of [moderator, reader]) {
      await page.getByRole('link', { name: 'Show more comments' }).click();
      await page.getByText('Thread number 0.', { exact: true }).waitFor();
    }
    const more = await tally(moderator);
    expect(more.comments).toBeGreaterThan(sorted.comments);
    expect(more.controlled).toBe(more.comments);
    expect((await tally(reader)).controlled).toBe(0);

    for (const page of [moderator, reader]) await page.goto(`${state.server.url}/discussion/${essay}/?page=2`);
    const second = await tally(moderator);
    expect(second.comments).toBeGreaterThan(0);
    expect(second.controlled).toBe(second.comments);
    expect((await tally(reader)).controlled).toBe(0);
  });
});
