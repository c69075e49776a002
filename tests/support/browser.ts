// Real Chromium from Debian, driven by playwright-core. Where none is installed the browser
// tests are skipped with a loud message, unless REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

let warned = false;

export function browserPath(): string | null {
  const found = CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;
  if (!found) {
    const message = 'No Chromium found (looked in CHROMIUM_PATH, /usr/bin/chromium): install it with `apt-get install -y chromium`.';
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`${message} REQUIRE_BROWSER=1, so this is a failure.`);
    if (!warned) console.warn(`\n*** BROWSER TESTS SKIPPED *** ${message}\n`);
    warned = true;
  }
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = browserPath();
  if (!executablePath) throw new Error('launchBrowser() called without a browser');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens `url` and waits until no request has been in flight for `quietMs`, not counting event
 * streams: Playwright's 'networkidle' never comes on a page that keeps the live discussion's
 * EventSource open.
 */
export async function gotoSettled(page: Page, url: string, quietMs = 500, timeoutMs = 20_000) {
  const inFlight = new Set<{ url(): string; resourceType(): string }>();
  const counts = (request: { resourceType(): string }) => request.resourceType() !== 'eventsource';
  page.on('request', (r) => counts(r) && inFlight.add(r));
  page.on('requestfinished', (r) => inFlight.delete(r));
  // A revalidated island (If-None-Match, 304, then the cached copy) gets its response but no
  // 'requestfinished' from Playwright, so its response counts as the end.
  page.on('response', (r) => inFlight.delete(r.request()));
  page.on('requestfailed', (r) => inFlight.delete(r));
  const response = await page.goto(url, { waitUntil: 'load' });
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`${url}: requests still in flight after ${timeoutMs} ms: ${[...inFlight].map((r) => `${r.resourceType()} ${r.url()}`).join(', ')}`);
    await page.waitForTimeout(50);
    if (inFlight.size > 0) quietSince = Date.now();
  }
  return response;
}

/** Opens a page with a discussion island and waits until the island has arrived and its script
 * has taken over links and forms (before that, a click follows the no-script href instead). */
export async function openDiscussion(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.discussion [data-threads]').waitFor({ state: 'attached' });
  await page.locator('html[data-discussion-enhanced]').waitFor({ state: 'attached' });
}
