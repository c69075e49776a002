// Essays as the passage index holds them, made in the test: blocks with ids and a version computed
// as the build computes them (src/features/reading/essay-blocks.ts), so no build is needed to test
// anchoring, and an edited version is one changed list of texts away. For the browser tests, the
// blocks of the last build too, and rows for passage comments as the server stores them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockText, type Block, type BlockKind, type EssayPassages } from '../../src/features/passages/blocks.ts';
import { essayPassages, parsePassageIndex, PASSAGE_INDEX_FILE } from '../../src/features/passages/index-file.ts';
import { blockIds, essayVersion } from '../../src/features/reading/essay-blocks.ts';
import { ROOT } from './paths.ts';

/** An essay of paragraphs (or [kind, text] blocks), in reading order. */
export function essayOf(texts: readonly (string | readonly [BlockKind, string])[]): EssayPassages {
  const parts = texts.map((t) => (typeof t === 'string' ? { kind: 'paragraph' as const, text: blockText(t) } : { kind: t[0], text: blockText(t[1]) }));
  const ids = blockIds(parts);
  const blocks: Block[] = parts.map((p, i) => ({ id: ids[i]!, ...p }));
  return { version: essayVersion(blocks), blocks };
}

/** The fields a comment form sends for `words` in block `i` (the first place they stand, with the context the page's script sends). */
export function quoteFields(essay: EssayPassages, i: number, words: string, context = true): Record<string, string> {
  const block = essay.blocks[i]!;
  const at = block.text.indexOf(words);
  if (at < 0) throw new Error(`"${words}" is not in block ${i}`);
  return {
    passage: block.id,
    quote: words,
    ...(context ? { quote_prefix: block.text.slice(Math.max(0, at - 32), at), quote_suffix: block.text.slice(at + words.length, at + words.length + 32) } : {}),
  };
}

/** An essay's blocks as the last build indexed them (the browser tests' server reads the same file). */
export function passageBlocks(essay: string): Block[] {
  const blocks = essayPassages(parsePassageIndex(readFileSync(join(ROOT, 'dist/server', PASSAGE_INDEX_FILE), 'utf8')), essay)?.blocks;
  if (!blocks) throw new Error(`The passage index has no essay ${essay}: build first.`);
  return blocks;
}

/** A comment's anchor row: attached to the words at the start of `block`, or detached (`block` null). */
export function anchorRow(commentId: number, essay: string, block: Block | null, version: string) {
  const quote = block ? block.text.slice(0, 40) : 'Words of an earlier version of the essay.';
  return {
    commentId,
    essay,
    quote,
    blockId: block?.id ?? 'p-00000000',
    exact: quote,
    prefix: '',
    suffix: block ? block.text.slice(40, 72) : '',
    version: block ? version : 'an earlier version',
    locatedBlock: block?.id ?? null,
    locatedStart: block ? 0 : null,
    locatedEnd: block ? quote.length : null,
    locatedVersion: version,
    status: block ? ('exact' as const) : ('detached' as const),
  };
}
