// Which address a request comes from, for the per-address limits (sign-in, sign-up, poll ballots,
// live streams). Behind a reverse proxy the TCP peer is the proxy, so the client's address has to
// come from X-Forwarded-For, and that header is only as good as whoever wrote it: a client can send
// any value, and a proxy appends the address it saw at the right. So the header is read only when
// the peer is a trusted proxy (TRUSTED_PROXIES), from the right, skipping addresses that are
// themselves trusted proxies; the first one that is not is the client. Whatever a client put
// further left is never reached. Pure: no I/O.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** The proxies whose X-Forwarded-For is believed. */
export interface TrustedProxies {
  readonly list: BlockList;
  /** Nothing trusted: the header is never read. */
  readonly none: boolean;
}

export const TRUST_NOBODY: TrustedProxies = { list: new BlockList(), none: true };

// Bounds on the work a header can cause: only its last characters are read, and at most this many
// hops walked. A chain longer than this through proxies all trusted is not a real deployment.
export const MAX_FORWARDED_HOPS = 16;
// 16 hops of the longest address (45 characters: IPv6 with a dotted IPv4 tail) and ", ".
export const MAX_FORWARDED_CHARS = 16 * 47;
// The longest textual IP address; anything longer is not one, whatever it holds.
const MAX_ADDRESS_CHARS = 45;

const MAPPED_IPV4 = /^::ffff:([\da-f]{1,4}):([\da-f]{1,4})$/;

/**
 * One spelling per address: IPv6 as the URL standard writes it (lower case, zeros compressed), an
 * IPv4-mapped IPv6 address (::ffff:192.0.2.1, what a dual-stack socket reports) as the IPv4
 * address it is. Null for anything that is not a bare IP address (a port, a zone, brackets, a name).
 */
export function canonicalAddress(text: string): string | null {
  if (text.length > MAX_ADDRESS_CHARS) return null;
  if (isIPv4(text)) return text;
  if (!isIPv6(text) || text.includes('%')) return null;
  const ipv6 = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = MAPPED_IPV4.exec(ipv6);
  if (!mapped) return ipv6;
  const [high, low] = [Number.parseInt(mapped[1]!, 16), Number.parseInt(mapped[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

const family = (address: string) => (isIPv4(address) ? 'ipv4' : 'ipv6');

export function isTrustedProxy(address: string, trusted: TrustedProxies): boolean {
  return !trusted.none && trusted.list.check(address, family(address));
}

/**
 * TRUSTED_PROXIES: addresses and networks (CIDR) separated by commas, e.g. "127.0.0.1, ::1" or
 * "10.0.0.0/8". Empty: trust nobody. A problem is a sentence naming the entry that is wrong.
 */
export function parseTrustedProxies(raw: string): { trusted: TrustedProxies } | { problem: string } {
  const list = new BlockList();
  let none = true;
  for (const entry of raw.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const [text, prefixText, extra] = entry.split('/');
    const address = canonicalAddress(text!);
    const bits = address === null ? 0 : isIPv4(address) ? 32 : 128;
    // An IPv4-mapped network (::ffff:10.0.0.0/104) is the IPv4 network it maps.
    const mappedShift = address !== null && bits === 32 && !isIPv4(text!) ? 96 : 0;
    const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) - mappedShift : -1;
    if (address === null || extra !== undefined || prefix < 0 || prefix > bits) {
      return { problem: `TRUSTED_PROXIES must list IP addresses or networks separated by commas (such as 127.0.0.1 or 10.0.0.0/8); "${entry}" is not one.` };
    }
    list.addSubnet(address, prefix, family(address));
    none = false;
  }
  return { trusted: { list, none } };
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy that said in
 * X-Forwarded-For whom it forwards for. Then the right-most address there that is not a trusted
 * proxy; if every address read is one, the furthest of them. A header that cannot be read (an
 * entry that is not an address) counts as no header: the peer's address. `peer` null: the
 * server could not tell (such requests share one allowance, "unknown").
 */
export function resolveClientAddress(peer: string | null, forwardedFor: string | null, trusted: TrustedProxies): string {
  if (peer === null) return 'unknown';
  const peerAddress = canonicalAddress(peer);
  if (peerAddress === null) return peer;
  if (forwardedFor === null || !isTrustedProxy(peerAddress, trusted)) return peerAddress;
  // Only the tail is split, so a long header costs no more than a short one; its first piece may
  // be cut in two, so it is not read.
  const cut = forwardedFor.length > MAX_FORWARDED_CHARS;
  const entries = (cut ? forwardedFor.slice(-MAX_FORWARDED_CHARS) : forwardedFor).split(',');
  if (cut) entries.shift();
  let furthest = peerAddress;
  for (let hop = 0; hop < MAX_FORWARDED_HOPS && entries.length > 0; hop++) {
    const address = canonicalAddress(entries.pop()!.trim());
    if (address === null) return peerAddress;
    if (!isTrustedProxy(address, trusted)) return address;
    furthest = address;
  }
  return furthest;
}
