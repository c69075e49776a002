import { describe, expect, it } from 'vitest';
import { readerOf, SIGNED_OUT, type Account } from '../../src/features/accounts/reader.ts';

const account = (overrides: Partial<Account> = {}): Account => ({ id: 'a1', username: 'ada', displayName: null, bannedAt: null, role: 'reader', ...overrides }) as Account;

describe('the reader', () => {
  it('is the one shared signed-out reader for every request without an account (a stream keeps it: nothing made per stream)', () => {
    expect(readerOf(null)).toBe(SIGNED_OUT);
    expect(readerOf(null)).toBe(readerOf(null));
    expect(SIGNED_OUT).toEqual({ account: null, banned: false, may: { takePart: false, flag: false, vote: true, moderate: false } });
    // Shared by every request, so no request can change what the others may do.
    expect(Object.isFrozen(SIGNED_OUT) && Object.isFrozen(SIGNED_OUT.may)).toBe(true);
  });

  it('says what an account may do by its standing and role', () => {
    expect(readerOf(account()).may).toEqual({ takePart: true, flag: true, vote: true, moderate: false });
    expect(readerOf(account({ role: 'admin' })).may).toEqual({ takePart: true, flag: true, vote: true, moderate: true });
    const banned = readerOf(account({ role: 'admin', bannedAt: 1 }));
    expect(banned.banned).toBe(true);
    expect(banned.may).toEqual({ takePart: false, flag: false, vote: false, moderate: false });
  });
});
