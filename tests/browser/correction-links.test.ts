// A reader's comment linked to the correction it led to, in real Chromium against the real built
// server: an admin links them on the comment's page (a refused choice comes back in place), the
// comment shows "Led to a correction" linking to the entry, the site-wide log links back to the
// comment, its author finds it in "Replies to you", and the link goes when the comment does.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listLog } from '../../db/moderation/moderation-log.ts';
import { comments, correctionLinks } from '../../db/schema.ts';
import { browserPath, openDiscussion } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { moderationHarness } from '../support/moderation-browser.ts';
import { axeViolations, describeViolations } from '../support/pages.ts';

const ESSAY = 'wechat-app-for-everything';
const FIX = '2026-11-29-registered-accounts';
const TAKEN = '2026-11-29-leaving';
const ELSEWHERE = '2026-11-29-account-cancellation'; // a correction of privacy-for-convenience

describe.skipIf(!browserPath())('linking a comment to the correction it led to', () => {
  const { state, newPage } = moderationHarness();
  const url = (path: string) => `${state.server.url}${path}`;
  const links = () => state.server.db.select().from(correctionLinks).all();

  it('links on the comment’s admin page, refusing in place, and shows the link to everyone who may read the comment', async () => {
    const db = state.server.db;
    const author = await makeUser(db, { username: 'factchecker' });
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'In 2012 those were registered accounts, not monthly users.' });
    const other = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'Leaving is harder than it looks.' });

    const admin = await newPage(state.admin.id);
    // One correction is already taken by another comment: choosing it is refused, in place.
    await admin.goto(url(`/admin/comments/${other}`));
    await admin.getByLabel('Correction it led to').selectOption(TAKEN);
    await admin.getByRole('button', { name: 'Link to this correction' }).click();
    await admin.waitForURL(url(`/admin/comments/${other}`));
    expect(await admin.getByRole('status').textContent()).toContain(`Comment #${other} is linked to correction ${TAKEN}`);

    await admin.goto(url(`/admin/comments/${id}`));
    const choice = admin.getByLabel('Correction it led to');
    expect(await choice.locator(`option[value="${TAKEN}"]`).textContent()).toContain(`(linked to comment #${other})`);
    expect(await choice.locator(`option[value="${ELSEWHERE}"]`).count()).toBe(0);
    await choice.selectOption(TAKEN);
    const refused = admin.waitForResponse((r) => r.request().method() === 'POST');
    await admin.getByRole('button', { name: 'Link to this correction' }).click();
    expect((await refused).status()).toBe(409);
    expect(await admin.getByRole('alert').textContent()).toBe(`Correction ${TAKEN} is already linked to comment #${other}; remove that link first.`);
    expect(await admin.getByLabel('Correction it led to').inputValue()).toBe(TAKEN);
    expect(await admin.locator(`#item-${id}`).textContent()).toContain('registered accounts, not monthly users');

    // A correction of another essay, sent all the same (a forged form): refused in place, 400.
    await admin.locator(`#correction-choice option[value="${FIX}"]`).evaluate((o, v) => ((o as HTMLOptionElement).value = v), ELSEWHERE);
    await admin.getByLabel('Correction it led to').selectOption(ELSEWHERE);
    const forged = admin.waitForResponse((r) => r.request().method() === 'POST');
    await admin.getByRole('button', { name: 'Link to this correction' }).click();
    expect((await forged).status()).toBe(400);
    expect(await admin.getByRole('alert').textContent()).toContain('is to another essay');
    expect(links().map((l) => l.commentId)).toEqual([other]);

    await admin.getByLabel('Correction it led to').selectOption(FIX);
    await admin.getByRole('button', { name: 'Link to this correction' }).click();
    await admin.waitForURL(url(`/admin/comments/${id}`));
    expect(await admin.getByRole('status').textContent()).toBe(`Comment #${id} is linked to correction ${FIX}: it shows “Led to a correction”.`);
    expect(await admin.locator('.correction-links li').count()).toBe(1);
    expect(await admin.locator('table').textContent()).toContain('link-correction');
    const violations = await axeViolations(admin);
    expect(violations, describeViolations(violations)).toEqual([]);

    // A signed-out reader: the comment says it led to a correction and leads to the entry.
    const reader = await newPage();
    await openDiscussion(reader, url(`/essays/${ESSAY}/`));
    const mark = reader.locator(`#comment-${id} > article a.comment-correction`);
    expect(await mark.textContent()).toBe('Led to a correction');
    expect(await reader.locator(`#comment-${other} > article a.comment-correction`).getAttribute('href')).toBe(`/essays/${ESSAY}/#${TAKEN}`);
    await mark.click();
    await reader.waitForURL(url(`/essays/${ESSAY}/#${FIX}`));
    expect(await reader.locator(`li.correction[id="${FIX}"]`).isVisible()).toBe(true);
    // The discussion without JavaScript shows it too.
    await reader.goto(url(`/discussion/${ESSAY}/`));
    expect(await reader.locator(`#comment-${id} > article a.comment-correction`).getAttribute('href')).toBe(`/essays/${ESSAY}/#${FIX}`);

    // The site-wide log links the entry back to the comment; entries no comment led to do not.
    await reader.goto(url('/corrections/'));
    const back = reader.locator(`li.correction[id="${FIX}"] .correction-source a`);
    expect(await back.textContent()).toBe('Raised in a reader’s comment');
    expect(await reader.locator('.correction-source').count()).toBe(2);
    await back.click();
    await reader.waitForURL((u) => u.hash === `#comment-${id}`);
    expect(await reader.locator(`#comment-${id}`).textContent()).toContain('registered accounts, not monthly users');
  });

  it('tells the author in "Replies to you", counted as unread until seen', async () => {
    const db = state.server.db;
    const author = await makeUser(db, { username: 'sourcehound' });
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'Which year is that figure from?' });
    const page = await newPage(author.id);
    await page.goto(url('/'));
    await page.locator('.site-account .replies-badge').waitFor();
    expect(await page.locator('.site-account .replies-unread').count()).toBe(0);

    const admin = await newPage(state.admin.id);
    await admin.goto(url(`/admin/comments/${id}`));
    await admin.getByLabel('Correction it led to').selectOption('2026-11-29-growth-every-year');
    await admin.getByRole('button', { name: 'Link to this correction' }).click();
    await admin.waitForURL(url(`/admin/comments/${id}`));
    expect(await admin.getByRole('status').textContent()).toContain('is linked to correction 2026-11-29-growth-every-year');

    await page.goto(url('/'));
    await expect.poll(() => page.locator('.site-account .replies-unread').textContent()).toBe('1 unread');
    await page.locator('.site-account .replies-badge').click();
    await page.waitForURL(url('/replies'));
    const notice = page.locator('.correction-notices > li');
    expect(await notice.count()).toBe(1);
    expect(await notice.locator('.unread').textContent()).toBe('New');
    expect(await notice.textContent()).toContain('led to a correction');
    expect(await notice.getByRole('link', { name: 'Your comment' }).getAttribute('href')).toBe(`/comments/${id}`);
    await notice.locator(`a[href="/essays/${ESSAY}/#2026-11-29-growth-every-year"]`).click();
    await page.waitForURL(url(`/essays/${ESSAY}/#2026-11-29-growth-every-year`));
    await page.goto(url('/replies'));
    expect(await page.locator('.correction-notices > li .unread').count()).toBe(0);
    await page.goto(url('/'));
    await page.locator('.site-account .replies-badge').waitFor();
    expect(await page.locator('.site-account .replies-unread').count()).toBe(0);
  });

  it('takes the back link away when the comment is hidden or unlinked, and the link when the author deletes the comment; the log stays', async () => {
    const db = state.server.db;
    const author = await makeUser(db, { username: 'erratum' });
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'The sources need dates.' });
    const admin = await newPage(state.admin.id);
    await admin.goto(url(`/admin/comments/${id}`));
    await admin.getByLabel('Correction it led to').selectOption('2026-11-29-sources');
    await admin.getByRole('button', { name: 'Link to this correction' }).click();
    await admin.waitForURL(url(`/admin/comments/${id}`));

    const reader = await newPage();
    const backLink = async () => {
      await reader.goto(url('/corrections/'));
      return reader.locator('li.correction[id="2026-11-29-sources"] .correction-source').count();
    };
    expect(await backLink()).toBe(1);
    // Hidden: nobody may read it, so the log does not point at it; the link stays for a restore.
    db.update(comments).set({ status: 'hidden', moderationReason: 'other' }).where(eq(comments.id, id)).run();
    expect(await backLink()).toBe(0);
    db.update(comments).set({ status: 'published', moderationReason: null }).where(eq(comments.id, id)).run();
    expect(await backLink()).toBe(1);

    await admin.reload();
    await admin.getByRole('button', { name: 'Remove the link' }).click();
    await admin.waitForURL(url(`/admin/comments/${id}`));
    expect(await admin.getByRole('status').textContent()).toBe(`Comment #${id} is no longer linked to correction 2026-11-29-sources.`);
    expect(await backLink()).toBe(0);
    await admin.getByLabel('Correction it led to').selectOption('2026-11-29-sources');
    await admin.getByRole('button', { name: 'Link to this correction' }).click();
    await admin.waitForURL(url(`/admin/comments/${id}`));
    expect(await backLink()).toBe(1);

    // The author deletes it (it has no replies, so it goes): the entry stays, the link goes.
    const page = await newPage(author.id);
    await page.goto(url(`/comments/${id}/delete`));
    await page.getByRole('button', { name: 'Delete comment' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/delete'));
    expect(links().filter((l) => l.commentId === id)).toEqual([]);
    expect(await backLink()).toBe(0);
    expect(await reader.locator('li.correction[id="2026-11-29-sources"]').count()).toBe(1);
    expect((await listLog(db, { target: { type: 'comment', id: String(id) } })).map((e) => e.action)).toEqual(['link-correction', 'unlink-correction', 'link-correction']);
  });
});
