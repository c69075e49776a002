// Which address the per-address limits count, over HTTP against the real built server: without
// TRUSTED_PROXIES a forged X-Forwarded-For changes nothing; with TRUSTED_PROXIES=127.0.0.1 (the
// proxy on this machine) the address the proxy appended is the client, and what a client wrote to
// its left is never read. Seen through the sign-in limit per (username, address), through the
// address the limiter stored (a keyed hash, made here with the server's secret), and through the
// live streams' limit per address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAIR_LIMIT } from '../../src/features/accounts/throttle.ts';
import { STREAM_LIMITS } from '../../src/features/discussion/live/delivery-rules.ts';
import { browserPath } from '../support/browser.ts';
import { countedFrom, openStreamFrom, signInAttempt, type OpenStream } from '../support/client-address.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('the client address, with and without a trusted proxy', () => {
  let direct: RunningServer;
  let proxied: RunningServer;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    [direct, proxied] = await Promise.all([startServer({ TRUSTED_PROXIES: '' }), startServer({ TRUSTED_PROXIES: '127.0.0.1' })]);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([direct?.stop(), proxied?.stop()]);
  });

  /** PAIR_LIMIT refused sign-ins for `username`, each not yet throttled. */
  async function fillPairLimit(site: string, from: string, username: string, forwardedFor: (i: number) => string | undefined): Promise<void> {
    for (let i = 0; i < PAIR_LIMIT; i++) {
      const status = await signInAttempt(site, from, username, forwardedFor(i));
      expect(status, `attempt ${i + 1}`).toBeGreaterThanOrEqual(400);
      expect(status, `attempt ${i + 1}`).not.toBe(429);
    }
  }

  it('without TRUSTED_PROXIES, counts the peer whatever X-Forwarded-For says', async () => {
    // A new forged address every time: were any believed, no pair would ever fill.
    await fillPairLimit(direct.url, '127.0.0.1', 'forger_one', (i) => `198.51.100.${i + 1}`);
    expect(await signInAttempt(direct.url, '127.0.0.1', 'forger_one', '198.51.100.99')).toBe(429);
    expect(countedFrom(direct, '127.0.0.1')).toBe(true);
    for (const forged of ['198.51.100.1', '198.51.100.99']) expect(countedFrom(direct, forged), forged).toBe(false);
  });

  it('behind the trusted proxy, counts each forwarded address apart, by the address the proxy appended', async () => {
    await fillPairLimit(proxied.url, '127.0.0.1', 'shared_name', () => '203.0.113.7');
    expect(await signInAttempt(proxied.url, '127.0.0.1', 'shared_name', '203.0.113.7')).toBe(429);
    // Another reader, another address: its own allowance, even with .7 written to the left.
    expect(await signInAttempt(proxied.url, '127.0.0.1', 'shared_name', '203.0.113.8')).not.toBe(429);
    expect(await signInAttempt(proxied.url, '127.0.0.1', 'shared_name', '203.0.113.7, 203.0.113.8')).not.toBe(429);
    // The throttled reader cannot step out by writing another address to the left of its own.
    expect(await signInAttempt(proxied.url, '127.0.0.1', 'shared_name', '203.0.113.8, 203.0.113.7')).toBe(429);
    expect(await signInAttempt(proxied.url, '127.0.0.1', 'shared_name', 'unknown, 203.0.113.7')).toBe(429);
    expect([countedFrom(proxied, '203.0.113.7'), countedFrom(proxied, '203.0.113.8'), countedFrom(proxied, '127.0.0.1')]).toEqual([true, true, false]);
  });

  it('from a peer that is not a trusted proxy, counts the peer and never reads its X-Forwarded-For', async () => {
    await fillPairLimit(proxied.url, '127.0.0.2', 'direct_caller', (i) => `203.0.113.${20 + i}`);
    expect(await signInAttempt(proxied.url, '127.0.0.2', 'direct_caller', '203.0.113.99')).toBe(429);
    expect(countedFrom(proxied, '127.0.0.2')).toBe(true);
    expect(countedFrom(proxied, '203.0.113.20')).toBe(false);
  });

  it('limits live streams per forwarded address, not per proxy', async () => {
    const url = `${proxied.url}/discussion/${ESSAY}/events`;
    const open = async (forwardedFor: string) => {
      const stream = await openStreamFrom('127.0.0.1', url, forwardedFor);
      streams.push(stream);
      return stream.status;
    };
    const first: number[] = [];
    for (let i = 0; i < STREAM_LIMITS.perReader; i++) first.push(await open('198.51.100.20'));
    expect(first).toEqual(Array(STREAM_LIMITS.perReader).fill(200));
    expect(await open('198.51.100.20')).toBe(429);
    expect(await open('198.51.100.8, 198.51.100.20')).toBe(429);
    expect(await open('198.51.100.21')).toBe(200);
  });
});
