// Cross-site request forgery and the session cookie: a form on another origin cannot post as a
// signed-in reader (real Chromium, real cross-origin page), and the cookie carries the attributes
// that keep it out of scripts and out of cross-site requests.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { browserPath, launchBrowser } from '../support/browser.ts';
import { fingerprint } from '../support/db-fingerprint.ts';
import { postRequest } from '../support/discussion-routes.ts';
import { makeUser } from '../support/fixtures.ts';
import { sessionCookie } from '../support/session.ts';
import { freePort, startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';

const signUpForm = (username: string) =>
  new URLSearchParams({ username, password: 'a long enough passphrase 42', confirm: 'a long enough passphrase 42' }).toString();

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
    cookie = await sessionCookie(server.db, reader.id);
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

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, for 30 days, not Secure over http', async () => {
    const response = await fetch(`${server.url}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: signUpForm('cookie_reader'),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const set = response.headers.getSetCookie().find((c) => c.startsWith('session='));
    expect(set).toBeDefined();
    const attributes = set!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).not.toContain('secure');
    const maxAge = Number(attributes.find((a) => a.startsWith('max-age='))?.slice(8));
    expect(maxAge).toBeGreaterThanOrEqual(29 * 86_400);
    expect(maxAge).toBeLessThanOrEqual(30 * 86_400);
  });

  it('keeps the cookie out of reach of page scripts', async () => {
    const context = await browser.newContext();
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/essays/${ESSAY}/`);
    expect(await page.evaluate(() => document.cookie)).not.toContain(value);
    await context.close();
  });

  it('marks the cookie Secure when the site is served over https', async () => {
    const secure = await startServer({ SITE_URL: 'https://convenience-bargain.example' });
    try {
      const response = await fetch(`${secure.url}/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: secure.url },
        body: signUpForm('secure_reader'),
        redirect: 'manual',
      });
      const set = response.headers.getSetCookie().find((c) => c.startsWith('session='));
      expect(set?.split(';').map((a) => a.trim().toLowerCase())).toContain('secure');
    } finally {
      await secure.stop();
    }
  });
});
