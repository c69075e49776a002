// Whether text shows anything to a reader: the one rule behind "must contain something visible",
// asked by display names (accounts) and comment bodies (discussion). Pure, no dependencies.
//
// Characters that show nothing (or only space) on their own: default-ignorable code points
// (zero-width space U+200B, soft hyphen U+00AD, …), format and control characters, combining marks
// (nothing without a base), separators and white space. U+3164, U+115F, U+1160 and U+FFA0 (Hangul
// fillers) are default-ignorable already, listed for the reader of this line; U+2800 (braille
// blank) and U+303F (ideographic half fill space) are symbols that draw nothing.
// eslint-disable-next-line regexp/no-dupe-characters-character-class -- the overlaps are listed on purpose (above)
export const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{M}\p{Z}\p{White_Space}\u115F\u1160\u2800\u303F\u3164\uFFA0]/gu;

const DRAWS = /[\p{L}\p{N}\p{P}\p{S}]/u;
// eslint-disable-next-line regexp/no-dupe-characters-character-class -- INVISIBLE again, see above
const INVISIBLE_ONE = new RegExp(INVISIBLE.source, 'u');

/** Whether a reader would see anything of `text`: a letter, digit, punctuation mark or symbol that draws. */
export function hasVisibleCharacter(text: string): boolean {
  for (const char of text.normalize('NFC')) {
    if (DRAWS.test(char) && !INVISIBLE_ONE.test(char)) return true;
  }
  return false;
}
