// What the pages say about passages, the same on the server and in the essay page's script: the
// names of blocks, the markers' labels, the counts as the island carries them, the no-script quote
// of a whole block, and the address of a passage in its essay. Pure; imports only blocks.ts, so
// the page's script stays small.
import { BLOCK_ID, MAX_QUOTE_CHARS, type AnchorStatus, type BlockKind } from './blocks.ts';

/** How a block is named to readers ("3 comments on this paragraph"). */
export const BLOCK_NOUN: Record<BlockKind, string> = { paragraph: 'paragraph', item: 'list item', quote: 'quotation', cell: 'table cell', caption: 'caption' };

const KIND_OF_PREFIX: Record<string, BlockKind> = { p: 'paragraph', li: 'item', q: 'quote', td: 'cell', fc: 'caption' };

/** A block's kind, read from its id's prefix (`p-…` is a paragraph). */
export function kindOfBlock(id: string): BlockKind {
  return KIND_OF_PREFIX[id.slice(0, id.indexOf('-'))] ?? 'paragraph';
}

/** How readers are told what a block is, from its id. */
export const blockNoun = (id: string) => BLOCK_NOUN[kindOfBlock(id)];

/**
 * A margin marker's name for screen readers: what following it does, or how many comments it leads
 * to. Takes the block's noun, not its id, so the page's script can read the noun from the name the
 * build gave the marker ("Discuss this paragraph") and needs no table of kinds.
 */
export function markerLabel(noun: string, count: number): string {
  if (count <= 0) return `Discuss this ${noun}`;
  return `${count === 1 ? '1 comment' : `${count.toLocaleString('en')} comments`} on this ${noun}`;
}

/** The no-script page for one block: its comments and a form to comment on it. */
export function passagePageUrl(essay: string, block: string): string {
  return `/discussion/${encodeURIComponent(essay)}/?passage=${block}`;
}

/**
 * Where a quote stands in its essay: the block's own address (`#<id>`, followed without a script),
 * and the words' offsets in its text (`hl`), which the page's script highlights.
 */
export function passageInEssayUrl(essay: string, place: { block: string; start: number; end: number }): string {
  return `/essays/${encodeURIComponent(essay)}/?hl=${place.start}-${place.end}#${place.block}`;
}

/** Reads `hl=<start>-<end>` back; null for anything else. */
export function parseHighlight(value: string | null): { start: number; end: number } | null {
  const match = /^(\d{1,6})-(\d{1,6})$/.exec(value ?? '');
  if (!match) return null;
  const [start, end] = [Number(match[1]), Number(match[2])];
  return start < end ? { start, end } : null;
}

/**
 * The counts as the island carries them: `<block>:<count>` joined by commas, in id order. About 14
 * bytes a passage, so an essay with comments on 100 passages adds some 1.4 KB.
 */
export function encodePassageCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, n]) => `${id}:${n}`)
    .join(',');
}

/** The counts back from their encoding; a part that is no id and count is left out. */
export function decodePassageCounts(encoded: string | null | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const part of (encoded ?? '').split(',')) {
    const [id = '', n] = part.split(':');
    if (BLOCK_ID.test(id) && Number(n) > 0) counts.set(id, Number(n));
  }
  return counts;
}

/**
 * What a form without a script quotes when a reader comments on a whole block: all of it, or for
 * a longer block its first words up to MAX_QUOTE_CHARS characters, cut where a word ends.
 */
export function wholeBlockQuote(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_QUOTE_CHARS) return text;
  const head = chars.slice(0, MAX_QUOTE_CHARS + 1).join('');
  // The last space at or before the limit: the words before it are whole.
  const cut = head.lastIndexOf(' ', head.length - 1);
  return cut > 0 ? head.slice(0, cut).trimEnd() : chars.slice(0, MAX_QUOTE_CHARS).join('');
}

/** Whether a comment's passage is still in the essay as it stands (else it is "on an earlier version"). */
export const isAttached = (status: AnchorStatus) => status !== 'detached';
