import { describe, expect, it } from 'vitest';
import { islandPagePath } from '../../src/features/accounts/island-page.ts';

const islandRequest = (referer?: string) =>
  new Request('http://127.0.0.1:4321/_server-islands/AccountNav?e=x&p=&s=', { headers: referer === undefined ? {} : { referer } });

describe('islandPagePath', () => {
  it.each([
    ['http://127.0.0.1:4321/essays/x/', '/essays/x/'],
    // Query and fragment are the page's state, not the page: as Astro.url.pathname had it.
    ['http://127.0.0.1:4321/discussion/x/?sort=newest#comment-3', '/discussion/x/'],
    // Behind a proxy the island's own URL names the upstream; the reader's page names the site.
    ['https://bargain.example/essays/x/', '/essays/x/'],
    ['http://127.0.0.1:4321/a/../essays/%7Ex/', '/essays/%7Ex/'],
  ])('takes the path of the page the island was loaded by: %s', (referer, path) => {
    expect(islandPagePath(islandRequest(referer), '/fallback/')).toBe(path);
  });

  it.each([undefined, '', 'not a url', 'javascript:alert(1)', 'data:text/html,hi', 'http://127.0.0.1:4321//evil.example/', 'http://127.0.0.1:4321/%2F%2Fevil.example/'])(
    'gives the fallback for a Referer that names no page of this site: %j',
    (referer) => {
      expect(islandPagePath(islandRequest(referer), '/fallback/')).toBe('/fallback/');
    },
  );
});
