// Sign-in throttling on a real database (the design is described in src/features/accounts/throttle.ts): per
// username and address together, per address, per username from anywhere unless the browser is a
// known device; confirming the password behind a session is limited per account.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authAttempts } from '../../db/schema.ts';
import { recordAttempt } from '../../db/accounts/throttle.ts';
import { findUserByUsername } from '../../db/accounts/users.ts';
import { changePassword, deleteAccountWithPassword, signIn, signUp, SIGN_IN_FAILED } from '../../src/features/accounts/service.ts';
import {
  ADDRESS_LIMIT,
  CONFIRM_LIMIT,
  DEVICE_LIMIT,
  gateSignIn,
  gateSignUp,
  knownDeviceKey,
  knownDeviceToken,
  PAIR_LIMIT,
  SIGNUP_LIMIT,
  throttleKey,
  USERNAME_LIMIT,
  WINDOW_MS,
} from '../../src/features/accounts/throttle.ts';
import { readerFor } from '../support/account-reader.ts';
import { CLIENT, testAuthContext } from '../support/auth-context.ts';

const PASSWORD = 'kettle-on-the-hob';

async function withAccount(username = 'ada') {
  const ctx = testAuthContext();
  const made = await signUp(ctx, { username, password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
  expect(made.ok).toBe(true);
  return ctx;
}

const ATTACKER = { ...CLIENT, address: '198.51.100.66' };
const OWNER_ELSEWHERE = { ...CLIENT, address: '192.0.2.10' };

describe('sign-in throttling', () => {
  it('holds back one address guessing one account: 429 with the wait after 5 failures, even with the right password', async () => {
    const ctx = await withAccount();
    for (let i = 0; i < PAIR_LIMIT; i++) {
      expect(await signIn(ctx, { username: 'ada', password: 'wrong-password-' + i }, ATTACKER)).toMatchObject({ ok: false, code: 'wrong-password' });
    }
    const blocked = await signIn(ctx, { username: 'ADA', password: PASSWORD }, ATTACKER);
    expect(blocked).toMatchObject({ ok: false, code: 'rate-limited', message: expect.stringMatching(/wait 15 minutes/) });
    expect(blocked.ok === false && blocked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(blocked.ok === false && blocked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // Another account from the same address is not affected.
    const other = await signUp(ctx, { username: 'bob', password: PASSWORD, confirm: PASSWORD, displayName: '' }, ATTACKER);
    expect(other.ok).toBe(true);
    expect(await signIn(ctx, { username: 'bob', password: PASSWORD }, ATTACKER)).toMatchObject({ ok: true });
  });

  // Finding 9 of the security review: five wrong passwords locked the account for its owner too.
  it('does not let failures from another address lock the owner out', async () => {
    const ctx = await withAccount();
    for (let i = 0; i < PAIR_LIMIT + 3; i++) await signIn(ctx, { username: 'ada', password: 'wrong-password-' + i }, ATTACKER);
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, ATTACKER)).toMatchObject({ code: 'rate-limited' });
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, OWNER_ELSEWHERE)).toMatchObject({ ok: true });
    // And the owner's own typo elsewhere is still just a typo.
    expect(await signIn(ctx, { username: 'ada', password: 'typo-typo-typo' }, OWNER_ELSEWHERE)).toMatchObject({ code: 'wrong-password' });
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, OWNER_ELSEWHERE)).toMatchObject({ ok: true });
  });

  it('does not let failures at sign-in block the owner’s password change or account deletion', async () => {
    const ctx = await withAccount();
    const ada = (await findUserByUsername(ctx.db, 'ada'))!;
    for (let i = 0; i < PAIR_LIMIT + 2; i++) await signIn(ctx, { username: 'ada', password: 'wrong-password-' + i }, CLIENT);
    // Even from the very address the attacker used (a shared network), and after a distributed guess.
    for (let i = 0; i < USERNAME_LIMIT; i++) await gateSignIn(ctx.db, ctx.secret, 'ada', `10.9.${Math.floor(i / 200)}.${i % 200}`);
    const reader = readerFor(ctx.db, ada.id);
    const NEW = 'a-new-kettle-on-the-hob';
    expect(await changePassword(ctx, reader, { current: PASSWORD, password: NEW, confirm: NEW })).toEqual({ ok: true });
    expect(await deleteAccountWithPassword(ctx, reader, NEW)).toEqual({ ok: true });
  });

  it('limits a confirmation of the password per account: a stolen session cannot guess, and no one else is held back', async () => {
    const ctx = await withAccount();
    await signUp(ctx, { username: 'bob', password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
    const ada = (await findUserByUsername(ctx.db, 'ada'))!;
    const bob = (await findUserByUsername(ctx.db, 'bob'))!;
    const who = (user: { id: string }) => readerFor(ctx.db, user.id);
    for (let i = 0; i < CONFIRM_LIMIT; i++) {
      expect(await deleteAccountWithPassword(ctx, who(ada), `guess-number-${i}`)).toMatchObject({ code: 'forbidden' });
    }
    expect(await deleteAccountWithPassword(ctx, who(ada), PASSWORD)).toMatchObject({ code: 'rate-limited' });
    expect(await findUserByUsername(ctx.db, 'ada')).toBeDefined();
    // Bob's confirmations and Ada's own sign-in are other counts.
    expect(await deleteAccountWithPassword(ctx, who(bob), PASSWORD)).toEqual({ ok: true });
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ ok: true });
  });

  it('bounds a guess spread over many addresses, but never for a browser the owner signed in from', async () => {
    const ctx = await withAccount();
    const knownDevice = knownDeviceToken(ctx.secret, 'ada');
    // 100 addresses, each far under its own limits.
    for (let i = 0; i < USERNAME_LIMIT; i++) {
      expect((await gateSignIn(ctx.db, ctx.secret, 'ada', `10.8.${Math.floor(i / 200)}.${i % 200}`)).allowed).toBe(true);
    }
    const fresh = await signIn(ctx, { username: 'ada', password: PASSWORD }, { ...CLIENT, address: '192.0.2.200' });
    expect(fresh).toMatchObject({ code: 'rate-limited' });
    expect(fresh.ok === false && fresh.retryAfterSeconds).toBeGreaterThan(55 * 60);
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, { ...OWNER_ELSEWHERE, knownDevice })).toMatchObject({ ok: true });
  });

  it('counts a known device’s own failures, and takes its cookie only for the account it was made for', async () => {
    const ctx = await withAccount();
    await signUp(ctx, { username: 'bob', password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
    const adasDevice = knownDeviceToken(ctx.secret, 'ada');
    expect(knownDeviceKey(ctx.secret, adasDevice, 'ADA ')).not.toBeNull();
    expect(knownDeviceKey(ctx.secret, adasDevice, 'bob')).toBeNull();
    expect(knownDeviceKey(randomBytes(32), adasDevice, 'ada')).toBeNull();
    const [nonce, mac] = adasDevice.split('.') as [string, string];
    const otherMac = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    for (const forged of ['', '.', 'x.y', `${adasDevice}.x`, `${nonce}.${otherMac}`, `${nonce}x.${mac}`]) {
      expect(knownDeviceKey(ctx.secret, forged, 'ada')).toBeNull();
    }
    for (let i = 0; i < DEVICE_LIMIT; i++) {
      expect(await signIn(ctx, { username: 'ada', password: `guess-${i}` }, { ...CLIENT, knownDevice: adasDevice })).toMatchObject({ code: 'wrong-password' });
    }
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, { ...CLIENT, knownDevice: adasDevice })).toMatchObject({ code: 'rate-limited' });
    // Ada's cookie is nothing to Bob's account: that attempt counts as any other browser's.
    expect(await signIn(ctx, { username: 'bob', password: PASSWORD }, { ...CLIENT, knownDevice: adasDevice })).toMatchObject({ ok: true });
  });

  it('answers 429 after 30 failures from one address, across usernames', async () => {
    const ctx = await withAccount();
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      expect(await signIn(ctx, { username: `nobody${i}`, password: 'wrong-password' }, CLIENT)).toMatchObject({ code: 'wrong-password' });
    }
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ code: 'rate-limited' });
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, { ...CLIENT, address: '198.51.100.1' })).toMatchObject({ ok: true });
  });

  it('forgives a pair’s failures after a successful sign-in', async () => {
    const ctx = await withAccount();
    for (let i = 0; i < 4; i++) await signIn(ctx, { username: 'ada', password: 'wrong-password' }, CLIENT);
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) await signIn(ctx, { username: 'ada', password: 'wrong-password' }, CLIENT);
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ ok: true });
  });

  it('lets a pair try again once the window has passed', async () => {
    const ctx = await withAccount();
    const start = Date.now() - WINDOW_MS - 1000;
    for (let i = 0; i < PAIR_LIMIT; i++) {
      const gate = await gateSignIn(ctx.db, ctx.secret, 'ada', CLIENT.address, null, start + i);
      expect(gate.allowed).toBe(true);
    }
    expect((await gateSignIn(ctx.db, ctx.secret, 'ada', CLIENT.address, null, start + 10)).allowed).toBe(false);
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ ok: true });
  });

  it('says how long until the oldest counted failure ages out', async () => {
    const ctx = testAuthContext();
    const rules = [{ key: 'k', limit: 2 }];
    const t0 = 1_000_000;
    await recordAttempt(ctx.db, rules, 60_000, t0);
    await recordAttempt(ctx.db, rules, 60_000, t0 + 20_000);
    expect(await recordAttempt(ctx.db, rules, 60_000, t0 + 30_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect((await recordAttempt(ctx.db, rules, 60_000, t0 + 60_001)).allowed).toBe(true);
  });

  it('keeps each rule’s own window within one attempt', async () => {
    const ctx = testAuthContext();
    const rules = [
      { key: 'short', limit: 1 },
      { key: 'long', limit: 2, windowMs: 600_000 },
    ];
    const t0 = 1_000_000;
    expect((await recordAttempt(ctx.db, rules, 60_000, t0)).allowed).toBe(true);
    expect(await recordAttempt(ctx.db, rules, 60_000, t0 + 1_000)).toEqual({ allowed: false, retryAfterMs: 59_000 });
    expect((await recordAttempt(ctx.db, rules, 60_000, t0 + 61_000)).allowed).toBe(true);
    // The short rule's window has passed again, the long one holds both attempts.
    expect(await recordAttempt(ctx.db, rules, 60_000, t0 + 130_000)).toEqual({ allowed: false, retryAfterMs: 470_000 });
  });

  it('keeps each limiter’s own window: a sign-in does not prune the hour of sign-ups', async () => {
    const ctx = testAuthContext();
    const t0 = 5_000_000_000;
    for (let i = 0; i < SIGNUP_LIMIT; i++) expect((await gateSignUp(ctx.db, ctx.secret, CLIENT.address, t0 + i)).allowed).toBe(true);
    await gateSignIn(ctx.db, ctx.secret, 'someone', CLIENT.address, null, t0 + 30 * 60 * 1000);
    expect(await gateSignUp(ctx.db, ctx.secret, CLIENT.address, t0 + 31 * 60 * 1000)).toMatchObject({ allowed: false });
    expect((await gateSignUp(ctx.db, ctx.secret, CLIENT.address, t0 + 61 * 60 * 1000)).allowed).toBe(true);
  });

  it('stores keyed hashes, never a username or an address', async () => {
    const ctx = await withAccount('Grace_H');
    for (let i = 0; i < 3; i++) await signIn(ctx, { username: 'Grace_H', password: 'wrong-password' }, CLIENT);
    const stored = JSON.stringify(ctx.db.select().from(authAttempts).all());
    expect(stored).not.toMatch(/grace/i);
    expect(stored).not.toContain(CLIENT.address);
    expect(stored).toContain(throttleKey(ctx.secret, 'username', 'grace_h'));
    // Without the secret, the key cannot be recomputed.
    expect(throttleKey(Buffer.alloc(32), 'username', 'grace_h')).not.toBe(throttleKey(ctx.secret, 'username', 'grace_h'));
  });

  it('gives the same answer for an unknown username and a wrong password', async () => {
    const ctx = await withAccount();
    const unknown = await signIn(ctx, { username: 'nobody-here', password: PASSWORD }, CLIENT);
    const wrong = await signIn(ctx, { username: 'ada', password: 'not-the-password' }, CLIENT);
    const empty = await signIn(ctx, { username: '', password: '' }, CLIENT);
    expect(unknown).toMatchObject({ ok: false, code: 'wrong-password', message: SIGN_IN_FAILED, field: undefined, retryAfterSeconds: undefined });
    expect(wrong).toEqual(unknown);
    expect(empty).toEqual(unknown);
  });
});
