// Cross-site request forgery and the session cookie: a form on another origin cannot post as a
// signed-in reader (real Chromium, real cross-origin page), and page scripts cannot read the
// session cookie. (The Set-Cookie attributes themselves are checked in accounts-http.test.ts.)
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { browserPath, launchBrowser } from '../support/browser.ts';
import { fingerprint } from '../support/db-fingerprint.ts';
import { postRequest } from '../support/discussion-routes.ts';
import { makeUser } from '../support/fixtures.ts';
import { cookieHeader } from '../support/http.ts';
import { sessionCookie } from '../support/session.ts';
import { freePort, startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('cross-site forgery and the session cookie', () => {
  let server: RunningServer;
  let browser: Browser;
  let evil: Server;
  let evilUrl: string;
  let cookie: string;

  beforeAll(async () => {
    server = await startServer();
    const reader = await makeUser(server.db, { displayName: 'Target Reader' });
    server.db.update(users).set({ trustedAt: Date.now() }).where(eq(users.id, reader.id)).run();
    cookie = cookieHeader(await sessionCookie(server.db, reader.id));
    // Another origin (another port is another origin, though the same site: SameSite=Lax alone
    // would let this cookie through, so the origin check is what must stop it).
    const port = await freePort();
    evilUrl = `http://127.0.0.1:${port}`;
    evil = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form method="post" action="${server.url}/comments/new">
        <input name="essay" value="${ESSAY}"><textarea name="body">Forged comment</textarea>
        <button id="go">Post</button></form>`);
    });
    await new Promise<void>((resolve) => evil.listen(port, '127.0.0.1', resolve));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await server?.stop();
  });

  it('refuses a form posted from another origin in a real browser, and writes nothing', async () => {
    const context = await browser.newContext();
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    await page.goto(evilUrl);
    const before = fingerprint(server.db);
    const [response] = await Promise.all([page.waitForResponse(`${server.url}/comments/new`), page.click('#go')]);
    expect(response.status()).toBe(403);
    expect(fingerprint(server.db)).toBe(before);
    await context.close();
  });

  it.each([
    ['another origin', { origin: 'http://evil.example' }],
    ['a null origin (sandboxed frame)', { origin: 'null' }],
    ['no origin header at all', {}],
  ])('refuses a comment posted with %s', async (_, originHeader) => {
    const request = postRequest(server.url, { essay: ESSAY, parentId: null, body: 'Forged comment' });
    const headers: Record<string, string> = { 'content-type': request.headers['content-type']!, cookie, ...originHeader };
    const before = fingerprint(server.db);
    const response = await fetch(server.url + request.path, { method: 'POST', headers, body: request.body, redirect: 'manual' });
    expect(response.status).toBe(403);
    expect(fingerprint(server.db)).toBe(before);
  });

  it('accepts the same comment from the site itself (the check is not refusing everything)', async () => {
    const request = postRequest(server.url, { essay: ESSAY, parentId: null, body: 'A genuine comment' });
    const response = await fetch(server.url + request.path, { method: 'POST', headers: { ...request.headers, cookie }, body: request.body, redirect: 'manual' });
    expect(response.status).toBe(303);
  });

  it('refuses a cross-origin sign-in (login forgery) and sign-out', async () => {
    for (const path of ['/signin', '/signout']) {
      const response = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', cookie },
        body: 'username=someone&password=whatever-it-is',
        redirect: 'manual',
      });
      expect(response.status, path).toBe(403);
    }
  });

  it('keeps the session cookie a browser gets on sign-up out of reach of page scripts', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/signup`);
    await page.fill('input[name=username]', 'script_proof');
    await page.fill('input[name=password]', 'a long enough passphrase 42');
    await page.fill('input[name=confirm]', 'a long enough passphrase 42');
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/signup')), page.locator('form[action^="/signup"] button[type=submit], form[action^="/signup"] button:not([type])').first().click()]);
    const stored = (await context.cookies(server.url)).find((c) => c.name === 'session');
    expect(stored).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(await page.evaluate(() => document.cookie)).not.toContain(stored!.value);
    await context.close();
  });
});
