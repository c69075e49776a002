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

/** Opens a page with a discussion island and waits until the island has arrived and its script
 * has taken over links and forms (before that, a click follows the no-script href instead). */
export async function openDiscussion(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.discussion [data-threads]').waitFor({ state: 'attached' });
  await page.locator('html[data-discussion-enhanced]').waitFor({ state: 'attached' });
}
