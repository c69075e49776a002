// The passage index: read from built essay pages at the end of the build, written beside the server
// bundle, found and read back by the server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { essayPassages, findPassageIndex, parsePassageIndex, PASSAGE_INDEX_FILE } from '../../src/features/passages/index-file.ts';
import { baseBlockId } from '../../src/features/reading/essay-blocks.ts';
import { essayPassagesFromHtml, passageIndexOfBuild } from '../../src/features/reading/passage-index.ts';
import { tempDir } from '../support/paths.ts';

const p = (text: string, id = baseBlockId('paragraph', text)) => `<p id="${id}">${text}</p>`;

/** A built essay page in outline: header, body with its blocks, notes' log and discussion outside it. */
const page = (body: string) => `<!doctype html><html><body><main><article class="essay">
  <header class="essay-header"><p id="${baseBlockId('paragraph', 'Summary.')}">Summary.</p></header>
  <div class="essay-body">${body}</div>
  <section id="corrections"><ol><li class="correction" id="2026-01-01-x"><p>What changed.</p></li></ol></section>
</article></main></body></html>`;

describe('an essay’s passages, read from its page', () => {
  it('lists the blocks of the essay’s body that carry a block id, in reading order, with their text as read', () => {
    const caption = 'Growth. Accounts by year. Source: Tencent.';
    const html = page(`
      ${p('First paragraph.')}
      <h2 id="a-heading">A heading</h2>
      <p id="${baseBlockId('paragraph', 'Second, with a note. And more.')}">Second, with a note.<sup><a href="#fn-a" id="fnref-a" data-footnote-ref>1</a></sup><span class="sidenote" id="sidenote-a" role="note">A note.</span> And more.</p>
      <figure><svg><text>2013</text></svg><figcaption id="${baseBlockId('caption', caption)}"><span class="figure-title">Growth.</span> Accounts by year. <span class="figure-source">Source: Tencent.</span></figcaption>
        <details><table><tr><td>2013</td></tr></table></details></figure>
      <form class="poll"><p>A poll’s question is not a passage.</p></form>`);
    const essay = essayPassagesFromHtml(html, '/essays/x/');
    expect(essay.blocks).toEqual([
      { id: baseBlockId('paragraph', 'First paragraph.'), kind: 'paragraph', text: 'First paragraph.' },
      { id: baseBlockId('paragraph', 'Second, with a note. And more.'), kind: 'paragraph', text: 'Second, with a note. And more.' },
      { id: baseBlockId('caption', caption), kind: 'caption', text: caption },
    ]);
    expect(essay.version).toMatch(/^[\w-]{16}$/);
  });

  it('gives the essay a version that changes with any block’s text or order, and only then', () => {
    const version = (body: string) => essayPassagesFromHtml(page(body), 'x').version;
    const base = version(p('One.') + p('Two.'));
    expect(version(`${p('One.')}\n\n  ${p('Two.')}<h2>Heading</h2>`)).toBe(base);
    expect(version(p('One.') + p('Two!'))).not.toBe(base);
    expect(version(p('Two.') + p('One.'))).not.toBe(base);
    expect(version(p('One.'))).not.toBe(base);
  });

  it('fails the build when an id does not say its block’s text or kind, or two blocks share one', () => {
    expect(() => essayPassagesFromHtml(page(p('Edited after the ids were given.', baseBlockId('paragraph', 'Original.'))), '/essays/x/')).toThrow(
      /\/essays\/x\/: block p-\w+ should be p-/,
    );
    expect(() => essayPassagesFromHtml(page(`<li id="${baseBlockId('paragraph', 'Item.')}">Item.</li>`), 'x')).toThrow(/should be li-/);
    expect(() => essayPassagesFromHtml(page(p('Twice.') + p('Twice.')), 'x')).toThrow(/two blocks have the id/);
    expect(() => essayPassagesFromHtml('<p>No essay here.</p>', '/essays/x/')).toThrow(/no \.essay-body/);
  });
});

describe('the index file', () => {
  it('is written for every built essay page, and read back as written', async () => {
    const client = tempDir();
    for (const [slug, text] of [['one', 'The first essay.'], ['two', 'The second essay.']] as const) {
      mkdirSync(join(client, 'essays', slug), { recursive: true });
      writeFileSync(join(client, 'essays', slug, 'index.html'), page(p(text)));
    }
    const index = await passageIndexOfBuild(pathToFileURL(`${client}/`));
    expect(Object.keys(index.essays)).toEqual(['one', 'two']);
    expect(essayPassages(index, 'two')?.blocks.map((b) => b.text)).toEqual(['The second essay.']);
    expect(essayPassages(index, 'three')).toBeUndefined();
    expect(essayPassages(index, 'constructor')).toBeUndefined();
    expect(parsePassageIndex(JSON.stringify(index))).toEqual(index);
  });

  it('refuses a file that is not an index this build writes', () => {
    const block = { id: baseBlockId('paragraph', 'x'), kind: 'paragraph', text: 'x' };
    expect(() => parsePassageIndex('null')).toThrow(/format 1/);
    expect(() => parsePassageIndex(JSON.stringify({ format: 2, essays: {} }))).toThrow(/format 1/);
    expect(() => parsePassageIndex(JSON.stringify({ format: 1, essays: { a: { version: 'v', blocks: [{ ...block, id: 'x-1' }] } } }))).toThrow(/a is malformed/);
    expect(() => parsePassageIndex(JSON.stringify({ format: 1, essays: { a: { version: 'v', blocks: [{ ...block, kind: 'heading' }] } } }))).toThrow(/malformed/);
    expect(() => parsePassageIndex(JSON.stringify({ format: 1, essays: { a: { blocks: [block] } } }))).toThrow(/malformed/);
  });

  it('is found beside the server bundle from a chunk inside it, and from the source tree in the last build', () => {
    const root = tempDir();
    mkdirSync(join(root, 'dist/server/chunks'), { recursive: true });
    mkdirSync(join(root, 'src/features/passages'), { recursive: true });
    const chunk = pathToFileURL(join(root, 'dist/server/chunks/index-file_abc.mjs')).href;
    const source = pathToFileURL(join(root, 'src/features/passages/index-file.ts')).href;
    expect(findPassageIndex(chunk)).toBeNull();
    writeFileSync(join(root, 'dist/server', PASSAGE_INDEX_FILE), '{}');
    expect(findPassageIndex(chunk)?.href).toBe(pathToFileURL(join(root, 'dist/server', PASSAGE_INDEX_FILE)).href);
    expect(findPassageIndex(source)?.href).toBe(pathToFileURL(join(root, 'dist/server', PASSAGE_INDEX_FILE)).href);
  });
});
