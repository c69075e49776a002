// The series in real Chromium against the real built server: the series page, the corrections log
// and its feed, and the poll's results for readers who have not voted; for every page, every
// request stays on the site's origin and axe-core finds nothing.
import { describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { recordBallot } from '../../db/polls/polls.ts';
import { essaySlugs } from '../support/pages.ts';
import { readingSite } from '../support/reading-site.ts';

const ESSAYS = essaySlugs();

describe.skipIf(!browserPath())('the essays as a series', () => {
  const site = readingSite();


  it('presents the series: the through-line, then the essays in the order the argument builds, each linking back', async () => {
    const page = await site.open(site.withoutJs, '/series/');
    expect(await page.locator('main h1').textContent()).toContain('the series');
    expect((await page.locator('.series-page > p').allTextContents()).join(' ').length).toBeGreaterThan(600);
    const order = await page.locator('.series-entry h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(order).toEqual([
      '/essays/wechat-app-for-everything/',
      '/essays/taddicken-and-the-privacy-paradox/',
      '/essays/fuchs-and-the-prosumer/',
      '/essays/privacy-for-convenience/',
    ]);
    // Published in that order too: each date is on or after the one before.
    const dates = await page.locator('.series-entry .essay-meta').evaluateAll((metas) => metas.map((m) => m.querySelector('time')!.getAttribute('datetime')!));
    expect(dates).toEqual([...dates].sort());
    for (const [i, href] of order.entries()) {
      const essay = await site.open(site.withoutJs, href!);
      expect(await essay.locator('.essay-series').textContent()).toContain(`Part ${i + 1} of ${order.length}`);
      expect(await essay.locator('.essay-series a[href="/series/"]').count()).toBe(1);
      await essay.close();
    }
    expect(await page.locator('.site-nav a[href="/series/"]').count()).toBe(1);
  });

  it('keeps a site-wide corrections log, newest first, that links every entry to its essay and back, and a feed of it', async () => {
    const page = await site.open(site.withoutJs, '/corrections/');
    const entries = page.locator('li.correction');
    const logged = await entries.evaluateAll((lis) => lis.map((li) => ({ id: li.id, day: li.querySelector('time')!.getAttribute('datetime')!, link: li.querySelector('.correction-permalink a')!.getAttribute('href')! })));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.map((e) => e.day)).toEqual(logged.map((e) => e.day).sort().reverse());
    expect(new Set(logged.map((e) => e.id)).size).toBe(logged.length);
    // Every entry at the end of every essay is in the log, under the same id, and the log links to it there.
    const inEssays: string[] = [];
    for (const slug of ESSAYS) {
      const essay = await site.open(site.withoutJs, `/essays/${slug}/`);
      for (const id of await essay.locator('#corrections li.correction').evaluateAll((lis) => lis.map((li) => li.id))) {
        inEssays.push(id);
        expect(logged.find((e) => e.id === id)?.link, id).toBe(`/essays/${slug}/#${id}`);
      }
      await essay.close();
    }
    expect(inEssays.sort()).toEqual(logged.map((e) => e.id).sort());
    // An anchor in the log lands on its entry.
    const first = logged[0]!;
    const target = await site.open(site.withJs, `/corrections/#${first.id}`);
    expect(await target.evaluate(() => document.querySelector(':target')?.id)).toBe(first.id);
    await site.expectNoAxeViolations(target);
    // The feed: one item per correction, newest first, linking to the entry in its essay.
    const response = await fetch(`${site.server.url}/corrections.xml`);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    const links = [...(await response.text()).matchAll(/<item>.*?<link>([^<]+)<\/link>/gs)].map((m) => new URL(m[1]!).pathname + new URL(m[1]!).hash);
    expect(links).toEqual(logged.map((e) => e.link));
    expect(await page.locator('.site-footer a[href="/corrections/"]').count()).toBe(1);
  });

  it('shows the poll’s results to a reader who has not voted, with “carry on” and “could not stop” apart', async () => {
    const worried = (key: string, behaviour: string) =>
      recordBallot(site.server.db, 'wechat-paradox', { voterKey: key.padEnd(64, '0') }, [{ question: 'concern', choice: 'great' }, { question: 'behaviour', choice: behaviour }]);
    await worried('a1', 'keep');
    await worried('b2', 'cannot');
    await worried('c3', 'cannot');
    await worried('d4', 'stop');
    const page = await site.open(site.withJs, '/figures/');
    const poll = page.locator('figure[data-figure="reader-poll"]');
    await poll.locator('input[name="via"]').waitFor({ state: 'attached' });
    const peek = poll.locator('details.poll-peek');
    expect(await peek.locator('[data-poll-paradox]').isVisible()).toBe(false);
    await peek.locator('summary').click();
    const paradox = await peek.locator('[data-poll-paradox]').textContent();
    expect(paradox).toBe('Of the 4 readers who worry quite a lot or a great deal, 1 (25%) would carry on and 2 (50%) could not stop.');
    // The ballot is still there, and still the way to vote.
    expect(await poll.getByRole('button', { name: 'Vote and see the results' }).isVisible()).toBe(true);
    await site.expectNoAxeViolations(page);
  });
});
