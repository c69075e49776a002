// Anchors: how a comment stays tied to the words it answers while the essay is edited. An anchor is
// a W3C Web Annotation TextQuoteSelector (the exact words, up to 32 characters before and after)
// plus the block it was made in and the essay version it was made on. Pure: no I/O.
//
// Finding an anchor again, in this order (`locate`):
//   exact        the block still exists (its id is a hash of its text, so its text is unchanged)
//                and holds the words; among repeats the one whose surroundings match best.
//   moved        the words, unchanged, are in another block: the paragraph was edited elsewhere
//                (which gives it a new id) or the sentence went to another block.
//   approximate  the words were lightly edited: approx-string-match (the matcher Hypothesis uses)
//                finds them with at most a fifth of their characters changed.
//   detached     anything else. Outside its own block an anchor moves only where the words and
//                their surroundings together still match (`MIN_EVIDENCE`), and never to one of
//                two equally good places: a comment stays "on an earlier version of this passage"
//                rather than answer a sentence it was not written about.
import search from 'approx-string-match';
import { refuse, type Outcome } from '../refusal.ts';
import { BLOCK_ID, CONTEXT_CHARS, MAX_QUOTE_CHARS, blockText, type Block, type EssayPassages } from './blocks.ts';

export interface Anchor {
  /** The block the words were quoted from. */
  block: string;
  /** The quoted words, as in the block's text. */
  exact: string;
  /** Up to `CONTEXT_CHARS` characters before them in the block; fewer only at the block's start. */
  prefix: string;
  /** Up to `CONTEXT_CHARS` characters after them in the block; fewer only at the block's end. */
  suffix: string;
  /** The essay version the anchor was made on (`EssayPassages.version`). */
  version: string;
}

/** What a reader's form or script sends: the block and the words, and context to tell repeats apart. */
export interface SubmittedAnchor {
  block: string;
  exact: string;
  prefix?: string;
  suffix?: string;
}

export type Located = { status: 'exact' | 'moved' | 'approximate'; block: string; start: number; end: number; quote: string };
export type Location = Located | { status: 'detached' };

/** An approximate match may change at most this share of the quote's characters. */
export const MAX_QUOTE_ERRORS = 0.2;
/**
 * Outside its own block, an anchor moves only where the quote and its surroundings (and whether it
 * began or ended its block) match in at least this share of their characters together.
 */
export const MIN_EVIDENCE = 0.8;

/** Stands for a block's start or end when context is compared: where a passage stood matters too. */
const EDGE = '\u0000';

const chars = (text: string) => [...text].length;

function contextBefore(text: string, start: number): string {
  return Array.from(text.slice(0, start)).slice(-CONTEXT_CHARS).join('');
}

function contextAfter(text: string, end: number): string {
  return Array.from(text.slice(end)).slice(0, CONTEXT_CHARS).join('');
}

const isLowSurrogate = (text: string, i: number) => /[\uDC00-\uDFFF]/.test(text.charAt(i));

/**
 * The anchor for the words from `start` to `end` (UTF-16 offsets) of a block's text: white space at
 * either end is left out, an offset inside a character is widened to take all of it.
 */
export function anchorAt(block: Block, start: number, end: number, version: string): Outcome<{ anchor: Anchor; start: number; end: number }> {
  const { text } = block;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start > end) {
    return refuse('invalid', 'That selection is not inside the passage.', { field: 'quote' });
  }
  if (start > 0 && isLowSurrogate(text, start)) start -= 1;
  if (end < text.length && isLowSurrogate(text, end)) end += 1;
  while (start < end && text[start] === ' ') start += 1;
  while (end > start && text[end - 1] === ' ') end -= 1;
  const exact = text.slice(start, end);
  const refused = quoteRefusal(exact);
  if (refused) return refused;
  return { ok: true, start, end, anchor: { block: block.id, exact, prefix: contextBefore(text, start), suffix: contextAfter(text, end), version } };
}

function quoteRefusal(exact: string) {
  if (exact === '') return refuse('invalid', 'Select the words you want to discuss: the quote is empty.', { field: 'quote' });
  const length = chars(exact);
  if (length > MAX_QUOTE_CHARS) {
    return refuse('invalid', `A quoted passage can be at most ${MAX_QUOTE_CHARS} characters; this one has ${length.toLocaleString('en')}. Select less.`, { field: 'quote' });
  }
  return null;
}

/** Every place the words stand in a text, overlapping ones too. */
function occurrences(text: string, words: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(words); i !== -1; i = text.indexOf(words, i + 1)) found.push(i);
  return found;
}

/** The fewest edits that turn `expected` into (part of) `actual`; all of it when nothing is there. */
function editsBetween(actual: string, expected: string): number {
  if (expected === '') return 0;
  if (actual === '') return expected.length;
  return search(actual, expected, expected.length)[0]?.errors ?? expected.length;
}

interface Context {
  before: string;
  after: string;
}

/** The context an anchor expects, with the block's edge where its context stops short. */
function expectedContext(prefix: string, suffix: string): Context {
  return {
    before: chars(prefix) < CONTEXT_CHARS ? EDGE + prefix : prefix,
    after: chars(suffix) < CONTEXT_CHARS ? suffix + EDGE : suffix,
  };
}

/** How far the text around `start`..`end` of a block is from the expected context, in edits. */
function contextErrors(text: string, start: number, end: number, expected: Context): number {
  const edged = EDGE + text + EDGE;
  const before = edged.slice(Math.max(0, start + 1 - expected.before.length), start + 1);
  const after = edged.slice(end + 1, end + 1 + expected.after.length);
  return editsBetween(before, expected.before) + editsBetween(after, expected.after);
}

/**
 * Picks among the places the submitted words stand in the block by the context the reader's script
 * sent (a form without a script sends none: the first place).
 */
export function validateAnchor(submitted: SubmittedAnchor, essay: EssayPassages): Outcome<{ anchor: Anchor; start: number; end: number }> {
  const block = BLOCK_ID.test(submitted.block) ? essay.blocks.find((b) => b.id === submitted.block) : undefined;
  if (!block) {
    return refuse('invalid', 'That passage is not in this essay as it stands now. Reload the essay and select the words again.', { field: 'passage' });
  }
  const exact = blockText(submitted.exact);
  const refused = quoteRefusal(exact);
  if (refused) return refused;
  const places = occurrences(block.text, exact);
  if (places.length === 0) {
    return refuse('invalid', 'The quoted words are not in that passage. Select them in the essay again.', { field: 'quote' });
  }
  const expected = expectedContext(oneLine(submitted.prefix).slice(-CONTEXT_CHARS * 2), oneLine(submitted.suffix).slice(0, CONTEXT_CHARS * 2));
  const start = submitted.prefix === undefined && submitted.suffix === undefined ? places[0]! : bestBy(places, (at) => -contextErrors(block.text, at, at + exact.length, expected));
  return anchorAt(block, start, start + exact.length, essay.version);
}

const oneLine = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

/** The first item with the highest score. */
function bestBy<T>(items: readonly T[], score: (item: T) => number): T {
  let best = items[0] as T;
  let bestScore = score(best);
  for (const item of items.slice(1)) {
    const s = score(item);
    if (s > bestScore) [best, bestScore] = [item, s];
  }
  return best;
}

interface Candidate {
  block: Block;
  start: number;
  end: number;
  errors: number;
  evidence: number;
}

/** Finds an anchor in the essay as it stands (the order of the search is at the top of this file). */
export function locate(anchor: Anchor, essay: EssayPassages): Location {
  const { exact } = anchor;
  if (exact === '') return { status: 'detached' };
  const expected = expectedContext(anchor.prefix, anchor.suffix);

  const own = essay.blocks.find((b) => b.id === anchor.block);
  const places = own ? occurrences(own.text, exact) : [];
  if (own && places.length > 0) {
    const start = bestBy(places, (at) => -contextErrors(own.text, at, at + exact.length, expected));
    return { status: 'exact', block: own.id, start, end: start + exact.length, quote: exact };
  }

  const evidenceLength = exact.length + expected.before.length + expected.after.length;
  const maxErrors = Math.floor(exact.length * MAX_QUOTE_ERRORS);
  const candidates: Candidate[] = [];
  for (const block of essay.blocks) {
    for (const match of search(block.text, exact, maxErrors)) {
      const errors = match.errors + contextErrors(block.text, match.start, match.end, expected);
      const evidence = 1 - errors / evidenceLength;
      if (evidence >= MIN_EVIDENCE) candidates.push({ block, start: match.start, end: match.end, errors: match.errors, evidence });
    }
  }
  if (candidates.length === 0) return { status: 'detached' };
  const best = bestBy(candidates, (c) => c.evidence);
  const rival = candidates.find((c) => c !== best && c.evidence === best.evidence && !samePlace(c, best));
  if (rival) return { status: 'detached' };
  const status = best.errors > 0 ? 'approximate' : best.block.id === anchor.block ? 'exact' : 'moved';
  return { status, block: best.block.id, start: best.start, end: best.end, quote: best.block.text.slice(best.start, best.end) };
}

const samePlace = (a: Candidate, b: Candidate) => a.block === b.block && a.start < b.end && b.start < a.end;

/**
 * The anchor as it would be made today at the place `locate` found: for rolling an anchor forward to
 * the current version. The comment's own quote stays what the reader quoted; this is where it is now.
 */
export function anchorFor(location: Located, essay: EssayPassages): Anchor | null {
  const block = essay.blocks.find((b) => b.id === location.block);
  if (!block) return null;
  const made = anchorAt(block, location.start, location.end, essay.version);
  return made.ok ? made.anchor : null;
}
