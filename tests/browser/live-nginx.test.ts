// The live discussion through real nginx, configured by the production file the README gives
// (src/server/nginx/convenience-bargain.conf): each event is passed on at once (the app says
// X-Accel-Buffering: no), nothing of a stream is cached or served to another reader, a held
// comment still reaches only its author, and a dropped stream resumes from Last-Event-ID.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestEventSeq } from '../../db/discussion/events.ts';
import { comments } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader } from '../support/http.ts';
import { nginxPath, startNginx, type RunningNginx } from '../support/nginx.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';
import { SseReader } from '../support/sse.ts';

const ESSAY = 'wechat-app-for-everything';
// nginxPath() first: with REQUIRE_NGINX=1 a missing nginx fails rather than skips.
const runnable = !!nginxPath() && !!browserPath();

describe.skipIf(!runnable)('the live stream behind nginx', () => {
  let server: RunningServer;
  let nginx: RunningNginx;
  const open: SseReader[] = [];
  beforeAll(async () => {
    server = await startServer();
    nginx = await startNginx(server.port);
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.cancel()));
    await nginx?.stop();
    await server?.stop();
  });

  async function stream(headers: Record<string, string> = {}, since = latestEventSeq(server.db)) {
    const response = await fetch(`${nginx.url}/discussion/${ESSAY}/events?since=${since}`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache-status')).not.toBe('HIT');
    const reader = new SseReader(response.body!);
    open.push(reader);
    await reader.live();
    return reader;
  }

  it('passes each event on at once to every reader, a held one only to its author, and caches none of it', async () => {
    const author = await makeUser(server.db);
    const authorCookie = cookieHeader(await sessionCookie(server.db, author.id));
    const [first, second, own] = await Promise.all([stream(), stream(), stream({ cookie: authorCookie })]);
    const held = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Held, through nginx' });
    server.db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();
    const started = Date.now();
    const id = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Published, through nginx' });
    for (const s of [first, second, own]) await s.until((r) => r.text.includes('Published, through nginx'), 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(own.text).toContain('Held, through nginx');
    for (const s of [first, second]) expect(s.text).not.toContain('Held, through nginx');
    // A stream opened now starts from now: nothing of the earlier ones is replayed from a cache.
    const later = await stream();
    expect(later.of('comment')).toEqual([]);
    expect(id).toBeGreaterThan(held);
    expect(nginx.errors()).not.toMatch(/\[(?:error|crit|alert|emerg)\]/);
  });

  it('resumes a dropped stream from Last-Event-ID through the proxy', async () => {
    const author = await makeUser(server.db);
    const first = await stream();
    const a = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Before the drop' });
    await first.until((r) => r.of<{ id: number }>('comment').some((m) => m.id === a));
    const lastId = first.events.filter((e) => e.id !== null).at(-1)!.id!;
    await first.cancel();
    const b = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'During the drop' });
    const again = await stream({ 'last-event-id': lastId }, 0);
    await again.until((r) => r.of<{ id: number }>('comment').some((m) => m.id === b));
    expect(again.of<{ id: number }>('comment').map((m) => m.id)).toEqual([b]);
  });
});
