// What a name looks like, for telling whether two names could be mistaken for each other.
// Pure: no I/O. Two names with the same skeleton are look-alikes.
//
// The skeleton follows UTS #39 ("Unicode Security Mechanisms", section 4: confusable detection),
// made case-insensitive and blind to what a reader cannot see:
//   1. NFKC: fullwidth "ａｄｍｉｎ", ligatures and styled letters (𝐚) become plain ones;
//   2. invisible and combining characters go: zero-width and other default-ignorable code points,
//      format characters (bidi controls included), combining marks (so "é" is "e"), spaces,
//      the Hangul fillers and the braille blank;
//   3. the confusables mapping of UTS #39, before and after case folding: Cyrillic "а" is "a",
//      "0" is "O", "1", "I" and "|" are "l", "m" is "rn"; mapping before folding catches capitals
//      that look like another script's capitals (Cyrillic "В" like "B");
//   4. "l" and "i" are made one: UTS #39 maps "I" (capital i) to "l", and a case-insensitive
//      comparison makes "I" and "i" one, so "admin", "ADMIN", "admIn", "admln" and "adm1n" meet;
//   5. anything that is not a letter or a digit goes (punctuation, symbols, emoji), so
//      "admin!", "ad.min" and "admin ✓" are "admin".
// The mapping is the `unhomoglyph` package (by the markdown-it maintainers): Unicode's own
// confusables.txt (version 13.0) as a table, the data UTS #39 defines the skeleton with.
import unhomoglyph from 'unhomoglyph';
import { INVISIBLE } from '../../lib/visible-text.ts';

// Whether a name shows anything is the shared rule (src/lib/visible-text.ts).
export { hasVisibleCharacter } from '../../lib/visible-text.ts';

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/** Full case folding as far as JavaScript has it: upper then lower turns "ß" into "ss", "ς" into "σ". */
function fold(text: string): string {
  return text.toUpperCase().toLowerCase();
}

function withoutInvisible(text: string): string {
  return text.normalize('NFD').replace(INVISIBLE, '');
}

/** The look-alike form of a name (see above); '' when nothing in it is a letter or digit. */
export function nameSkeleton(name: string): string {
  let text = withoutInvisible(name.normalize('NFKC'));
  text = unhomoglyph(text);
  text = withoutInvisible(fold(text).normalize('NFKC'));
  text = fold(unhomoglyph(text));
  return withoutInvisible(text).replace(/l/g, 'i').replace(NOT_LETTER_OR_DIGIT, '');
}
