// The live discussion's streams in process, against a real migrated SQLite: each event reaches
// exactly the readers who may see it, rendered as the thread renders it for them; what follows
// the discussion (the margin's passage counts, its state, commenters' names, a restored comment's
// likes) reaches every page as that page would show it on reload; a dropped stream resumes after
// its last event missing nothing; the limits hold.
import { eq } from 'drizzle-orm';
import { setDisplayName } from '../../db/accounts/users.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { latestEventSeq } from '../../db/discussion/events.ts';
import { sessions, users } from '../../db/schema.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { STREAM_LIMITS } from '../../src/features/discussion/live/delivery-rules.ts';
import { networkOf } from '../../src/lib/client-network.ts';
import { liveWatcher, openEventStream } from '../../src/features/discussion/live/open-stream.ts';
import { LiveStream, StreamRegistry } from '../../src/features/discussion/live/streams.ts';
import { LiveWatcher } from '../../src/features/discussion/live/watcher.ts';
import { loadDiscussionMarkup } from '../../src/features/discussion/page-markup.ts';
import { createComment, likeComment, updateComment } from '../../src/features/discussion/service.ts';
import { ban, flag, moderate, pin, setDiscussionOpen, unban, unpin } from '../../src/features/moderation/service.ts';
import { CATCH_UP_BYTES, CATCH_UP_LIMIT, POLL_MS } from '../../src/features/discussion/live/watcher.ts';
import { essayOf as passagesFrom, quoteFields } from '../support/passages.ts';
import { readerAs, SIGNED_OUT } from '../support/discussion-readers.ts';
import { ada, bob, db, essayOf, ESSAY, now, OTHER, postOk, useDiscussionWorld } from '../support/discussion-world.ts';
import { makeUser } from '../support/fixtures.ts';
import { makeAdmin } from '../support/moderation.ts';
import { sessionCookie } from '../support/session.ts';
import { SseReader } from '../support/sse.ts';

useDiscussionWorld();

const open: SseReader[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.cancel()));
});

async function connect(reader: Reader, options: { since?: number | null; address?: string; essay?: typeof ESSAY } = {}): Promise<{ status: number; sse: SseReader | null; text: string; connection?: string | null }> {
  const sessionId = reader.account ? (await sessionCookie(db, reader.account.id)).value : null;
  const response = await openEventStream({
    db,
    essay: options.essay ?? ESSAY,
    reader,
    sessionId,
    address: options.address ?? '192.0.2.1',
    since: options.since === undefined ? latestEventSeq(db) : options.since,
    head: false,
    handOff: null,
    essayOf,
  });
  if (response.status !== 200) return { status: response.status, sse: null, text: await response.text(), connection: response.headers.get('connection') };
  const sse = new SseReader(response.body!);
  open.push(sse);
  await sse.live();
  return { status: 200, sse, text: '' };
}
const stream = async (reader: Reader, options?: Parameters<typeof connect>[1]) => (await connect(reader, options)).sse!;

/** A reader suspended through the moderation service, as the middleware then reads them. */
async function suspendedUser(username: string, admin: Reader): Promise<Reader> {
  const user = await makeUser(db, { username });
  expect(ban(db, admin, user.id).ok).toBe(true);
  return readerAs(user, { bannedAt: db.select().from(users).where(eq(users.id, user.id)).get()!.bannedAt });
}

/** Waits until the stream has a message about this comment. */
const heard = (sse: SseReader, type: string, id: number) => sse.until((r) => r.of<{ id: number }>(type).some((m) => m.id === id), 3_000, `${type} ${id}`);

describe('who hears what', () => {
  it('a held comment reaches only its author and moderators; signed-out, suspended and other readers get none of its text', async () => {
    const admin = await makeAdmin(db);
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    const suspendedReader = await suspendedUser('dora', admin);
    const [out, reader, banned, moderator, author] = await Promise.all([stream(SIGNED_OUT), stream(bob), stream(suspendedReader), stream(admin), stream(newcomer)]);
    const held = await postOk(newcomer, 'Held secret words');
    await heard(author, 'comment', held);
    await heard(moderator, 'comment', held);
    expect(author.of<{ html: string }>('comment')[0]!.html).toContain('Awaiting moderation: only you can see this.');
    expect(moderator.of<{ html: string }>('comment')[0]!.html).toContain('Held for review: only moderators can see this.');
    // A later public comment: once it has arrived, the held one has been judged for every stream.
    const published = await postOk(ada, 'Public hello');
    for (const s of [out, reader, banned, moderator, author]) await heard(s, 'comment', published);
    for (const s of [out, reader, banned]) {
      expect(s.text).not.toContain('Held secret');
      expect(s.of<{ id: number }>('comment').map((m) => m.id)).toEqual([published]);
    }
    // Each audience's rendering: controls only where that reader has them.
    expect(reader.of<{ html: string }>('comment')[0]!.html).toContain('data-reply=');
    expect(out.of<{ html: string }>('comment')[0]!.html).not.toContain('data-reply=');
    expect(banned.of<{ html: string }>('comment')[0]!.html).toBe(out.of<{ html: string }>('comment')[0]!.html);
    expect(moderator.of<{ html: string }>('comment')[1]!.html).toContain('admin-controls');
    // The count follows what is published.
    await out.until((r) => r.of<{ count: number }>('summary').some((m) => m.count === 1));
  });

  it('approval publishes a held comment to everyone; hiding it tells every page its id and nothing else', async () => {
    const admin = await makeAdmin(db);
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    const held = await postOk(newcomer, 'Waiting for a moderator');
    const out = await stream(SIGNED_OUT);
    moderate(db, admin, { ids: [held], action: 'approve' });
    await heard(out, 'comment', held);
    expect(out.of<{ html: string }>('comment')[0]!.html).toContain('Waiting for a moderator');
    moderate(db, admin, { ids: [held], action: 'hide', reason: 'abuse' });
    await heard(out, 'removed', held);
    expect(JSON.parse(out.events.find((e) => e.event === 'removed')!.data)).toEqual({ id: held });
  });

  it("a held comment's rejection is told to moderators, not to readers who never saw it", async () => {
    const admin = await makeAdmin(db);
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    const held = await postOk(newcomer, 'Spam, really');
    const [out, moderator] = await Promise.all([stream(SIGNED_OUT), stream(admin)]);
    moderate(db, admin, { ids: [held], action: 'spam' });
    await heard(moderator, 'removed', held);
    const barrier = await postOk(ada, 'After the rejection');
    await heard(out, 'comment', barrier);
    expect(out.of('removed')).toEqual([]);
  });

  it('a placeholder replaces a removed comment that has replies', async () => {
    const admin = await makeAdmin(db);
    const parent = await postOk(ada, 'Parent to hide');
    await postOk(bob, 'A reply that stays', { parentId: parent });
    const out = await stream(SIGNED_OUT);
    moderate(db, admin, { ids: [parent], action: 'hide', reason: 'off-topic' });
    await heard(out, 'comment', parent);
    const html = out.of<{ html: string }>('comment')[0]!.html;
    expect(html).toContain('comment-placeholder');
    expect(html).not.toContain('Parent to hide');
  });

  it('edits send the new body, likes the new count, to whoever may read the comment', async () => {
    const id = await postOk(ada, 'Before the edit');
    const out = await stream(SIGNED_OUT);
    await updateComment(db, { essayOf, reader: ada, id, body: 'After the *edit*', now: now + 1000 });
    await heard(out, 'body', id);
    expect(out.of<{ html: string; edited: number }>('body')[0]).toMatchObject({ id, html: '<p>After the <em>edit</em></p>', edited: now + 1000 });
    await likeComment(db, { reader: bob, id, liked: true, essayOf, now: now + 2000 });
    await heard(out, 'likes', id);
    expect(out.of<{ count: number }>('likes')[0]).toMatchObject({ id, count: 1, text: 'Liked by 1 person' });
  });

  it('tells likes on one comment within a run once, as its count now is: toggling one like sends open pages no more than that', async () => {
    const toggled = await postOk(ada, 'Liked, unliked, liked');
    const other = await postOk(ada, 'Liked once');
    const since = latestEventSeq(db);
    for (const [i, liked] of [true, false, true].entries()) await likeComment(db, { reader: bob, id: toggled, liked, essayOf, now: now + 1000 + i });
    await likeComment(db, { reader: bob, id: other, liked: true, essayOf, now: now + 2000 });
    // Resumed from before them, the stream is sent all four events in one run.
    const out = await stream(SIGNED_OUT, { since });
    await heard(out, 'likes', other);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 3));
    const likes = out.of<{ id: number; count: number }>('likes');
    expect(likes.map((m) => [m.id, m.count])).toEqual([
      [toggled, 1],
      [other, 1],
    ]);
    // The last of them is the one sent: a page resuming from it misses nothing.
    expect(likes[0]!.seq).toBe(since + 3);
  });

  it('an edit sends the header as the thread now writes it ("edited", with its time)', async () => {
    const id = await postOk(ada, 'Header before');
    const out = await stream(SIGNED_OUT);
    await updateComment(db, { essayOf, reader: ada, id, body: 'Header after', now: now + 1000 });
    await heard(out, 'body', id);
    const page = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader: SIGNED_OUT, now: Date.now() });
    const header = /<header class="comment-meta">[\s\S]*?<\/header>/.exec(new RegExp(`<li id="comment-${id}"[\\s\\S]*?</li>`).exec(String(page.threadsHtml))![0])![0];
    const sent = out.of<{ meta: string }>('body')[0]!.meta;
    expect(sent).toContain('<span class="comment-edited" title="Edited ');
    // The relative time may differ by the moment between the two renderings; all else is the same.
    const timeless = (h: string) => h.replace(/<time[^>]*>[^<]*<\/time>/, '<time>');
    expect(timeless(sent)).toBe(timeless(header));
  });

  it('a moderator demoted while their stream is open gets no held comment after that: the stream ends', async () => {
    const admin = await makeAdmin(db);
    const moderator = await stream(admin);
    db.update(users).set({ role: 'reader' }).where(eq(users.id, admin.id)).run();
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    await postOk(newcomer, 'Not for former moderators');
    await moderator.until((r) => r.ended, 3_000, 'the end of the stream');
    expect(moderator.text).not.toContain('Not for former moderators');
  });

  it("an author's stream whose session ended gets no held comment of theirs: the stream ends", async () => {
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    const author = await stream(newcomer);
    db.delete(sessions).where(eq(sessions.userId, newcomer.account!.id)).run();
    await postOk(newcomer, 'Signed out elsewhere');
    await author.until((r) => r.ended, 3_000, 'the end of the stream');
    expect(author.text).not.toContain('Signed out elsewhere');
  });

  it('sends a comment as the thread renders it for that reader: the same escaping, the same sanitised body', async () => {
    const out = await stream(SIGNED_OUT);
    const hostile = '<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> "quotes" & ampersands';
    const id = await postOk(ada, hostile);
    await heard(out, 'comment', id);
    const sent = out.of<{ html: string }>('comment')[0]!.html;
    expect(sent).not.toMatch(/<script|<img|href="javascript:/i);
    const page = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader: SIGNED_OUT, now: Date.now() });
    const li = new RegExp(`<li id="comment-${id}"[\\s\\S]*?</li>`).exec(String(page.threadsHtml))![0];
    expect(sent).toBe(li);
  });

  it("another essay's events do not reach the stream", async () => {
    const out = await stream(SIGNED_OUT);
    await postOk(ada, 'Under the other essay', { essay: OTHER });
    const here = await postOk(ada, 'Under this essay');
    await heard(out, 'comment', here);
    expect(out.text).not.toContain('Under the other essay');
  });
});

describe('what follows the discussion', () => {
  const V = passagesFrom(['The first paragraph, which readers quote.', 'The second paragraph, quoted less often.']);
  const [first, second] = V.blocks.map((b) => b.id) as [string, string];
  /** A comment on a passage, through the service as the form posts it. */
  async function postOn(who: Reader, block: 0 | 1, body: string): Promise<number> {
    const words = V.blocks[block]!.text.split(',')[0]!;
    const fields = quoteFields(V, block, words);
    const posted = await createComment(db, {
      reader: who,
      essay: ESSAY,
      parentId: null,
      body,
      now: now + (later += 61_000),
      passage: { block: fields.passage!, exact: fields.quote!, prefix: fields.quote_prefix, suffix: fields.quote_suffix },
      passagesOf: () => V,
    });
    if (!posted.ok) throw new Error(posted.message);
    return posted.id;
  }
  let later = 0;
  const summaries = (sse: SseReader) => sse.events.filter((e) => e.event === 'summary').map((e) => e.data);

  it("the summary carries the margin's passage counts (published only), the same bytes for every stream", async () => {
    const admin = await makeAdmin(db);
    const [out, reader] = await Promise.all([stream(SIGNED_OUT), stream(bob)]);
    const a = await postOn(ada, 0, 'On the first paragraph');
    await out.until((r) => r.of<{ passages: string }>('summary').some((m) => m.passages === `${first}:1`));
    await postOn(bob, 0, 'Also on the first');
    await postOn(bob, 1, 'On the second');
    await out.until((r) => r.of<{ passages: string }>('summary').some((m) => m.passages === `${[`${first}:2`, `${second}:1`].sort().join(',')}`));
    // A held passage comment is not counted; a hidden one no longer is.
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    await postOn(newcomer, 1, 'Held, on the second');
    moderate(db, admin, { ids: [a], action: 'hide', reason: 'abuse' });
    await out.until((r) => r.of<{ passages: string; count: number }>('summary').some((m) => m.passages === [`${first}:1`, `${second}:1`].sort().join(',') && m.count === 2));
    await reader.until((r) => summaries(r).length === summaries(out).length);
    expect(summaries(reader)).toEqual(summaries(out));
  });

  it('a top-level comment on a passage names its block, so that a page filtered to another leaves it out; a reply and a whole-essay comment name none', async () => {
    const out = await stream(SIGNED_OUT);
    const onPassage = await postOn(ada, 1, 'On the second paragraph');
    const reply = await postOk(bob, 'A reply to it', { parentId: onPassage });
    const whole = await postOk(bob, 'On the whole essay');
    await heard(out, 'comment', whole);
    const sent = new Map(out.of<{ id: number; passage?: string }>('comment').map((m) => [m.id, m.passage]));
    expect([sent.get(onPassage), sent.get(reply), sent.get(whole)]).toEqual([second, undefined, undefined]);
  });

  it('closing, reopening, pinning and unpinning: every stream is asked for its state again, with nothing of anyone in it; a like on the pinned comment is not', async () => {
    const admin = await makeAdmin(db);
    const essays = new Map([[ESSAY.slug, ESSAY.title]]);
    const id = await postOk(ada, 'To be pinned');
    const [out, reader, moderator] = await Promise.all([stream(SIGNED_OUT), stream(bob), stream(admin)]);
    const states = (sse: SseReader) => sse.events.filter((e) => e.event === 'state');
    for (const [i, change] of [
      () => setDiscussionOpen(db, admin, { essay: ESSAY.slug, closed: true }, essays),
      () => setDiscussionOpen(db, admin, { essay: ESSAY.slug, closed: false }, essays),
      () => pin(db, admin, id, essays),
    ].entries()) {
      expect(change().ok).toBe(true);
      for (const s of [out, reader, moderator]) await s.until((r) => states(r).length === i + 1, 3_000, `state ${i + 1}`);
    }
    for (const s of [out, reader, moderator]) expect(states(s).every((e) => e.data === '{}' && e.id === null)).toBe(true);
    // A like of the pinned comment changes none of what the pin shows; its edit does.
    await likeComment(db, { reader: bob, id, liked: true, essayOf, now: now + 500 });
    await heard(out, 'likes', id);
    await updateComment(db, { essayOf, reader: ada, id, body: 'Pinned, and edited', now: now + 1000 });
    await heard(out, 'body', id);
    await out.until((r) => states(r).length === 4);
    expect(unpin(db, admin, ESSAY.slug, essays).ok).toBe(true);
    await out.until((r) => states(r).length === 5);
  });

  it("a new display name reaches every page as the author's markup the thread now renders; not where the comment it names is no longer published", async () => {
    const id = await postOk(ada, 'Signed with a name');
    const [out, reader] = await Promise.all([stream(SIGNED_OUT), stream(bob)]);
    expect(await setDisplayName(db, ada.account!.id, 'Ada <Lovelace> & Co')).toBe(true);
    await out.until((r) => r.of('name').length === 1);
    const page = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader: SIGNED_OUT, now: Date.now() });
    const li = new RegExp(`<li id="comment-${id}"[\\s\\S]*?</li>`).exec(String(page.threadsHtml))![0];
    const name = out.of<{ href: string; html: string; label: string }>('name')[0]!;
    expect(name.href).toBe(`/u/${ada.account!.username}`);
    expect(li).toContain(`<header class="comment-meta">${name.html}<a class="comment-permalink"`);
    expect(name.html).toContain('Ada &lt;Lovelace&gt; &amp; Co</a> <span class="comment-handle">@ada</span>');
    expect(li).toContain(`aria-label="${name.label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
    await reader.until((r) => r.of('name').length === 1);
    expect(reader.events.find((e) => e.event === 'name')!.data).toBe(out.events.find((e) => e.event === 'name')!.data);
    // The name taken away: the username alone, without the handle.
    expect(await setDisplayName(db, ada.account!.id, null)).toBe(true);
    await out.until((r) => r.of('name').length === 2);
    expect(out.of<{ html: string }>('name')[1]!.html).toBe(`<a class="comment-author" href="/u/ada">ada</a>`);
    // Renamed and hidden in one write: by delivery the comment is no longer published, and the name is not told.
    const before = out.of('name').length;
    db.$client.transaction(() => {
      db.$client.prepare('update users set display_name = ? where id = ?').run('Hidden Name', ada.account!.id);
      db.$client.prepare("update comments set status = 'hidden' where id = ?").run(id);
    })();
    await heard(out, 'removed', id);
    expect(out.of('name')).toHaveLength(before);
    expect(out.text).not.toContain('Hidden Name');
  });

  it('a restored comment comes back liked and flagged as each reader left it; other readers and signed-out ones see it as the thread shows them', async () => {
    const admin = await makeAdmin(db);
    const carol = readerAs(await makeUser(db, { username: 'carol' }));
    const id = await postOk(ada, 'Liked, then hidden, then restored');
    await likeComment(db, { reader: bob, id, liked: true, essayOf, now: now + 100 });
    await likeComment(db, { reader: admin, id, liked: true, essayOf, now: now + 200 });
    expect(flag(db, bob, { commentId: id, reason: 'off-topic' }, now + 300).ok).toBe(true);
    moderate(db, admin, { ids: [id], action: 'hide', reason: 'off-topic' });
    const [out, liker, other, moderator] = await Promise.all([stream(SIGNED_OUT), stream(bob), stream(carol), stream(admin)]);
    moderate(db, admin, { ids: [id], action: 'restore' });
    for (const s of [out, liker, other, moderator]) await heard(s, 'comment', id);
    const html = (s: SseReader) => s.of<{ html: string }>('comment')[0]!.html;
    expect(html(liker)).toContain('aria-pressed="true"');
    expect(html(liker)).toContain('<span class="flag-done">Flagged</span>');
    expect(html(liker)).toContain('Liked by 2 people');
    expect(html(other)).toContain('aria-pressed="false"');
    expect(html(other)).toContain('class="flag-link"');
    expect(html(moderator)).toContain('aria-pressed="true"');
    expect(html(moderator)).toContain('admin-controls');
    expect(html(out)).not.toContain('<button');
    expect(html(out)).toContain('Liked by 2 people');
    // Each as the thread renders it for that reader.
    for (const [s, who] of [[liker, bob], [other, carol]] as const) {
      const page = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader: who, now: Date.now() });
      expect(html(s)).toBe(new RegExp(`<li id="comment-${id}"[\\s\\S]*?</li>`).exec(String(page.threadsHtml))![0]);
    }
  });
});

describe('a signed-in stream follows its session and standing', () => {
  const participant = (html: string) => /data-reply=|<button|flag-link/.test(html);

  it('signed out while the stream is open: at the next comment the stream ends, sending none of the reader\'s controls, and a signed-out stream carries on', async () => {
    const carol = readerAs(await makeUser(db, { username: 'carol' }));
    const [signedIn, out] = await Promise.all([stream(carol), stream(SIGNED_OUT)]);
    // The rendering a reader in good standing gets, before.
    const before = await postOk(ada, 'While signed in');
    await heard(signedIn, 'comment', before);
    expect(participant(signedIn.of<{ html: string }>('comment')[0]!.html)).toBe(true);
    db.delete(sessions).where(eq(sessions.userId, carol.account!.id)).run();
    const after = await postOk(ada, 'After signing out');
    await heard(out, 'comment', after);
    await signedIn.until((r) => r.ended, 3_000, 'the end of the stream');
    expect(signedIn.of<{ id: number }>('comment').map((m) => m.id)).toEqual([before]);
    expect(participant(out.of<{ html: string }>('comment').at(-1)!.html)).toBe(false);
  });

  it('suspended, unsuspended or made a moderator while the stream is open: the stream ends at the next comment', async () => {
    const admin = await makeAdmin(db);
    const carol = readerAs(await makeUser(db, { username: 'carol' }));
    const dora = await suspendedUser('dora', admin);
    const erin = readerAs(await makeUser(db, { username: 'erin' }));
    const [c, d, e, out] = await Promise.all([stream(carol), stream(dora), stream(erin), stream(SIGNED_OUT)]);
    expect(ban(db, admin, carol.account!.id).ok).toBe(true);
    expect(unban(db, admin, dora.account!.id).ok).toBe(true);
    db.update(users).set({ role: 'admin' }).where(eq(users.id, erin.account!.id)).run();
    const id = await postOk(ada, 'Everyone sees this one');
    await heard(out, 'comment', id);
    for (const s of [c, d, e]) await s.until((r) => r.ended, 3_000, 'the end of the stream');
    for (const s of [c, d, e]) expect(s.of('comment')).toEqual([]);
  });

  it('is looked up only when there is something to send it: a comment its reader does not see leaves the stream as it is', async () => {
    const carol = readerAs(await makeUser(db, { username: 'carol' }));
    const admin = await makeAdmin(db);
    const [signedIn, moderator] = await Promise.all([stream(carol), stream(admin)]);
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    // Signed out, then a comment carol's audience does not see: no lookup is made, the stream stays.
    db.delete(sessions).where(eq(sessions.userId, carol.account!.id)).run();
    const held = await postOk(newcomer, 'Held, unseen by readers');
    await heard(moderator, 'comment', held);
    await new Promise((r) => setTimeout(r, POLL_MS * 3));
    expect(signedIn.ended).toBe(false);
    // Something for it: the stream ends.
    await postOk(ada, 'Now something to send');
    await signedIn.until((r) => r.ended, 3_000, 'the end of the stream');
  });
});

describe('summaries', () => {
  const summaries = (sse: SseReader) => sse.events.filter((e) => e.event === 'summary').map((e) => e.data);
  /** Waits until the watcher has passed the held comment (a moderator's stream hears it), and two polls more. */
  async function passed(moderator: SseReader, id: number): Promise<void> {
    await heard(moderator, 'comment', id);
    await new Promise((r) => setTimeout(r, POLL_MS * 2));
  }

  it('a held comment sends readers who cannot see it nothing, not even a summary; a visible comment its events and the summary', async () => {
    const admin = await makeAdmin(db);
    await postOk(ada, 'Before the streams');
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    const [out, reader, moderator] = await Promise.all([stream(SIGNED_OUT), stream(bob), stream(admin)]);
    const held = await postOk(newcomer, 'Held and hidden from readers');
    await passed(moderator, held);
    expect(out.events).toEqual([]);
    expect(reader.events).toEqual([]);
    // Nothing changed in the summary for moderators either.
    expect(summaries(moderator)).toEqual([]);
    const visible = await postOk(ada, 'A visible one');
    for (const s of [out, reader, moderator]) {
      await heard(s, 'comment', visible);
      await s.until((r) => summaries(r).length === 1, 3_000, 'the summary');
      expect(JSON.parse(summaries(s)[0]!)).toMatchObject({ count: 2 });
    }
    // A stream opened now, then another held comment: nothing for it either.
    const late = await stream(SIGNED_OUT);
    const heldAgain = await postOk(newcomer, 'Held again');
    await passed(moderator, heldAgain);
    expect(late.events).toEqual([]);
    expect(summaries(out)).toHaveLength(1);
  });

  it('a resumed stream gets the current summary when it may have missed one, and none when only hidden activity happened', async () => {
    const admin = await makeAdmin(db);
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    const moderator = await stream(admin);
    const since = latestEventSeq(db);
    const held = await postOk(newcomer, 'Held while away');
    await passed(moderator, held);
    const quiet = await stream(SIGNED_OUT, { since });
    await new Promise((r) => setTimeout(r, POLL_MS * 2));
    expect(quiet.events).toEqual([]);
    const sinceVisible = latestEventSeq(db);
    const visible = await postOk(ada, 'Published while away');
    await heard(moderator, 'comment', visible);
    const resumed = await stream(SIGNED_OUT, { since: sinceVisible });
    await heard(resumed, 'comment', visible);
    await resumed.until((r) => summaries(r).length === 1, 3_000, 'the summary');
    expect(JSON.parse(summaries(resumed)[0]!)).toEqual({ count: 1, passages: '' });
    // A stream too far behind is told to reload, and given the current summary.
    db.$client.prepare('delete from discussion_events').run();
    await postOk(newcomer, 'Held after the trim');
    const behind = await stream(SIGNED_OUT, { since: 0 });
    expect(behind.of('reset')).toHaveLength(1);
    expect(JSON.parse(summaries(behind)[0]!)).toEqual({ count: 1, passages: '' });
  });
});

/** A moderator hides the comment and restores it, `times` times: two events each. */
function hideAndRestore(admin: Reader, id: number, times: number): void {
  for (let i = 0; i < times; i++) {
    moderate(db, admin, { ids: [id], action: 'hide', reason: 'abuse' });
    moderate(db, admin, { ids: [id], action: 'restore' });
  }
}

/** The stream was sent a `reset` and none of the events it missed. */
function toldToReloadOnly(sse: SseReader): void {
  expect(sse.of('reset')).toHaveLength(1);
  expect(sse.of('comment')).toHaveLength(0);
  expect(sse.of('removed')).toHaveLength(0);
}

describe('resuming', () => {
  it('a dropped stream resumes after its last event (Last-Event-ID) in order, missing nothing', async () => {
    const first = await stream(SIGNED_OUT);
    const a = await postOk(ada, 'Event A');
    await heard(first, 'comment', a);
    const lastId = Number(first.events.at(-1)!.id ?? first.of('comment')[0]!.seq);
    await first.cancel();
    const b = await postOk(ada, 'Event B');
    await postOk(ada, 'Elsewhere', { essay: OTHER });
    const c = await postOk(bob, 'Event C', { parentId: b });
    const again = await stream(SIGNED_OUT, { since: lastId });
    await heard(again, 'comment', c);
    const d = await postOk(ada, 'Event D');
    await heard(again, 'comment', d);
    const comments = again.of<{ id: number }>('comment');
    expect(comments.map((m) => m.id)).toEqual([b, c, d]);
    const seqs = comments.map((m) => m.seq!);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs[0]).toBeGreaterThan(lastId);
    expect(comments[1]).toMatchObject({ parent: b });
  });

  it('a stream asked to start after an event this database never had is told to reload (reset)', async () => {
    await postOk(ada, 'Something');
    const ahead = await stream(SIGNED_OUT, { since: latestEventSeq(db) + 50 });
    expect(ahead.of('reset')).toHaveLength(1);
    expect(ahead.of('reset')[0]!.seq).toBe(latestEventSeq(db));
  });

  it(`a stream more than ${CATCH_UP_LIMIT} events of its essay behind is told to reload, and sent none of them`, async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'Hidden and restored, over and over');
    const since = latestEventSeq(db);
    hideAndRestore(admin, id, CATCH_UP_LIMIT / 2 + 1);
    toldToReloadOnly(await stream(SIGNED_OUT, { since }));
  });

  it(`a stream whose catch-up would come to more than ${CATCH_UP_BYTES / 1024} KB is told to reload, and sent none of it; a smaller one gets it all`, async () => {
    const admin = await makeAdmin(db);
    // Each restore is the whole comment again: ~8 KB of markup.
    const id = await postOk(ada, 'A long comment. '.repeat(450));
    const since = latestEventSeq(db);
    const restores = 2;
    hideAndRestore(admin, id, restores);
    const small = await stream(SIGNED_OUT, { since });
    expect(small.of('reset')).toHaveLength(0);
    // Every event is told as the comment is now: each hiding and each restoring sends it whole.
    expect(small.of('comment')).toHaveLength(2 * restores);
    const size = small.of<{ html: string }>('comment')[0]!.html.length;
    expect(size).toBeGreaterThan(7_000);
    // Far fewer events than CATCH_UP_LIMIT, but more bytes than a catch-up may hold.
    hideAndRestore(admin, id, Math.ceil(CATCH_UP_BYTES / (2 * size)) - restores + 1);
    const behind = await stream(SIGNED_OUT, { since });
    toldToReloadOnly(behind);
    // It goes on from now: the next event reaches it.
    moderate(db, admin, { ids: [id], action: 'hide', reason: 'abuse' });
    await heard(behind, 'removed', id);
  });

  it(`one network is caught up at most ${STREAM_LIMITS.catchUpsPerMinute} times a minute: past it, a stream that missed something is told to reload`, async () => {
    // The clock stands still (only Date is faked): the minute cannot turn during the test.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:01Z'));
    try {
      const since = latestEventSeq(db);
      const id = await postOk(ada, 'Missed by every stream below');
      // Two addresses of one IPv6 /64: one network.
      for (let i = 0; i < STREAM_LIMITS.catchUpsPerMinute; i++) {
        const sse = await stream(SIGNED_OUT, { since, address: `2001:db8:5::${i % 2 ? 'a' : 'b'}` });
        expect(sse.of<{ id: number }>('comment').map((m) => m.id)).toEqual([id]);
        await open.pop()!.cancel();
      }
      toldToReloadOnly(await stream(SIGNED_OUT, { since, address: '2001:db8:5::c' }));
      // A stream that missed nothing costs no catch-up: it opens as ever.
      expect((await stream(SIGNED_OUT, { address: '2001:db8:5::d' })).of('reset')).toHaveLength(0);
      // Another network is caught up.
      expect((await stream(SIGNED_OUT, { since, address: '2001:db8:6::1' })).of('comment')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts catch-ups and openings per network for the minute only, each against its own limit', () => {
    const streams = new StreamRegistry();
    const minute = Date.parse('2026-12-04T10:00:00Z');
    for (let i = 0; i < STREAM_LIMITS.catchUpsPerMinute; i++) expect(streams.mayCatchUp('address a', minute + i)).toBe(true);
    expect(streams.mayCatchUp('address a', minute + 59_999)).toBe(false);
    expect(streams.mayCatchUp('address b', minute + 59_999)).toBe(true);
    for (let i = 0; i < STREAM_LIMITS.opensPerMinute; i++) expect(streams.mayOpen('address a', minute + i)).toBe(true);
    expect(streams.mayOpen('address a', minute + 59_999)).toBe(false);
    expect(streams.mayCatchUp('address a', minute + 60_000)).toBe(true);
    expect(streams.mayOpen('address a', minute + 60_000)).toBe(true);
  });

  it('a stream further behind than the kept events is told to reload', async () => {
    await postOk(ada, 'One');
    db.$client.prepare('delete from discussion_events').run();
    await postOk(ada, 'Two');
    const behind = await stream(SIGNED_OUT, { since: 0 });
    expect(behind.of('reset')).toHaveLength(1);
    expect(behind.of<{ text: string }>('reset')[0]!.text).toMatch(/reload the page/);
    expect(behind.retry).toBe(5000);
  });
});

describe('idle streams', () => {
  it('hear one heartbeat for all of them, and are forgotten when they close', async () => {
    const watcher = new LiveWatcher(db, essayOf, { heartbeatMs: 50 });
    const streams = [1, 2, 3].map((i) => new LiveStream(db, ESSAY.slug, SIGNED_OUT, null, `address ${i}`, `address ${i}`, watcher));
    for (const s of streams) expect(await watcher.open(s, latestEventSeq(db))).toBe('ok');
    const readers = streams.map((s) => new SseReader(s.body));
    await Promise.all(readers.map((r) => r.until((x) => x.comments.includes('heartbeat'), 1_000, 'a heartbeat')));
    expect(watcher.streams.size).toBe(3);
    for (const r of readers) await r.cancel();
    expect(watcher.streams.size).toBe(0);
  });
});

describe('limits', () => {
  it(`one reader holds at most ${STREAM_LIMITS.perReader} streams (429 beyond), whatever the address; signed out, one address as much`, async () => {
    for (let i = 0; i < STREAM_LIMITS.perReader; i++) await stream(bob, { address: `192.0.2.${i}` });
    const refused = await connect(bob, { address: '198.51.100.1' });
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/Too many live discussions/);
    expect(refused.connection).toBe('close');
    for (let i = 0; i < STREAM_LIMITS.perReader; i++) await stream(SIGNED_OUT, { address: '203.0.113.9' });
    expect((await connect(SIGNED_OUT, { address: '203.0.113.9' })).status).toBe(429);
    expect((await connect(SIGNED_OUT, { address: '203.0.113.10' })).status).toBe(200);
    // A closed stream gives its place back.
    await open.find((s) => s)!.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect((await connect(bob, { address: '198.51.100.1' })).status).toBe(200);
  });

  it(`one network opens at most ${STREAM_LIMITS.opensPerMinute} streams a minute (429, the connection closed), whoever is signed in`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:01Z'));
    try {
      const streams = liveWatcher(db, essayOf).streams;
      // As many as a minute allows, counted for one /64.
      const network = `address ${networkOf('2001:db8:7::1')}`;
      for (let i = 0; i < STREAM_LIMITS.opensPerMinute; i++) expect(streams.mayOpen(network)).toBe(true);
      const refused = await connect(bob, { address: '2001:db8:7::1' });
      expect(refused.status).toBe(429);
      expect(refused.text).toMatch(/opened from here in the last minute/);
      expect(refused.connection).toBe('close');
      expect((await connect(SIGNED_OUT, { address: '2001:db8:7::2' })).status).toBe(429);
      expect((await connect(bob, { address: '2001:db8:8::1' })).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it(`one address holds at most ${STREAM_LIMITS.perAddress} streams, however many accounts sign in there`, async () => {
    const accounts = Math.ceil(STREAM_LIMITS.perAddress / STREAM_LIMITS.perReader);
    for (let a = 0; a < accounts; a++) {
      const reader = readerAs(await makeUser(db, { username: `crowd_${a}` }));
      for (let i = 0; i < STREAM_LIMITS.perReader; i++) await stream(reader, { address: '198.51.100.77' });
    }
    const another = readerAs(await makeUser(db, { username: 'crowd_more' }));
    const refused = await connect(another, { address: '198.51.100.77' });
    expect(refused.status).toBe(429);
    expect((await connect(SIGNED_OUT, { address: '198.51.100.77' })).status).toBe(429);
    // The same account from elsewhere is still welcome.
    expect((await connect(another, { address: '198.51.100.78' })).status).toBe(200);
  });
});
