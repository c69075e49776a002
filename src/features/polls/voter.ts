// Anonymous voters. The poll_voter cookie holds a random token and the server's signature of it
// (an HMAC under the server's secret, src/features/accounts/secret.ts), so a client cannot make up tokens that
// count: every token that votes was handed out by this server. Handing them out costs nothing, so
// the ballots they may cast are also limited per network (see ballotLimitKey). The database keeps
// only the token's SHA-256 beside the answers, and the limiter only a keyed hash of the network.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

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

/** An IPv6 address (already checked by isIP) as its eight 16-bit groups, or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const cut = text.lastIndexOf(':') + 1;
  // An IPv4 address as the last 32 bits (::ffff:192.0.2.1): two groups, like the rest.
  if (text.includes('.', cut)) {
    const [a, b, c, d] = text.slice(cut).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, cut)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const before = part(head);
  const after = part(tail);
  const groups = tail === undefined ? before : [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * The network a client address stands for, for the limit: an IPv4 address itself (also when
 * written as IPv6, ::ffff:a.b.c.d), an IPv6 address's /64, since one subscriber is given at least
 * a /64 and may use any address in it. Anything else (an adapter that could not tell) as it is.
 */
export function networkOf(address: string): string {
  if (isIP(address) === 4) return address;
  if (isIP(address.split('%')[0]!) !== 6) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The limiter's key for anonymous ballots in one poll from one network: a keyed hash, never the address. */
export function ballotLimitKey(secret: Buffer, poll: string, address: string): string {
  return createHmac('sha256', secret).update(`poll-ballots\u0000${poll}\u0000${networkOf(address)}`).digest('base64url');
}
