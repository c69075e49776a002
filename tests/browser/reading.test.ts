// The reading side in real Chromium against the real built server: the home page, every essay in
// the collection, the figures with JavaScript off, the ledger, footnotes, and for every page that
// every request stays on the site's origin and axe-core finds nothing.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createLucia, SESSION_DAYS } from '../../src/features/accounts/lucia.ts';
import { FLASH_COOKIE, FLASH_SECONDS } from '../../src/features/moderation/flash.ts';
import { VOTER_COOKIE, VOTER_COOKIE_DAYS } from '../../src/features/polls/voter.ts';
import { browserPath } from '../support/browser.ts';
import { figuresIn } from '../../src/features/reading/figures/usage.ts';
import { essaySlugs, essaySource } from '../support/pages.ts';
import { readingSite } from '../support/reading-site.ts';

const ESSAYS = essaySlugs();
const CHARTS = ['amnesty-scorecard', 'mau-chart', 'law-timeline'];

describe.skipIf(!browserPath())('reading the essays', () => {
  const site = readingSite();

  it('lists every essay on the home page with summary, date, reading time and live comment count', async () => {
    const page = await site.open(site.withJs, '/');
    const cards = page.locator('.essay-card');
    expect(await cards.count()).toBe(ESSAYS.length);
    const links = await cards.locator('.essay-card-title a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.sort()).toEqual(ESSAYS.map((s) => `/essays/${s}/`));
    for (const card of await cards.all()) {
      expect(await card.locator('.essay-card-summary').textContent()).toBeTruthy();
      expect(await card.locator('time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await card.locator('.essay-meta').textContent()).toMatch(/\b\d+ min read/);
    }
    const counted = page.locator(`.essay-card:has(a[href="/essays/${ESSAYS[0]}/"]) [data-essay-comment-count]`);
    expect(await counted.textContent()).toBe('2 comments');
    await site.expectNoAxeViolations(page);
  });

  it('shows the home page’s essays without JavaScript, with a plain link in place of the count', async () => {
    const page = await site.open(site.withoutJs, '/');
    expect(await page.locator('.essay-card').count()).toBe(ESSAYS.length);
    expect(await page.locator('.essay-card .comment-count-link').first().textContent()).toBe('Discussion');
  });

  for (const slug of ESSAYS) {
    describe(`essay ${slug}`, () => {
      it('has its header, contents, notes, related essays and discussion, all from this origin, and passes axe', async () => {
        const page = await site.open(site.withJs, `/essays/${slug}/`);
        expect(await page.locator('main h1').count()).toBe(1);
        expect(await page.locator('.essay-header time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(await page.locator('.essay-header .essay-meta').textContent()).toMatch(/\b\d+ min read/);
        expect(await page.locator('.essay-header [data-essay-comment-count]').textContent()).toMatch(/comment/);
        expect(await page.locator('link[rel=canonical]').getAttribute('href')).toMatch(new RegExp(`/essays/${slug}/$`));
        expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe(await page.locator('main h1').textContent());
        expect(await page.locator('#discussion .discussion-loading').count()).toBe(0);
        // Order: the essay, then related essays (when there are others), then the discussion.
        const order = await page.evaluate(() => ['.essay', '.related', '#discussion'].map((s) => document.querySelector(s)).filter(Boolean).map((el) => el!.getBoundingClientRect().top));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        if (ESSAYS.length > 1) expect(await page.locator('.related .essay-card').count()).toBeGreaterThan(0);
        await site.expectNoAxeViolations(page);
      });

      it('ends with its updates and corrections, each entry under its own anchor and linked to the site-wide log, and links back to the series', async () => {
        const page = await site.open(site.withoutJs, `/essays/${slug}/`);
        expect(await page.locator('.essay-header a[href="/series/"]').count()).toBe(1);
        const log = page.locator('section#corrections');
        expect(await log.locator('h2').textContent()).toBe('Updates and corrections');
        // After the text and its notes, before the discussion.
        const [notesTop, logTop] = await page.evaluate(() => ['.footnotes', '#corrections'].map((s) => document.querySelector(s)!.getBoundingClientRect().top));
        expect(logTop).toBeGreaterThan(notesTop!);
        const entries = log.locator('li.correction');
        expect(await entries.count()).toBeGreaterThan(0);
        for (const entry of await entries.all()) {
          const id = (await entry.getAttribute('id'))!;
          expect(id).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/);
          expect(await entry.locator('time').getAttribute('datetime')).toBe(id.slice(0, 10));
          expect(await entry.textContent()).toMatch(/What changed\..+Why\./s);
          expect(await entry.locator(`a[href="/corrections/#${id}"]`).count()).toBe(1);
        }
      });

      it('fits a 390 px phone: the tag list wraps inside the screen and nothing runs off the right edge', async () => {
        const phone = await site.browser.newContext({ viewport: { width: 390, height: 844 } });
        const page = await site.open(phone, `/essays/${slug}/`);
        const tags = page.locator('.essay-tags a');
        expect(await tags.count()).toBeGreaterThan(1);
        for (const tag of await tags.all()) {
          const box = (await tag.boundingBox())!;
          expect(box.x, await tag.textContent() ?? '').toBeGreaterThanOrEqual(0);
          expect(box.x + box.width, await tag.textContent() ?? '').toBeLessThanOrEqual(390);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await phone.close();
      });

      it('reads without JavaScript: every figure the essay places is there, charts as SVG with a text alternative', async () => {
        const page = await site.open(site.withoutJs, `/essays/${slug}/`);
        expect((await page.locator('.essay-body').textContent())?.length ?? 0).toBeGreaterThan(100);
        const expected = figuresIn(essaySource(slug));
        const present = await page.locator('figure[data-figure]').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-figure')));
        expect(present.sort()).toEqual([...expected].sort());
        for (const name of expected) {
          const figure = page.locator(`figure[data-figure="${name}"]`);
          expect((await figure.locator('figcaption').textContent())?.length ?? 0, name).toBeGreaterThan(40);
          if (CHARTS.includes(name)) {
            expect(await figure.locator('svg[role="img"]').getAttribute('aria-label'), name).toBeTruthy();
            expect(await figure.locator('table, ol').count(), name).toBeGreaterThan(0);
          }
        }
        if (expected.includes('convenience-ledger')) {
          expect(await page.locator('figure[data-figure="convenience-ledger"] tbody tr').count()).toBeGreaterThan(3);
        }
        if (expected.includes('reader-poll')) {
          expect(await page.locator('figure[data-figure="reader-poll"] form.poll-form button[type=submit]').isVisible()).toBe(true);
        }
      });
    });
  }

  it('draws every figure on the figures page as SVG or a table with JavaScript off', async () => {
    const page = await site.open(site.withoutJs, '/figures/');
    for (const name of CHARTS) {
      const svg = page.locator(`figure[data-figure="${name}"] svg[role="img"]`);
      expect(await svg.count(), name).toBe(1);
      expect(await svg.locator('text').count(), name).toBeGreaterThan(5);
    }
    const ledgerRows = page.locator('figure[data-figure="convenience-ledger"] tbody tr');
    expect(await ledgerRows.count()).toBe(9);
    expect(await page.locator('figure[data-figure="convenience-ledger"] input[type=checkbox]').first().isVisible()).toBe(false);
    expect(await page.locator('figure[data-figure="reader-poll"] form.poll-form').count()).toBe(1);
  });

  it('piles up the data as the reader ticks ledger features, by mouse and by keyboard', async () => {
    const page = await site.open(site.withJs, '/figures/');
    const ledger = page.locator('figure[data-figure="convenience-ledger"]');
    const count = ledger.locator('[data-ledger-count]');
    const shown = () => ledger.locator('.ledger-pile li:not([hidden])').allTextContents();
    expect(await count.textContent()).toBe('1 feature ticked. It asks for 1 of 12 kinds of data.');
    expect(await shown()).toEqual(['a phone number registered to your national ID']);

    await ledger.getByLabel('WeChat Pay').check();
    expect(await count.textContent()).toBe('2 features ticked. Together they ask for 4 of 12 kinds of data.');
    expect(await shown()).toContain('a bank card');

    await ledger.getByLabel('Shake and People Nearby').focus();
    await page.keyboard.press('Space');
    expect(await count.textContent()).toBe('3 features ticked. Together they ask for 5 of 12 kinds of data.');
    expect(await shown()).toContain('your precise location');

    await ledger.getByLabel('WeChat Pay').uncheck();
    expect(await shown()).not.toContain('a bank card');
    await site.expectNoAxeViolations(page);
  });

  it('sets notes in the margin on wide screens and in a popover on narrow ones', async () => {
    let page: Page | undefined;
    for (const slug of ESSAYS) {
      page = await site.open(site.withJs, `/essays/${slug}/`);
      if (await page.locator('a[data-footnote-ref]').count()) break;
    }
    const ref = page!.locator('a[data-footnote-ref]').first();
    expect(await ref.count(), 'no essay has a footnote').toBe(1);
    await page!.setViewportSize({ width: 1400, height: 900 });
    expect(await page!.locator('.sidenote').first().isVisible()).toBe(true);
    await page!.setViewportSize({ width: 400, height: 800 });
    expect(await page!.locator('.sidenote').first().isVisible()).toBe(false);
    await ref.click();
    const popover = page!.locator('#footnote-popover');
    await popover.waitFor({ state: 'visible' });
    const noteId = (await ref.getAttribute('href'))!.slice(1);
    const noteText = (await page!.locator(`[id="${noteId}"]`).textContent())!.replace('↩', '').trim();
    expect((await popover.textContent())?.replace(/\s+/g, ' ')).toContain(noteText.replace(/\s+/g, ' ').slice(0, 30));
    await page!.keyboard.press('Escape');
    await popover.waitFor({ state: 'hidden' });
    expect(await ref.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  for (const path of ['/figures/', '/privacy/', '/tags/', '/series/', '/corrections/']) {
    it(`keeps ${path} on this origin and free of axe violations`, async () => {
      const page = await site.open(site.withJs, path);
      await site.expectNoAxeViolations(page);
    });
  }

  it('lists the essays of a topic on its page', async () => {
    const tags = await site.open(site.withJs, '/tags/');
    const first = (await tags.locator('.tag-list a').first().getAttribute('href'))!;
    const page = await site.open(site.withJs, first);
    expect(await page.locator('.essay-card').count()).toBeGreaterThan(0);
    await site.expectNoAxeViolations(page);
  });

  // Essays with two or more section headings get a table of contents.
  const withSections = ESSAYS.filter((slug) => (essaySource(slug).match(/^##\s/gm) ?? []).length >= 2);
  it.skipIf(withSections.length === 0)('marks the section being read in the contents on wide screens', async () => {
    const page = await site.open(site.withJs, `/essays/${withSections[0]}/`);
    await page.setViewportSize({ width: 1400, height: 900 });
    const links = page.locator('.toc a');
    expect(await links.count()).toBeGreaterThanOrEqual(2);
    expect(await links.first().isVisible()).toBe(true);
    await page.setViewportSize({ width: 700, height: 900 });
    expect(await links.first().isVisible()).toBe(false);
    await page.setViewportSize({ width: 1400, height: 900 });
    const last = links.last();
    await page.locator(`[id="${(await last.getAttribute('href'))!.slice(1)}"]`).evaluate((h) => h.scrollIntoView({ behavior: 'instant' }));
    await expect.poll(() => last.getAttribute('aria-current'), { timeout: 5000 }).toBe('true');
    expect(await page.locator('.toc a[aria-current]').count()).toBe(1);
  });

  it('offers a visible skip link as the first stop for the keyboard, which moves focus to the main text', async () => {
    const page = await site.open(site.withJs, `/essays/${ESSAYS[0]}/`);
    await page.keyboard.press('Tab');
    const skip = page.locator('.skip-link');
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.y >= 0 && box.width > 0).toBe(true);
    expect(await skip.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('keeps contrast and the rest of axe’s rules in the dark theme too', async () => {
    const dark = await site.browser.newContext({ colorScheme: 'dark' });
    for (const path of ['/', '/figures/', '/series/', '/corrections/', ...ESSAYS.map((s) => `/essays/${s}/`)]) {
      const page = await site.open(dark, path);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(24, 23, 21)');
      await site.expectNoAxeViolations(page);
    }
    await dark.close();
  });

  it('answers an unknown address with the 404 page', async () => {
    const page = await site.withJs.newPage();
    const response = await page.goto(`${site.server.url}/essays/no-such-essay/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This page is not here');
    await site.expectNoAxeViolations(page);
  });

  it('names on the privacy page every cookie the site sets, with how long it lasts', async () => {
    const page = await site.open(site.withoutJs, '/privacy/');
    const rows = await page.locator('#cookies ~ table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    const lucia = createLucia(site.server.db, { secure: false });
    expect(rows.find((r) => r.startsWith(lucia.sessionCookieName))).toContain(`${SESSION_DAYS} days`);
    expect(rows.find((r) => r.startsWith(VOTER_COOKIE))).toContain(`${VOTER_COOKIE_DAYS} days`);
    expect(rows.find((r) => r.startsWith(FLASH_COOKIE))).toContain(`${FLASH_SECONDS} seconds`);
    expect(rows).toHaveLength(3);
  });

  it('publishes a feed and a sitemap naming every essay', async () => {
    const feed = await (await fetch(`${site.server.url}/rss.xml`)).text();
    const sitemap = await (await fetch(`${site.server.url}/sitemap-0.xml`)).text();
    for (const slug of ESSAYS) {
      expect(feed).toContain(`/essays/${slug}/</link>`);
      expect(sitemap).toContain(`/essays/${slug}/</loc>`);
    }
    expect(sitemap).not.toContain('/polls/');
    expect(sitemap).not.toContain('/account/');
  });

});
