// The reading pages' browser tests share one set-up: the real server with a little discussion,
// Chromium with and without JavaScript, and a page opener that checks every request stayed on the
// site's origin and nothing was blocked by the CSP.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { gotoSettled, launchBrowser } from './browser.ts';
import { makeComment, makeUser } from './fixtures.ts';
import { axeViolations, describeViolations, essaySlugs, foreignRequests, recordCspViolations, recordRequests } from './pages.ts';
import { startServer, type RunningServer } from './server.ts';

export interface ReadingSite {
  server: RunningServer;
  browser: Browser;
  withJs: BrowserContext;
  withoutJs: BrowserContext;
  /** Opens a page, waits for its islands, and checks every request stayed on the site's origin. */
  open(context: BrowserContext, path: string): Promise<Page>;
  expectNoAxeViolations(page: Page): Promise<void>;
}

/** Call inside a describe: starts the site before its tests and stops it after. */
export function readingSite(): ReadingSite {
  // Each test's pages close after it: an essay page keeps the live discussion's stream open, and
  // the server allows a reader only a few at once.
  const opened: Page[] = [];
  const site = {
    async open(context: BrowserContext, path: string): Promise<Page> {
      const page = await context.newPage();
      opened.push(page);
      const requests = recordRequests(page);
      const blocked = recordCspViolations(page);
      const response = await gotoSettled(page, `${site.server.url}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(foreignRequests(requests, site.server.url), `requests from ${path} that left the origin`).toEqual([]);
      expect(blocked, `what the CSP blocked on ${path}`).toEqual([]);
      expect(requests.length).toBeGreaterThan(0);
      return page;
    },
    async expectNoAxeViolations(page: Page) {
      const violations = await axeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
    },
  } as ReadingSite;
  beforeAll(async () => {
    site.server = await startServer();
    const ada = await makeUser(site.server.db, { displayName: 'Ada' });
    const [first] = essaySlugs();
    await makeComment(site.server.db, { essay: first!, authorId: ada.id, body: 'One.' });
    await makeComment(site.server.db, { essay: first!, authorId: ada.id, body: 'Two.' });
    site.browser = await launchBrowser();
    site.withJs = await site.browser.newContext();
    site.withoutJs = await site.browser.newContext({ javaScriptEnabled: false });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((page) => page.close()));
  });
  afterAll(async () => {
    await site.browser?.close();
    await site.server?.stop();
  });
  return site;
}
