// A reader's account journey in real Chromium against the real built server: sign up from an
// essay, sign out, fail a sign-in, sign in, change the password, export and delete the account.
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments, sessions, users } from '../../db/schema.ts';
import { browserPath, launchBrowser } from '../support/browser.ts';
import { useLiveSite } from '../support/live-site.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';
const FIRST = 'first-password-here';
const SECOND = 'second-password-now';

describe.skipIf(!browserPath())('accounts in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const nav = () => page.locator('.account-nav');

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function fill(fields: Record<string, string>) {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  }

  it('signs up from an essay and comes back to it, signed in', async () => {
    await page.goto(`${server.url}/essays/${ESSAY}/`);
    await nav().getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL(/\/signup\?next=/);
    await fill({ Username: 'journey_ada', 'Display name (optional)': 'Ada Journey', Password: FIRST, 'Password again': FIRST });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${server.url}/essays/${ESSAY}/`);
    await expect.poll(() => nav().getByRole('link', { name: 'Ada Journey' }).count()).toBe(1);
  });

  it('sets a session cookie that is HttpOnly, SameSite=Lax, Path=/ and lasts 30 days', async () => {
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    const days = (cookie!.expires * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // Scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('session=');
  });

  it('signs out from the header and stays on the page', async () => {
    await nav().getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/essays/${ESSAY}/`);
    await expect.poll(() => nav().getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    expect((await context.cookies()).filter((c) => c.name === 'session')).toEqual([]);
    expect(server.db.select().from(sessions).all()).toEqual([]);
  });

  it('fails a sign-in with one clear message, keeping the username but not the password', async () => {
    await nav().getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(/\/signin\?next=/);
    await fill({ Username: 'journey_ada', Password: 'not-my-password' });
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(response.status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That username and password do not match an account.');
    expect(await page.getByLabel('Username').inputValue()).toBe('journey_ada');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
  });

  it('signs in and returns to the essay', async () => {
    await fill({ Username: 'journey_ada', Password: FIRST });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/essays/${ESSAY}/`);
    await expect.poll(() => nav().getByRole('link', { name: 'Ada Journey' }).count()).toBe(1);
  });

  it('changes the password, which signs out the other devices', async () => {
    const other = await browser.newContext();
    const phone = await other.newPage();
    await phone.goto(`${server.url}/signin`);
    await phone.getByLabel('Username').fill('journey_ada');
    await phone.getByLabel('Password').fill(FIRST);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(`${server.url}/`);

    await nav().getByRole('link', { name: 'Ada Journey' }).click();
    await page.waitForURL(`${server.url}/account`);
    expect(await page.locator('#sessions tbody tr').count()).toBe(2);
    await page.getByRole('link', { name: 'Change your password' }).click();
    await fill({ 'Current password': FIRST, 'New password': SECOND, 'New password again': SECOND });
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(/\/account\?done=password/);
    expect(await page.getByRole('status').first().textContent()).toContain('every other session has been signed out');
    expect(await page.locator('#sessions tbody tr').count()).toBe(1);

    await phone.goto(`${server.url}/account`);
    expect(phone.url()).toBe(`${server.url}/signin?next=%2Faccount`);
    await other.close();
  });

  it('downloads everything as one JSON file', async () => {
    const ada = server.db.select().from(users).where(eq(users.usernameKey, 'journey_ada')).get()!;
    await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Journey comment to export.' });
    await page.goto(`${server.url}/account`);
    expect(await page.locator('.source').allTextContents()).toEqual(['Journey comment to export.']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download your data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^convenience-bargain-journey_ada-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(data.account).toMatchObject({ username: 'journey_ada', displayName: 'Ada Journey', role: 'reader' });
    expect(data.comments).toMatchObject([{ bodySource: 'Journey comment to export.', essay: ESSAY, status: 'published' }]);
    expect(data.sessions).toMatchObject([{ current: true, device: 'Chrome on Linux' }]);
    expect(JSON.stringify(data)).not.toContain(ada.passwordHash);
  });

  it('deletes the account after the password is confirmed', async () => {
    const bob = await makeUser(server.db, { username: 'journey_bob' });
    const ada = server.db.select().from(users).where(eq(users.usernameKey, 'journey_ada')).get()!;
    const answered = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Ada says something.' });
    await makeComment(server.db, { essay: ESSAY, authorId: bob.id, body: 'Bob answers.', parentId: answered });

    await page.goto(`${server.url}/account`);
    await page.getByRole('link', { name: 'Delete your account' }).click();
    await fill({ 'Your password, to confirm': 'wrong-password-1' });
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That is not your current password.');
    expect(server.db.select().from(users).where(eq(users.id, ada.id)).get()).toBeDefined();

    await fill({ 'Your password, to confirm': SECOND });
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL(`${server.url}/account/deleted`);
    expect((await context.cookies()).filter((c) => c.name === 'session')).toEqual([]);
    expect(server.db.select().from(users).where(eq(users.id, ada.id)).get()).toBeUndefined();
    expect(server.db.select().from(comments).where(eq(comments.id, answered)).get()).toMatchObject({ status: 'deleted', authorId: null, bodySource: '' });
    expect((await page.goto(`${server.url}/u/journey_ada`))?.status()).toBe(404);
  });
});

describe.skipIf(!browserPath())('accounts without JavaScript', () => {
  const site = useLiveSite();

  it('signs up, signs out and signs in with plain forms', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const next = `/essays/${ESSAY}/#discussion`;
    await page.goto(`${site.server.url}/signup?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Username').fill('nojs_reader');
    await page.getByLabel('Password', { exact: true }).fill(FIRST);
    await page.getByLabel('Password again').fill('a-different-one');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('The two passwords are not the same.');
    expect(await page.getByLabel('Username').inputValue()).toBe('nojs_reader');

    await page.getByLabel('Password', { exact: true }).fill(FIRST);
    await page.getByLabel('Password again').fill(FIRST);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${site.server.url}${next}`);
    // Without JavaScript the header island cannot load: its fallback leads to the account page.
    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL(`${site.server.url}/account`);
    await page.locator('#sessions').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${site.server.url}/`);

    await page.goto(`${site.server.url}/account`);
    await page.waitForURL(/\/signin\?next=%2Faccount/);
    await page.getByLabel('Username').fill('NOJS_READER');
    await page.getByLabel('Password').fill(FIRST);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${site.server.url}/account`);
    expect(await page.locator('h1').textContent()).toBe('Your account and your data');
    await context.close();
  });
});
