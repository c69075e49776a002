import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { RenderCache, sharedIsland, sharedRendering } from '../../src/features/discussion/render-cache.ts';
import { contentTag, SHARED_CACHE_CONTROL } from '../../src/server/conditional-get.ts';
import { makeUser } from '../support/fixtures.ts';

const response = (body: string) => ({ body, headers: [['content-type', 'text/html']] as [string, string][] });

describe('RenderCache', () => {
  it('serves an entry while the version matches and it is young enough', () => {
    const cache = new RenderCache<ReturnType<typeof response>>(10, 1_000);
    cache.set('a', 'v1', response('A'), 0);
    expect(cache.get('a', 'v1', 999)?.body).toBe('A');
    expect(cache.get('b', 'v1', 0)).toBeUndefined();
  });

  it('drops an entry once the database has changed', () => {
    const cache = new RenderCache<ReturnType<typeof response>>(10, 1_000);
    cache.set('a', 'v1', response('A'), 0);
    expect(cache.get('a', 'v2', 1)).toBeUndefined();
    expect(cache.get('a', 'v1', 2)).toBeUndefined();
  });

  it('drops an entry older than its time to live', () => {
    const cache = new RenderCache<ReturnType<typeof response>>(10, 1_000);
    cache.set('a', 'v1', response('A'), 0);
    expect(cache.get('a', 'v1', 1_001)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const cache = new RenderCache<ReturnType<typeof response>>(2, 1_000);
    cache.set('a', 'v', response('A'), 0);
    cache.set('b', 'v', response('B'), 0);
    cache.set('c', 'v', response('C'), 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 'v', 0)).toBeUndefined();
    expect(cache.get('c', 'v', 0)?.body).toBe('C');
  });
  it('lets go of every entry of an older version as soon as one of a newer version is kept', () => {
    const cache = new RenderCache<ReturnType<typeof response>>(10, 1_000);
    cache.set('a', 'v1', response('A'), 0, 100);
    cache.set('b', 'v1', response('B'), 0, 100);
    expect(cache.bytes).toBe(200);
    cache.set('c', 'v2', response('C'), 1, 50);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(50);
    expect(cache.get('c', 'v2', 2)?.body).toBe('C');
  });

  it('keeps what its entries weigh within maxBytes, dropping the oldest first', () => {
    const cache = new RenderCache<ReturnType<typeof response>>(10, 1_000, 250);
    cache.set('a', 'v', response('A'), 0, 100);
    cache.set('b', 'v', response('B'), 0, 100);
    cache.set('a', 'v', response('A2'), 0, 100); // stored again: weighed once, and now the newest
    expect(cache.bytes).toBe(200);
    cache.set('c', 'v', response('C'), 0, 100);
    expect(cache.get('b', 'v', 0)).toBeUndefined();
    expect(cache.get('a', 'v', 0)?.body).toBe('A2');
    expect(cache.get('c', 'v', 0)?.body).toBe('C');
    expect(cache.bytes).toBe(200);
    // One entry heavier than the bound is not kept at all.
    cache.set('huge', 'v', response('H'), 0, 1_000);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
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

  it('keeps no rendering the database changed under, so it cannot push out the current ones', async () => {
    let release!: (value: string) => void;
    const slow = sharedRendering(db, 'threads x', () => new Promise<string>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await makeUser(db); // the database moves on while x renders
    expect(await sharedRendering(db, 'threads y', async () => 'y now')).toEqual({ value: 'y now', hit: false });
    release('x from before');
    expect((await slow).value).toBe('x from before');
    expect(await sharedRendering(db, 'threads y', async () => 'not asked')).toEqual({ value: 'y now', hit: true });
    expect(await sharedRendering(db, 'threads x', async () => 'x now')).toEqual({ value: 'x now', hit: false });
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

  it('renders once for readers who arrive while the same rendering is under way', async () => {
    let renders = 0;
    let finish!: (value: string) => void;
    const slow = () => {
      renders++;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const readers = Array.from({ length: 5 }, () => sharedRendering(db, 'threads slow', slow));
    await new Promise((resolve) => setTimeout(resolve, 10));
    finish('rendered once');
    const answers = await Promise.all(readers);
    expect(renders).toBe(1);
    expect(answers.map((a) => a.value)).toEqual(Array(5).fill('rendered once'));
    expect(answers.filter((a) => !a.hit)).toHaveLength(1);
  });

  it('lets each waiting reader render their own when the one under way fails or is not for sharing', async () => {
    let renders = 0;
    let fail!: (error: Error) => void;
    const first = sharedRendering(db, 'threads failing', () => {
      renders++;
      return new Promise<string>((_, reject) => (fail = reject));
    });
    const second = sharedRendering(db, 'threads failing', async () => `own ${++renders}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    fail(new Error('broken'));
    await expect(first).rejects.toThrow('broken');
    expect((await second).value).toBe('own 2');

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const personal = sharedRendering(db, 'island personal', async () => (await gate, 'for one reader'), { keep: () => false });
    const other = sharedRendering(db, 'island personal', async () => 'for the other', { keep: () => false });
    release();
    expect([(await personal).value, (await other).value]).toEqual(['for one reader', 'for the other']);
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

  it('sends the kept island compressed as the reader asks, compressing each rendering once per coding', async () => {
    const url = new URL('http://site.test/_server-islands/Discussion?e=3');
    const html = `<ol>${'<li>A comment, and a reply to it.</li>'.repeat(200)}</ol>`;
    let renders = 0;
    const render = async () => {
      renders++;
      return new Response(html, { headers: { 'content-type': 'text/html', 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' } });
    };
    const ask = (acceptEncoding?: string, ifNoneMatch?: string) =>
      sharedIsland(db, url, render, new Headers({ ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}), ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) }));

    const br = await ask('gzip, br');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(brBytes).toString()).toBe(html);
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.length);
    expect(brBytes.length).toBeLessThan(html.length / 10);
    // Marked for shared caches, whatever the rendering said for its own reader.
    expect(br.headers.get('cache-control')).toBe(SHARED_CACHE_CONTROL);
    expect(br.headers.get('vary')).toBe('Cookie, Accept-Encoding');
    expect(br.headers.get('x-robots-tag')).toBe('noindex');
    // The tag is the bytes' digest: every process gives the same rendering the same tag.
    expect(br.headers.get('etag')).toBe(contentTag(Buffer.from(html)));

    const again = await ask('br');
    expect(Buffer.from(await again.arrayBuffer()).equals(brBytes)).toBe(true);
    const gzip = await ask('gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(html);
    const plain = await ask(undefined);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(html);
    expect(renders).toBe(1);

    // A matching tag: 304 from the kept rendering, with the marks the full answer would carry.
    const notModified = await ask('br', `"other", ${br.headers.get('etag')}`);
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect([notModified.headers.get('etag'), notModified.headers.get('cache-control'), notModified.headers.get('vary')]).toEqual([br.headers.get('etag'), SHARED_CACHE_CONTROL, 'Cookie, Accept-Encoding']);
    expect((await ask('br', 'W/"something-else"')).status).toBe(200);
    expect(renders).toBe(1);
  });

  it('gives a changed rendering a new tag after a write, and never a 304 for the old one', async () => {
    const url = new URL('http://site.test/_server-islands/Discussion?e=4');
    let text = 'before';
    const render = async () => new Response(`<p>${text}</p>`, { headers: { 'content-type': 'text/html' } });
    const first = await sharedIsland(db, url, render, new Headers());
    text = 'after';
    await makeUser(db);
    const second = await sharedIsland(db, url, render, new Headers({ 'if-none-match': first.headers.get('etag')! }));
    expect(second.status).toBe(200);
    expect(await second.text()).toBe('<p>after</p>');
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
  });
});
