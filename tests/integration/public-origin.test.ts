// A form posted from the site's own https pages, through a proxy that ends TLS, reaches Astro's
// origin check with the Origin Astro compares it to (src/server/public-origin.ts); every other
// Origin reaches it as sent. On the built server: tests/browser/public-origin-http.test.ts.
import { request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../src/server/http-server.ts';
import { withPublicOrigin } from '../../src/server/public-origin.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** The Origin the handler inside saw, for a request with these headers. */
async function seen(siteUrl: string, headers: Record<string, string>): Promise<string | undefined> {
  let origin: string | undefined;
  const inner = (req: IncomingMessage, res: ServerResponse) => {
    origin = req.headers.origin;
    res.end();
  };
  server = await listen(withPublicOrigin(inner, new URL(siteUrl)), '127.0.0.1', 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/signin', headers, agent: false }, (res) => res.resume().on('end', resolve));
    req.on('error', reject);
    req.end();
  });
  await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
  return origin;
}

describe('the site\'s public origin behind a proxy that ends TLS', () => {
  it('gives the site\'s own https Origin as Astro sees the address', async () => {
    expect(await seen('https://example.org', { origin: 'https://example.org', host: 'example.org' })).toBe('http://example.org');
    expect(await seen('https://example.org:8443/', { origin: 'https://example.org:8443', host: 'example.org:8443' })).toBe('http://example.org:8443');
  });

  it('leaves every other Origin as it was sent', async () => {
    expect(await seen('https://example.org', { origin: 'https://elsewhere.example', host: 'example.org' })).toBe('https://elsewhere.example');
    expect(await seen('https://example.org', { origin: 'https://example.org', host: 'elsewhere.example' })).toBe('https://example.org');
    expect(await seen('https://example.org', { origin: 'http://example.org', host: 'example.org' })).toBe('http://example.org');
    expect(await seen('https://example.org', { origin: 'null', host: 'example.org' })).toBe('null');
    expect(await seen('https://example.org', { host: 'example.org' })).toBeUndefined();
    // A site served over plain http needs nothing.
    expect(await seen('http://example.org', { origin: 'https://example.org', host: 'example.org' })).toBe('https://example.org');
  });
});
