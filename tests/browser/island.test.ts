// The first end-to-end slice: a prerendered essay whose server island reads SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserPath, launchBrowser } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('the discussion island', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    const ada = await makeUser(server.db, { displayName: 'Ada Demo' });
    const first = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'The first demo comment.' });
    await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'A <b>reply</b> to it.', parentId: first });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('replaces the fallback with comments read from the database', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/essays/${ESSAY}/`);
    expect(response?.status()).toBe(200);
    await page.locator('.discussion .comment').first().waitFor();
    expect(await page.locator('.discussion-loading').count()).toBe(0);
    const bodies = await page.locator('.discussion .comment-body').allTextContents();
    expect(bodies.map((t) => t.trim())).toEqual(['The first demo comment.', 'A <b>reply</b> to it.']);
    expect(await page.locator('.discussion .comment-author').first().textContent()).toBe('Ada Demo');
  });

  it('serves the same island URL after a restart of the server', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/essays/${ESSAY}/`);
    const islandUrl = await page.locator('link[rel=preload][href*="_server-islands/Discussion"]').getAttribute('href');
    await server.stop();
    server = await startServer({ DATABASE_PATH: server.databasePath });
    const response = await page.request.get(`${server.url}${islandUrl}`);
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain('The first demo comment.');
  });
});
