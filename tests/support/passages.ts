// Essays as the passage index holds them, made in the test: blocks with ids and a version computed
// as the build computes them (src/features/reading/essay-blocks.ts), so no build is needed to test
// anchoring, and an edited version is one changed list of texts away.
import { blockText, type Block, type BlockKind, type EssayPassages } from '../../src/features/passages/blocks.ts';
import { blockIds, essayVersion } from '../../src/features/reading/essay-blocks.ts';

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
