// Anonymous voters: a random token lives in the reader's own cookie, and the database keeps only
// its SHA-256. The token identifies a browser to this poll and nothing else.
import { createHash, randomBytes } from 'node:crypto';

export const VOTER_COOKIE = 'poll_voter';
export const VOTER_COOKIE_DAYS = 365;

export function newVoterToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A token we could have issued: 43 base64url characters. Anything else is ignored. */
export function isVoterToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function voterKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
