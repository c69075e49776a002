// What a name looks like, for telling whether two names could be mistaken for each other.
// Pure: no I/O. Two names with the same skeleton are look-alikes.
//
// The skeleton follows UTS #39 ("Unicode Security Mechanisms", section 4: confusable detection),
// made case-insensitive and blind to what a reader cannot see:
//   1. NFKC: fullwidth "ａｄｍｉｎ", ligatures and styled letters (𝐚) become plain ones;
//   2. invisible and combining characters go: zero-width and other default-ignorable code points,
//      format characters (bidi controls included), combining marks (so "é" is "e"), spaces,
//      the Hangul fillers and the braille blank;
//   3. the confusables mapping of UTS #39 (with the small capitals it lacks, LETTER_FORMS), before
//      and after case folding: Cyrillic "а" is "a", "0" is "O", "1", "I" and "|" are "l", "m" is
//      "rn", "ᴍ" is "m"; mapping before folding catches capitals that look like another script's
//      capitals (Cyrillic "В" like "B");
//   4. "l" and "i" are made one: UTS #39 maps "I" (capital i) to "l", and a case-insensitive
//      comparison makes "I" and "i" one, so "admin", "ADMIN", "admIn", "admln" and "adm1n" meet;
//   5. anything that is not a letter or a digit goes (punctuation, symbols, emoji), so
//      "admin!", "ad.min" and "admin ✓" are "admin".
// The mapping is the `unhomoglyph` package (by the markdown-it maintainers): Unicode's own
// confusables.txt (version 13.0) as a table, the data UTS #39 defines the skeleton with.
// confusables.txt leaves out most small capitals (ᴀ, ᴅ, ʀ, ɴ...) and some letter-like IPA forms
// (ɾ), which read as plain letters in a name ("ʀᴛᴀᴅᴍɪɴ" is "rtadmin"): LETTER_FORMS below adds them.
// Digits read as letters in "leet" spelling ("rt4dmin") are not folded: they do not look like the
// letter (UTS #39 maps only "0" and "1", which do), and folding them would make ordinary names with
// digits collide ("ada4" and "adaa").
import unhomoglyph from 'unhomoglyph';
import { INVISIBLE } from '../../lib/visible-text.ts';

// Whether a name shows anything is the shared rule (src/lib/visible-text.ts).
export { hasVisibleCharacter } from '../../lib/visible-text.ts';

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

// Letters that read as a plain Latin letter but that confusables.txt does not map (or maps to
// something else: "ᴍ" to "ʍ"). Checked against their Unicode names: every LATIN LETTER SMALL CAPITAL
// that is an upright small capital (the reversed and turned ones, ᴎ ᴐ ᴙ ᴚ, read as other letters),
// Ɪ and Ʀ (the capitals case folding turns ɪ and ʀ into), and IPA letters that are a plain letter
// with a hook, tail, curl, stroke or belt. Applied before the confusables, so "ᴍ" meets "m" and "rn".
const LETTER_FORMS: Record<string, string> = {
  // LATIN LETTER SMALL CAPITAL ...
  'ᴀ': 'a', 'ᴁ': 'ae', 'ʙ': 'b', 'ᴃ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴆ': 'd', 'ᴇ': 'e', 'ꜰ': 'f', 'ɢ': 'g',
  'ʛ': 'g', 'ʜ': 'h', 'ɪ': 'i', 'Ɪ': 'i', 'ᵻ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴌ': 'l', 'ᴍ': 'm',
  'ɴ': 'n', 'ᴏ': 'o', 'ɶ': 'oe', 'ᴘ': 'p', 'ꞯ': 'q', 'ʀ': 'r', 'Ʀ': 'r', 'ʁ': 'r', 'ꜱ': 's', 'ᴛ': 't',
  'ᴜ': 'u', 'ᵾ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ʏ': 'y', 'ᴢ': 'z',
  // IPA letters: a plain letter with a hook, tail, curl, stroke or belt
  'ɓ': 'b', 'ɕ': 'c', 'ɖ': 'd', 'ɗ': 'd', 'ɠ': 'g', 'ɦ': 'h', 'ɨ': 'i', 'ʝ': 'j', 'ɫ': 'l', 'ɬ': 'l',
  'ɭ': 'l', 'ɱ': 'm', 'ɲ': 'n', 'ɳ': 'n', 'ɵ': 'o', 'ɼ': 'r', 'ɽ': 'r', 'ɾ': 'r', 'ʂ': 's', 'ʈ': 't',
  'ʉ': 'u', 'ʐ': 'z', 'ʑ': 'z',
};
const LETTER_FORM = new RegExp(`[${Object.keys(LETTER_FORMS).join('')}]`, 'gu');

/** The confusables mapping, with the letter forms it lacks. */
function lookAlike(text: string): string {
  return unhomoglyph(text.replace(LETTER_FORM, (char) => LETTER_FORMS[char] ?? char));
}

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
  text = lookAlike(text);
  text = withoutInvisible(fold(text).normalize('NFKC'));
  text = fold(lookAlike(text));
  return withoutInvisible(text).replace(/l/g, 'i').replace(NOT_LETTER_OR_DIGIT, '');
}
