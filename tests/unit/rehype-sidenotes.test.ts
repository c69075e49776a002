import { unified } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { ESSAY_MARKDOWN } from '../../src/lib/essay-markdown.ts';

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
    expect(await render('Plain *text*.')).toBe('<p>Plain <em>text</em>.</p>');
  });
});
