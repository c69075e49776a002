// The network a client address stands for, where limits count clients: one IPv4 address, or one
// IPv6 /64 (what one subscriber is given, and may use any address of). Pure.
import { isIP } from 'node:net';

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
 * The network a client address stands for: an IPv4 address itself (also when
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
