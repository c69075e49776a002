import { describe, expect, it } from 'vitest';
import { essaysTagged, newestFirst, relatedEssays, tagCounts, tagSlug } from '../../src/lib/essays.ts';

const essay = (id: string, published: string, tags: string[] = [], related: string[] = []) => ({
  id,
  data: { title: id, published: new Date(published), tags, related },
});

const all = [
  essay('a', '2026-01-01', ['wechat', 'privacy'], ['c', 'missing', 'a']),
  essay('b', '2026-03-01', ['wechat']),
  essay('c', '2026-02-01', ['law']),
  essay('d', '2026-04-01', ['privacy', 'wechat']),
];

describe('essay lists', () => {
  it('orders newest first', () => {
    expect(newestFirst(all).map((e) => e.id)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('makes tag slugs for URLs', () => {
    expect(tagSlug('Privacy Paradox')).toBe('privacy-paradox');
    expect(tagSlug('  super-app! ')).toBe('super-app');
  });

  it('counts tags, most used first', () => {
    expect(tagCounts(all)).toEqual([
      { tag: 'wechat', slug: 'wechat', count: 3 },
      { tag: 'privacy', slug: 'privacy', count: 2 },
      { tag: 'law', slug: 'law', count: 1 },
    ]);
    expect(essaysTagged(all, 'privacy').map((e) => e.id)).toEqual(['d', 'a']);
  });

  it('relates the named essays first, then those sharing most tags, never itself or a missing slug', () => {
    expect(relatedEssays(all[0], all).map((e) => e.id)).toEqual(['c', 'd', 'b']);
    expect(relatedEssays(all[1], all, 2).map((e) => e.id)).toEqual(['d', 'a']);
  });
});

describe('the sitemap', () => {
  it('lists the reading pages and leaves forms and accounts out', async () => {
    const { inSitemap } = await import('../../src/lib/sitemap.ts');
    const site = 'https://example.org';
    for (const path of ['/', '/essays/fuchs-and-the-prosumer/', '/tags/', '/tags/wechat/', '/figures/', '/privacy/']) {
      expect(inSitemap(site + path), path).toBe(true);
    }
    for (const path of ['/signin/', '/account/', '/account/delete/', '/polls/wechat-paradox/', '/u/ada/', '/essays/']) {
      expect(inSitemap(site + path), path).toBe(false);
    }
  });
});
