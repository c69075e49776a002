// One server, one Chromium and an admin for a moderation browser test file, with pages signed in as anyone.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { makeAdmin, type TestAdmin } from './moderation.ts';
import { startServer, type RunningServer } from './server.ts';
import { sessionCookie } from './session.ts';

export function moderationHarness() {
  const state = {} as { server: RunningServer; browser: Browser; admin: TestAdmin };
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    state.server = await startServer();
    state.admin = await makeAdmin(state.server.db, 'warden');
    state.browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await state.browser?.close();
    await state.server?.stop();
  });
  /** A page in a new browser context: signed out, or signed in as `userId`. */
  async function newPage(userId?: string): Promise<Page> {
    const context = await state.browser.newContext();
    contexts.push(context);
    if (userId) await context.addCookies([{ ...(await sessionCookie(state.server.db, userId)), url: state.server.url }]);
    return context.newPage();
  }
  return { state, newPage };
}
