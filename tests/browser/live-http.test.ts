// The live discussion's stream over HTTP against the real built server: its headers (no cache, no
// proxy buffering, never compressed), refusals, resuming after a drop with Last-Event-ID missing
// nothing, and the per-address limit. Comments are posted through the real routes by a reader.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { latestEventSeq } from '../../db/discussion/events.ts';
import { ban } from '../../src/features/moderation/service.ts';
import { POLL_MS } from '../../src/features/discussion/live/watcher.ts';
import { STREAM_LIMITS } from '../../src/features/discussion/live/delivery-rules.ts';
import { browserPath } from '../support/browser.ts';
import { openStreamFrom } from '../support/client-address.ts';
import { makeUser } from '../support/fixtures.ts';
import { makeAdmin } from '../support/moderation.ts';
import { cookieHeader, formBody, send } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';
import { SseReader } from '../support/sse.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('the live stream over HTTP', () => {
  let server: RunningServer;
  let cookie: string;
  const readers: SseReader[] = [];
  beforeAll(async () => {
    server = await startServer();
    cookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db)).id));
  });
  afterAll(async () => {
    await Promise.all(readers.map((r) => r.cancel()));
    await server?.stop();
  });

  const events = (query = '', headers: Record<string, string> = {}) => fetch(`${server.url}/discussion/${ESSAY}/events${query}`, { headers });
  async function open(query = '', headers: Record<string, string> = {}): Promise<SseReader> {
    const response = await events(query, headers);
    expect(response.status).toBe(200);
    const reader = new SseReader(response.body!);
    readers.push(reader);
    await reader.live();
    return reader;
  }
  async function post(body: string, as = cookie): Promise<number> {
    const response = await send(server.url, { path: '/comments/new', body: formBody({ essay: ESSAY, body }), cookie: as });
    expect(response.status).toBe(303);
    return Number(/#comment-(\d+)/.exec(response.location)![1]);
  }
  const signedInAs = async (options: { trusted?: boolean } = {}) => {
    const user = await makeUser(server.db, options);
    return { id: user.id, cookie: cookieHeader(await sessionCookie(server.db, user.id)) };
  };
  /** Markup only a reader who may take part is sent: reply, like and flag controls. */
  const participant = (html: string) => /data-reply=|<button|flag-link/.test(html);
  const comments = (sse: SseReader) => sse.of<{ id: number; html: string }>('comment');

  // First, while no other stream is open.
  it(`holds at most ${STREAM_LIMITS.perReader} streams from one address (429 with Retry-After beyond), and takes one again once one closes`, async () => {
    const opened = await Promise.all(Array.from({ length: STREAM_LIMITS.perReader }, () => events()));
    expect(opened.map((r) => r.status)).toEqual(Array(STREAM_LIMITS.perReader).fill(200));
    const bodies = opened.map((r) => new SseReader(r.body!));
    const refused = await events();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    // Not kept alive: one address could otherwise hold hundreds of idle refused connections.
    expect(refused.headers.get('connection')).toBe('close');
    expect(await refused.text()).toMatch(/Too many live discussions/);
    await Promise.all(bodies.map((b) => b.cancel()));
    await expect.poll(async () => {
      const response = await events();
      await response.body?.cancel();
      return response.status;
    }, { timeout: 3_000 }).toBe(200);
  });

  it('lets go of a stream pipelined behind another request once its connection closes (outside the per-address count again)', async () => {
    // The stream's response gets the socket only when the first answer is done: the hand-off must
    // still hear the socket close (server/stream-hand-off.ts), or each of these would stay counted.
    const from = '127.0.0.61';
    const { port } = new URL(server.url);
    for (let i = 0; i < STREAM_LIMITS.perReader + 2; i++) {
      const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress: from });
      let received = '';
      const headed = new Promise<void>((resolve) => socket.on('data', (c: Buffer) => (received += c.toString()).includes('retry:') && resolve()));
      socket.write(`GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\nGET /discussion/${ESSAY}/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);
      await headed;
      expect(received).toMatch(/^HTTP\/1\.1 200.*HTTP\/1\.1 200.*text\/event-stream/s);
      socket.destroy();
    }
    await vi.waitFor(
      async () => {
        const stream = await openStreamFrom(from, `${server.url}/discussion/${ESSAY}/events`);
        stream.close();
        expect(stream.status).toBe(200);
      },
      { timeout: 5_000, interval: 250 },
    );
  });

  it('answers an event stream nobody caches, buffers or compresses, with a reconnect delay', async () => {
    const response = await events('', { 'accept-encoding': 'br, gzip, deflate' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('content-encoding')).toBeNull();
    // Handed Node's response out of Astro's pipeline (server/stream-hand-off.ts): the offer's id stays in the server.
    expect(response.headers.get('x-stream-hand-off')).toBeNull();
    // Held by the stream holder's process (server/held-streams.ts): the body ends with the connection.
    expect(response.headers.get('connection')).toBe('close');
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = new SseReader(response.body!);
    readers.push(reader);
    await reader.live();
    expect(reader.retry).toBe(5000);
    const head = await fetch(`${server.url}/discussion/${ESSAY}/events`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
  });

  it('refuses an unknown essay (404) and an event number that is not one (400)', async () => {
    expect((await fetch(`${server.url}/discussion/no-such-essay/events`)).status).toBe(404);
    for (const junk of ['?since=abc', '?since=-1', '?since=1e3']) expect((await events(junk)).status).toBe(400);
    expect((await events('', { 'last-event-id': 'x' })).status).toBe(400);
  });

  it('delivers comments in order and resumes after a drop from Last-Event-ID, missing nothing', async () => {
    const first = await open(`?since=${latestEventSeq(server.db)}`);
    const a = await post('Live over HTTP, one');
    await first.until((r) => r.of<{ id: number }>('comment').some((m) => m.id === a));
    const lastId = first.events.filter((e) => e.id !== null).at(-1)!.id!;
    await first.cancel();
    const b = await post('Live over HTTP, two');
    const c = await post('Live over HTTP, three');
    // The browser sends the last id it had; the page's ?since= is older and loses to it.
    const again = await open('?since=0', { 'last-event-id': lastId });
    await again.until((r) => r.of<{ id: number }>('comment').some((m) => m.id === c));
    const d = await post('Live over HTTP, four');
    await again.until((r) => r.of<{ id: number }>('comment').some((m) => m.id === d));
    expect(again.of<{ id: number }>('comment').map((m) => m.id)).toEqual([b, c, d]);
    const ids = again.events.filter((e) => e.id !== null).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids[0]).toBeGreaterThan(Number(lastId));
  });

  it('a stream opened signed in ends once that session signs out (POST /signout); reconnecting without the cookie gets the signed-out view', async () => {
    const carol = await signedInAs();
    const ada = (await signedInAs()).cookie;
    const signedIn = await open(`?since=${latestEventSeq(server.db)}`, { cookie: carol.cookie });
    const before = await post('Seen while signed in', ada);
    await signedIn.until((r) => comments(r).some((m) => m.id === before));
    expect(participant(comments(signedIn)[0]!.html)).toBe(true);
    expect((await send(server.url, { path: '/signout', body: '', cookie: carol.cookie })).status).toBe(303);
    const after = await post('Posted after the sign-out', ada);
    await signedIn.until((r) => r.ended, 5_000, 'the end of the stream');
    expect(comments(signedIn).map((m) => m.id)).toEqual([before]);
    // The browser comes back with the cookie it has now (none) from its last event.
    const again = await open('', { 'last-event-id': signedIn.events.filter((e) => e.id !== null).at(-1)!.id! });
    await again.until((r) => comments(r).some((m) => m.id === after));
    expect(participant(comments(again)[0]!.html)).toBe(false);
    await again.cancel();
  });

  it('a stream of a reader suspended through moderation ends at the next comment', async () => {
    const dora = await signedInAs();
    const stream = await open('', { cookie: dora.cookie });
    expect(ban(server.db, await makeAdmin(server.db), dora.id).ok).toBe(true);
    await post('Posted after the suspension', (await signedInAs()).cookie);
    await stream.until((r) => r.ended, 5_000, 'the end of the stream');
    expect(comments(stream)).toEqual([]);
  });

  it('a held comment sends a signed-out stream nothing, not even a summary; a visible one its comment and the summary', async () => {
    const newcomer = await signedInAs({ trusted: false });
    const out = await open();
    const seq = latestEventSeq(server.db);
    const response = await send(server.url, { path: '/comments/new', body: formBody({ essay: ESSAY, body: 'Held over HTTP' }), cookie: newcomer.cookie });
    expect(response.status).toBe(303);
    // It was written, and held (the log has its event; the comment is no one's but its author's and moderators').
    expect(latestEventSeq(server.db)).toBeGreaterThan(seq);
    expect(server.db.$client.prepare("select status from comments order by id desc limit 1").get()).toEqual({ status: 'pending' });
    await new Promise((r) => setTimeout(r, POLL_MS * 6));
    expect(out.events).toEqual([]);
    const visible = await post('Visible over HTTP', (await signedInAs()).cookie);
    await out.until((r) => comments(r).some((m) => m.id === visible) && r.of('summary').length === 1, 5_000, 'the comment and its summary');
    await out.cancel();
  });
});
