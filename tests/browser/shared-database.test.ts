// Two server processes on one SQLite file, as WORKERS=2 runs them, each addressed on its own port
// (cluster's round robin would not say which worker answered): what one writes the other shows on
// the next request, no limit doubles when requests alternate between them, and concurrent writers
// wait for each other instead of failing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { islandUrl, postRequest } from '../support/discussion-routes.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, postForm } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('two server processes on one database file', () => {
  let a: RunningServer;
  let b: RunningServer;
  let island: string;

  beforeAll(async () => {
    a = await startServer();
    b = await startServer({ DATABASE_PATH: a.databasePath });
    island = islandUrl(await (await fetch(`${a.url}/essays/${ESSAY}/`)).text());
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const signedIn = async (server: RunningServer, name: string) => {
    const user = await makeUser(server.db, { displayName: name });
    return { ...user, cookie: cookieHeader(await sessionCookie(server.db, user.id)) };
  };

  const post = (server: RunningServer, cookie: string, body: string) => {
    const request = postRequest(server.url, { essay: ESSAY, parentId: null, body });
    return fetch(server.url + request.path, { method: 'POST', body: request.body, headers: { ...request.headers, cookie }, redirect: 'manual' });
  };

  it('shows a comment posted through one on the next request to the other, signed out and signed in', async () => {
    const ada = await signedIn(a, 'Ada');
    await makeComment(a.db, { essay: ESSAY, authorId: ada.id, body: 'Already here.' });
    // B has the island in its cache (signed out) and its shared threads (signed in).
    await fetch(b.url + island);
    expect((await fetch(b.url + island)).headers.get('x-render-cache')).toBe('hit');
    expect(await (await fetch(b.url + island, { headers: { cookie: ada.cookie } })).text()).toContain('Already here.');

    expect((await post(a, ada.cookie, 'Posted through the first process.')).status).toBe(303);

    const signedOut = await fetch(b.url + island);
    expect(signedOut.headers.get('x-render-cache')).toBe('miss');
    expect(await signedOut.text()).toContain('Posted through the first process.');
    expect(await (await fetch(b.url + island, { headers: { cookie: ada.cookie } })).text()).toContain('Posted through the first process.');
    expect(await (await fetch(`${b.url}/discussion/${ESSAY}/`)).text()).toContain('Posted through the first process.');
  });

  it('refuses the sixth comment in a minute whether the five went to one process or alternated between two', async () => {
    const one = await signedIn(a, 'One');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(a, one.cookie, `To one process, number ${i}.`)).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);

    const spread = await signedIn(a, 'Spread');
    const alternating: number[] = [];
    for (let i = 0; i < 6; i++) alternating.push((await post(i % 2 ? b : a, spread.cookie, `Alternating, number ${i}.`)).status);
    expect(alternating).toEqual(statuses);
    expect((await post(a, spread.cookie, 'And once more on the first.')).status).toBe(429);
  });

  it('refuses the sixth wrong password in the same place whether the guesses went to one process or alternated', async () => {
    const guess = (server: RunningServer, username: string, i: number) =>
      postForm(`${server.url}/signin`, { username, password: `wrong-guess-${i}` }).then((r) => r.status);
    // Names nobody has: the guesses are counted all the same (the limiter keys do not ask).
    const [oneName, spreadName] = [`nobody_one_${Date.now()}`, `nobody_spread_${Date.now()}`];
    const one: number[] = [];
    for (let i = 0; i < 7; i++) one.push(await guess(a, oneName, i));
    const spread: number[] = [];
    for (let i = 0; i < 7; i++) spread.push(await guess(i % 2 ? b : a, spreadName, i));
    expect(one).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(spread).toEqual(one);
  });

  it('lets concurrent writers in both processes wait for each other: every post and like lands, none fails', async () => {
    const readers = await Promise.all(Array.from({ length: 12 }, (_, i) => signedIn(a, `Writer ${i}`)));
    const author = await makeUser(a.db, { displayName: 'Liked' });
    const target = await makeComment(a.db, { essay: ESSAY, authorId: author.id, body: 'Like me from both sides.' });
    const requests = readers.flatMap((reader, i) => [
      post(i % 2 ? a : b, reader.cookie, `Concurrent comment from writer ${i}, first.`),
      post(i % 2 ? b : a, reader.cookie, `Concurrent comment from writer ${i}, second.`),
      postForm(`${(i % 2 ? a : b).url}/comments/${target}/like`, { liked: '1' }, { cookie: reader.cookie }),
    ]);
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 303)).toEqual([]);
  });

  it('answers 503 with Retry-After, not 500, when the database stays busy beyond the wait, and still serves reads', async () => {
    const reader = await signedIn(a, 'Patient');
    // Another connection holds the write lock for longer than busy_timeout (5 s), as a long
    // write elsewhere would.
    a.db.$client.exec('BEGIN IMMEDIATE');
    try {
      const read = await fetch(b.url + island);
      expect(read.status).toBe(200);
      const started = Date.now();
      const refused = await post(b, reader.cookie, 'Posted while the database is held.');
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.text()).toMatch(/too busy/);
    } finally {
      a.db.$client.exec('ROLLBACK');
    }
    expect((await post(b, reader.cookie, 'Posted once the database is free.')).status).toBe(303);
  }, 20_000);
});
