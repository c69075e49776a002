// Sign-in throttling: 5 failures per username or 30 per client address within 15 minutes,
// then HTTP 429 with the wait. Keys are HMACs under the server's secret, so the table holds
// neither usernames nor IP addresses, and nobody without the secret can test a guess against it.
import { createHmac } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { forgetAttempts, forgetKey, recordAttempt } from '../../db/throttle.ts';
import { usernameKey } from '../lib/account-rules.ts';

export const WINDOW_MS = 15 * 60 * 1000;
export const USERNAME_LIMIT = 5;
export const ADDRESS_LIMIT = 30;
// Sign-ups from one address: generous for a household or a classroom, a brake on scripts.
export const SIGNUP_WINDOW_MS = 60 * 60 * 1000;
export const SIGNUP_LIMIT = 10;

export function throttleKey(secret: Buffer, kind: 'username' | 'address' | 'signup', value: string): string {
  const normalised = kind === 'username' ? usernameKey(value.trim()) : value;
  return createHmac('sha256', secret).update(`${kind}\u0000${normalised}`).digest('base64url');
}

export type Gate = { allowed: true; pass(): Promise<void> } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts a sign-in attempt before the password is checked (so parallel guesses cannot overtake
 * the count). A successful sign-in calls pass(): the username's failures are forgiven and this
 * attempt no longer counts against the address.
 */
export async function gateSignIn(db: Db, secret: Buffer, username: string, address: string, now = Date.now()): Promise<Gate> {
  const userKey = throttleKey(secret, 'username', username);
  const decision = await recordAttempt(
    db,
    [
      { key: userKey, limit: USERNAME_LIMIT },
      { key: throttleKey(secret, 'address', address), limit: ADDRESS_LIMIT },
    ],
    WINDOW_MS,
    now,
  );
  if (!decision.allowed) return { allowed: false, retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000) };
  return {
    allowed: true,
    async pass() {
      await forgetKey(db, userKey);
      await forgetAttempts(db, decision.attemptIds);
    },
  };
}

export async function gateSignUp(db: Db, secret: Buffer, address: string, now = Date.now()): Promise<Gate> {
  const decision = await recordAttempt(db, [{ key: throttleKey(secret, 'signup', address), limit: SIGNUP_LIMIT }], SIGNUP_WINDOW_MS, now);
  if (!decision.allowed) return { allowed: false, retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000) };
  return { allowed: true, pass: async () => {} };
}
