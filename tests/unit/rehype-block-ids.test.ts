// Block ids as the essays get them: rendered through the site's own Markdown and MDX processors
// (ESSAY_MARKDOWN), then read back from the HTML the way the build's passage index reads a page.
import { unified } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { BLOCK_ID, blockText } from '../../src/features/passages/blocks.ts';
import { baseBlockId } from '../../src/features/reading/essay-blocks.ts';
import { ESSAY_MARKDOWN } from '../../src/features/reading/essay-markdown.ts';
import { essayPassagesFromHtml } from '../../src/features/reading/passage-index.ts';

async function render(markdown: string): Promise<string> {
  const renderer = await unified(ESSAY_MARKDOWN).createRenderer({});
  return (await renderer.render(markdown)).code;
}

/** Compiles MDX as Astro does for the essays; the result is the module's JavaScript. */
async function compileMdx(mdx: string): Promise<string> {
  const renderer = await unified(ESSAY_MARKDOWN).createMdxRenderer!({} as never, { srcDir: new URL('file:///tmp/') } as never);
  return (await renderer.process(mdx, '/tmp/essay.mdx', {})).code;
}

/** The blocks of a rendered text, read as the passage index reads a built page (which checks every id). */
async function blocksOf(markdown: string) {
  return essayPassagesFromHtml(`<div class="essay-body">${await render(markdown)}</div>`, 'test').blocks;
}

const idsByText = (blocks: { id: string; text: string }[]) => Object.fromEntries(blocks.map((b) => [b.text, b.id]));

const ESSAY = [
  'WeChat is convenient for the same reason it knows so much.',
  '- one app for friends\n- one app for money',
  '> A quotation, with *emphasis*.',
  'The argument of this essay, and of the series it opens.',
  'A last paragraph.',
];

describe('block ids', () => {
  it('gives every paragraph, list item and quotation an id made from its kind and text', async () => {
    const blocks = await blocksOf(ESSAY.join('\n\n'));
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', 'WeChat is convenient for the same reason it knows so much.'],
      ['item', 'one app for friends'],
      ['item', 'one app for money'],
      ['quote', 'A quotation, with emphasis.'],
      ['paragraph', 'The argument of this essay, and of the series it opens.'],
      ['paragraph', 'A last paragraph.'],
    ]);
    for (const block of blocks) {
      expect(block.id).toMatch(BLOCK_ID);
      expect(block.id).toBe(baseBlockId(block.kind, block.text));
    }
    expect(blocks[0]!.id).toMatch(/^p-/);
    expect(blocks[1]!.id).toMatch(/^li-/);
    expect(blocks[3]!.id).toMatch(/^q-/);
  });

  it('keeps each block’s id when blocks are added, removed or reordered around it', async () => {
    const before = idsByText(await blocksOf(ESSAY.join('\n\n')));
    const edited = [ESSAY[3], 'A new opening paragraph.', ESSAY[0], ESSAY[2], '- one app for money\n- a new item\n- one app for friends'];
    const after = idsByText(await blocksOf(edited.join('\n\n')));
    for (const text of ['WeChat is convenient for the same reason it knows so much.', 'one app for friends', 'one app for money', 'A quotation, with emphasis.', 'The argument of this essay, and of the series it opens.']) {
      expect(after[text], text).toBe(before[text]);
    }
    expect(after['A last paragraph.']).toBeUndefined();
    // The same build twice gives the same ids.
    expect(idsByText(await blocksOf(ESSAY.join('\n\n')))).toEqual(before);
  });

  it('gives a block a new id when its own text changes, and none to white space alone', async () => {
    const [one] = await blocksOf('WeChat is convenient.');
    const [two] = await blocksOf('WeChat is  convenient.\n');
    const [three] = await blocksOf('WeChat is very convenient.');
    expect(two!.id).toBe(one!.id);
    expect(three!.id).not.toBe(one!.id);
  });

  it('tells repeated text apart by its place among the repeats only, and never repeats an id', async () => {
    const blocks = await blocksOf(['Same words.', 'Other words.', 'Same words.', '- Same words.', 'Same words.'].join('\n\n'));
    const base = baseBlockId('paragraph', 'Same words.');
    expect(blocks.map((b) => b.id)).toEqual([base, baseBlockId('paragraph', 'Other words.'), `${base}-2`, baseBlockId('item', 'Same words.'), `${base}-3`]);
    expect(new Set(blocks.map((b) => b.id)).size).toBe(blocks.length);
    // Removing a repeat renumbers only the repeats after it; other blocks keep their ids.
    const fewer = await blocksOf(['Other words.', 'Same words.', '- Same words.', 'Same words.'].join('\n\n'));
    expect(fewer.map((b) => b.id)).toEqual([baseBlockId('paragraph', 'Other words.'), base, baseBlockId('item', 'Same words.'), `${base}-2`]);
  });

  it('gives the innermost block the text: nested lists, loose items, quoted paragraphs', async () => {
    const html = await render(['- outer item\n  - inner one\n  - inner two\n- second outer', '1. loose item\n\n   with two paragraphs\n\n2. next', '> first quoted\n>\n> second quoted'].join('\n\n'));
    const blocks = essayPassagesFromHtml(`<div class="essay-body">${html}</div>`, 'test').blocks;
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['item', 'outer item'],
      ['item', 'inner one'],
      ['item', 'inner two'],
      ['item', 'second outer'],
      ['item', 'loose item'],
      ['item', 'with two paragraphs'],
      ['item', 'next'],
      ['quote', 'first quoted'],
      ['quote', 'second quoted'],
    ]);
    // In a loose list the paragraphs carry the ids, and the item none; in a quotation, the paragraphs.
    expect(html).toMatch(/<li>\s*<p id="li-[\da-z]{8}">loose item<\/p>/);
    expect(html).toMatch(/<blockquote>\s*<p id="q-[\da-z]{8}">first quoted<\/p>/);
    // No text is in two blocks.
    const all = blocks.map((b) => b.text).join(' ');
    for (const words of ['inner one', 'loose item', 'first quoted']) expect(all.split(words)).toHaveLength(2);
  });

  it('gives table cells, header cells too, an id, and empty cells none', async () => {
    const html = await render('| Year | Accounts |\n| - | - |\n| 2013 | 235.8 million |\n| 2014 |  |\n');
    const blocks = essayPassagesFromHtml(`<div class="essay-body">${html}</div>`, 'test').blocks;
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['cell', 'Year'],
      ['cell', 'Accounts'],
      ['cell', '2013'],
      ['cell', '235.8 million'],
      ['cell', '2014'],
    ]);
    expect(html).toMatch(/<th id="td-[\da-z]{8}">Year<\/th>/);
    expect(html).toContain('<td></td>');
  });

  it('leaves out the notes: no ids in the endnotes, and a paragraph’s text without its note numbers or margin copies', async () => {
    const html = await render('WeChat had 1.41 billion accounts.[^mau] More text.\n\n[^mau]: Tencent (2025). *Results*.\n');
    const blocks = essayPassagesFromHtml(`<div class="essay-body">${html}</div>`, 'test').blocks;
    expect(blocks).toEqual([{ id: baseBlockId('paragraph', 'WeChat had 1.41 billion accounts. More text.'), kind: 'paragraph', text: 'WeChat had 1.41 billion accounts. More text.' }]);
    const notes = html.slice(html.indexOf('<section'));
    expect(notes).toContain('<li id="fn-mau">');
    expect(notes).not.toMatch(/id="(?:p|li|q|td|fc)-/);
  });

  it('leaves headings their own ids and gives them no block id', async () => {
    const html = await render('## What the super-app is\n\nText.');
    expect(html).not.toMatch(/<h2[^>]*id="(?:p|li|q|td|fc)-/);
    expect(await blocksOf('## What the super-app is\n\nText.')).toHaveLength(1);
  });
});

describe('block ids in MDX', () => {
  it('gives HTML written in MDX its ids too: a figure’s caption, not its drawing; a component is not read', async () => {
    const code = await compileMdx(
      [
        "import Chart from './chart.astro';",
        'Before the figure.',
        '<figure><svg><text>axis label</text></svg><figcaption>Growth, 2011–2025. Source: Tencent.</figcaption></figure>',
        '<Chart />',
        '<blockquote>Said <em>so</em>.</blockquote>',
      ].join('\n\n'),
    );
    expect(code).toContain(`id: "${baseBlockId('paragraph', 'Before the figure.')}"`);
    expect(code).toContain(`id: "${baseBlockId('caption', 'Growth, 2011–2025. Source: Tencent.')}"`);
    expect(code).toContain(`id: "${baseBlockId('quote', 'Said so.')}"`);
    expect(code).not.toContain(baseBlockId('paragraph', 'axis label'));
    expect(code).toMatch(/_jsx\(Chart, \{\}\)/);
  });

  it('refuses a discussable block with an id of its own, rather than change it or give it two', async () => {
    await expect(compileMdx('<p id="mine">A paragraph with its own id.</p>')).rejects.toThrow(/own id "mine"/);
  });
});

describe('block text', () => {
  it('is what a reader sees: white space collapsed, none at the ends', () => {
    expect(blockText('  One\n  two\u00a0 three\t')).toBe('One two three');
  });
});
