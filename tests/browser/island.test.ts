// The first end-to-end slice: a prerendered essay whose server island reads SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setLike } from '../../db/discussion/likes.ts';
import { flagComment } from '../../db/moderation/flags.ts';
import { browserPath, launchBrowser, openDiscussion } from '../support/browser.ts';
import { readerAs } from '../support/discussion-readers.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

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

  it("sends a signed-in reader's controls as letters and draws them into exactly the discussion page's controls", async () => {
    const grace = await makeUser(server.db, { displayName: 'Grace Demo' });
    const ada = await makeUser(server.db, { displayName: 'Ada Again' });
    const liked = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Liked and flagged by Grace.' });
    const other = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Liked by nobody.' });
    await makeComment(server.db, { essay: ESSAY, authorId: grace.id, body: 'Grace wrote this one.', parentId: other });
    await setLike(server.db, { commentId: liked, reader: readerAs(grace), liked: true });
    await flagComment(server.db, { commentId: liked, userId: grace.id, reason: 'off-topic' });
    const context = await browser.newContext();
    await context.addCookies([{ ...(await sessionCookie(server.db, grace.id)), url: server.url }]);
    const page = await context.newPage();
    const island = page.waitForResponse((r) => r.url().includes('/_server-islands/Discussion'));
    await openDiscussion(page, `${server.url}/essays/${ESSAY}/`);
    const sent = await (await island).text();
    expect(sent).toMatch(new RegExp(`id="comment-${liked}"[\\s\\S]*?data-acts="LrF">Liked by 1 person</footer>`));
    // Every control is written once, in the templates the script draws from.
    expect(sent.replace(/<template data-control[\s\S]*?<\/template>/g, '')).not.toMatch(/data-like-form|data-reply="|class="flag-link|class="comment-delete/);
    expect(sent.match(/data-like-form/g)).toHaveLength(2);

    // Each comment's footer, attributes in one order (the order they were set in means nothing).
    const footers = () =>
      page.evaluate(() => {
        const canonical = (node: Node): string =>
          node.nodeType !== 1
            ? (node.textContent ?? '')
            : `<${(node as Element).localName}${[...(node as Element).attributes].map((a) => ` ${a.name}="${a.value}"`).sort().join('')}>${[...node.childNodes].map(canonical).join('')}</>`;
        return [...document.querySelectorAll('li.comment')].map((li) => `${li.id}: ${[...(li.querySelector(':scope > article > footer')?.childNodes ?? [])].map(canonical).join('')}`);
      });
    const drawn = await footers();
    expect(drawn.join('\n')).toContain('aria-pressed="true"');
    expect(drawn.join('\n')).toContain('Flagged');
    expect(drawn.join('\n')).toContain('Delete');
    expect(await page.locator('[data-acts]').count()).toBe(0);
    await page.goto(`${server.url}/discussion/${ESSAY}/`);
    expect(drawn).toEqual(await footers());
    await context.close();
  });
});
