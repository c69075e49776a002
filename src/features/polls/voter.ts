// Anonymous voters. The poll_voter cookie holds a random token and the server's signature of it
// (an HMAC under the server's secret, src/features/accounts/secret.ts), so a client cannot make up tokens that
// count: every token that votes was handed out by this server. Handing them out costs nothing, so
// the ballots they may cast are also limited per network (see ballotLimitKey). The database keeps
// only the token's SHA-256 beside the answers, and the limiter only a keyed hash of the network.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { networkOf } from '../../lib/client-network.ts';

export const VOTER_COOKIE = 'poll_voter';
export const VOTER_COOKIE_DAYS = 365;

// Anonymous ballots per poll from one network in a day: room for a household, an office or a
// classroom sharing one address, a brake on scripts. Signed-in readers vote once per account.
export const ANONYMOUS_BALLOTS_PER_NETWORK = 10;
export const BALLOT_WINDOW_MS = 24 * 60 * 60 * 1000;

// 32 random bytes and a SHA-256 HMAC, each 43 base64url characters.
const SIGNED_COOKIE = /^([\w-]{43})\.([\w-]{43})$/;

function signatureOf(secret: Buffer, token: string): string {
  return createHmac('sha256', secret).update(`poll-voter\u0000${token}`).digest('base64url');
}

/** A fresh cookie value: a random token and its signature. */
export function newVoterCookie(secret: Buffer): string {
  const token = randomBytes(32).toString('base64url');
  return `${token}.${signatureOf(secret, token)}`;
}

/**
 * The token in a cookie value this server signed; null for anything else: missing, malformed,
 * too long, made up, or signed under another secret. Never throws, whatever the value.
 */
export function verifiedVoterToken(secret: Buffer, value: unknown): string | null {
  if (typeof value !== 'string' || value.length !== 87) return null;
  const match = SIGNED_COOKIE.exec(value);
  if (!match) return null;
  const [, token, given] = match as unknown as [string, string, string];
  const expected = signatureOf(secret, token);
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected)) ? token : null;
}

/** What is stored beside an anonymous ballot: a one-way hash of the token, never the token. */
export function voterKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The limiter's key for anonymous ballots in one poll from one network: a keyed hash, never the address. */
export function ballotLimitKey(secret: Buffer, poll: string, address: string): string {
  return createHmac('sha256', secret).update(`poll-ballots\u0000${poll}\u0000${networkOf(address)}`).digest('base64url');
}
