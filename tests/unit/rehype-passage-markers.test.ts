// The margin markers the build gives every discussable block: an empty link to the passage's page,
// named for screen readers, that leaves the block's text (and so its id and the index) as it was.
import { unified } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { ESSAY_MARKDOWN } from '../../src/features/reading/essay-markdown.ts';
import { essayPassagesFromHtml } from '../../src/features/reading/passage-index.ts';

async function render(markdown: string, file?: string): Promise<string> {
  const renderer = await unified(ESSAY_MARKDOWN).createRenderer({});
  return (await renderer.render(markdown, file ? { fileURL: new URL(`file://${file}`) } : undefined)).code;
}

const TEXT = ['WeChat is convenient for the same reason it knows so much.[^a]', '- one app for friends\n- one app for money', '> A quotation.', '| Year |\n| - |\n| 2013 |', '[^a]: A note.'].join('\n\n');

describe('margin markers', () => {
  it('ends every block of an essay with a link to its passage page, named by the block’s kind', async () => {
    const html = await render(TEXT, '/site/content/essays/wechat-app-for-everything.mdx');
    const { blocks } = essayPassagesFromHtml(`<div class="essay-body">${html}</div>`, 'test');
    expect(blocks.length).toBe(6);
    const nouns = { paragraph: 'paragraph', item: 'list item', quote: 'quotation', cell: 'table cell', caption: 'caption' };
    for (const block of blocks) {
      const marker = `<a class="pm" href="/discussion/wechat-app-for-everything/?passage=${block.id}" aria-label="Discuss this ${nouns[block.kind]}"></a>`;
      expect(html.split(marker), block.id).toHaveLength(2);
      // The marker closes its block.
      expect(html).toMatch(new RegExp(`id="${block.id}"[^>]*>(?:(?!</(?:p|li|th|td)>).)*${marker.replaceAll('?', '\\?')}</`, 's'));
    }
    // None in the endnotes, none outside blocks.
    expect(html.match(/class="pm"/g)).toHaveLength(blocks.length);
  });

  it('changes no block’s text or id: the index reads the same blocks with markers as without', async () => {
    const marked = await render(TEXT, '/site/content/essays/an-essay.md');
    const plain = await render(TEXT);
    expect(plain).not.toContain('class="pm"');
    expect(essayPassagesFromHtml(`<div class="essay-body">${marked}</div>`, 'marked')).toEqual(essayPassagesFromHtml(`<div class="essay-body">${plain}</div>`, 'plain'));
  });
});
