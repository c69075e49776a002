import { unified } from '@astrojs/markdown-remark';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import rehypeSidenotes from '../../src/lib/rehype-sidenotes.ts';

async function render(markdown: string): Promise<string> {
  const renderer = await unified({ gfm: false, remarkPlugins: [remarkGfm], rehypePlugins: [rehypeSidenotes] }).createRenderer({});
  return (await renderer.render(markdown)).code;
}

describe('footnotes as sidenotes', () => {
  it('puts a copy of each note right after its reference, and keeps the endnotes', async () => {
    const html = await render('WeChat had 1.41 billion accounts.[^mau] More text.\n\n[^mau]: Tencent (2025). *Results*.\n');
    expect(html).toMatch(
      /<sup><a href="#user-content-fn-mau"[^>]*>1<\/a><\/sup><span class="sidenote" id="sidenote-mau" role="note"><span class="sidenote-number">1<\/span> <span class="sidenote-part">Tencent \(2025\)\. <em>Results<\/em>\.<\/span><\/span> More text\./,
    );
    expect(html).toContain('<li id="user-content-fn-mau">');
    expect(html).toContain('<h2 class="notes-heading" id="footnote-label">Notes</h2>');
  });

  it('leaves out the back-link and ids from the copy', async () => {
    const html = await render('Claim.[^a]\n\n[^a]: Source, [link](https://example.org).\n');
    const sidenote = html.match(/<span class="sidenote"[\s\S]*?<\/span><\/span>/)?.[0] ?? '';
    expect(sidenote).toContain('<a href="https://example.org">link</a>');
    expect(sidenote).not.toContain('data-footnote-backref');
    expect(sidenote).not.toContain('user-content-fn');
  });

  it('adds no sidenote for a reference inside a table, where a margin note cannot sit', async () => {
    const html = await render('| a |\n| - |\n| cell[^t] |\n\n[^t]: Note.\n');
    expect(html).not.toContain('class="sidenote"');
    expect(html).toContain('user-content-fn-t');
  });

  it('leaves a text without footnotes untouched', async () => {
    expect(await render('Plain *text*.')).toBe('<p>Plain <em>text</em>.</p>');
  });
});
