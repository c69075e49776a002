// Every page's text sits inside the page margins, on a wide screen and a phone: pages that do not
// lay out their own column get the reading column from the base layout.
import { describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { useLiveSite } from '../support/live-site.ts';

const PAGES = ['/', '/essays/wechat-app-for-everything/', '/series/', '/corrections/', '/signin', '/signup', '/moderation/', '/discussion/wechat-app-for-everything/', '/privacy/', '/tags/', '/no-such-page'];

describe.skipIf(!browserPath())('page margins', () => {
  const site = useLiveSite();

  // A desktop, a 390 px phone (the width at which the essays' tag list once ran off the screen) and a smaller one.
  for (const width of [1200, 390, 375]) {
    it.each(PAGES)(`keeps the heading of %s off the window's edges at ${width}px`, async (path) => {
      const page = await site.browser.newPage({ viewport: { width, height: 800 } });
      await page.goto(site.server.url + path);
      const box = await page.locator('main h1').first().boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(12);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width - 12);
      // Nothing on the page is wider than the window: no sideways scrolling of the page itself.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.close();
    });
  }
});
