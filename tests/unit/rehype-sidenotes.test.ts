import { unified } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { ESSAY_MARKDOWN } from '../../src/features/reading/essay-markdown.ts';

/** Renders Markdown exactly as the essays are rendered (the site's own processor options). */
async function render(markdown: string): Promise<string> {
  const renderer = await unified(ESSAY_MARKDOWN).createRenderer({});
  return (await renderer.render(markdown)).code;
}

describe('footnotes as sidenotes', () => {
  it('puts a copy of each note right after its reference, and keeps the endnotes', async () => {
    const html = await render('WeChat had 1.41 billion accounts.[^mau] More text.\n\n[^mau]: Tencent (2025). *Results*.\n');
    expect(html).toMatch(
      /<sup><a href="#fn-mau"[^>]*>1<\/a><\/sup><span class="sidenote" id="sidenote-mau" role="note"><span class="sidenote-number">1<\/span> Tencent \(2025\)\. <em>Results<\/em>\.<\/span> More text\./,
    );
    expect(html).toContain('<li id="fn-mau">');
    expect(html).toContain('<h2 class="notes-heading" id="footnote-label">Notes</h2>');
  });

  it('leaves out the back-link and ids from the copy', async () => {
    const html = await render('Claim.[^a]\n\n[^a]: Source, [link](https://example.org).\n');
    const sidenote = html.match(/<span class="sidenote"[\s\S]*?<\/a>\.<\/span>/)?.[0] ?? '';
    expect(sidenote).toContain('<a href="https://example.org">link</a>');
    expect(sidenote).not.toContain('data-footnote-backref');
    expect(sidenote).not.toMatch(/id="fn|fnref/);
  });

  it('shows a bare web address in the margin by its site, and keeps it written out in the endnote', async () => {
    const url = 'https://www.chinadaily.com.cn/a/201801/06/WS5a5016cfa31008cf16da568a.html';
    const html = await render(`Claim.[^a]\n\n[^a]: China Daily, 6 January 2018. ${url} and [the court's notice](https://example.org/notice).\n`);
    const sidenote = html.slice(html.indexOf('<span class="sidenote"'), html.indexOf('</p>'));
    expect(sidenote).toContain(`<a href="${url}">chinadaily.com.cn</a>`);
    // A link with words of its own keeps them.
    expect(sidenote).toContain('<a href="https://example.org/notice">the court’s notice</a>');
    const endnote = html.slice(html.indexOf('<li id="fn-a">'));
    expect(endnote).toContain(`<a href="${url}">${url}</a>`);
  });

  it('copies a note cited twice only once, beside its first citation, and keeps paragraphs of a longer note apart', async () => {
    const html = await render('First.[^a] Second.[^b] Again.[^a]\n\n[^a]: One.\n\n[^b]: Two.\n\n    Three.\n');
    expect(html.match(/class="sidenote"/g)).toHaveLength(2);
    expect(html).toMatch(/First\.<sup>.*?<\/sup><span class="sidenote" id="sidenote-a"/);
    expect(html).toContain('<span class="sidenote-part">Two.</span><span class="sidenote-part">Three.</span>');
  });

  it('adds no sidenote for a reference inside a table, where a margin note cannot sit', async () => {
    const html = await render('| a |\n| - |\n| cell[^t] |\n\n[^t]: Note.\n');
    expect(html).not.toContain('class="sidenote"');
    expect(html).toContain('fn-t');
  });

  it('leaves a text without footnotes untouched', async () => {
    // Only the paragraph's block id (rehype-block-ids.ts) is added.
    expect(await render('Plain *text*.')).toMatch(/^<p id="p-[\da-z]{8}">Plain <em>text<\/em>\.<\/p>$/);
  });
});
