// Which parts of an essay a reader can discuss, what text each holds, and the id each gets. Runs on
// a HAST tree: the essay's own (rehype-block-ids.ts gives the ids) and the built page's (passage-index.ts
// reads them back), so both see the same blocks. Build-time only (node:crypto).
import { createHash } from 'node:crypto';
import { BLOCK_TAGS, KIND_PREFIX, SIDENOTE_CLASS, blockText, type Block, type BlockKind } from '../passages/blocks.ts';

/** The parts of HAST and of MDX's JSX nodes this needs. */
export interface HastNode {
  type: string;
  tagName?: string;
  /** An MDX JSX element's name: `figure` for HTML written in MDX, `MauChart` for a component. */
  name?: string | null;
  properties?: Record<string, unknown>;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: HastNode[];
  value?: string;
}

export interface FoundBlock {
  element: HastNode;
  kind: BlockKind;
  text: string;
}

// Headings have ids of their own and are not discussed; a figure's drawing has no sentences.
const SKIPPED_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'svg', 'math', 'script', 'style', 'template', 'noscript']);

const isJsx = (node: HastNode) => node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement';

/** An element's tag: HAST's tagName, or an MDX JSX element written in lower case (plain HTML). */
function tagOf(node: HastNode): string | undefined {
  if (node.type === 'element') return node.tagName;
  if (isJsx(node) && node.name && /^[a-z][\da-z]*$/.test(node.name)) return node.name;
  return undefined;
}

const present = (value: unknown) => value !== undefined && value !== null && value !== false;

function classes(node: HastNode): unknown[] {
  const value = node.properties?.className;
  return Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
}

/** Subtrees whose text belongs to no block. */
function isSkipped(node: HastNode): boolean {
  // A component's output and an expression's value are not known here: their text counts for nothing.
  if (isJsx(node) && tagOf(node) === undefined) return true;
  if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression' || node.type === 'mdxjsEsm') return true;
  if (node.type !== 'element') return false;
  if (SKIPPED_TAGS.has(node.tagName ?? '')) return true;
  const p = node.properties ?? {};
  // The endnotes (remark-gfm's <section data-footnotes>), a footnote's number, its margin copy.
  return present(p.dataFootnotes) || present(p.dataFootnoteRef) || classes(node).includes(SIDENOTE_CLASS);
}

/**
 * The blocks under `root`, in reading order. A block is a paragraph, list item, quotation, table cell
 * or figure caption holding text of its own; each piece of text belongs to its innermost such element
 * (a loose list item's text to its paragraph, an item's nested list to the nested items), so no
 * text is in two blocks. A paragraph takes the kind of what it sits in: in a list item it is an item.
 */
export function findBlocks(root: HastNode): FoundBlock[] {
  const found: { element: HastNode; kind: BlockKind; parts: string[] }[] = [];
  const walk = (node: HastNode, owner: { parts: string[] } | null, context: BlockKind | null): void => {
    if (node.type === 'text') {
      owner?.parts.push(node.value ?? '');
      return;
    }
    if (isSkipped(node)) return;
    const tag = tagOf(node);
    // A line break reads as a space between the words either side of it.
    if (tag === 'br') owner?.parts.push(' ');
    let innerOwner = owner;
    let innerContext = context;
    const own = tag === undefined ? undefined : BLOCK_TAGS[tag];
    if (own) {
      const candidate = { element: node, kind: own === 'paragraph' && context ? context : own, parts: [] };
      found.push(candidate);
      innerOwner = candidate;
      if (own !== 'paragraph') innerContext = own;
    }
    for (const child of node.children ?? []) walk(child, innerOwner, innerContext);
  };
  walk(root, null, null);
  return found.map(({ element, kind, parts }) => ({ element, kind, text: blockText(parts.join('')) })).filter((b) => b.text !== '');
}

/** Eight base-36 digits (40 bits) of the SHA-256 of a block's text. */
export function textHash(text: string): string {
  const hex = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 10);
  return Number.parseInt(hex, 16).toString(36).padStart(8, '0');
}

/** A block's id before telling repeats apart: what it is and what it says, not where it stands. */
export const baseBlockId = (kind: BlockKind, text: string) => `${KIND_PREFIX[kind]}-${textHash(text)}`;

/**
 * The ids of blocks in reading order. Two blocks with the very same text and kind share a base id;
 * the second and later get "-2", "-3"… in reading order, so only repeats depend on order.
 */
export function blockIds(blocks: readonly { kind: BlockKind; text: string }[]): string[] {
  const seen = new Map<string, number>();
  return blocks.map(({ kind, text }) => {
    const base = baseBlockId(kind, text);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

/** The essay's version: a hash of every block's id and text in order. Any change to the text changes it. */
export function essayVersion(blocks: readonly Block[]): string {
  const hash = createHash('sha256');
  for (const { id, text } of blocks) hash.update(`${id}\u0000${text}\u0000`, 'utf8');
  return hash.digest('base64url').slice(0, 16);
}

/** An element's id, from HAST properties or an MDX JSX attribute. */
export function elementId(node: HastNode): string | undefined {
  if (node.type === 'element') {
    const id = node.properties?.id;
    return typeof id === 'string' ? id : undefined;
  }
  const attribute = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'id');
  return typeof attribute?.value === 'string' ? attribute.value : undefined;
}
