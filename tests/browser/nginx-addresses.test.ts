// Two readers behind nginx are limited apart: nginx, configured by the very file the README gives
// (src/server/nginx/convenience-bargain.conf), appends the address it saw to X-Forwarded-For, and
// the server started with TRUSTED_PROXIES=127.0.0.1 (where nginx connects from) counts that
// address. The readers connect to nginx from 127.0.0.2 and 127.0.0.3, so to the server both
// arrive from 127.0.0.1: without the setting, or without the header on a location, they would
// share one allowance. A reader's own X-Forwarded-For only adds to the left of what nginx
// appends, so it never changes whom a request counts as. Lives with the browser tests because
// it needs the built site their global setup makes; it drives no browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAIR_LIMIT } from '../../src/features/accounts/throttle.ts';
import { STREAM_LIMITS } from '../../src/features/discussion/live/delivery-rules.ts';
import { browserPath } from '../support/browser.ts';
import { countedFrom, openStreamFrom, signInAttempt, type OpenStream } from '../support/client-address.ts';
import { nginxPath, startNginx, type RunningNginx } from '../support/nginx.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';
const [ADA, GRACE] = ['127.0.0.2', '127.0.0.3'];

// nginxPath() first: with REQUIRE_NGINX=1 a missing nginx fails rather than skips.
const runnable = !!nginxPath() && !!browserPath();

describe.skipIf(!runnable)('readers behind nginx, each limited by their own address', () => {
  let server: RunningServer;
  let nginx: RunningNginx;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    server = await startServer({ TRUSTED_PROXIES: '127.0.0.1' });
    nginx = await startNginx(server.port);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await nginx?.stop();
    await server?.stop();
  });

  it('counts sign-in attempts by the address nginx saw, whatever the reader forwards', async () => {
    for (let i = 0; i < PAIR_LIMIT; i++) expect(await signInAttempt(nginx.url, ADA, 'behind_nginx'), `attempt ${i + 1}`).not.toBe(429);
    expect(await signInAttempt(nginx.url, ADA, 'behind_nginx')).toBe(429);
    // Grace, same account name, another address: her own allowance.
    expect(await signInAttempt(nginx.url, GRACE, 'behind_nginx')).not.toBe(429);
    // Ada cannot step out by forwarding someone else's address (nginx adds hers after it), nor
    // put Grace over the limit by forwarding Grace's.
    expect(await signInAttempt(nginx.url, ADA, 'behind_nginx', '198.51.100.7')).toBe(429);
    expect(await signInAttempt(nginx.url, ADA, 'behind_nginx', GRACE)).toBe(429);
    expect(await signInAttempt(nginx.url, GRACE, 'behind_nginx', ADA)).not.toBe(429);
    expect([ADA, GRACE, '127.0.0.1', '198.51.100.7'].map((address) => countedFrom(server, address))).toEqual([true, true, false, false]);
    expect(nginx.errors()).not.toMatch(/\[(?:emerg|alert|crit)\]/);
  });

  it('counts live streams by the address nginx saw (the stream has its own location)', async () => {
    const url = `${nginx.url}/discussion/${ESSAY}/events`;
    const open = async (from: string, forwardedFor?: string) => {
      const stream = await openStreamFrom(from, url, forwardedFor);
      streams.push(stream);
      return stream.status;
    };
    const ada: number[] = [];
    for (let i = 0; i < STREAM_LIMITS.perReader; i++) ada.push(await open(ADA));
    expect(ada).toEqual(Array(STREAM_LIMITS.perReader).fill(200));
    expect(await open(ADA)).toBe(429);
    expect(await open(ADA, '198.51.100.7')).toBe(429);
    expect(await open(GRACE)).toBe(200);
  });
});
