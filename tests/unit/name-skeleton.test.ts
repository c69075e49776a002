// Look-alike names (finding 12 of the security review): the skeleton every name is compared by,
// and the display-name rules built on it.
import { describe, expect, it } from 'vitest';
import { checkDisplayName, checkUsername, isReservedName } from '../../src/features/accounts/rules.ts';
import { hasVisibleCharacter, nameSkeleton } from '../../src/features/accounts/name-skeleton.ts';

describe('nameSkeleton', () => {
  it.each([
    ['Admin', 'case'],
    ['ADMIN', 'capitals'],
    ['aDmIn', 'mixed case'],
    ['\u0430dmin', 'Cyrillic а'],
    ['adm\u0456n', 'Cyrillic і'],
    ['\u0251dmin', 'Latin alpha'],
    ['\u{1D41A}\u{1D41D}\u{1D426}\u{1D422}\u{1D427}', 'mathematical bold letters'],
    ['\uFF41\uFF44\uFF4D\uFF49\uFF4E', 'fullwidth letters'],
    ['ad\u200Bmin', 'a zero-width space'],
    ['ad\u200Dmin', 'a zero-width joiner'],
    ['ad\u00ADmin', 'a soft hyphen'],
    ['ad\u2060min', 'a word joiner'],
    ['\uFEFFadmin', 'a byte order mark'],
    ['adm\u0131n', 'dotless ı'],
    ['\u00E1dm\u00EDn', 'accents'],
    ['a\u0301dmi\u0300n', 'combining accents'],
    ['adm1n', 'the digit 1 for i (1, l, I and i are one)'],
    ['admln', 'l for i'],
    ['ADMlN', 'l for capital I'],
    ['adm|n', 'a vertical bar for i'],
    ['adrnin', 'rn for m'],
    ['Ad min', 'a space'],
    ['ad\u3000min', 'an ideographic space'],
    ['ad\u3164min', 'a Hangul filler'],
    ['ad-min', 'a hyphen'],
    ['ad_min', 'an underscore'],
    ['admin!', 'punctuation'],
    ['admin \u2713', 'a symbol'],
    ['@admin', 'an at sign'],
    ['\u202Eadmin', 'a right-to-left override'],
    ['\u2066admin\u2069', 'an isolate'],
  ])('sees %j (%s) as "admin"', (name) => {
    expect(nameSkeleton(name)).toBe(nameSkeleton('admin'));
  });

  it.each([
    ['r00t', 'root'],
    ['R0OT', 'root'],
    ['\u0412\u041E\u0412', 'BOB'],
    ['Stra\u00DFe', 'strasse'],
    ['\u0399van', 'Ivan'],
    ['ｊａｎｅ ｄｏｅ', 'Jane Doe'],
    ['İstanbul', 'istanbul'],
  ])('sees %j and %j as look-alikes', (a, b) => {
    expect(nameSkeleton(a)).toBe(nameSkeleton(b));
  });

  it.each([
    ['ada', 'bob'],
    ['admin', 'badminton'],
    ['Jane Doe', 'Jane Dow'],
    ['李小龙', '李小虎'],
    ['ada', 'adam'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(nameSkeleton(a)).not.toBe(nameSkeleton(b));
  });

  // Small capitals and IPA letter forms, which confusables.txt leaves out, were accepted as
  // reserved names and as look-alikes of an existing username "rtadmin".
  it.each([
    ['\u1D0D\u1D0F\u1D05\u1D07\u0280\u1D00\u1D1B\u1D0F\u0280', 'moderator'],
    ['S\u026A\u1D1B\u1D07 A\u1D05\u1D0D\u026A\u0274', 'Site Admin'],
    ['\u1D00dmin', 'admin'],
    ['[\u1D05\u1D07\u029F\u1D07\u1D1B\u1D07\u1D05]', 'deleted'],
    ['\uA731\u1D1B\u1D00\uA730\uA730', 'staff'],
    ['\u0280\u1D1B\u1D00\u1D05\u1D0D\u026A\u0274', 'rtadmin'],
    ['rtadmi\u0274', 'rtadmin'],
    ['\u027Etadmin', 'rtadmin'],
    ['\u01A6TADMIN', 'rtadmin'],
    ['\uA7AE\u1D04\u1D07', 'ice'],
    ['\u0299\u1D0F\u0299 \u029C\u1D0F\u0262\u0262', 'bob hogg'],
    ['\u1D0A\u1D0B\u1D18\u1D1C\u1D20\u1D21\u028F\u1D22\uA7AF', 'jkpuvwyzq'],
    ['\u0257\u0253\u0260\u0266\u0268\u029D\u026B\u0271\u0272\u0275\u027D\u0282\u0288\u0289\u0290', 'dbghijlmnorstuz'],
  ])('sees %j as %j', (a, b) => {
    expect(nameSkeleton(a)).toBe(nameSkeleton(b));
  });

  // Digits are not read as the letters they stand for in leet spelling (UTS #39 does not, and
  // "ada4" is not "adaa"): "rt4dmin" is its own name.
  it('keeps "rt4dmin" apart from "rtadmin"', () => {
    expect(nameSkeleton('rt4dmin')).not.toBe(nameSkeleton('rtadmin'));
  });

  it('is stable: the skeleton of a skeleton is itself', () => {
    for (const name of ['Admin', 'аdmin', 'ｊａｎｅ', 'Straße', 'r00t', '李小龙', 'Ωmega', 'ǅemal', 'ﬁsh', 'ʀᴛᴀᴅᴍɪɴ', 'ɾtadmiɴ']) {
      expect(nameSkeleton(nameSkeleton(name))).toBe(nameSkeleton(name));
    }
  });

  it('is empty for a name without a letter or digit', () => {
    for (const name of ['', '\u3164', '\u200B\u200B', '🙂', '...', ' \u2800 ']) expect(nameSkeleton(name)).toBe('');
  });
});

describe('hasVisibleCharacter', () => {
  it.each([
    ['\u3164', 'Hangul filler'],
    ['\u115F', 'Hangul choseong filler'],
    ['\u1160', 'Hangul jungseong filler'],
    ['\uFFA0', 'halfwidth Hangul filler'],
    ['\u3164\u3164\u3164', 'fillers'],
    ['\u200B', 'zero-width space'],
    ['\u200C\u200D', 'zero-width joiners'],
    ['\u2060\uFEFF', 'word joiner and BOM'],
    ['\u2062', 'invisible times'],
    ['\u00AD', 'soft hyphen'],
    ['\u034F', 'combining grapheme joiner'],
    ['\u0301\u0308', 'combining marks alone'],
    ['\uFE0F', 'variation selector'],
    ['\u{E0041}\u{E0042}', 'tag characters'],
    ['\u2800', 'braille blank'],
    ['\u3000', 'ideographic space'],
    ['\u00A0\u2003\u205F', 'other spaces'],
    ['\u180E', 'Mongolian vowel separator'],
    ['\u3164\u200B\u2800 \u0301', 'all of them together'],
  ])('finds nothing visible in %j (%s)', (name) => {
    expect(hasVisibleCharacter(name)).toBe(false);
  });

  it.each(['a', 'Ada', '李', '🙂', '.', '\u3164a', 'é', '٣'])('sees %j', (name) => {
    expect(hasVisibleCharacter(name)).toBe(true);
  });
});

describe('display names that could pass for someone else', () => {
  it.each(['\u3164', '\u3164\u3164', '\u115F\u1160', '\uFFA0', '\u200B', '\u2800', '\u0301', '\u3164\u200B\u2800'])(
    'refuses %j: nothing in it shows',
    (name) => {
      expect(checkDisplayName(name)).toMatchObject({ ok: false, message: expect.stringMatching(/visible/) });
    },
  );

  it.each(['Admin', 'аdmin', 'ADM1N', 'ａｄｍｉｎ', 'ad\u200Bmin', 'Moderator', 'm0derator', 'Deleted', '[deleted]', 'Anonymous', 'Administrator', 'The Convenience Bargain'])(
    'refuses %j: it looks like a name the site keeps',
    (name) => {
      expect(checkDisplayName(name)).toMatchObject({ ok: false, message: expect.stringMatching(/keeps for itself/) });
    },
  );

  it.each(['Site Admin', 'Ada (moderator)', 'Official', 'staff member Bob', 'Chief Аdmin'])('refuses %j: it claims a role', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: false });
  });

  it.each(['Badminton fan', 'Adam Minor', 'Ada Lovelace', 'Modern Crafts', '李小龙 🐉'])('accepts %j', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: true });
  });

  it.each([
    ['\u0000', 'NUL'],
    ['\u0008', 'backspace'],
    ['\u000B', 'vertical tab'],
    ['\u000C', 'form feed'],
    ['\u001F', 'unit separator'],
    ['\uFFFE', 'U+FFFE'],
    ['\uFFFF', 'U+FFFF'],
    ['\uFDD0', 'a non-character'],
    ['\uD800', 'a lone high surrogate'],
    ['\uDC00', 'a lone low surrogate'],
    ['\u202E', 'a right-to-left override'],
    ['\u2067', 'a right-to-left isolate'],
  ])('refuses a name with %j (%s): it would break the feeds or reverse the text', (char) => {
    expect(checkDisplayName(`Ada${char}Lovelace`)).toMatchObject({ ok: false, message: expect.stringMatching(/control characters/) });
  });

  it('accepts emoji sequences that need joiners and variation selectors', () => {
    expect(checkDisplayName('Ada 👩\u200D💻')).toMatchObject({ ok: true });
    expect(checkDisplayName('Ada \u2764\uFE0F')).toMatchObject({ ok: true });
    expect(checkDisplayName('Ada #\uFE0F\u20E3')).toMatchObject({ ok: true });
  });

  it.each([
    ['\u1D0D\u1D0F\u1D05\u1D07\u0280\u1D00\u1D1B\u1D0F\u0280', 'ᴍᴏᴅᴇʀᴀᴛᴏʀ'],
    ['S\u026A\u1D1B\u1D07 A\u1D05\u1D0D\u026A\u0274', 'Sɪᴛᴇ Aᴅᴍɪɴ'],
    ['\u1D00dmin', 'ᴀdmin'],
    ['[\u1D05\u1D07\u029F\u1D07\u1D1B\u1D07\u1D05]', '[ᴅᴇʟᴇᴛᴇᴅ]'],
    ['\uA731\u1D1B\u1D00\uA730\uA730', 'ꜱᴛᴀꜰꜰ'],
  ])('refuses %j (%s): small capitals spelling a name the site keeps', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: false, field: 'displayName', message: expect.stringMatching(/keeps for itself/) });
  });

  it.each([
    ['Ada\u2062Lovelace', 'invisible times'],
    ['Ada\uFFF9Lovelace', 'an interlinear annotation anchor'],
    ['Ada Lovelace\u{E0041}\u{E0042}', 'tag characters'],
    ['Ada\u{E0001}', 'the language tag'],
    ['Ada\u200BLovelace', 'a zero-width space'],
    ['\u00ADAda', 'a soft hyphen'],
    ['Ada\u2060', 'a word joiner'],
    ['Ada\uFEFFLovelace', 'a byte order mark (trim takes one at an end)'],
    ['Ad\u200Da', 'a joiner between ASCII letters'],
    ['Ada \u200C', 'a joiner at the end'],
    ['👩\u200D\u200D💻 Ada', 'two joiners'],
  ])('refuses %j (%s): a format character hides in it', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: false, message: expect.stringMatching(/invisible formatting/) });
  });

  it('accepts a joiner where a script needs it', () => {
    expect(checkDisplayName('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645')).toMatchObject({ ok: true });
    expect(checkDisplayName('\u0915\u094D\u200D\u0937')).toMatchObject({ ok: true });
  });

  it.each(['.', '...', '.,_', '_-_', '!!', '🙂', '🙂🙂', '★ ★', '(\u3164)'])('refuses %j: no letter or digit in it', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: false, message: expect.stringMatching(/letter or digit/) });
  });

  it.each(['7', 'A.', '_x_', '李'])('accepts %j: it has a letter or digit', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: true });
  });

  it.each([
    ['Z\u0301\u0302\u0303algo', 'three marks on one letter'],
    ['Ada\u0336\u0336\u0336', 'three strokes'],
    ['\u1EC7\u0301', 'a precomposed letter with two marks, and one more'],
    [`A${'\u0300\u0301\u0302\u0303\u0304'.repeat(4)}da`, 'twenty marks'],
  ])('refuses %j (%s): marks stacked on one letter', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: false, message: expect.stringMatching(/at most 2 accents/) });
  });

  it.each(['Nguy\u1EC5n Th\u1ECB \u1EC6', 'Nguye\u0302\u0303n', 'Zoë Brontë', '\u0E01\u0E34\u0E48'])('accepts %j: two marks on a letter at most', (name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: true });
  });
});

describe('reserved usernames by look-alike', () => {
  it.each(['Admin', 'ADM1N', 'adm1n', 'r00t', 'ad-min', 'mod_erator', 'n0body', 'Deleted-User'])('refuses %j', (name) => {
    expect(isReservedName(name)).toBe(true);
    expect(checkUsername(name)).toMatchObject({ ok: false, message: expect.stringMatching(/reserved/) });
  });

  it.each(['ada', 'badminton', 'adamant', 'rooted'])('accepts %j', (name) => {
    expect(checkUsername(name)).toMatchObject({ ok: true });
  });
});
