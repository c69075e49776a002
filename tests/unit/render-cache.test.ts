import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { RenderCache, sharedIsland, sharedRendering } from '../../src/features/discussion/render-cache.ts';
import { makeUser } from '../support/fixtures.ts';

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

describe('the discussion\'s one cache of shared renderings', () => {
  let db: Db;
  beforeEach(() => {
    db = createDatabase();
  });
  afterEach(() => closeDatabase(db));

  it('renders once per data version and key, and again after any write', async () => {
    let renders = 0;
    const render = async () => `rendering ${++renders}`;
    expect(await sharedRendering(db, 'threads a', render, { now: 0 })).toEqual({ value: 'rendering 1', hit: false });
    expect(await sharedRendering(db, 'threads a', render, { now: 1 })).toEqual({ value: 'rendering 1', hit: true });
    expect(await sharedRendering(db, 'threads b', render, { now: 2 })).toEqual({ value: 'rendering 2', hit: false });
    await makeUser(db);
    expect(await sharedRendering(db, 'threads a', render, { now: 3 })).toEqual({ value: 'rendering 3', hit: false });
    expect(await sharedRendering(db, 'threads a', render, { now: 30_004 })).toEqual({ value: 'rendering 4', hit: false });
  });

  it('keeps nothing for another connection, and nothing `keep` refuses', async () => {
    const other = createDatabase();
    try {
      await sharedRendering(db, 'k', async () => 'mine');
      expect(await sharedRendering(other, 'k', async () => 'theirs')).toEqual({ value: 'theirs', hit: false });
      await sharedRendering(db, 'refused', async () => 'no', { keep: () => false });
      expect(await sharedRendering(db, 'refused', async () => 'again')).toEqual({ value: 'again', hit: false });
    } finally {
      closeDatabase(other);
    }
  });

  it('serves the island from memory only as a plain 200 without cookies, saying hit or miss', async () => {
    const url = new URL('http://site.test/_server-islands/Discussion?e=1');
    const island = (response: () => Response) => sharedIsland(db, url, async () => response());
    const first = await island(() => new Response('<p>island</p>', { headers: { 'content-type': 'text/html' } }));
    expect([first.headers.get('x-render-cache'), await first.text()]).toEqual(['miss', '<p>island</p>']);
    const second = await island(() => new Response('not asked'));
    expect([second.headers.get('x-render-cache'), second.headers.get('content-type'), await second.text()]).toEqual(['hit', 'text/html', '<p>island</p>']);

    const other = new URL('http://site.test/_server-islands/Discussion?e=2');
    for (const response of [new Response('gone', { status: 404 }), new Response('cookie', { headers: { 'set-cookie': 'a=b' } })]) {
      const answered = await sharedIsland(db, other, async () => response);
      expect(answered).toBe(response);
      expect(answered.headers.has('x-render-cache')).toBe(false);
    }
  });
});
