// Regressions for the outside security review's findings on the discussion and moderation, each
// through the functions the routes call, on a real migrated SQLite database.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addBlockedPhrase } from '../../db/moderation/blocklist.ts';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { findComment } from '../../db/discussion/thread-reads.ts';
import { flagComment } from '../../db/moderation/flags.ts';
import { FLAG_RATE_LIMITS, FLAG_STANDING_MS } from '../../src/features/moderation/rules.ts';
import { flag } from '../../src/features/moderation/service.ts';
import { comments, users } from '../../db/schema.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { createComment, removeComment, updateComment } from '../../src/features/discussion/service.ts';
import type { EssayInfo } from '../../src/features/discussion/types.ts';
import { commentFeed } from '../../src/features/discussion/feed-xml.ts';
import { checkBody } from '../../src/features/discussion/rules.ts';
import { buildThreads, walkThreads, type ThreadRow } from '../../src/features/discussion/thread.ts';
import { readerAs, SIGNED_OUT } from '../support/discussion-readers.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { makeAdmin } from '../support/moderation.ts';

const ESSAY: EssayInfo = { slug: 'open-essay', title: 'Open', discussion: 'open' };
const essayOf = async (slug: string) => (slug === ESSAY.slug ? ESSAY : null);
let db: Db;
let now: number;

async function reader(options: { trusted?: boolean; role?: 'reader' | 'admin' } = {}): Promise<Reader> {
  return readerAs(await makeUser(db, options), { role: options.role });
}

const post = (who: Reader, body: string, at = (now += 61_000)) => createComment(db, { reader: who, essay: ESSAY, parentId: null, body, now: at });
const stored = (id: number) => db.select().from(comments).where(eq(comments.id, id)).get()!;

/** A flag sent through the service the flag page calls: null when taken, else the refusal's code. */
function flagCode(who: Reader, commentId: number): string | null {
  const outcome = flag(db, who, { commentId, reason: 'spam' });
  return outcome.ok ? null : outcome.code;
}

beforeEach(() => {
  db = createDatabase();
  now = 1_800_000_000_000;
});
afterEach(() => closeDatabase(db));

describe('finding 11: deleting one\'s newest comments frees no slot in the rate limit', () => {
  it('counts every accepted post, also those deleted since', async () => {
    const ada = await reader();
    const start = now;
    for (let i = 0; i < 5; i++) {
      const posted = await post(ada, `comment ${i}`, start + i * 100);
      if (!posted.ok) throw new Error(posted.message);
      expect(await removeComment(db, { reader: ada, id: posted.id })).toMatchObject({ ok: true });
    }
    expect(db.$client.prepare('select count(*) from comments').pluck().get()).toBe(0);
    expect(await post(ada, 'the sixth within a second', start + 600)).toMatchObject({ ok: false, code: 'rate-limited' });
    expect(await post(ada, 'a minute later', start + 60_001)).toMatchObject({ ok: true });
  });

  it('limits edits too, and refuses a stranger\'s edit before counting or rendering anything', async () => {
    const ada = await reader();
    const bob = await reader();
    const posted = await post(ada, 'first words', now);
    if (!posted.ok) throw new Error(posted.message);
    for (let i = 0; i < 10; i++) expect(await updateComment(db, { essayOf, reader: ada, id: posted.id, body: `take ${i}`, now: now + i })).toMatchObject({ ok: true });
    expect(await updateComment(db, { essayOf, reader: ada, id: posted.id, body: 'take 11', now: now + 20 })).toMatchObject({ ok: false, code: 'rate-limited' });
    const attempts = () => db.$client.prepare("select count(*) from auth_attempts where key like 'edit:%'").pluck().get();
    const before = attempts();
    expect(await updateComment(db, { essayOf, reader: bob, id: posted.id, body: '>'.repeat(10_000), now: now + 30 })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(attempts()).toBe(before);
    expect(stored(posted.id).bodySource).toBe('take 9');
  });
});

describe('finding 6: an edit meets the hold rules a new comment meets', () => {
  it('sends a published comment edited to blocklisted words or many links back to the queue', async () => {
    const admin = await makeAdmin(db);
    await addBlockedPhrase(db, admin, 'forbidden phrase');
    const ada = await reader();
    const first = await post(ada, 'An innocent remark.', now);
    const second = await post(ada, 'Another innocent remark.', now + 1);
    if (!first.ok || !second.ok) throw new Error('not posted');
    expect(stored(first.id).status).toBe('published');

    await updateComment(db, { essayOf, reader: ada, id: first.id, body: 'Now with a forbidden phrase in it.', now: now + 2 });
    expect(stored(first.id)).toMatchObject({ status: 'pending', moderationNote: expect.stringContaining('blocklist') });

    const links = 'See https://a.example, https://b.example, https://c.example and https://d.example';
    await updateComment(db, { essayOf, reader: ada, id: second.id, body: links, now: now + 3 });
    expect(stored(second.id)).toMatchObject({ status: 'pending', moderationNote: expect.stringContaining('links') });
    // The same text posted fresh is held the same way.
    const fresh = await post(ada, links, now + 4);
    expect(fresh.ok && stored(fresh.id).status).toBe('pending');
  });

  it('keeps a held comment held when it is edited to harmless text', async () => {
    const newcomer = await reader({ trusted: false });
    const posted = await post(newcomer, 'My first comment.', now);
    if (!posted.ok) throw new Error(posted.message);
    expect(stored(posted.id).status).toBe('pending');
    await updateComment(db, { essayOf, reader: newcomer, id: posted.id, body: 'Still harmless.', now: now + 1 });
    expect(stored(posted.id).status).toBe('pending');
  });
});

describe('finding 5: flags cannot be turned into a weapon', () => {
  async function target(role: 'reader' | 'admin' = 'reader') {
    const author = await reader({ role });
    return makeComment(db, { essay: ESSAY.slug, authorId: author.account!.id, body: 'A comment some people dislike.' });
  }
  const freshAccount = async () => {
    const user = await makeUser(db, { trusted: false });
    db.update(users).set({ createdAt: Date.now() }).where(eq(users.id, user.id)).run();
    return user;
  };

  it('does not hide a comment on the flags of three throwaway accounts', async () => {
    const id = await target();
    for (let i = 0; i < 3; i++) await flagComment(db, { commentId: id, userId: (await freshAccount()).id, reason: 'abuse' });
    expect(stored(id).status).toBe('published');
  });

  it('counts accounts that have an approved comment, or are old enough', async () => {
    const id = await target();
    const old = await makeUser(db, { trusted: false });
    db.update(users).set({ createdAt: Date.now() - FLAG_STANDING_MS - 60_000 }).where(eq(users.id, old.id)).run();
    await flagComment(db, { commentId: id, userId: (await makeUser(db)).id, reason: 'abuse' });
    await flagComment(db, { commentId: id, userId: old.id, reason: 'abuse' });
    expect(stored(id).status).toBe('published');
    const result = await flagComment(db, { commentId: id, userId: (await makeUser(db)).id, reason: 'abuse' });
    expect(result).toEqual({ openFlags: 3, hidden: true });
    expect(stored(id).status).toBe('pending');
  });

  it('never hides an admin\'s comment, however many readers flag it', async () => {
    const id = await target('admin');
    for (let i = 0; i < 5; i++) await flagComment(db, { commentId: id, userId: (await makeUser(db)).id, reason: 'abuse' });
    expect(stored(id).status).toBe('published');
  });

  it('rate-limits each reader\'s flags, counting attempts', async () => {
    const flagger = await reader();
    const max = FLAG_RATE_LIMITS[0]!.max;
    for (let i = 0; i < max; i++) expect(flagCode(flagger, await target())).toBeNull();
    const last = await target();
    expect(flagCode(flagger, last)).toBe('rate-limited');
    expect(db.$client.prepare('select count(*) from flags where comment_id = ?').pluck().get(last)).toBe(0);
    // Someone else is not held back by it.
    expect(flagCode(await reader(), last)).toBeNull();
  });
});

describe('finding 7 and 13: characters no feed can carry', () => {
  it('drops XML-forbidden characters and lone surrogates from a comment; a lone NUL is an empty comment', () => {
    expect(checkBody('a\u0001b\u0008c\u000Bd\uFFFFe\uD800f')).toEqual({ ok: true, body: 'abcde\uFFFDf' });
    expect(checkBody('\u0000')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
    expect(checkBody('tab\tand\nnewline')).toEqual({ ok: true, body: 'tab\tand\nnewline' });
  });

  it('keeps the feed well-formed when a stored row or a name holds them', async () => {
    const xml = commentFeed({
      title: 'Comments \u0001',
      description: 'd',
      link: 'http://site.test/',
      self: 'http://site.test/feed.xml',
      items: [{ title: 'Name\u0008 \uFFFF\uDFFF', link: 'http://site.test/c/1', html: '<p>body\u0000</p>', published: 0 }],
    });
    // eslint-disable-next-line no-control-regex -- the characters XML forbids are control characters
    expect(xml).not.toMatch(/[\u0000-\u0008\v\f\u000E-\u001F\uFFFE\uFFFF]/);
    expect(xml.isWellFormed()).toBe(true);
    const { DOMParser } = await import('linkedom');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    expect(doc.querySelector('item > title')?.textContent).toBe('Name \uFFFD');
  });

  it('stores a comment typed with control characters without them', async () => {
    const ada = await reader();
    const posted = await post(ada, 'Hello\u0001 world\u0000');
    expect(posted.ok && (await findComment(db, posted.id))?.bodySource).toBe('Hello world');
  });
});

describe('finding 13: a reply flattened under a comment the reader may not see names nobody', () => {
  const row = (id: number, parentId: number | null, depth: number, status: ThreadRow['status'] = 'published'): ThreadRow => ({
    id,
    essay: 'e',
    parentId,
    rootId: 1,
    depth,
    authorId: `author${id}`,
    authorUsername: `user${id}`,
    authorName: null,
    bodyHtml: `<p>${id}</p>`,
    status,
    moderationReason: null,
    likeCount: 0,
    createdAt: id,
    editedAt: null,
    liked: false,
  });
  // A chain 1 → 2 → … → 6 reaches the depth cap; 7 answers 6 and is shown flat, saying whom it answers.
  const chain = (statusOf6: ThreadRow['status']) => [1, 2, 3, 4, 5].map((id) => row(id, id === 1 ? null : id - 1, id - 1)).concat(row(6, 5, 5, statusOf6), row(7, 6, 6));
  const target = (rows: ThreadRow[], readerId: string | null, moderator = false) =>
    [...walkThreads(buildThreads(rows, { sort: 'oldest', reader: readerId === null ? SIGNED_OUT : readerAs({ id: readerId }, { role: moderator ? 'admin' : 'reader' }) }))].find((n) => n.comment.id === 7)!.replyingTo;

  it('hides the name of a removed, deleted or held parent from those who may not see it', () => {
    expect(target(chain('published'), null)).toEqual({ id: 6, username: 'user6' });
    for (const status of ['hidden', 'spam', 'deleted', 'pending'] as const) expect(target(chain(status), null), status).toEqual({ id: 6, username: null });
    expect(target(chain('pending'), 'author6')).toEqual({ id: 6, username: 'user6' });
    expect(target(chain('pending'), 'someone', true)).toEqual({ id: 6, username: 'user6' });
  });
});
