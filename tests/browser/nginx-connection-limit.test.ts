// One client address may have only so many requests in progress through nginx (limit_conn in
// src/server/nginx/convenience-bargain.conf, the file the README gives): a client that opens
// connections and never reads keeps each of its requests, and their buffers, open (outside
// review). Past the cap an address gets 429 while other addresses are still served, and it is
// served again once one of its requests ends. The production cap is the same for everyone behind
// one NAT address, so it is set in the hundreds; this test lowers that one number in the text it
// loads, so a few live streams (requests that stay in progress for as long as they are open) reach
// it. Lives with the browser tests because it needs the built site their global setup makes; it
// drives no browser.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_LIMITS } from '../../src/features/discussion/live/delivery-rules.ts';
import { DEFAULT_MAX_WORKERS } from '../../src/lib/config.ts';
import { browserPath } from '../support/browser.ts';
import { openStreamFrom, type OpenStream } from '../support/client-address.ts';
import { sendFrom } from '../support/from-address.ts';
import { NGINX_SITE_CONFIG, nginxPath, startNginx, type RunningNginx } from '../support/nginx.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';
const [ADA, GRACE] = ['127.0.0.2', '127.0.0.3'];
const CAP = 4;
const LIMIT = /^( *limit_conn convenience_bargain_addresses )(\d+);$/m;
const OPENINGS = /^( *limit_req zone=convenience_bargain_streams burst=)(\d+)( nodelay;)$/m;
const BURST = 5;

/** The configuration with its caps lowered to CAP and BURST; it must have the caps to lower. */
function lowered(site: string): string {
  if (!LIMIT.test(site)) throw new Error('the nginx configuration caps no address (no limit_conn line to lower)');
  if (!OPENINGS.test(site)) throw new Error('the nginx configuration does not limit openings of streams (no limit_req line to lower)');
  return site.replace(LIMIT, `$1${CAP};`).replace(OPENINGS, `$1${BURST}$3`);
}

// nginxPath() first: with REQUIRE_NGINX=1 a missing nginx fails rather than skips.
const runnable = !!nginxPath() && !!browserPath();

describe.skipIf(!runnable)('requests in progress from one address, capped by nginx', () => {
  let server: RunningServer;
  let nginx: RunningNginx;
  const streams: OpenStream[] = [];
  const stream = async (from: string) => {
    const opened = await openStreamFrom(from, `${nginx.url}/discussion/${ESSAY}/events`);
    streams.push(opened);
    return opened;
  };
  const page = async (from: string) => (await sendFrom(from, `${nginx.url}/essays/${ESSAY}/`)).status;

  beforeAll(async () => {
    // Each reader counted by the address nginx saw, so the app's own per-reader stream limit is not what refuses.
    server = await startServer({ TRUSTED_PROXIES: '127.0.0.1' });
    nginx = await startNginx(server.port, { edit: lowered });
  });
  afterAll(async () => {
    for (const opened of streams) opened.close();
    await nginx?.stop();
    await server?.stop();
  });

  it('caps each address in the production file, above the live streams the app itself lets one address hold', () => {
    const site = readFileSync(NGINX_SITE_CONFIG, 'utf8');
    expect(site).toMatch(/^limit_conn_zone \$binary_remote_addr zone=convenience_bargain_addresses:\d+m;$/m);
    expect(site).toMatch(/^ *limit_conn_status 429;$/m);
    const cap = Number(LIMIT.exec(site)?.[2]);
    // A campus behind one address: every stream the app admits from it (per process, at the default
    // largest number of processes) fits under the cap, with room for page loads.
    expect(cap).toBeGreaterThan(STREAM_LIMITS.perAddress * DEFAULT_MAX_WORKERS);
    expect(cap).toBeLessThanOrEqual(1_000);
    // Openings of streams: the app's rate, and a burst of as many as one address may have in progress.
    expect(site).toMatch(new RegExp(`^limit_req_zone \\$binary_remote_addr zone=convenience_bargain_streams:\\d+m rate=${STREAM_LIMITS.opensPerMinute / 60}r/s;$`, 'm'));
    expect(Number(OPENINGS.exec(site)?.[2])).toBe(cap);
    expect(site).toMatch(/^ *limit_req_status 429;$/m);
  });

  it('refuses, in nginx, an address opening streams faster than the app allows, and serves other addresses meanwhile', async () => {
    const from = '127.0.0.9';
    const events = `${nginx.url}/discussion/${ESSAY}/events`;
    const statuses: number[] = [];
    // HEAD: answered at once by the app (headers only), so none stays in progress.
    for (let i = 0; i < 20; i++) statuses.push((await sendFrom(from, events, { method: 'HEAD' })).status);
    expect(statuses.slice(0, BURST + 1)).toEqual(Array(BURST + 1).fill(200));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect((await sendFrom('127.0.0.10', events, { method: 'HEAD' })).status).toBe(200);
    // Pages are not counted.
    expect(await page(from)).toBe(200);
    expect(nginx.errors()).toMatch(/limiting requests, excess: .* by zone "convenience_bargain_streams"/);
  });

  it('answers 429 to an address past the cap, serves other addresses meanwhile, and serves it again once a request ends', async () => {
    const held: OpenStream[] = [];
    for (let i = 0; i < CAP; i++) held.push(await stream(ADA));
    expect(held.map((s) => s.status)).toEqual(Array(CAP).fill(200));

    // Ada's next requests, a stream or a page, are refused while hers are all in progress.
    expect((await stream(ADA)).status).toBe(429);
    expect(await page(ADA)).toBe(429);

    // Grace, at another address, is served all the while.
    expect((await stream(GRACE)).status).toBe(200);
    expect(await page(GRACE)).toBe(200);

    // One of Ada's streams ends (nginx sees the connection close): she is served again.
    held[0]!.close();
    let status = 0;
    for (const until = Date.now() + 5_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 100))) {
      status = await page(ADA);
      if (status === 200) break;
    }
    expect(status).toBe(200);

    const log = nginx.errors();
    expect(log).toMatch(/\[warn\].*limiting connections by zone "convenience_bargain_addresses"/);
    expect(log).not.toMatch(/\[(?:emerg|alert|crit)\]/);
  });
});
