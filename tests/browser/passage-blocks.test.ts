// The essays' discussable blocks in real Chromium against the real build: every block the passage
// index lists is on the page under its id, with the text a reader sees there (worked out in the page
// from the DOM, by the rules in src/features/passages/README.md), and `#<id>` leads to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_ID, BLOCK_TAGS } from '../../src/features/passages/blocks.ts';
import { essayPassages, parsePassageIndex, PASSAGE_INDEX_FILE } from '../../src/features/passages/index-file.ts';
import { browserPath } from '../support/browser.ts';
import { essaySlugs } from '../support/pages.ts';
import { ROOT } from '../support/paths.ts';
import { readingSite } from '../support/reading-site.ts';

describe.skipIf(!browserPath())('discussable blocks on the essay pages', () => {
  const site = readingSite();
  const index = () => parsePassageIndex(readFileSync(join(ROOT, 'dist/server', PASSAGE_INDEX_FILE), 'utf8'));

  it('indexes every essay, each with its paragraphs and figure captions', () => {
    expect(Object.keys(index().essays)).toEqual(essaySlugs());
    for (const slug of essaySlugs()) {
      const kinds = new Set(essayPassages(index(), slug)!.blocks.map((b) => b.kind));
      expect(kinds.has('paragraph'), slug).toBe(true);
    }
    expect(Object.values(index().essays).some((e) => e.blocks.some((b) => b.kind === 'caption'))).toBe(true);
  });

  for (const slug of essaySlugs()) {
    it(`${slug}: has every indexed block under its id, once, with the text a reader sees, and no other`, async () => {
      // Without JavaScript: the blocks are the prerendered page's own, whatever the islands do.
      const page = await site.open(site.withoutJs, `/essays/${slug}/`);
      const onPage = await page.evaluate(
        ({ pattern, tags }) => {
          const blockId = new RegExp(pattern);
          const candidates = Object.keys(tags).join(',');
          const body = document.querySelector('.essay-body')!;
          // A text node belongs to its innermost candidate element; notes' numbers and margin copies to none.
          const textOf = (block: Element) => {
            let text = '';
            const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (node instanceof Element) {
                if (node.tagName === 'BR' && node.parentElement?.closest(candidates) === block) text += ' ';
                continue;
              }
              const parent = node.parentElement!;
              if (parent.closest('.sidenote, a[data-footnote-ref], svg') || parent.closest(candidates) !== block) continue;
              text += node.nodeValue;
            }
            return text.replace(/\s+/g, ' ').trim();
          };
          return [...body.querySelectorAll('[id]')]
            .filter((el) => blockId.test(el.id))
            .map((el) => ({ id: el.id, tag: el.tagName.toLowerCase(), text: textOf(el), copies: document.querySelectorAll(`[id="${el.id}"]`).length }));
        },
        { pattern: BLOCK_ID.source, tags: BLOCK_TAGS },
      );
      const blocks = essayPassages(index(), slug)!.blocks;
      expect(onPage.map(({ id, text }) => ({ id, text }))).toEqual(blocks.map(({ id, text }) => ({ id, text })));
      for (const [i, block] of blocks.entries()) {
        expect(onPage[i]!.copies, block.id).toBe(1);
        expect(BLOCK_TAGS[onPage[i]!.tag], block.id).toBeDefined();
      }
      // No block id outside the essay's text: the header, corrections and discussion have none.
      const outside = await page.evaluate((pattern) => [...document.querySelectorAll('[id]')].filter((el) => new RegExp(pattern).test(el.id) && !el.closest('.essay-body')).length, BLOCK_ID.source);
      expect(outside).toBe(0);
    });
  }

  it('follows #<id> to its block without JavaScript', async () => {
    const [slug] = essaySlugs();
    const blocks = essayPassages(index(), slug!)!.blocks;
    const block = blocks[Math.floor(blocks.length / 2)]!;
    // Opened directly: waiting for network idle, as site.open does, timed out on a URL with a fragment.
    const page = await site.withoutJs.newPage();
    expect((await page.goto(`${site.server.url}/essays/${slug}/#${block.id}`, { waitUntil: 'load' }))?.status()).toBe(200);
    const target = page.locator(':target');
    expect(await target.getAttribute('id')).toBe(block.id);
    expect(await target.isVisible()).toBe(true);
    // The page scrolls smoothly (unless the reader asks for less motion): wait until it has stopped moving.
    let last = Number.NaN;
    await expect.poll(async () => {
      const y = (await target.boundingBox())!.y;
      const still = y === last;
      last = y;
      return still;
    }, { timeout: 5000, interval: 100 }).toBe(true);
    expect(last).toBeLessThan(page.viewportSize()!.height);
    // Within a pixel of the top or below it: the scroll position is rounded to device pixels.
    expect(last).toBeGreaterThan(-1);
  });
});
