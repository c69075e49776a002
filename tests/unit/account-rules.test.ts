import { describe, expect, it } from 'vitest';
import { checkDisplayName, checkPassword, checkUsername, usernameKey } from '../../src/features/accounts/rules.ts';
import { COMMON_PASSWORD_COUNT, isCommonPassword } from '../../src/features/accounts/common-passwords.ts';

describe('usernames', () => {
  it.each(['abc', 'Ada_Lovelace', 'x-y_z-09', 'a'.repeat(32)])('accepts %s', (name) => {
    expect(checkUsername(name)).toEqual({ ok: true, value: name });
  });

  it('trims surrounding spaces', () => {
    expect(checkUsername('  ada  ')).toEqual({ ok: true, value: 'ada' });
  });

  it.each([
    ['ab', /3 to 32 characters/],
    ['a'.repeat(33), /3 to 32 characters/],
    ['', /3 to 32 characters/],
    ['ada lovelace', /only letters/],
    ['adá', /only letters/],
    ['ada.l', /only letters/],
    ['ada@x', /only letters/],
    ['<b>hi</b>', /only letters/],
  ])('refuses %j', (name, message) => {
    const result = checkUsername(name);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it.each(['admin', 'Admin', 'ADMINISTRATOR', 'ad-min', 'mod_erator', 'deleted', 'Anonymous', 'root', 'system'])(
    'refuses the reserved name %s',
    (name) => {
      const result = checkUsername(name);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/reserved/);
    },
  );

  it('refuses as the one Refusal, naming the form field each rule is about', () => {
    expect(checkUsername('ab')).toMatchObject({ ok: false, code: 'invalid', field: 'username' });
    expect(checkPassword('short', 'ada')).toMatchObject({ ok: false, code: 'invalid', field: 'password' });
    expect(checkDisplayName('Ada\u202E')).toMatchObject({ ok: false, code: 'invalid', field: 'displayName' });
  });

  it('judges uniqueness without regard to case', () => {
    expect(usernameKey('Ada_L')).toBe(usernameKey('ada_l'));
  });
});

describe('passwords', () => {
  it('accepts 10 to 256 characters', () => {
    expect(checkPassword('kettle-on-the-hob', 'ada').ok).toBe(true);
    expect(checkPassword('x'.repeat(9) + 'y', 'ada').ok).toBe(true);
    expect(checkPassword('z'.repeat(256), 'ada').ok).toBe(true);
  });

  it('counts characters, not bytes', () => {
    expect(checkPassword('茶壶茶壶茶壶茶壶茶壶', 'ada').ok).toBe(true);
    expect(checkPassword('茶壶茶壶茶壶茶壶茶', 'ada').ok).toBe(false);
  });

  it('refuses too short and too long', () => {
    expect(checkPassword('short1234', 'ada')).toMatchObject({ ok: false, message: expect.stringMatching(/at least 10/) });
    expect(checkPassword('z'.repeat(257), 'ada')).toMatchObject({ ok: false, message: expect.stringMatching(/at most 256/) });
  });

  it('refuses the username, in any case', () => {
    expect(checkPassword('Ada_Lovelace', 'ada_lovelace')).toMatchObject({ ok: false, message: expect.stringMatching(/username/) });
  });

  it('refuses common passwords, in any case', () => {
    for (const common of ['password123', 'Qwertyuiop', '1234567890', 'iloveyou123', 'PASSWORD1234']) {
      expect(checkPassword(common, 'ada')).toMatchObject({ ok: false, message: expect.stringMatching(/most common/) });
    }
  });

  it('keeps a list of a few hundred common passwords', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(300);
    expect(isCommonPassword('123456')).toBe(true);
    expect(isCommonPassword('kettle-on-the-hob')).toBe(false);
  });
});

describe('display names', () => {
  it('is optional: empty or blank means none', () => {
    expect(checkDisplayName('')).toEqual({ ok: true, value: null });
    expect(checkDisplayName('   ')).toEqual({ ok: true, value: null });
  });

  it('trims and keeps any printable text', () => {
    expect(checkDisplayName('  Ada Lovelace ')).toEqual({ ok: true, value: 'Ada Lovelace' });
    expect(checkDisplayName('李小龙 🐉')).toEqual({ ok: true, value: '李小龙 🐉' });
    expect(checkDisplayName('x'.repeat(50)).ok).toBe(true);
  });

  it('refuses more than 50 characters', () => {
    expect(checkDisplayName('x'.repeat(51))).toMatchObject({ ok: false, message: expect.stringMatching(/at most 50/) });
  });

  it.each([
    ['a right-to-left override', 'evil\u202Egnp.exe'],
    ['a left-to-right isolate', 'a\u2066b'],
    ['a right-to-left mark', 'a\u200Fb'],
    ['a control character', 'a\u0007b'],
    ['a newline', 'Ada\nAdmin'],
    ['a tab', 'Ada\tL'],
    ['a line separator', 'a\u2028b'],
  ])('refuses %s', (_, name) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: false, message: expect.stringMatching(/control characters|direction/) });
  });
});
