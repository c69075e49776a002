// Hostile reader text, rendered in Chromium: every vector of the corpus is posted through the
// real comment route as a comment body, and stored as the poster's display name; then the pages
// that show them are opened with a canary that any executed script would trip. Nothing may run,
// nothing executable may reach the DOM, and the reader's words stay visible.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { browserPath, launchBrowser } from '../support/browser.ts';
import { essaySlugs } from '../support/dataset.ts';
import { postRequest } from '../support/discussion-routes.ts';
import { makeUser } from '../support/fixtures.ts';
import { cookieHeader } from '../support/http.ts';
import { sessionCookie } from '../support/session.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { CANARY_INIT, XSS_VECTORS, type XssVector } from '../support/xss-corpus.ts';
import { parseHTML } from 'linkedom';
import { passageBlocks } from '../support/passages.ts';

interface Posted {
  vector: XssVector;
  marker: string;
  essay: string;
  commentId: number;
  username: string;
  displayName: string;
  cookie: string;
}

const ESSAY_FOR_CANARY = 'wechat-app-for-everything';
// HTML cannot carry U+0000: the parser drops it from text, so it is no part of what a reader sees.
const normalise = (s: string) => s.replaceAll('\u0000', '').replace(/\s+/g, ' ').trim();
// Markdown may rightly turn these into formatting, links or characters, so the literal text is not kept.
// eslint-disable-next-line no-control-regex -- control characters are part of what Markdown may change
const MARKDOWN_SYNTAX = /[*_`[\]&\\]|^\s*[>#-]|<[a-z]+:|https?:|www\.|mailto:|[\u0000-\u001f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Opens a page with the canary armed; returns what tripped it (calls, dialogs, blocked scripts). */
async function openWithCanary(browser: Browser, url: string, cookie?: string): Promise<{ page: Page; tripped: () => Promise<string[]> }> {
  const context = await browser.newContext();
  if (cookie) {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
  }
  const page = await context.newPage();
  const events: string[] = [];
  await page.addInitScript(CANARY_INIT);
  page.on('dialog', (dialog) => {
    events.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  // A script the CSP had to stop means the sanitiser let it into the page: that counts too.
  page.on('console', (message) => {
    if (/Refused to (?:execute|load|run)|Content Security Policy/.test(message.text())) events.push(`csp: ${message.text()}`);
  });
  page.on('pageerror', (error) => events.push(`error: ${error.message}`));
  await page.goto(url);
  return {
    page,
    tripped: async () => {
      // Give onerror/onload/animation handlers their chance, and hover everything once.
      await page.waitForTimeout(300);
      const calls = await page.evaluate(() => (window as unknown as { __xssHits: number[] }).__xssHits);
      return [...events, ...calls.map((n) => `__xss(${n}) ran`)];
    },
  };
}

/** Executable or active content inside the reader-written parts of a page. */
async function dangerousMarkup(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (roots) => {
    const found: string[] = [];
    const banned = new Set(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'IMG', 'STYLE', 'BASE', 'META', 'LINK', 'FORM', 'INPUT', 'BUTTON', 'TEXTAREA', 'SELECT', 'VIDEO', 'AUDIO', 'TEMPLATE', 'NOSCRIPT', 'XMP', 'DETAILS', 'MARQUEE']);
    for (const root of roots) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (root !== el && banned.has(el.tagName.toUpperCase())) found.push(`<${el.tagName.toLowerCase()}>`);
        for (const attr of el.getAttributeNames()) {
          if (attr.startsWith('on') || attr === 'style' || attr === 'srcdoc' || attr === 'formaction') found.push(`${attr}= on <${el.tagName.toLowerCase()}>`);
        }
        const href = el.getAttribute('href');
        if (href !== null && !/^(?:https?:|mailto:|\/|#)/i.test(href.trim())) found.push(`href="${href}"`);
      }
    }
    return found;
  });
}

describe.skipIf(!browserPath())('hostile reader text (XSS corpus)', () => {
  let server: RunningServer;
  let browser: Browser;
  const posted: Posted[] = [];
  let adminCookie = '';

  beforeAll(async () => {
    server = await startServer();
    const essays = essaySlugs();
    // One poster per vector (the rate limits allow five comments a minute per reader).
    for (const [i, vector] of XSS_VECTORS.entries()) {
      const marker = `V${String(i).padStart(3, '0')}`;
      const displayName = `${marker} ${vector.payload}`;
      const user = await makeUser(server.db, { displayName });
      server.db.update(users).set({ trustedAt: Date.now() }).where(eq(users.id, user.id)).run();
      const cookie = cookieHeader(await sessionCookie(server.db, user.id));
      const essay = essays[i % essays.length]!;
      const request = postRequest(server.url, { essay, parentId: null, body: `${marker} ${vector.payload}` });
      const response = await fetch(server.url + request.path, { method: 'POST', headers: { ...request.headers, cookie }, body: request.body, redirect: 'manual' });
      expect(response.status, `posting ${vector.name}: ${await response.text()}`).toBe(303);
      const commentId = Number(/comment-(\d+)/.exec(response.headers.get('location') ?? '')?.[1]);
      expect(commentId, vector.name).toBeGreaterThan(0);
      posted.push({ vector, marker, essay, commentId, username: user.username, displayName, cookie });
    }
    // Flag notes are reader text too, shown to moderators: each poster flags the next one's comment.
    for (const [i, p] of posted.entries()) {
      const target = posted[(i + 1) % posted.length]!;
      const response = await fetch(`${server.url}/moderation/flag/${target.commentId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: p.cookie },
        body: new URLSearchParams({ reason: 'other', note: `${p.marker} ${p.vector.payload}` }).toString(),
        redirect: 'manual',
      });
      expect(response.status, `flagging with ${p.vector.name}`).toBe(303);
    }
    // Appeals are reader text shown to moderators: every poster is banned, and appeals the ban.
    for (const p of posted) {
      server.db.update(users).set({ bannedAt: Date.now() }).where(eq(users.username, p.username)).run();
      const response = await fetch(`${server.url}/moderation/appeal`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: p.cookie },
        body: new URLSearchParams({ about: 'ban', message: `${p.marker} ${p.vector.payload}` }).toString(),
        redirect: 'manual',
      });
      expect(response.status, `appealing with ${p.vector.name}`).toBe(303);
    }
    const admin = await makeUser(server.db, { displayName: 'Moderator', role: 'admin' });
    adminCookie = cookieHeader(await sessionCookie(server.db, admin.id));
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('holds at least 100 vectors across every category', () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(XSS_VECTORS.map((v) => v.category)).size).toBe(8);
  });

  it('has a canary that trips on a script that runs, and on one the CSP had to stop', async () => {
    const { page, tripped } = await openWithCanary(browser, `${server.url}/essays/${ESSAY_FOR_CANARY}/`);
    await page.evaluate(() => (window as unknown as { __xss: (n: number) => void }).__xss(999));
    await page.addScriptTag({ content: '__xss(998)' }).catch(() => {});
    const events = await tripped();
    expect(events).toContain('__xss(999) ran');
    expect(events.some((e) => e.startsWith('csp:'))).toBe(true);
    await page.context().close();
  });

  it.each(essaySlugs())('runs nothing and keeps the words in the discussion of %s', async (essay) => {
    const mine = posted.filter((p) => p.essay === essay);
    const { page, tripped } = await openWithCanary(browser, `${server.url}/essays/${essay}/`);
    await page.locator(`#comment-${mine.at(-1)!.commentId}`).waitFor();
    await page.hover(`#comment-${mine[0]!.commentId}`);
    for (const p of mine) await page.hover(`#comment-${p.commentId} .comment-body`);
    expect(await tripped()).toEqual([]);
    expect(await dangerousMarkup(page, '.comment-body, .comment-author')).toEqual([]);
    for (const p of mine) {
      const body = normalise(await page.locator(`#comment-${p.commentId} .comment-body`).first().innerText());
      const author = normalise(await page.locator(`#comment-${p.commentId} .comment-author`).first().innerText());
      expect(body, p.vector.name).toContain(p.marker);
      if (!MARKDOWN_SYNTAX.test(p.vector.payload)) expect(body, p.vector.name).toBe(normalise(`${p.marker} ${p.vector.payload}`));
      // Names are plain text: every character typed is shown as typed.
      expect(author, p.vector.name).toBe(normalise(p.displayName));
    }
    await page.context().close();
  });

  it('runs nothing in the moderators\' queue, which shows the flag notes, names and comments', async () => {
    const { page, tripped } = await openWithCanary(browser, `${server.url}/admin?tab=flagged`, adminCookie);
    let text = '';
    for (let n = 0; n * 50 < posted.length; n++) {
      await page.goto(`${server.url}/admin?tab=flagged&page=${n}`);
      text += await page.locator('main').innerText();
    }
    expect(await tripped()).toEqual([]);
    for (const p of posted) expect(text, p.vector.name).toContain(p.marker);
    await page.context().close();
  }, 120_000);

  it('runs nothing in the moderators\' appeals, which show what readers wrote', async () => {
    const { page, tripped } = await openWithCanary(browser, `${server.url}/admin/appeals`, adminCookie);
    const text = await page.locator('main').innerText();
    expect(await tripped()).toEqual([]);
    expect(await dangerousMarkup(page, 'main blockquote')).toEqual([]);
    // The page lists the oldest 100 open appeals.
    for (const p of posted.slice(0, 100)) expect(text, p.vector.name).toContain(p.marker);
    await page.context().close();
  });

  it('runs nothing on the profile pages that show the names and comments', async () => {
    const { page, tripped } = await openWithCanary(browser, `${server.url}/u/${posted[0]!.username}`);
    for (const p of posted.filter((_, i) => i % 3 === 0)) {
      await page.goto(`${server.url}/u/${p.username}`);
      expect(await page.locator('body').innerText(), p.vector.name).toContain(p.marker);
    }
    expect(await tripped()).toEqual([]);
    await page.context().close();
  }, 120_000);
  // A passage comment's quote is reader input too: a forged one (anything at all) is refused, since
  // the words must stand in the block, and comes back in the refused form as text.
  it('refuses every vector as a passage comment’s quote and its context, and shows it back in the form as text, running nothing', async () => {
    const block = passageBlocks(ESSAY_FOR_CANARY)[0]!;
    const fields = (quote: string, payload: string) => ({ essay: ESSAY_FOR_CANARY, body: 'On this passage.', passage: block.id, quote, quote_prefix: payload, quote_suffix: payload });
    for (const [i, vector] of XSS_VECTORS.entries()) {
      const quote = `Q${String(i).padStart(3, '0')} ${vector.payload}`;
      const response = await fetch(`${server.url}/comments/new`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: adminCookie },
        body: new URLSearchParams(fields(quote, vector.payload)).toString(),
        redirect: 'manual',
      });
      const html = await response.text();
      expect(response.status, `${vector.name}: ${html.slice(html.indexOf('<main'), html.indexOf('<main') + 400)}`).toBe(400);
      const { document } = parseHTML(html);
      const shown = document.querySelector('[data-form-passage] blockquote');
      expect(shown?.children.length, vector.name).toBe(0);
      expect(normalise(shown?.textContent ?? ''), vector.name).toBe(normalise(quote));
      const kept = document.querySelector('[data-form-passage] input[name=quote]')?.getAttribute('value') ?? '';
      expect(normalise(kept.replaceAll('\ufffd', '')), vector.name).toBe(normalise(quote));
    }
    // The refused form in Chromium, with the canary, for the first vector of each kind.
    const firsts = [...new Map(XSS_VECTORS.map((vector) => [vector.category, vector])).values()];
    for (const vector of firsts) {
      const { page, tripped } = await openWithCanary(browser, `${server.url}/essays/${ESSAY_FOR_CANARY}/`);
      const [name, value] = adminCookie.split('=') as [string, string];
      await page.context().addCookies([{ name, value, url: server.url }]);
      // Posted as a page's form would be: the refused form is the page the browser shows next.
      const answered = page.waitForResponse(`${server.url}/comments/new`);
      await page.evaluate((values) => {
        const form = Object.assign(document.createElement('form'), { method: 'post', action: '/comments/new' });
        for (const [name, value] of Object.entries(values)) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
        document.body.append(form);
        form.submit();
      }, fields(`Q ${vector.payload}`, vector.payload));
      expect((await answered).status(), vector.name).toBe(400);
      await page.waitForLoadState('load');
      await page.hover('[data-form-passage] blockquote');
      expect(await tripped(), vector.name).toEqual([]);
      expect(await dangerousMarkup(page, '[data-form-passage] blockquote'), vector.name).toEqual([]);
      await page.context().close();
    }
  }, 120_000);
});
