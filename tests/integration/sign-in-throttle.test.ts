// Sign-in throttling on a real database: 5 failures per username, 30 per address, 15 minutes.
import { describe, expect, it } from 'vitest';
import { authAttempts } from '../../db/schema.ts';
import { recordAttempt } from '../../db/throttle.ts';
import { signIn, signUp, SIGN_IN_FAILED } from '../../src/auth/accounts.ts';
import { gateSignIn, gateSignUp, SIGNUP_LIMIT, throttleKey, WINDOW_MS } from '../../src/auth/throttle.ts';
import { CLIENT, testAuthContext } from '../support/auth-context.ts';

const PASSWORD = 'kettle-on-the-hob';

async function withAccount(username = 'ada') {
  const ctx = testAuthContext();
  const made = await signUp(ctx, { username, password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
  expect(made.ok).toBe(true);
  return ctx;
}

describe('sign-in throttling', () => {
  it('answers 429 with the wait after 5 failures for one username, even with the right password', async () => {
    const ctx = await withAccount();
    for (let i = 0; i < 5; i++) {
      expect(await signIn(ctx, { username: 'ada', password: 'wrong-password-' + i }, CLIENT)).toMatchObject({ ok: false, status: 401 });
    }
    const blocked = await signIn(ctx, { username: 'ADA', password: PASSWORD }, { ...CLIENT, address: '198.51.100.1' });
    expect(blocked).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/wait 15 minutes/) });
    expect(blocked.ok === false && blocked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(blocked.ok === false && blocked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // Another account from the same address is not affected.
    const other = await signUp(ctx, { username: 'bob', password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
    expect(other.ok).toBe(true);
    expect(await signIn(ctx, { username: 'bob', password: PASSWORD }, CLIENT)).toMatchObject({ ok: true });
  });

  it('answers 429 after 30 failures from one address, across usernames', async () => {
    const ctx = await withAccount();
    for (let i = 0; i < 30; i++) {
      expect(await signIn(ctx, { username: `nobody${i}`, password: 'wrong-password' }, CLIENT)).toMatchObject({ status: 401 });
    }
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ status: 429 });
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, { ...CLIENT, address: '198.51.100.1' })).toMatchObject({ ok: true });
  });

  it('forgives a username’s failures after a successful sign-in', async () => {
    const ctx = await withAccount();
    for (let i = 0; i < 4; i++) await signIn(ctx, { username: 'ada', password: 'wrong-password' }, CLIENT);
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) await signIn(ctx, { username: 'ada', password: 'wrong-password' }, CLIENT);
    expect(await signIn(ctx, { username: 'ada', password: PASSWORD }, CLIENT)).toMatchObject({ ok: true });
  });

  it('lets a username try again once the window has passed', async () => {
    const ctx = await withAccount();
    const start = Date.now() - WINDOW_MS - 1000;
    for (let i = 0; i < 5; i++) {
      const gate = await gateSignIn(ctx.db, ctx.secret, 'ada', CLIENT.address, start + i);
      expect(gate.allowed).toBe(true);
    }
    expect((await gateSignIn(ctx.db, ctx.secret, 'ada', CLIENT.address, start + 10)).allowed).toBe(false);
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

  it('keeps each limiter’s own window: a sign-in does not prune the hour of sign-ups', async () => {
    const ctx = testAuthContext();
    const t0 = 5_000_000_000;
    for (let i = 0; i < SIGNUP_LIMIT; i++) expect((await gateSignUp(ctx.db, ctx.secret, CLIENT.address, t0 + i)).allowed).toBe(true);
    await gateSignIn(ctx.db, ctx.secret, 'someone', CLIENT.address, t0 + 30 * 60 * 1000);
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
    expect(unknown).toEqual({ ok: false, status: 401, message: SIGN_IN_FAILED });
    expect(wrong).toEqual(unknown);
    expect(empty).toEqual(unknown);
  });
});
