// Moderating in real Chromium against the real server: the queue, flags, bans, closing a
// discussion and the audit log, each through the pages a person would use, without JavaScript tricks.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { discussionState } from '../../db/discussion/discussions.ts';
import { listLog } from '../../db/moderation/moderation-log.ts';
import { comments, users } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { moderationHarness } from '../support/moderation-browser.ts';
import { axeViolations, describeViolations, recordCspViolations } from '../support/pages.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('moderating in the browser', () => {
  const { state, newPage } = moderationHarness();
  const signedIn = (userId: string) => newPage(userId);

  const status = (id: number) => state.server.db.select({ status: comments.status }).from(comments).where(eq(comments.id, id)).get()?.status;

  it('sends a signed-out visitor to sign in first', async () => {
    const page = await newPage();
    await page.goto(`${state.server.url}/admin?tab=flagged`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin?tab=flagged');
  });

  it('lets an admin approve a held comment from the queue, after which readers see it', async () => {
    const newcomer = await makeUser(state.server.db, { username: 'newcomer', trusted: false });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: newcomer.id, body: 'My first comment, held for review.' });
    state.server.db.update(comments).set({ status: 'pending', moderationNote: 'held: first comment of a new account' }).where(eq(comments.id, id)).run();

    const page = await signedIn(state.admin.id);
    await page.goto(`${state.server.url}/admin`);
    const item = page.locator(`#item-${id}`);
    await expect(item.textContent()).resolves.toContain('My first comment, held for review.');
    expect(await item.textContent()).toContain('held: first comment of a new account');
    expect(await item.locator('.record').textContent()).toContain('@newcomer');
    await item.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${state.server.url}/admin?tab=held`);
    expect(await page.getByRole('status').textContent()).toBe(`Approve: done for comment #${id}.`);
    expect(await page.locator(`#item-${id}`).count()).toBe(0);
    expect(status(id)).toBe('published');
    expect(state.server.db.select({ t: users.trustedAt }).from(users).where(eq(users.id, newcomer.id)).get()!.t).not.toBeNull();

    const reader = await newPage();
    await reader.goto(`${state.server.url}/essays/${ESSAY}/`);
    await reader.locator(`#comment-${id}`).waitFor();
    await reader.close();
  });

  it('hides a comment once three readers have flagged it, and shows it in the flagged tab', async () => {
    const author = await makeUser(state.server.db, { username: 'provocateur' });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: author.id, body: 'Everyone who uses WeChat is a fool.' });
    const reasons = ['abuse', 'abuse', 'off-topic'] as const;
    for (const [i, reason] of reasons.entries()) {
      const flagger = await makeUser(state.server.db, { username: `flagger${i}` });
      const page = await signedIn(flagger.id);
      await page.goto(`${state.server.url}/moderation/flag/${id}`);
      await page.getByLabel(reason === 'abuse' ? 'Abuse or harassment' : 'Off-topic').check();
      await page.getByLabel('Note for the moderators (optional)').fill(`note ${i}`);
      await page.getByRole('button', { name: 'Flag for moderators' }).click();
      await page.waitForURL(`${state.server.url}/moderation/flag/${id}`);
      const said = await page.getByRole('status').textContent();
      expect(said).toContain(i < 2 ? 'a moderator will look at this comment' : 'hidden until a moderator reviews it');
      expect(status(id)).toBe(i < 2 ? 'published' : 'pending');
    }
    const reader = await newPage();
    await reader.goto(`${state.server.url}/essays/${ESSAY}/`);
    await reader.locator('.discussion').waitFor();
    expect(await reader.locator(`#comment-${id}`).count()).toBe(0);
    await reader.close();

    const page = await signedIn(state.admin.id);
    await page.goto(`${state.server.url}/admin?tab=flagged`);
    const item = page.locator(`#item-${id}`);
    expect(await item.locator('summary').textContent()).toBe('3 open flags');
    expect(await item.locator('details li').allTextContents()).toEqual(['Abuse or harassment: “note 0”', 'Abuse or harassment: “note 1”', 'Off-topic: “note 2”']);
  });

  it('lets an admin ban a user and hide every comment of theirs, and unban them, restoring the comments', async () => {
    const troll = await makeUser(state.server.db, { username: 'trollish' });
    const ids = [
      await makeComment(state.server.db, { essay: ESSAY, authorId: troll.id, body: 'First jab.' }),
      await makeComment(state.server.db, { essay: ESSAY, authorId: troll.id, body: 'Second jab.' }),
    ];
    const page = await signedIn(state.admin.id);
    await page.goto(`${state.server.url}/admin/users`);
    await page.getByLabel('Username or display name').fill('troll');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: '@trollish' }).click();
    const ban = page.getByRole('group', { name: 'Ban @trollish' });
    await ban.getByLabel('Also hide every comment of theirs').check();
    await ban.getByLabel('Reason').selectOption('abuse');
    await ban.getByLabel('Note (for the log)').fill('repeated insults');
    await ban.getByRole('button', { name: 'Ban', exact: true }).click();
    expect(await page.getByRole('status').textContent()).toBe('trollish is banned; 2 comments hidden.');
    expect(state.server.db.select({ b: users.bannedAt }).from(users).where(eq(users.id, troll.id)).get()!.b).not.toBeNull();
    expect(ids.map(status)).toEqual(['hidden', 'hidden']);

    // The banned reader is turned away from flagging, and told why.
    const banned = await signedIn(troll.id);
    const response = await banned.goto(`${state.server.url}/moderation/flag/${ids[0]}`);
    expect(response?.status()).toBe(403);
    expect(await banned.textContent('body')).toContain('Your account is banned');

    await page.getByLabel('Also restore the 2 comments hidden with the ban').check();
    await page.getByRole('button', { name: 'Unban @trollish' }).click();
    expect(await page.getByRole('status').textContent()).toBe('trollish is no longer banned; 2 comments restored.');
    expect(ids.map(status)).toEqual(['published', 'published']);
    // Admins cannot be banned: the page offers no form, only the way to demote.
    await page.goto(`${state.server.url}/admin/users/${state.admin.id}`);
    expect(await page.getByRole('button', { name: 'Ban', exact: true }).count()).toBe(0);
  });

  it('lets an admin close and reopen a discussion', async () => {
    const page = await signedIn(state.admin.id);
    await page.goto(`${state.server.url}/admin/essays`);
    const row = page.locator(`#essay-${ESSAY}`);
    expect(await row.locator('td').first().textContent()).toContain('Open');
    await row.getByLabel('Note').fill('heated');
    await row.getByRole('button', { name: 'Close discussion' }).click();
    expect(await page.getByRole('status').textContent()).toMatch(/^The discussion of “.+” is closed\.$/);
    expect((await discussionState(state.server.db, ESSAY)).closed).toBe(true);
    await page.locator(`#essay-${ESSAY}`).getByRole('button', { name: 'Reopen discussion' }).click();
    expect((await discussionState(state.server.db, ESSAY)).closed).toBe(false);
  });

  it('shows every action in the audit log, filters it and exports it as CSV', async () => {
    const page = await signedIn(state.admin.id);
    await page.goto(`${state.server.url}/admin/log`);
    const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    for (const action of ['approve', 'auto-hide', 'ban', 'hide', 'unban', 'close', 'reopen']) expect(actions).toContain(action);
    expect(actions).toHaveLength((await listLog(state.server.db)).length);

    // A comment's entry leads to that comment, however old, with everything the log says of it.
    const hideRow = page.locator('tbody tr').filter({ has: page.locator('td:nth-child(3)', { hasText: /^hide$/ }) }).first();
    await hideRow.locator('td:nth-child(4) a').click();
    await page.waitForURL(/\/admin\/comments\/\d+$/);
    const commentId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await page.locator(`#item-${commentId}`).count()).toBe(1);
    const history = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(history).toEqual((await listLog(state.server.db, { target: { type: 'comment', id: String(commentId) } })).map((e) => e.action));
    expect(history).toContain('hide');
    const gone = await page.goto(`${state.server.url}/admin/comments/987654`);
    expect(gone?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain('There is no comment #987654');
    await page.goto(`${state.server.url}/admin/log`);

    await page.getByLabel('Action').selectOption('close');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(new URL(page.url()).searchParams.get('action')).toBe('close');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('warden');
    expect(await rows.first().textContent()).toContain('heated');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^moderation-log-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('time_utc,admin,action,target_type,target_id,reason,note');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-.+Z,warden,close,essay,${ESSAY},,heated$`));
  });

  it('lets a reader appeal a removed comment and read the answer of a moderator', async () => {
    const reader = await makeUser(state.server.db, { username: 'appellant' });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: reader.id, body: 'I was quoting the essay.' });
    state.server.db.update(comments).set({ status: 'hidden', moderationReason: 'abuse' }).where(eq(comments.id, id)).run();

    const page = await signedIn(reader.id);
    await page.goto(`${state.server.url}/moderation`);
    await page.getByRole('link', { name: 'the appeal form' }).click();
    await page.getByLabel('What should the moderators look at again?').selectOption(String(id));
    await page.getByLabel('Why should they change their decision?').fill('short');
    await page.getByRole('button', { name: 'Send the appeal' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('at least 10 characters');
    expect(await page.getByLabel('Why should they change their decision?').inputValue()).toBe('short');
    await page.getByLabel('Why should they change their decision?').fill('I was quoting the essay, not insulting anyone.');
    await page.getByRole('button', { name: 'Send the appeal' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Your appeal is with the moderators');

    const moderator = await signedIn(state.admin.id);
    await moderator.goto(`${state.server.url}/admin/appeals`);
    const appeal = moderator.locator('.queue-item', { hasText: 'I was quoting the essay, not insulting anyone.' }).first();
    await appeal.locator(`#item-${id}`).getByRole('button', { name: 'Restore' }).click();
    expect(await moderator.getByRole('status').textContent()).toBe(`Restore: done for comment #${id}.`);
    await moderator.locator('.queue-item', { hasText: 'not insulting anyone' }).first().getByLabel('Answer (the reader sees it)').fill('Agreed, restored. Thank you.');
    await moderator.getByRole('button', { name: 'Send the answer and close the appeal' }).click();
    expect(await moderator.getByRole('status').textContent()).toMatch(/^Appeal #\d+ is answered\.$/);
    expect(status(id)).toBe('published');

    await page.reload();
    expect(await page.locator('main').textContent()).toContain('Agreed, restored. Thank you.');
  });

  it('asks before deleting for good (with JavaScript), and deletes when confirmed', async () => {
    const author = await makeUser(state.server.db, { username: 'spammer' });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: author.id, body: 'Buy now.' });
    const page = await signedIn(state.admin.id);
    const blocked: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && blocked.push(m.text()));
    await page.goto(`${state.server.url}/admin?tab=recent`);
    const purge = page.locator(`#item-${id}`).getByRole('button', { name: 'Delete for good' });
    const asked: string[] = [];
    page.once('dialog', (dialog) => (asked.push(dialog.message()), dialog.dismiss()));
    await purge.click();
    await page.waitForTimeout(300);
    expect(asked).toEqual(['Delete for good? The text cannot be restored.']);
    expect(status(id)).toBe('published');
    page.once('dialog', (dialog) => dialog.accept());
    await purge.click();
    await page.waitForURL(`${state.server.url}/admin?tab=recent`);
    expect(await page.getByRole('status').textContent()).toBe(`Delete for good: done for comment #${id}.`);
    expect(status(id)).toBeUndefined();
    expect(blocked).toEqual([]);
  });

  it('has no accessibility violations and nothing blocked by the CSP on any moderation page', async () => {
    const reader = await makeUser(state.server.db, { username: 'axereader' });
    const id = await makeComment(state.server.db, { essay: ESSAY, authorId: state.admin.id, body: 'Something to flag.' });
    const pages: [string, string][] = [
      [state.admin.id, '/admin'],
      [state.admin.id, '/admin?tab=flagged'],
      [state.admin.id, '/admin/appeals'],
      [state.admin.id, '/admin/users?q=a'],
      [state.admin.id, `/admin/users/${reader.id}`],
      [state.admin.id, `/admin/comments/${id}`],
      [state.admin.id, '/admin/essays'],
      [state.admin.id, '/admin/blocklist'],
      [state.admin.id, '/admin/log'],
      [state.admin.id, '/admin/activity'],
      [reader.id, '/moderation'],
      [reader.id, `/moderation/flag/${id}`],
      [reader.id, '/moderation/appeal'],
    ];
    for (const [who, path] of pages) {
      const page = await signedIn(who);
      const blocked = recordCspViolations(page);
      await page.goto(`${state.server.url}${path}`);
      const violations = await axeViolations(page);
      expect(violations, `${path}: ${describeViolations(violations)}`).toEqual([]);
      expect(blocked, `what the CSP blocked on ${path}`).toEqual([]);
      await page.close();
    }
    // Thirteen pages, each through axe: on a busy machine more than the default minute.
  }, 180_000);

  it('draws the activity chart on the server, with its table', async () => {
    const page = await signedIn(state.admin.id);
    await page.goto(`${state.server.url}/admin/activity`);
    expect(await page.locator('svg.chart polyline').count()).toBe(3);
    expect(await page.locator('table tbody tr').count()).toBe(30);
    const today = new Date().toISOString().slice(0, 10);
    const cells = await page.locator(`table tbody tr:has(th:text("${today}")) td`).allTextContents();
    expect(Number(cells[0])).toBeGreaterThanOrEqual(4);
  });
});
