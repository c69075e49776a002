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

  it('is stable: the skeleton of a skeleton is itself', () => {
    for (const name of ['Admin', 'аdmin', 'ｊａｎｅ', 'Straße', 'r00t', '李小龙', 'Ωmega', 'ǅemal', 'ﬁsh']) {
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
