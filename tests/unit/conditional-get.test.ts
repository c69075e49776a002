// Validators for the discussion's answers (src/server/conditional-get.ts, cacheable-routes.ts) on
// a real migrated database: what changes a tag, what never shares one, and a 304 without rendering.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { cacheableKind, conditionalResponse, type CacheableContext } from '../../src/server/cacheable-routes.ts';
import { contentTag, matchesTag, PERSONAL_CACHE_CONTROL, SHARED_CACHE_CONTROL, stateTag, TAG_LIFETIME_MS } from '../../src/server/conditional-get.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';

const ESSAY = 'wechat-app-for-everything';
let db: Db;
beforeEach(() => {
  db = createDatabase();
});
afterEach(() => closeDatabase(db));

describe('tags made from the database and the request', () => {
  it('change with any write, with who reads, with the address and with the time', async () => {
    const now = 1_000_000 * TAG_LIFETIME_MS;
    const tag = await stateTag(db, ['island', '/x', 'signed out'], now);
    expect(await stateTag(db, ['island', '/x', 'signed out'], now + TAG_LIFETIME_MS - 1)).toBe(tag);
    expect(await stateTag(db, ['island', '/x', 'account a'], now)).not.toBe(tag);
    expect(await stateTag(db, ['island', '/x?page=2', 'signed out'], now)).not.toBe(tag);
    expect(await stateTag(db, ['island', '/x', 'signed out'], now + TAG_LIFETIME_MS)).not.toBe(tag);
    const author = await makeUser(db);
    expect(await stateTag(db, ['island', '/x', 'signed out'], now)).not.toBe(tag);
    const afterUser = await stateTag(db, ['island', '/x', 'signed out'], now);
    await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'New.' });
    expect(await stateTag(db, ['island', '/x', 'signed out'], now)).not.toBe(afterUser);
  });

  it('never match across connections: data_version counts per connection', async () => {
    const other = createDatabase();
    try {
      expect(await stateTag(other, ['feed', '/f'])).not.toBe(await stateTag(db, ['feed', '/f']));
    } finally {
      closeDatabase(other);
    }
  });

  it('are weak, and compared weakly; a body digest is the same wherever it is made', () => {
    expect(contentTag(Buffer.from('<p>x</p>'))).toBe(contentTag(Buffer.from('<p>x</p>')));
    expect(contentTag(Buffer.from('<p>x</p>'))).toMatch(/^W\/"[\w-]{27}"$/);
    expect(matchesTag('W/"a"', 'W/"a"')).toBe(true);
    expect(matchesTag('"a"', 'W/"a"')).toBe(true);
    expect(matchesTag('W/"b", W/"a"', 'W/"a"')).toBe(true);
    expect(matchesTag('*', 'W/"a"')).toBe(true);
    expect(matchesTag('W/"ab"', 'W/"a"')).toBe(false);
    expect(matchesTag(null, 'W/"a"')).toBe(false);
    expect(matchesTag('', 'W/"a"')).toBe(false);
  });
});

describe('the discussion answers that carry tags', () => {
  it('are the island, the discussion pages and the feeds, and not the live stream', () => {
    expect(cacheableKind('/_server-islands/Discussion')).toBe('island');
    expect(cacheableKind('/discussion/x/')).toBe('discussion');
    expect(cacheableKind('/discussion/x')).toBe('discussion');
    expect(cacheableKind('/discussion/x/feed.xml')).toBe('feed');
    expect(cacheableKind('/discussion/feed.xml')).toBe('feed');
    for (const other of ['/discussion/x/events', '/_server-islands/AccountNav', '/essays/x/', '/comments/1', '/discussion/']) expect(cacheableKind(other), other).toBeNull();
  });
});

describe('a conditional request', () => {
  const context = (path: string, headers: Record<string, string> = {}, cookies: string[] = []): CacheableContext => {
    const url = new URL(path, 'http://site.test');
    return { url, request: new Request(url, { headers }), cookies: { headers: function* () { yield* cookies; } } };
  };
  const page = () => new Response('<p>the page</p>', { headers: { 'content-type': 'text/html', 'cache-control': 'private, no-store', vary: 'Cookie, X-Discussion-Fragment' } });

  it('is answered 304 before rendering while the tag holds, and rendered again after a write', async () => {
    let renders = 0;
    const next = async () => {
      renders++;
      return page();
    };
    const now = Date.now();
    const options = { db, kind: 'discussion' as const, anonymous: false, accountId: 'ada', now };
    const first = await conditionalResponse(context('/discussion/x/'), next, options);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^W\//);
    expect(first.headers.get('cache-control')).toBe(PERSONAL_CACHE_CONTROL);
    expect(first.headers.get('vary')).toBe('Cookie, X-Discussion-Fragment, Accept-Encoding');

    const second = await conditionalResponse(context('/discussion/x/', { 'if-none-match': tag }), next, options);
    expect(second.status).toBe(304);
    expect(renders).toBe(1);
    expect([second.headers.get('etag'), second.headers.get('cache-control'), second.headers.get('vary')]).toEqual([tag, PERSONAL_CACHE_CONTROL, 'Cookie, X-Discussion-Fragment, Accept-Encoding']);

    // Another reader, the fragment, another page: the tag does not hold, so the answer is rendered.
    for (const [path, headers, accountId] of [
      ['/discussion/x/', {}, 'grace'],
      ['/discussion/x/', { 'x-discussion-fragment': '1' }, 'ada'],
      ['/discussion/x/?page=2', {}, 'ada'],
    ] as const) {
      const answer = await conditionalResponse(context(path, { 'if-none-match': tag, ...headers }), next, { ...options, accountId });
      expect(answer.status, `${path} ${accountId}`).toBe(200);
    }
    expect(renders).toBe(4);

    await makeUser(db);
    const afterWrite = await conditionalResponse(context('/discussion/x/', { 'if-none-match': tag }), next, options);
    expect(afterWrite.status).toBe(200);
    expect(afterWrite.headers.get('etag')).not.toBe(tag);
  });

  it('marks signed-out answers for shared caches and signed-in ones private', async () => {
    const signedOut = await conditionalResponse(context('/discussion/feed.xml'), async () => page(), { db, kind: 'feed', anonymous: true, accountId: null });
    expect(signedOut.headers.get('cache-control')).toBe(SHARED_CACHE_CONTROL);
    expect(signedOut.headers.get('vary')).toBe('Cookie, X-Discussion-Fragment, Accept-Encoding');
    const signedIn = await conditionalResponse(context('/discussion/feed.xml'), async () => page(), { db, kind: 'feed', anonymous: false, accountId: 'ada' });
    expect(signedIn.headers.get('cache-control')).toBe(PERSONAL_CACHE_CONTROL);
    expect(signedIn.headers.get('etag')).not.toBe(signedOut.headers.get('etag'));
  });

  it('gives no tag and no shared mark to an answer that sets a cookie, nor a 304 when one is to be set', async () => {
    const refreshed = await conditionalResponse(context('/discussion/x/', {}, ['session=new; Path=/']), async () => page(), { db, kind: 'discussion', anonymous: true, accountId: null });
    expect(refreshed.headers.get('etag')).toBeNull();
    expect(refreshed.headers.get('cache-control')).toBe('private, no-store');

    const tagged = await conditionalResponse(context('/discussion/x/'), async () => page(), { db, kind: 'discussion', anonymous: true, accountId: null });
    const withCookie = await conditionalResponse(context('/discussion/x/', { 'if-none-match': tagged.headers.get('etag')! }, ['session=; Max-Age=0']), async () => page(), { db, kind: 'discussion', anonymous: true, accountId: null });
    expect(withCookie.status).toBe(200);

    const setByPage = await conditionalResponse(context('/discussion/x/'), async () => new Response('x', { headers: { 'set-cookie': 'a=b' } }), { db, kind: 'discussion', anonymous: true, accountId: null });
    expect(setByPage.headers.get('etag')).toBeNull();
  });

  it('leaves answers other than a plain 200 as they are', async () => {
    const missing = await conditionalResponse(context('/discussion/nope/'), async () => new Response('No such essay.', { status: 404, headers: { 'cache-control': 'private, no-store' } }), { db, kind: 'discussion', anonymous: true, accountId: null });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
    expect(missing.headers.get('cache-control')).toBe('private, no-store');
  });
});
