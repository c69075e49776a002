import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalAddress,
  MAX_FORWARDED_HOPS,
  parseTrustedProxies,
  resolveClientAddress,
  TRUST_NOBODY,
  type TrustedProxies,
} from '../../src/lib/trusted-proxies.ts';
import { ConfigError, readConfig } from '../../src/lib/config.ts';
import { ROOT } from '../support/paths.ts';

function trust(raw: string): TrustedProxies {
  const parsed = parseTrustedProxies(raw);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.trusted;
}

const LOOPBACK = trust('127.0.0.1');

describe('canonicalAddress', () => {
  it('keeps IPv4, writes IPv6 one way and IPv4-mapped IPv6 as IPv4', () => {
    expect(canonicalAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(canonicalAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalAddress('::FFFF:7f00:1')).toBe('127.0.0.1');
    expect(canonicalAddress('::1')).toBe('::1');
  });

  it.each(['', 'unknown', 'localhost', '1.2.3', '01.2.3.4', '256.1.1.1', '1.2.3.4:80', '[::1]', '[::1]:443', 'fe80::1%eth0', ' 1.2.3.4', '1.2.3.4\u0000', `${'0'.repeat(60)}::1`])(
    '%j is not an address',
    (text) => expect(canonicalAddress(text)).toBeNull(),
  );
});

describe('parseTrustedProxies', () => {
  it('takes addresses and networks, IPv4 and IPv6, separated by commas; empty trusts nobody', () => {
    expect(trust('').none).toBe(true);
    expect(trust(' , ').none).toBe(true);
    const trusted = trust(' 127.0.0.1, 10.0.0.0/8 ,2001:db8::/32,::1, ::ffff:192.168.0.0/112,');
    const peerTrusted = (peer: string) => resolveClientAddress(peer, '198.51.100.1', trusted) === '198.51.100.1';
    for (const peer of ['127.0.0.1', '::ffff:127.0.0.1', '10.255.1.2', '2001:db8:ffff::9', '::1', '192.168.3.4']) expect(peerTrusted(peer), peer).toBe(true);
    for (const peer of ['127.0.0.2', '11.0.0.1', '2001:db9::1', '::2', '192.169.0.1']) expect(peerTrusted(peer), peer).toBe(false);
  });

  it.each(['localhost', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/ 8', '::ffff:10.0.0.0/95', '*', 'all'])(
    'refuses %j with a sentence naming it, and npm start refuses it as a configuration error',
    (raw) => {
      const parsed = parseTrustedProxies(`127.0.0.1, ${raw}`);
      expect('problem' in parsed && parsed.problem).toContain(`"${raw.trim()}" is not one`);
      expect(() => readConfig({ TRUSTED_PROXIES: `127.0.0.1, ${raw}` })).toThrow(ConfigError);
    },
  );

  it('is read by readConfig, trusting nobody by default', () => {
    expect(readConfig({}).trustedProxies.none).toBe(true);
    expect(readConfig({ TRUSTED_PROXIES: '127.0.0.1' }).trustedProxies.none).toBe(false);
  });
});

describe('resolveClientAddress', () => {
  it('is the peer when nobody is trusted, whatever the header says', () => {
    expect(resolveClientAddress('203.0.113.7', '198.51.100.1', TRUST_NOBODY)).toBe('203.0.113.7');
    expect(resolveClientAddress('127.0.0.1', '198.51.100.1', TRUST_NOBODY)).toBe('127.0.0.1');
    expect(resolveClientAddress('::ffff:127.0.0.1', null, TRUST_NOBODY)).toBe('127.0.0.1');
  });

  it('is the peer when the peer is not a trusted proxy', () => {
    expect(resolveClientAddress('127.0.0.2', '198.51.100.1', LOOPBACK)).toBe('127.0.0.2');
    expect(resolveClientAddress('203.0.113.7', '127.0.0.1', LOOPBACK)).toBe('203.0.113.7');
  });

  it('behind a trusted proxy, is the right-most address that is not a trusted proxy: what the client prepends is never reached', () => {
    expect(resolveClientAddress('127.0.0.1', '203.0.113.7', LOOPBACK)).toBe('203.0.113.7');
    // nginx appends what it saw to whatever the client sent.
    expect(resolveClientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7', LOOPBACK)).toBe('203.0.113.7');
    expect(resolveClientAddress('127.0.0.1', '127.0.0.1, 203.0.113.7', LOOPBACK)).toBe('203.0.113.7');
    expect(resolveClientAddress('::ffff:127.0.0.1', 'garbage,,, 203.0.113.7', LOOPBACK)).toBe('203.0.113.7');
    // Several proxies, all trusted: skipped, from the right.
    const chain = trust('127.0.0.1, 10.0.0.0/8');
    expect(resolveClientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7, 10.1.1.1, 10.2.2.2', chain)).toBe('203.0.113.7');
    // Every address a trusted proxy: the furthest one.
    expect(resolveClientAddress('127.0.0.1', '10.1.1.1, 127.0.0.1', chain)).toBe('10.1.1.1');
    // No header from a trusted proxy: a request of its own (a health check).
    expect(resolveClientAddress('127.0.0.1', null, LOOPBACK)).toBe('127.0.0.1');
  });

  it('writes each address one way, so spellings of one address count together', () => {
    const v6 = trust('::1');
    expect(resolveClientAddress('::1', '2001:DB8:0:0::7', v6)).toBe('2001:db8::7');
    expect(resolveClientAddress('::1', '::ffff:203.0.113.7', v6)).toBe('203.0.113.7');
    expect(resolveClientAddress('127.0.0.1', '::ffff:127.0.0.1, ::FFFF:cb00:7107', LOOPBACK)).toBe('203.0.113.7');
  });

  it.each([
    ['empty', ''],
    ['a word', 'unknown'],
    ['a trailing comma', '203.0.113.7, '],
    ['a port', '203.0.113.7:5555'],
    ['brackets', '[2001:db8::1]'],
    ['a control character', '203.0.113.7\u0000'],
    ['one huge entry', 'x'.repeat(100_000)],
  ])('falls back to the peer on a header it cannot read: %s', (_, header) => {
    expect(resolveClientAddress('127.0.0.1', header, LOOPBACK)).toBe('127.0.0.1');
  });

  it('reads only the end of a huge header, quickly, and still finds the address the proxy appended', () => {
    const huge = `${'198.51.100.1, '.repeat(200_000)}203.0.113.7`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) expect(resolveClientAddress('127.0.0.1', huge, LOOPBACK)).toBe('203.0.113.7');
    expect(performance.now() - started).toBeLessThan(500);
    // A chain of trusted proxies longer than any real one stops at the bound, on a trusted address.
    const all = trust('0.0.0.0/0');
    const address = (i: number) => `10.0.${i >> 8}.${i & 255}`;
    const chain = Array.from({ length: 1000 }, (_, i) => address(i)).join(', ');
    expect(resolveClientAddress('127.0.0.1', chain, all)).toBe(address(1000 - MAX_FORWARDED_HOPS));
  });

  it('is "unknown" when the server cannot tell the peer, and a peer it cannot read as it is', () => {
    expect(resolveClientAddress(null, '203.0.113.7', LOOPBACK)).toBe('unknown');
    expect(resolveClientAddress('fe80::1%eth0', '203.0.113.7', LOOPBACK)).toBe('fe80::1%eth0');
  });

  it('never lets a client behind the proxy choose the address: whatever it sends, the result is what the proxy appended', () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
    const untrusted = ipv4.filter((a) => !a.startsWith('127.'));
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), untrusted, (sent, seen) => {
        expect(resolveClientAddress('127.0.0.1', `${sent}, ${seen}`, LOOPBACK)).toBe(seen);
      }),
    );
    // And from a peer that is not trusted, any header at all leaves the peer.
    fc.assert(fc.property(fc.string({ maxLength: 300 }), untrusted, (sent, peer) => {
      expect(resolveClientAddress(peer, sent, LOOPBACK)).toBe(peer);
    }));
  });
});

describe('the peer address the rule starts from', () => {
  it('is the connection\'s: astro.config.mjs leaves security.allowedDomains unset', () => {
    // With it set, Astro's clientAddress (src/http/client-address.ts reads it as the peer) becomes
    // the left-most X-Forwarded-For, which the client writes, whatever TRUSTED_PROXIES says.
    expect(readFileSync(join(ROOT, 'astro.config.mjs'), 'utf8')).not.toMatch(/allowedDomains/);
  });
});
