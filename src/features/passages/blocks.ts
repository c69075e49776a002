// What a passage lives in: the discussable blocks of an essay. Shared by the build (which gives each
// block its id and writes the index), the server (which checks and re-finds anchors) and the page's
// script (which reads a reader's selection), so all three see one text per block. Pure, no imports.

/** The kinds of block a reader can discuss; a passage never spans two blocks. */
export type BlockKind = 'paragraph' | 'item' | 'quote' | 'cell' | 'caption';

export interface Block {
  /** Stable id: the kind's prefix and a hash of the block's text (see reading/essay-blocks.ts). */
  id: string;
  kind: BlockKind;
  /** The block's visible text as a reader selects it, whitespace collapsed (`blockText`). */
  text: string;
}

/** One essay's blocks in reading order, and a hash of them all: it changes whenever any text does. */
export interface EssayPassages {
  version: string;
  blocks: Block[];
}

/** The id prefix of each kind. The prefix is part of the id, so ids say what they point at. */
export const KIND_PREFIX: Record<BlockKind, string> = { paragraph: 'p', item: 'li', quote: 'q', cell: 'td', caption: 'fc' };

/**
 * A block id: prefix, eight base-36 digits of the text's hash, and for the second and later blocks
 * with the very same text, its place among them. Strict, so it doubles as the check on `?passage=`.
 */
export const BLOCK_ID = /^(?:p|li|q|td|fc)-[\da-z]{8}(?:-[1-9]\d{0,2})?$/;

/** The longest passage a comment may quote, in characters (code points, as comments are counted). */
export const MAX_QUOTE_CHARS = 500;

/** How much text before and after a quote an anchor keeps, in UTF-16 units (W3C TextQuoteSelector). */
export const CONTEXT_CHARS = 32;

/**
 * A block's text as the reader sees it: every run of white space one space, none at either end.
 * Line breaks in the source, indentation and non-breaking spaces all render as one gap.
 */
export function blockText(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

/** Which element is a block, by tag: the candidates; one holding text of its own becomes a block. */
export const BLOCK_TAGS: Readonly<Record<string, BlockKind>> = {
  p: 'paragraph',
  li: 'item',
  blockquote: 'quote',
  td: 'cell',
  th: 'cell',
  figcaption: 'caption',
};

/**
 * What a block's text leaves out: a footnote's number (`<a data-footnote-ref>`) and its margin copy
 * (`.sidenote`), which a reader does not read as part of the sentence.
 */
export const SIDENOTE_CLASS = 'sidenote';

/** Where an anchor stands in the essay as built now (anchor-rules.ts `locate`), as stored with each passage comment. */
export const ANCHOR_STATUSES = ['exact', 'moved', 'approximate', 'detached'] as const;
export type AnchorStatus = (typeof ANCHOR_STATUSES)[number];
