// What the pages say about passages, the same on the server and in the essay page's script: the
// names of blocks, the no-script quote of a whole block, and the addresses of a passage's page and
// of a quote in its essay. Pure; imports only blocks.ts. The margin's counts and names are in
// margin-rules.ts, which the page loads up front.
import { MAX_QUOTE_CHARS, type AnchorStatus, type BlockKind } from './blocks.ts';

/** How a block is named to readers ("3 comments on this paragraph"). */
export const BLOCK_NOUN: Record<BlockKind, string> = { paragraph: 'paragraph', item: 'list item', quote: 'quotation', cell: 'table cell', caption: 'caption' };

const KIND_OF_PREFIX: Record<string, BlockKind> = { p: 'paragraph', li: 'item', q: 'quote', td: 'cell', fc: 'caption' };

/** A block's kind, read from its id's prefix (`p-…` is a paragraph). */
export function kindOfBlock(id: string): BlockKind {
  return KIND_OF_PREFIX[id.slice(0, id.indexOf('-'))] ?? 'paragraph';
}

/** How readers are told what a block is, from its id. */
export const blockNoun = (id: string) => BLOCK_NOUN[kindOfBlock(id)];

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
