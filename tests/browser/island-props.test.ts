// The discussion island takes one prop, the essay's slug: every prop rides (encrypted) in the
// island's URL in the page's script, which has a budget. The island looks the essay up itself, so a
// slug no essay has, or a prop that is not a slug, gets the island's notice, never an error; props
// a page built before carried (the title, the front matter's setting) are ignored, never trusted.
// The props are encrypted here as Astro does it (its own function, with the build's key), since
// only the server's key can make props the island will read. The poll island takes the poll alone:
// its forms return to the page the browser names in its Referer.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reasonMessage } from '../../src/features/discussion/rules.ts';
import { browserPath } from '../support/browser.ts';
import { TEST_ASTRO_KEY } from '../support/build-once.ts';
import { islandUrl } from '../support/discussion-routes.ts';
import { essaySlugs, essaySource } from '../support/pages.ts';
import { ROOT } from '../support/paths.ts';
import { startServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';

interface AstroEncryption {
  decodeKey(encoded: string): Promise<CryptoKey>;
  encryptString(key: CryptoKey, raw: string, additionalData?: string): Promise<string>;
  decryptString(key: CryptoKey, encoded: string, additionalData?: string): Promise<string>;
}
/** Props of the Discussion island are encrypted with this as their additional data (Astro's server-islands.js). */
const PROPS_OF = 'props:Discussion';

describe.skipIf(!browserPath())('the islands’ props', () => {
  it('of the discussion island are the essay’s slug alone, looked up on the server: an unknown slug or a wrong prop gets the notice, not an error', async () => {
    const server = await startServer({ ASTRO_KEY: TEST_ASTRO_KEY });
    try {
      const page = await (await fetch(`${server.url}/essays/${ESSAY}/`)).text();
      const island = new URL(islandUrl(page), server.url);
      const { decodeKey, encryptString, decryptString } = (await import(pathToFileURL(join(ROOT, 'node_modules/astro/dist/core/encryption.js')).href)) as AstroEncryption;
      const cryptoKey = await decodeKey(TEST_ASTRO_KEY);
      // The page's island URL carries the one prop.
      expect(JSON.parse(await decryptString(cryptoKey, island.searchParams.get('p')!, PROPS_OF))).toEqual({ essay: ESSAY });

      const withProps = async (props: Record<string, unknown>) => {
        const url = new URL(island);
        url.searchParams.set('p', Object.keys(props).length ? await encryptString(cryptoKey, JSON.stringify(props), PROPS_OF) : '');
        const response = await fetch(url);
        return { status: response.status, html: await response.text() };
      };

      const real = await withProps({ essay: ESSAY });
      expect(real.status).toBe(200);
      expect(real.html).toContain(`data-essay="${ESSAY}"`);
      // A page built before this island took the slug alone: its other props change nothing.
      const older = await withProps({ essay: ESSAY, title: 'Another title', discussion: 'closed' });
      expect(older.status).toBe(200);
      expect(older.html).toContain(`data-essay="${ESSAY}"`);
      expect(older.html).not.toContain(reasonMessage('closed'));
      expect(older.html).not.toContain('Another title');

      for (const props of [{ essay: 'no-such-essay' }, { essay: '../../etc/passwd' }, { essay: 'Wechat-App-For-Everything' }, { essay: 42 }, { essay: [ESSAY] }, {}]) {
        const { status, html } = await withProps(props);
        expect(status, JSON.stringify(props)).toBe(200);
        expect(html, JSON.stringify(props)).toContain('This discussion could not be loaded.');
        expect(html, JSON.stringify(props)).not.toContain('data-discussion');
      }
    } finally {
      await server.stop();
    }
  });

  it('of the poll island are the poll alone: its forms return to the page the Referer names, or to the poll’s own page', async () => {
    const server = await startServer({ ASTRO_KEY: TEST_ASTRO_KEY });
    try {
      const essay = essaySlugs().find((slug) => /<ReaderPoll[\s/>]/.test(essaySource(slug)));
      expect(essay, 'no essay has the reader poll').toBeDefined();
      const island = new URL(islandUrl(await (await fetch(`${server.url}/essays/${essay}/`)).text(), 'PollIsland'), server.url);
      const { decodeKey, decryptString } = (await import(pathToFileURL(join(ROOT, 'node_modules/astro/dist/core/encryption.js')).href)) as AstroEncryption;
      expect(JSON.parse(await decryptString(await decodeKey(TEST_ASTRO_KEY), island.searchParams.get('p')!, 'props:PollIsland'))).toEqual({ poll: 'wechat-paradox' });
      const returnOf = async (referer?: string) => {
        const html = await (await fetch(island, { headers: referer ? { referer } : {} })).text();
        return /<input type="hidden" name="return" value="([^"]*)"/.exec(html)?.[1];
      };
      expect(await returnOf(`${server.url}/essays/${essay}/#reader-poll`)).toBe(`/essays/${essay}/`);
      expect(await returnOf(`${server.url}/figures/`)).toBe('/figures/');
      expect(await returnOf()).toBe('/polls/wechat-paradox/');
      expect(await returnOf(`${server.url}//evil.example/`)).toBe('/polls/wechat-paradox/');
    } finally {
      await server.stop();
    }
  });
});
