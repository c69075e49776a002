// The live discussion's stream over HTTP against the real built server: its headers (no cache, no
// proxy buffering, never compressed), refusals, resuming after a drop with Last-Event-ID missing
// nothing, and the per-address limit. Comments are posted through the real routes by a reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestEventSeq } from '../../db/discussion/events.ts';
import { STREAM_LIMITS } from '../../src/features/discussion/live/delivery-rules.ts';
import { browserPath } from '../support/browser.ts';
import { makeUser } from '../support/fixtures.ts';
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
  async function post(body: string): Promise<number> {
    const response = await send(server.url, { path: '/comments/new', body: formBody({ essay: ESSAY, body }), cookie });
    expect(response.status).toBe(303);
    return Number(/#comment-(\d+)/.exec(response.location)![1]);
  }

  // First, while no other stream is open.
  it(`holds at most ${STREAM_LIMITS.perReader} streams from one address (429 with Retry-After beyond), and takes one again once one closes`, async () => {
    const opened = await Promise.all(Array.from({ length: STREAM_LIMITS.perReader }, () => events()));
    expect(opened.map((r) => r.status)).toEqual(Array(STREAM_LIMITS.perReader).fill(200));
    const bodies = opened.map((r) => new SseReader(r.body!));
    const refused = await events();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.text()).toMatch(/Too many live discussions/);
    await Promise.all(bodies.map((b) => b.cancel()));
    await expect.poll(async () => {
      const response = await events();
      await response.body?.cancel();
      return response.status;
    }, { timeout: 3_000 }).toBe(200);
  });

  it('answers an event stream nobody caches, buffers or compresses, with a reconnect delay', async () => {
    const response = await events('', { 'accept-encoding': 'br, gzip, deflate' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('content-encoding')).toBeNull();
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

});
