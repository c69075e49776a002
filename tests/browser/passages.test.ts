// Discussing a passage in real Chromium against the real build: selecting words with the mouse or
// the keyboard offers "Discuss this passage", which quotes them in the comment form; the posted
// comment shows its quote, the margin marker counts it (named for screen readers) for another
// reader too, following the marker filters the discussion and highlights the words, following the
// quote highlights them in the essay; counts arrive without moving the text; without JavaScript the
// marker leads to the passage's page, where the comment is posted; a detached comment shows "on an
// earlier version" and is re-attached by a moderator; axe finds nothing; every essay page's
// JavaScript stays within budget with the passage tools in use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertComment } from '../../db/discussion/comment-writes.ts';
import { commentAnchors, comments, moderationLog } from '../../db/schema.ts';
import type { Block } from '../../src/features/passages/blocks.ts';
import { essayPassages, parsePassageIndex, PASSAGE_INDEX_FILE } from '../../src/features/passages/index-file.ts';
import { wholeBlockQuote } from '../../src/features/passages/passage-rules.ts';
import { browserPath, launchBrowser, openDiscussion } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { axeViolations, describeViolations, essaySlugs, recordCspViolations } from '../support/pages.ts';
import { ROOT } from '../support/paths.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('discussing a passage', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const blocked: string[] = [];
  const index = (slug = ESSAY) => essayPassages(parsePassageIndex(readFileSync(join(ROOT, 'dist/server', PASSAGE_INDEX_FILE), 'utf8')), slug)!;
  /** An essay's paragraphs whose first 150 characters are plain text on the page (no link, emphasis or note number), long enough to select words in. */
  const plainParagraphs = (slug: string) => {
    const html = readFileSync(join(ROOT, `dist/client/essays/${slug}/index.html`), 'utf8');
    return index(slug).blocks.filter((b) => {
      const inner = html.slice(html.indexOf(`<p id="${b.id}">`) + b.id.length + 9);
      return b.kind === 'paragraph' && b.text.length > 150 && !inner.slice(0, 150).includes('<');
    });
  };
  /** The plain paragraphs of ESSAY: each test takes its own, so counts do not mix. */
  let paragraphs: Block[];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    paragraphs = plainParagraphs(ESSAY);
    expect(paragraphs.length).toBeGreaterThanOrEqual(13);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function as(name: string, options: { javaScriptEnabled?: boolean; role?: 'admin'; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const user = await makeUser(server.db, { username: `${name}${contexts.length}`, displayName: name, role: options.role });
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? { width: 1400, height: 900 } });
    await context.addCookies([{ ...(await sessionCookie(server.db, user.id)), url: server.url }]);
    contexts.push(context);
    const page = await context.newPage();
    blocked.push(...recordCspViolations(page));
    return page;
  }
  const essayUrl = () => `${server.url}/essays/${ESSAY}/`;
  const commentId = (body: string) => server.db.select({ id: comments.id }).from(comments).where(eq(comments.bodySource, body)).get()?.id;
  const anchorOf = (id: number) => server.db.select().from(commentAnchors).where(eq(commentAnchors.commentId, id)).get();
  /** What the page highlights with the CSS Custom Highlight API, as text. */
  const highlighted = (page: Page) => page.evaluate(() => [...(CSS.highlights.get('passage') ?? [])].map((r) => r.toString().replace(/\s+/g, ' ')));

  /**
   * Words of a block that sit in one text node of the page (not across a link or an emphasis), some
   * way into it, and where they are on screen, after scrolling the block into view.
   */
  async function phraseIn(page: Page, block: Block): Promise<{ words: string; x1: number; x2: number; y1: number; y2: number; firstRight: number }> {
    return page.evaluate((id) => {
      const el = document.getElementById(id)!;
      el.scrollIntoView({ block: 'center', behavior: 'instant' });
      const node = el.firstChild as Text;
      const start = node.data.indexOf(' ', 2) + 1;
      const end = node.data.lastIndexOf(' ', start + 60);
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      const rects = [...range.getClientRects()];
      const [first, last] = [rects[0]!, rects.at(-1)!];
      const char = document.createRange();
      char.setStart(node, start);
      char.setEnd(node, start + 1);
      const firstRight = char.getBoundingClientRect().right - 0.5;
      return { words: range.toString().replace(/\s+/g, ' '), x1: first.left + 0.5, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2, firstRight };
    }, block.id);
  }

  /** Selects words of a block with the mouse: pressed before the first character, released after the last. */
  async function selectWithMouse(page: Page, block: Block): Promise<string> {
    const { words, x1, y1, x2, y2 } = await phraseIn(page, block);
    await page.mouse.move(x1, y1);
    await page.mouse.down();
    await page.mouse.move(x2, y2, { steps: 8 });
    await page.mouse.up();
    return words;
  }

  it('offers "Discuss this passage" for words selected with the mouse, quotes them in the form, posts, and counts the comment in the margin for another reader', async () => {
    const block = paragraphs[0]!;
    const ada = await as('ada');
    await openDiscussion(ada, essayUrl());
    const words = await selectWithMouse(ada, block);
    const control = ada.getByRole('button', { name: 'Discuss this passage' });
    await control.waitFor();
    // Beside the selection, in the margin: it covers none of the text.
    const [controlBox, blockBox] = [await control.boundingBox(), await ada.locator(`#${block.id}`).boundingBox()];
    expect(controlBox!.x + controlBox!.width).toBeLessThanOrEqual(blockBox!.x);
    await control.click();
    const form = ada.locator('form[data-comment-form][data-mode=new]');
    await expect.poll(() => form.locator('[data-form-passage] blockquote').textContent()).toBe(words);
    expect(await ada.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await form.locator('textarea').fill('This sentence carries the whole argument.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await expect.poll(() => commentId('This sentence carries the whole argument.')).toBeDefined();
    const id = commentId('This sentence carries the whole argument.')!;
    expect(anchorOf(id)).toMatchObject({ blockId: block.id, exact: words, quote: words, status: 'exact', locatedStart: block.text.indexOf(words) });
    // The comment shows its quote; the form is empty again, quote and all; the marker counts it.
    await ada.locator(`#comment-${id} blockquote.comment-passage a`).waitFor();
    expect(await ada.locator(`#comment-${id} blockquote.comment-passage a`).textContent()).toBe(words);
    expect(await form.locator('[data-form-passage]').count()).toBe(0);
    const marker = ada.locator(`#${block.id} > a.pm`);
    await expect.poll(() => marker.getAttribute('data-n')).toBe('1');
    expect(await marker.getAttribute('aria-label')).toBe('1 comment on this paragraph');

    const bob = await as('bob');
    await openDiscussion(bob, essayUrl());
    await bob.getByRole('link', { name: '1 comment on this paragraph' }).waitFor();
    expect(await bob.locator(`#${block.id} > a.pm`).evaluate((a) => getComputedStyle(a, '::after').content)).toMatch(/^"1"/);
    expect(blocked).toEqual([]);
  });

  it('offers it after a keyboard selection: Tab reaches the control, Enter quotes the words, "Remove the quote" gives focus back', async () => {
    const block = paragraphs[1]!;
    const cleo = await as('cleo');
    await openDiscussion(cleo, essayUrl());
    // The first character selected, then Shift+Arrow to the last one, as a keyboard extends a selection (a
    // collapsed caret moves only with caret browsing on, which a test cannot switch on in headless Chromium).
    const { words, x1, y1, firstRight } = await phraseIn(cleo, block);
    await cleo.mouse.move(x1, y1);
    await cleo.mouse.down();
    await cleo.mouse.move(firstRight, y1, { steps: 3 });
    await cleo.mouse.up();
    expect(await cleo.evaluate(() => getSelection()!.toString())).toBe(words[0]);
    await cleo.keyboard.down('Shift');
    for (let i = 1; i < words.length; i++) await cleo.keyboard.press('ArrowRight');
    await cleo.keyboard.up('Shift');
    expect(await cleo.evaluate(() => getSelection()!.toString().replace(/\s+/g, ' '))).toBe(words);
    await cleo.locator('.passage-control').waitFor();
    await cleo.keyboard.press('Tab');
    expect(await cleo.evaluate(() => document.activeElement?.textContent)).toBe('Discuss this passage');
    await cleo.keyboard.press('Enter');
    const form = cleo.locator('form[data-comment-form][data-mode=new]');
    await expect.poll(() => form.locator('[data-form-passage] blockquote').textContent()).toBe(words);
    expect(await cleo.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    expect(await form.locator('input[name=passage]').inputValue()).toBe(block.id);
    await form.getByRole('button', { name: 'Remove the quote' }).click();
    expect(await form.locator('[data-form-passage]').count()).toBe(0);
    expect(await cleo.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Discuss this paragraph');
  });

  it('sets the control after the block on a phone, covering no text, a 44 px target', async () => {
    const block = paragraphs[12]!;
    const phone = await as('lee', { viewport: { width: 375, height: 800 } });
    await openDiscussion(phone, essayUrl());
    await selectWithMouse(phone, block);
    const control = phone.getByRole('button', { name: 'Discuss this passage' });
    await control.waitFor();
    const [box, text] = [(await control.boundingBox())!, (await phone.locator(`#${block.id}`).boundingBox())!];
    expect(box.y).toBeGreaterThanOrEqual(text.y + text.height);
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
  });

  it('follows a marker to the discussion filtered to its passage, with the quoted words highlighted, and a quote back to its words in the essay', async () => {
    const block = paragraphs[2]!;
    const words = block.text.slice(0, 60).replace(/\s\S*$/, '');
    const author = await makeUser(server.db, { displayName: 'Dee' });
    const start = block.text.indexOf(words);
    const anchor = { block: block.id, exact: words, prefix: block.text.slice(Math.max(0, start - 32), start), suffix: block.text.slice(start + words.length, start + words.length + 32), version: index().version };
    await insertComment(server.db, { essay: ESSAY, authorId: author.id, bodySource: 'On these words.', bodyHtml: '<p>On these words.</p>', rendererVersion: 0, anchor: { anchor, quote: words, start, end: start + words.length } });
    await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'On the essay as a whole.' });
    const eve = await as('eve');
    await openDiscussion(eve, essayUrl());
    const marker = eve.locator(`#${block.id} > a.pm`);
    await expect.poll(() => marker.getAttribute('aria-label')).toBe('1 comment on this paragraph');
    await marker.click();
    const filter = eve.locator('.discussion-sort a[data-sort=passage]');
    await expect.poll(() => filter.getAttribute('aria-current')).toBe('true');
    await expect.poll(() => eve.locator('[data-threads]').textContent()).not.toContain('On the essay as a whole.');
    expect(await eve.locator('[data-threads]').textContent()).toContain('On these words.');
    await expect.poll(() => highlighted(eve)).toEqual([words]);
    expect(await eve.evaluate(() => document.activeElement?.textContent)).toBe('On this passage');
    // The form quotes the paragraph (its first 500 characters) for a comment on it.
    expect(await eve.locator('form[data-mode=new] [data-form-passage] blockquote').textContent()).toBe(wholeBlockQuote(block.text));
    const axeFiltered = await axeViolations(eve);
    expect(axeFiltered, describeViolations(axeFiltered)).toEqual([]);

    // The quote in the comment leads back to its words in the essay, highlighted, without loading the page again.
    await eve.evaluate(() => CSS.highlights.clear());
    await eve.locator('[data-threads] blockquote.comment-passage a').click();
    await expect.poll(() => highlighted(eve)).toEqual([words]);
    expect(new URL(eve.url()).searchParams.get('hl')).toBe(`${start}-${start + words.length}`);
    expect(new URL(eve.url()).hash).toBe(`#${block.id}`);
    await expect.poll(async () => (await eve.locator(`#${block.id}`).boundingBox())!.y).toBeLessThan(900);

    // Arriving at that address from elsewhere highlights them too.
    const fresh = await eve.context().newPage();
    await fresh.goto(`${server.url}/essays/${ESSAY}/?hl=${start}-${start + words.length}#${block.id}`, { waitUntil: 'load' });
    await expect.poll(() => highlighted(fresh)).toEqual([words]);
  });

  it('shows counts that arrive without moving the text: markers keep their slots, no layout shift in the essay', async () => {
    const author = await makeUser(server.db);
    for (const block of paragraphs.slice(3, 9)) {
      const words = block.text.slice(0, 30);
      const anchor = { block: block.id, exact: words, prefix: '', suffix: block.text.slice(30, 62), version: index().version };
      await insertComment(server.db, { essay: ESSAY, authorId: author.id, bodySource: `On ${block.id}`, bodyHtml: '<p>x</p>', rendererVersion: 0, anchor: { anchor, quote: words, start: 0, end: 30 } });
    }
    for (const width of [1400, 375]) {
      const page = await as(`fay${width}`, { viewport: { width, height: 800 } });
      await page.addInitScript(() => {
        (window as unknown as { shifts: unknown[] }).shifts = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; sources: { node?: Node }[] }[]) {
            const inEssay = entry.sources.some((s) => s.node && (s.node instanceof Element ? s.node : s.node.parentElement)?.closest('.essay-body'));
            if (inEssay) (window as unknown as { shifts: unknown[] }).shifts.push(entry.value);
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      // Hold the island back until the text's places are measured without counts.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/_server-islands/Discussion*', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(essayUrl(), { waitUntil: 'load' });
      const places = () => page.evaluate(() => [...document.querySelectorAll('.essay-body [id] > .pm')].map((m) => [m.parentElement!.getBoundingClientRect().top + scrollY, m.getBoundingClientRect().top + scrollY, m.getBoundingClientRect().width]));
      const before = await places();
      expect(await page.locator('.essay-body .pm[data-n]').count()).toBe(0);
      release();
      await page.locator('html[data-discussion-enhanced]').waitFor({ state: 'attached' });
      await expect.poll(() => page.locator('.essay-body .pm[data-n]').count()).toBeGreaterThanOrEqual(6);
      expect(await places(), `width ${width}`).toEqual(before);
      expect(await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts), `width ${width}`).toEqual([]);
      // A 44 px target on a phone, and the text around it unmoved (checked above).
      if (width === 375) {
        const box = (await page.locator('.essay-body .pm[data-n]').first().boundingBox())!;
        expect([box.width, box.height]).toEqual([44, 44]);
      }
      const violations = await axeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
    }
  });

  it('works without JavaScript: the marker leads to the passage’s page, which shows the passage and posts a comment on it', async () => {
    const block = paragraphs[9]!;
    const gus = await as('gus', { javaScriptEnabled: false });
    await gus.goto(essayUrl(), { waitUntil: 'load' });
    await gus.locator(`#${block.id} > a.pm`).click();
    await gus.waitForURL(`**/discussion/${ESSAY}/?passage=${block.id}`);
    expect(await gus.locator('.passage-text').textContent()).toBe(block.text);
    expect(await gus.locator('.discussion-sort a[aria-current=true]').textContent()).toBe('On this passage');
    await gus.getByLabel('Your comment on this passage').fill('Posted without a script.');
    await gus.getByRole('button', { name: 'Post comment' }).click();
    await gus.waitForURL(/#comment-\d+$/);
    const id = commentId('Posted without a script.')!;
    expect(new URL(gus.url()).searchParams.get('passage')).toBe(block.id);
    expect(anchorOf(id)).toMatchObject({ blockId: block.id, quote: wholeBlockQuote(block.text), locatedStart: 0 });
    expect(await gus.locator(`#comment-${id} blockquote.comment-passage`).textContent()).toBe(wholeBlockQuote(block.text));
    // Its link leads to the block in the essay.
    await gus.locator(`#comment-${id} blockquote.comment-passage a`).click();
    await gus.waitForURL(`**/essays/${ESSAY}/?hl=*#${block.id}`);
    expect(await gus.locator(':target').getAttribute('id')).toBe(block.id);
    // The passage's page passes axe (run where scripts may run: axe is one).
    const seen = await as('gus-axe');
    await seen.goto(`${server.url}/discussion/${ESSAY}/?passage=${block.id}`, { waitUntil: 'load' });
    const violations = await axeViolations(seen);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('shows a detached comment "on an earlier version of this passage", lists it for moderators, who re-attach it', async () => {
    const author = await makeUser(server.db, { displayName: 'Hal' });
    const id = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'About a sentence since rewritten.' });
    const target = paragraphs[10]!;
    server.db.insert(commentAnchors).values({ commentId: id, essay: ESSAY, quote: 'A sentence the essay no longer has.', blockId: 'p-00000000', exact: 'A sentence the essay no longer has.', prefix: '', suffix: '', version: 'old', locatedBlock: null, locatedStart: null, locatedEnd: null, locatedVersion: index().version, status: 'detached' }).run();
    const reader = await as('ida');
    await openDiscussion(reader, essayUrl());
    const quote = reader.locator(`#comment-${id} blockquote.comment-passage-detached`);
    expect(await quote.textContent()).toBe('On an earlier version of this passageA sentence the essay no longer has.');
    expect(await quote.locator('a').count()).toBe(0);

    const admin = await as('jo', { role: 'admin' });
    await admin.goto(`${server.url}/admin/detached`, { waitUntil: 'load' });
    const item = admin.locator(`#detached-${id}`);
    expect(await item.textContent()).toContain('A sentence the essay no longer has.');
    const violations = await axeViolations(admin);
    expect(violations, describeViolations(violations)).toEqual([]);
    await item.getByLabel('Block', { exact: true }).selectOption(target.id);
    await item.getByRole('button', { name: 'Re-attach' }).click();
    await admin.waitForURL(`**/admin/detached`);
    expect(await admin.locator('.flash').textContent()).toContain(`Comment #${id} is attached to ${target.id} again.`);
    expect(anchorOf(id)).toMatchObject({ status: 'exact', locatedBlock: target.id, quote: 'A sentence the essay no longer has.' });
    expect(server.db.select().from(moderationLog).where(eq(moderationLog.action, 'reattach-passage')).all()).toHaveLength(1);
    // The nav names the page.
    expect(await admin.locator('.admin-nav a[href="/admin/detached"]').textContent()).toBe('Detached passages');
  });

  it('keeps every essay page’s JavaScript within 20 KB with the passage tools in use, and loads the tools only when used', async () => {
    const page = await as('kim');
    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script') scripts.set(response.url(), (await response.body()).length);
    });
    const hasLoaded = (name: string) => [...scripts.keys()].some((url) => url.includes(name));
    /** Every script the page has run: the files it loaded (uncompressed) and the inline scripts of its HTML (the islands' loaders remove theirs once done). */
    const loaded = async () => {
      const address = new URL(page.url());
      address.search = '';
      address.hash = '';
      const html = await (await fetch(address)).text();
      // Inline scripts only: not those with a src, nor JSON data blocks.
      const inline = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)]
        .filter((m) => !/\ssrc=/.test(m[1]!) && !/type="application\/(?:ld\+)?json"/.test(m[1]!))
        .reduce((n, m) => n + Buffer.byteLength(m[2]!), 0);
      return [...scripts.values()].reduce((a, b) => a + b, 0) + inline;
    };
    const sizes: string[] = [];
    for (const slug of essaySlugs()) {
      scripts.clear();
      await openDiscussion(page, `${server.url}/essays/${slug}/`);
      await expect.poll(() => hasLoaded('DiscussionView'), { message: slug }).toBe(true);
      const upFront = await loaded();
      expect(hasLoaded('passage-tools'), slug).toBe(false);
      // A reader's selection brings the tools: the budget is for all of it, the tools in use included.
      const block = plainParagraphs(slug)[0];
      expect(block, `${slug} has no paragraph of plain text to select words in`).toBeDefined();
      await selectWithMouse(page, block!);
      await page.getByRole('button', { name: 'Discuss this passage' }).waitFor();
      await expect.poll(() => hasLoaded('passage-tools'), { message: slug }).toBe(true);
      const withTools = await loaded();
      sizes.push(`${slug} ${withTools.toLocaleString('en')} bytes (${upFront.toLocaleString('en')} before the tools)`);
      expect(withTools, slug).toBeGreaterThan(upFront);
      expect(withTools, slug).toBeLessThanOrEqual(20 * 1024);
    }
    console.info(`Essay pages' JavaScript with the passage tools in use: ${sizes.join(', ')}.`);
    // Nothing any page of these tests did was blocked by the Content-Security-Policy.
    expect(blocked).toEqual([]);
  });
});
