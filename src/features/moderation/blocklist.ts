// Blocklist phrases: how an admin's entry is normalised and how a comment is matched against them.
import { refuse, type Outcome, type Refusal } from '../refusal.ts';
import { cleanText } from './rules.ts';

export const MAX_PHRASE_LENGTH = 100;

/** Cleans (rules.ts, cleanText), trims, folds case and width (NFKC) and collapses inner whitespace, so one phrase has one form. */
export function normalisePhrase(raw: string): Outcome<{ phrase: string }> {
  const phrase = cleanText(raw).normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
  if (!phrase) return refuse('invalid', 'Type a word or phrase to block.', { field: 'phrase' });
  if (phrase.length > MAX_PHRASE_LENGTH) {
    return refuse('invalid', `A blocked phrase can be at most ${MAX_PHRASE_LENGTH} characters (this one has ${phrase.length}).`, { field: 'phrase' });
  }
  return { ok: true, phrase };
}

/** One phrase is listed once. */
export const phraseTaken = (phrase: string): Refusal => refuse('conflict', `"${phrase}" is already on the blocklist.`, { field: 'phrase' });
export const phraseGone = (): Refusal => refuse('invalid', 'That phrase is no longer on the blocklist.');

const WORD_EDGE = /[\p{L}\p{N}]/u;
// Scripts written without spaces between words: a phrase in them matches anywhere.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

function phrasePattern(phrase: string): string {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  const first = phrase[0]!;
  const last = phrase[phrase.length - 1]!;
  // Whole words only, so "ass" does not hold "class"; but only where the edge is a letter or digit.
  const before = WORD_EDGE.test(first) && !UNSPACED.test(first) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = WORD_EDGE.test(last) && !UNSPACED.test(last) ? '(?![\\p{L}\\p{N}])' : '';
  return `${before}${escaped}${after}`;
}

/** The blocked phrases that occur in `text`, case-insensitively. */
export function blocklistMatches(text: string, phrases: readonly string[]): string[] {
  const folded = text.normalize('NFKC').toLowerCase();
  return phrases.filter((p) => new RegExp(phrasePattern(p), 'u').test(folded));
}
