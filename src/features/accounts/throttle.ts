// Throttling of password guesses. Keys are HMACs under the server's secret, so the table holds
// neither usernames nor IP addresses, and nobody without the secret can test a guess against it.
//
// The design, and why. A limit per username alone (the first design) let anyone lock anyone out:
// five wrong passwords for "admin" and the admin's own correct password got 429 for 15 minutes,
// and so did their password change. So a sign-in is counted under keys an outsider cannot fill
// for the owner:
//
// - the pair (username, client address): 5 attempts in 15 minutes. Guessing one account's
//   password from one address stays slow, and only that address is held back: the owner,
//   elsewhere, signs in as usual;
// - the client address: 30 attempts in 15 minutes, across usernames (one address trying many
//   accounts, or many passwords through many usernames);
// - the username from anywhere: 100 attempts in an hour. This bounds a guess spread over many
//   addresses (a botnet, or forged X-Forwarded-For where a proxy is trusted), at 2,400 a day. It
//   could lock the owner out of a new browser, so it never applies to a known device:
// - a known device is a browser that signed in to (or signed up) this account before: it holds
//   a `known_device` cookie (a random nonce and an HMAC binding it to the username, Path=/signin,
//   HttpOnly, a year). Its attempts count only against that device: 5 in 15 minutes. An attacker
//   cannot make one for someone else's account without the password, so the owner's own
//   browsers can always sign in, whatever others are doing (OWASP's "device cookies").
//
// Attempts are counted before the password is checked, so parallel guesses cannot overtake the
// count; a successful sign-in forgives that pair's (or device's) failures and its own attempt.
//
// Changing the password and deleting the account confirm the current password, but they are
// behind a session: an outsider cannot reach them, so the sign-in limits (which an outsider can
// fill) do not apply. They have their own limit per account, 5 failures in 15 minutes, so a stolen
// session cannot be used to guess the password either; only someone signed in as the account can
// fill it (and the owner can end that session from the account page without a password).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../../db/client.ts';
import { forgetAttempts, forgetKey, recordAttempt, type ThrottleRule } from '../../../db/accounts/throttle.ts';
import { usernameKey } from './rules.ts';

export const WINDOW_MS = 15 * 60 * 1000;
export const PAIR_LIMIT = 5;
export const ADDRESS_LIMIT = 30;
export const USERNAME_WINDOW_MS = 60 * 60 * 1000;
export const USERNAME_LIMIT = 100;
export const DEVICE_LIMIT = 5;
export const CONFIRM_LIMIT = 5;
// Sign-ups from one address: generous for a household or a classroom, a brake on scripts.
export const SIGNUP_WINDOW_MS = 60 * 60 * 1000;
export const SIGNUP_LIMIT = 10;

export const KNOWN_DEVICE_COOKIE = 'known_device';
export const KNOWN_DEVICE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

type KeyKind = 'username' | 'address' | 'pair' | 'device' | 'confirm' | 'signup';

export function throttleKey(secret: Buffer, kind: KeyKind, value: string): string {
  const normalised = kind === 'username' ? usernameKey(value.trim()) : value;
  return createHmac('sha256', secret).update(`${kind}\u0000${normalised}`).digest('base64url');
}

function pairKey(secret: Buffer, username: string, address: string): string {
  return throttleKey(secret, 'pair', `${usernameKey(username.trim())}\u0000${address}`);
}

function deviceMac(secret: Buffer, username: string, nonce: string): Buffer {
  return createHmac('sha256', secret).update(`known-device\u0000${usernameKey(username.trim())}\u0000${nonce}`).digest();
}

/** A new known-device cookie value for `username`: "<nonce>.<mac>". */
export function knownDeviceToken(secret: Buffer, username: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${deviceMac(secret, username, nonce).toString('base64url')}`;
}

/** The limiter key of a known-device cookie, if it was made for `username` by this server; else null. */
export function knownDeviceKey(secret: Buffer, token: string | null | undefined, username: string): string | null {
  const [nonce, mac, extra] = (token ?? '').split('.');
  if (!nonce || !mac || extra !== undefined || nonce.length > 64) return null;
  const expected = deviceMac(secret, username, nonce);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return throttleKey(secret, 'device', nonce);
}

export type Gate = { allowed: true; pass(): Promise<void> } | { allowed: false; retryAfterSeconds: number };

async function gate(db: Db, rules: ThrottleRule[], forgiven: string | null, now: number): Promise<Gate> {
  const decision = await recordAttempt(db, rules, WINDOW_MS, now);
  if (!decision.allowed) return { allowed: false, retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000) };
  return {
    allowed: true,
    async pass() {
      if (forgiven) await forgetKey(db, forgiven);
      await forgetAttempts(db, decision.attemptIds);
    },
  };
}

/**
 * Counts a sign-in attempt (see the design above). `knownDevice` is the browser's known-device
 * cookie, if any; it only counts for the username it was made for. pass() after a correct
 * password forgives the failures of this pair or device and takes back this attempt.
 */
export async function gateSignIn(
  db: Db,
  secret: Buffer,
  username: string,
  address: string,
  knownDevice: string | null = null,
  now = Date.now(),
): Promise<Gate> {
  const deviceKey = knownDeviceKey(secret, knownDevice, username);
  if (deviceKey) return gate(db, [{ key: deviceKey, limit: DEVICE_LIMIT, windowMs: WINDOW_MS }], deviceKey, now);
  const pair = pairKey(secret, username, address);
  return gate(
    db,
    [
      { key: pair, limit: PAIR_LIMIT, windowMs: WINDOW_MS },
      { key: throttleKey(secret, 'address', address), limit: ADDRESS_LIMIT, windowMs: WINDOW_MS },
      { key: throttleKey(secret, 'username', username), limit: USERNAME_LIMIT, windowMs: USERNAME_WINDOW_MS },
    ],
    pair,
    now,
  );
}

/** Counts a signed-in reader's attempt to confirm their password (password change, deletion). */
export async function gateConfirmPassword(db: Db, secret: Buffer, userId: string, now = Date.now()): Promise<Gate> {
  const key = throttleKey(secret, 'confirm', userId);
  return gate(db, [{ key, limit: CONFIRM_LIMIT, windowMs: WINDOW_MS }], key, now);
}

export async function gateSignUp(db: Db, secret: Buffer, address: string, now = Date.now()): Promise<Gate> {
  const decision = await recordAttempt(db, [{ key: throttleKey(secret, 'signup', address), limit: SIGNUP_LIMIT }], SIGNUP_WINDOW_MS, now);
  if (!decision.allowed) return { allowed: false, retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000) };
  return { allowed: true, pass: async () => {} };
}

/** The limiter rows that go with an account when it is deleted (those that can be named without an address). */
export function accountThrottleKeys(secret: Buffer, account: { userId: string; username: string }): string[] {
  return [throttleKey(secret, 'username', account.username), throttleKey(secret, 'confirm', account.userId)];
}
