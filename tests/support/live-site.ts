// The real built server and a Chromium for one describe block: started before its tests,
// stopped after them.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

export interface LiveSite {
  server: RunningServer;
  browser: Browser;
}

export function useLiveSite(env?: Record<string, string>): LiveSite {
  const site = {} as LiveSite;
  beforeAll(async () => {
    site.server = await startServer(env);
    site.browser = await launchBrowser();
  });
  afterAll(async () => {
    await site.browser?.close();
    await site.server?.stop();
  });
  return site;
}
