import { describe, expect, it } from 'vitest';
import { RenderCache } from '../../src/features/discussion/render-cache.ts';

const response = (body: string) => ({ body, headers: [['content-type', 'text/html']] as [string, string][] });

describe('RenderCache', () => {
  it('serves an entry while the version matches and it is young enough', () => {
    const cache = new RenderCache(10, 1_000);
    cache.set('a', 'v1', response('A'), 0);
    expect(cache.get('a', 'v1', 999)?.body).toBe('A');
    expect(cache.get('b', 'v1', 0)).toBeUndefined();
  });

  it('drops an entry once the database has changed', () => {
    const cache = new RenderCache(10, 1_000);
    cache.set('a', 'v1', response('A'), 0);
    expect(cache.get('a', 'v2', 1)).toBeUndefined();
    expect(cache.get('a', 'v1', 2)).toBeUndefined();
  });

  it('drops an entry older than its time to live', () => {
    const cache = new RenderCache(10, 1_000);
    cache.set('a', 'v1', response('A'), 0);
    expect(cache.get('a', 'v1', 1_001)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const cache = new RenderCache(2, 1_000);
    cache.set('a', 'v', response('A'), 0);
    cache.set('b', 'v', response('B'), 0);
    cache.set('c', 'v', response('C'), 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 'v', 0)).toBeUndefined();
    expect(cache.get('c', 'v', 0)?.body).toBe('C');
  });
});
