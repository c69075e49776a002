// Every moderation rule and state change, against a real migrated SQLite database.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerAppeal, appealableComments, appealsOf, countOpenAppeals, openAppeals, submitAppeal } from '../../db/moderation/appeals.ts';
import { addBlockedPhrase, listBlocklist, removeBlockedPhrase } from '../../db/moderation/blocklist.ts';
import { closeDatabase, createDatabase, openDatabase, type Db } from '../../db/client.ts';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { discussionState, isDiscussionClosed, pinComment, pinnedComment, setDiscussionClosed, unpinComment } from '../../db/discussion/discussions.ts';
import { flagComment, flaggedIn, hasFlagged, openFlags } from '../../db/moderation/flags.ts';
import { decideNewCommentStatus, holdNote } from '../../db/moderation/holds.ts';
import { ModerationError } from '../../db/moderation/moderation-errors.ts';
import { countLog, listLog } from '../../db/moderation/moderation-log.ts';
import { queueCounts, queueItems, searchUsers, userComments } from '../../db/moderation/moderation-queue.ts';
import { readHoldRules, saveHoldRules } from '../../db/moderation/moderation-settings.ts';
import { activityByDay, monthlyModeration } from '../../db/moderation/moderation-stats.ts';
import { comments, users } from '../../db/schema.ts';
import { banUser, countAdmins, countHiddenWithBan, createAdmin, setRole, unbanUser } from '../../db/moderation/user-moderation.ts';
import { removedPlaceholder } from '../../src/features/moderation/reasons.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { makeAdmin } from '../support/moderation.ts';
import { ROOT, tempDir } from '../support/paths.ts';

const ESSAY = 'an-essay';
let db: Db;

beforeEach(() => {
  db = createDatabase();
});

const status = (id: number) => db.select().from(comments).where(eq(comments.id, id)).get();
const user = (id: string) => db.select().from(users).where(eq(users.id, id)).get()!;

async function refused(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModerationError);
  expect((error as ModerationError).code).toBe(code);
  return (error as ModerationError).message;
}

describe('holding new comments', () => {
  it('holds an untrusted account until one of its comments is approved, then publishes', async () => {
    const admin = await makeAdmin(db);
    const newbie = await makeUser(db, { trusted: false });
    const first = await decideNewCommentStatus(db, { authorId: newbie.id, bodySource: 'Hello there.' });
    expect(first).toEqual({ status: 'pending', reasons: ['first-comment'] });
    expect(holdNote(first.reasons)).toBe('held: first comment of a new account');
    const id = await makeComment(db, { essay: ESSAY, authorId: newbie.id, body: 'Hello there.' });
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, id)).run();
    await moderateComments(db, admin, [id], 'approve');
    expect(user(newbie.id).trustedAt).not.toBeNull();
    expect(await decideNewCommentStatus(db, { authorId: newbie.id, bodySource: 'Again.' })).toEqual({ status: 'published', reasons: [] });
  });

  it('holds three or more links and blocklisted phrases, and never holds an admin', async () => {
    const admin = await makeAdmin(db);
    const reader = await makeUser(db);
    const links = 'https://a.example https://b.example https://c.example';
    expect(await decideNewCommentStatus(db, { authorId: reader.id, bodySource: links })).toEqual({ status: 'pending', reasons: ['links'] });
    await addBlockedPhrase(db, admin, 'Cheap Pills');
    expect(await decideNewCommentStatus(db, { authorId: reader.id, bodySource: 'cheap   pills here' })).toEqual({ status: 'pending', reasons: ['blocklist'] });
    expect(await decideNewCommentStatus(db, { authorId: admin.id, bodySource: `cheap pills ${links}` })).toEqual({ status: 'published', reasons: [] });
  });

  it('follows the rules saved in the settings table, and logs the change', async () => {
    const admin = await makeAdmin(db);
    const newbie = await makeUser(db, { trusted: false });
    expect(await readHoldRules(db)).toEqual({ firstComment: true, links: true, linkLimit: 3, blocklist: true });
    await addBlockedPhrase(db, admin, 'scam');
    await saveHoldRules(db, admin, { firstComment: false, links: true, linkLimit: 5, blocklist: false });
    expect(await readHoldRules(db)).toEqual({ firstComment: false, links: true, linkLimit: 5, blocklist: false });
    const body = 'scam https://a.x https://b.x https://c.x';
    expect(await decideNewCommentStatus(db, { authorId: newbie.id, bodySource: body })).toEqual({ status: 'published', reasons: [] });
    const [entry] = await listLog(db, { action: 'rules' });
    expect(entry).toMatchObject({ adminName: admin.name, targetType: 'setting', note: 'first comment off; 5+ links on; blocklist off' });
  });
});

describe('the blocklist', () => {
  it('adds, refuses duplicates, empty and oversized entries without changing anything, and removes', async () => {
    const admin = await makeAdmin(db);
    const entry = await addBlockedPhrase(db, admin, ' Buy NOW ');
    expect(entry.phrase).toBe('buy now');
    expect(await refused(addBlockedPhrase(db, admin, 'buy now'), 'phrase-exists')).toBe('"buy now" is already on the blocklist.');
    await refused(addBlockedPhrase(db, admin, '   '), 'bad-input');
    await refused(addBlockedPhrase(db, admin, 'y'.repeat(101)), 'bad-input');
    expect((await listBlocklist(db)).map((e) => e.phrase)).toEqual(['buy now']);
    await removeBlockedPhrase(db, admin, entry.id);
    expect(await listBlocklist(db)).toEqual([]);
    await refused(removeBlockedPhrase(db, admin, entry.id), 'bad-input');
    expect((await listLog(db)).map((e) => e.action)).toEqual(['blocklist-remove', 'blocklist-add']);
  });
});

describe('flags', () => {
  it('takes one flag per reader, and hides the comment pending review at three distinct readers', async () => {
    const author = await makeUser(db);
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'Provocative.' });
    const [a, b, c] = [await makeUser(db), await makeUser(db), await makeUser(db)];
    expect(await flagComment(db, { commentId: id, userId: a.id, reason: 'abuse', note: 'rude' })).toEqual({ openFlags: 1, hidden: false });
    expect(await refused(flagComment(db, { commentId: id, userId: a.id, reason: 'spam' }), 'already-flagged')).toMatch(/already flagged/);
    expect(await hasFlagged(db, id, a.id)).toBe(true);
    expect(await flaggedIn(db, ESSAY, a.id)).toEqual(new Set([id]));
    expect(await flaggedIn(db, 'another-essay', a.id)).toEqual(new Set());
    expect(await flaggedIn(db, ESSAY, b.id)).toEqual(new Set());
    expect(await flagComment(db, { commentId: id, userId: b.id, reason: 'abuse' })).toEqual({ openFlags: 2, hidden: false });
    expect(status(id)!.status).toBe('published');
    expect(await flagComment(db, { commentId: id, userId: c.id, reason: 'spam' })).toEqual({ openFlags: 3, hidden: true });
    expect(status(id)).toMatchObject({ status: 'pending', moderationReason: 'abuse' });
    expect((await openFlags(db, id)).map((f) => f.reason).sort()).toEqual(['abuse', 'abuse', 'spam']);
    const [log] = await listLog(db);
    expect(log).toMatchObject({ action: 'auto-hide', adminId: null, adminName: 'automatic', targetId: String(id), reason: 'abuse' });
  });

  it('refuses banned readers, own comments, hidden comments, missing comments and bad reasons', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const reader = await makeUser(db);
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'x' });
    await refused(flagComment(db, { commentId: id, userId: author.id, reason: 'spam' }), 'own-comment');
    await refused(flagComment(db, { commentId: id, userId: reader.id, reason: 'boring' }), 'bad-input');
    await refused(flagComment(db, { commentId: 9999, userId: reader.id, reason: 'spam' }), 'comment-not-found');
    await refused(flagComment(db, { commentId: id, userId: reader.id, reason: 'spam', note: 'n'.repeat(501) }), 'bad-input');
    await banUser(db, admin, reader.id);
    await refused(flagComment(db, { commentId: id, userId: reader.id, reason: 'spam' }), 'banned');
    const other = await makeUser(db);
    await moderateComments(db, admin, [id], 'hide', { reason: 'other' });
    await refused(flagComment(db, { commentId: id, userId: other.id, reason: 'spam' }), 'comment-not-found');
    expect(await openFlags(db, id)).toEqual([]);
  });
});

describe('moderator actions on comments', () => {
  it('approves, hides with a reason and note, marks spam and restores, logging each with who and why', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const flagger = await makeUser(db);
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'x' });
    await flagComment(db, { commentId: id, userId: flagger.id, reason: 'abuse' });
    await moderateComments(db, admin, [id], 'hide', { reason: 'abuse', note: 'personal attack' }, 1000);
    expect(status(id)).toMatchObject({ status: 'hidden', moderationReason: 'abuse', moderationNote: 'personal attack' });
    expect(await openFlags(db, id)).toEqual([]); // resolved by the decision
    await moderateComments(db, admin, [id], 'spam', {}, 2000);
    expect(status(id)).toMatchObject({ status: 'spam', moderationReason: 'spam' });
    await moderateComments(db, admin, [id], 'restore', {}, 3000);
    expect(status(id)).toMatchObject({ status: 'published', moderationReason: null, moderationNote: null });
    const log = await listLog(db);
    expect(log.map((e) => [e.action, e.adminName, e.adminId, e.targetType, e.targetId, e.reason, e.note, e.createdAt])).toEqual([
      ['restore', admin.name, admin.id, 'comment', String(id), null, null, 3000],
      ['spam', admin.name, admin.id, 'comment', String(id), 'spam', null, 2000],
      ['hide', admin.name, admin.id, 'comment', String(id), 'abuse', 'personal attack', 1000],
    ]);
  });

  it('refuses a hide without a reason, an oversized note, a missing comment: nothing changes, nothing is logged', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'x' });
    await refused(moderateComments(db, admin, [id], 'hide', {}), 'bad-input');
    await refused(moderateComments(db, admin, [id], 'hide', { reason: 'abuse', note: 'n'.repeat(501) }), 'bad-input');
    // Bulk: one missing id and the whole request is refused.
    expect(await refused(moderateComments(db, admin, [id, 424242], 'spam'), 'comment-not-found')).toBe(
      'There is no comment #424242: it may have been deleted for good.',
    );
    await refused(moderateComments(db, admin, [], 'approve'), 'bad-input');
    expect(status(id)!.status).toBe('published');
    expect(await countLog(db)).toBe(0);
  });

  it('applies bulk actions to every selected comment, one log entry each', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const ids = [
      await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'a' }),
      await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'b' }),
    ];
    expect(await moderateComments(db, admin, ids, 'spam')).toBe(2);
    expect(ids.map((id) => status(id)!.status)).toEqual(['spam', 'spam']);
    expect(await countLog(db, { action: 'spam' })).toBe(2);
  });

  it('deletes for good: the row goes, or stays as an empty placeholder when it has replies', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const parent = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'parent' });
    await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'reply', parentId: parent });
    const lone = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'lone' });
    await moderateComments(db, admin, [parent], 'hide', { reason: 'abuse' });
    await moderateComments(db, admin, [parent, lone], 'purge');
    expect(status(lone)).toBeUndefined();
    expect(status(parent)).toMatchObject({ status: 'hidden', bodySource: '', bodyHtml: '', moderationReason: 'abuse' });
    expect(await refused(moderateComments(db, admin, [parent], 'restore'), 'comment-purged')).toMatch(/text is gone/);
    await refused(moderateComments(db, admin, [lone], 'purge'), 'comment-not-found');
  });
});

describe('two admins in two processes', () => {
  it('serialises their actions on the same comments: a consistent state and one log entry each', async () => {
    const dir = tempDir();
    const file = join(dir, 'shared.db');
    const shared = createDatabase(file);
    try {
      const alice = await makeAdmin(shared, 'alice');
      const bob = await makeAdmin(shared, 'bob');
      const author = await makeUser(shared);
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) ids.push(await makeComment(shared, { essay: ESSAY, authorId: author.id, body: `contested ${i}` }));
      const go = join(dir, 'go');
      const run = (who: { id: string; name: string }, action: string, reason = '') =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [join(ROOT, 'tests/support/moderate-in-process.ts'), file, who.id, who.name, action, ids.join(','), reason, go], { stdio: 'inherit' });
          child.once('exit', resolve);
        });
      // A third connection holds the write lock while both start, so that both are waiting on it
      // at once: their requests truly overlap, whatever the timing of the two processes.
      const blocker = openDatabase(file);
      blocker.$client.prepare('begin immediate').run();
      writeFileSync(go, '');
      const both = Promise.all([run(alice, 'hide', 'off-topic'), run(bob, 'spam')]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      blocker.$client.prepare('commit').run();
      closeDatabase(blocker);
      expect(await both).toEqual([0, 0]);

      const log = await listLog(shared);
      expect(log).toHaveLength(40);
      // Each request ran whole, one after the other: every comment ends as the later one left it.
      const last = [...log].sort((a, b) => b.id - a.id)[0]!;
      const expected = last.action === 'spam' ? { status: 'spam', moderationReason: 'spam' } : { status: 'hidden', moderationReason: 'off-topic' };
      for (const id of ids) expect(shared.select().from(comments).where(eq(comments.id, id)).get()).toMatchObject(expected);
      // The log is not interleaved: one admin's twenty entries, then the other's.
      const order = [...log].sort((a, b) => a.id - b.id).map((e) => e.adminName);
      expect(new Set(order.slice(0, 20)).size).toBe(1);
      expect(new Set(order.slice(20)).size).toBe(1);
      expect(order[0]).not.toBe(order[20]);
    } finally {
      closeDatabase(shared);
    }
  }, 30_000);
});

describe('bans and roles', () => {
  it('bans a reader (optionally hiding every comment of theirs) and unbans', async () => {
    const admin = await makeAdmin(db);
    const troll = await makeUser(db);
    const a = await makeComment(db, { essay: ESSAY, authorId: troll.id, body: 'a' });
    const b = await makeComment(db, { essay: ESSAY, authorId: troll.id, body: 'b' });
    expect(await banUser(db, admin, troll.id, { hideComments: true, reason: 'abuse', note: 'harassment' }, 7000)).toEqual({ hidden: 2 });
    expect(user(troll.id).bannedAt).toBe(7000);
    expect([status(a)!.status, status(b)!.status]).toEqual(['hidden', 'hidden']);
    expect((await listLog(db)).map((e) => e.action).sort()).toEqual(['ban', 'hide', 'hide']);
    await refused(banUser(db, admin, troll.id), 'already-banned');
    await unbanUser(db, admin, troll.id);
    expect(user(troll.id).bannedAt).toBeNull();
    await refused(unbanUser(db, admin, troll.id), 'not-banned');
  });

  it('restores on unban, if asked, only the comments the ban hid and nobody has touched since', async () => {
    const admin = await makeAdmin(db);
    const troll = await makeUser(db);
    const body = (text: string) => makeComment(db, { essay: ESSAY, authorId: troll.id, body: text });
    const [kept, rehidden, purged, hiddenBefore, held] = [await body('kept'), await body('rehidden'), await body('purged'), await body('hidden before'), await body('held')];
    await makeComment(db, { essay: ESSAY, authorId: admin.id, body: 'a reply keeps the purged one as a placeholder', parentId: purged });
    await moderateComments(db, admin, [hiddenBefore], 'hide', { reason: 'spam' }, 1000);
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();

    expect(await banUser(db, admin, troll.id, { hideComments: true, reason: 'abuse' }, 7000)).toEqual({ hidden: 4 });
    // Not the held one: readers never saw it, the ban's hide says so, and an unban leaves it.
    expect(await countHiddenWithBan(db, troll.id)).toBe(3);
    // After the ban a moderator restores one and hides it again, and deletes another for good.
    await moderateComments(db, admin, [rehidden], 'restore', {}, 8000);
    await moderateComments(db, admin, [rehidden], 'hide', { reason: 'other' }, 8001);
    await moderateComments(db, admin, [purged], 'purge', {}, 8002);
    expect(await countHiddenWithBan(db, troll.id)).toBe(1);

    expect(await unbanUser(db, admin, troll.id, { restoreComments: true }, 9000)).toEqual({ restored: 1 });
    expect(status(kept)).toMatchObject({ status: 'published', moderationReason: null });
    for (const id of [rehidden, purged, hiddenBefore, held]) expect(status(id)!.status).toBe('hidden');
    const restores = (await listLog(db, { action: 'restore' })).filter((e) => e.createdAt === 9000);
    expect(restores.map((e) => [e.targetId, e.note])).toEqual([[String(kept), `with the unban of ${troll.username}`]]);
    expect(await countHiddenWithBan(db, troll.id)).toBe(0);
  });

  it('leaves the comments hidden on an unban that does not ask to restore them', async () => {
    const admin = await makeAdmin(db);
    const troll = await makeUser(db);
    const a = await makeComment(db, { essay: ESSAY, authorId: troll.id, body: 'a' });
    await banUser(db, admin, troll.id, { hideComments: true, reason: 'abuse' }, 7000);
    expect(await unbanUser(db, admin, troll.id, {}, 9000)).toEqual({ restored: 0 });
    expect(status(a)!.status).toBe('hidden');
    // Banned again later, without hiding: nothing of the first ban comes back.
    await banUser(db, admin, troll.id, {}, 10_000);
    expect(await countHiddenWithBan(db, troll.id)).toBe(0);
    expect(await unbanUser(db, admin, troll.id, { restoreComments: true }, 11_000)).toEqual({ restored: 0 });
    expect(status(a)!.status).toBe('hidden');
  });

  it('refuses banning an admin, yourself or nobody, and demoting the last admin', async () => {
    const admin = await makeAdmin(db, 'solo');
    const other = await makeAdmin(db, 'other');
    await refused(banUser(db, admin, admin.id), 'ban-self');
    await refused(banUser(db, admin, other.id), 'ban-admin');
    await refused(banUser(db, admin, 'no-such-id'), 'user-not-found');
    await refused(banUser(db, admin, (await makeUser(db)).id, { hideComments: true }), 'bad-input');
    await setRole(db, admin, 'other', 'reader');
    expect(await countAdmins(db)).toBe(1);
    expect(await refused(setRole(db, admin, 'SOLO', 'reader'), 'last-admin')).toMatch(/solo is the last admin/);
    await refused(setRole(db, admin, 'nobody', 'admin'), 'user-not-found');
    await refused(setRole(db, admin, 'solo', 'admin'), 'already-that-role');
    expect(user(admin.id).role).toBe('admin');
    expect((await listLog(db)).map((e) => e.action)).toEqual(['demote']);
  });

  it('creates admins, refusing a taken username', async () => {
    const actor = { id: null, name: 'command line' };
    await createAdmin(db, actor, { id: 'admin-1', username: 'Root', passwordHash: 'h' });
    expect(user('admin-1')).toMatchObject({ role: 'admin', usernameKey: 'root' });
    expect(user('admin-1').trustedAt).not.toBeNull();
    await refused(createAdmin(db, actor, { id: 'admin-2', username: 'root', passwordHash: 'h' }), 'bad-input');
    expect(await countAdmins(db)).toBe(1);
  });
});

describe('discussions: closing and pinning', () => {
  it('closes and reopens over the front matter, and pins one published top-level comment', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    expect(await isDiscussionClosed(db, ESSAY, 'open')).toBe(false);
    expect(await isDiscussionClosed(db, ESSAY, 'closed')).toBe(true);
    await setDiscussionClosed(db, admin, ESSAY, true, 'cooling off');
    expect(await isDiscussionClosed(db, ESSAY, 'open')).toBe(true);
    await setDiscussionClosed(db, admin, ESSAY, false);
    expect(await isDiscussionClosed(db, ESSAY, 'closed')).toBe(false);

    const top = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'top' });
    const reply = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'reply', parentId: top });
    await refused(pinComment(db, admin, reply), 'not-pinnable');
    await refused(pinComment(db, admin, 777), 'comment-not-found');
    expect(await pinnedComment(db, ESSAY)).toBeNull();
    expect(await pinComment(db, admin, top)).toBe(ESSAY);
    expect(await discussionState(db, ESSAY)).toEqual({ closed: false, pinnedCommentId: top });
    expect(await pinnedComment(db, ESSAY)).toMatchObject({ id: top, bodyHtml: '<p>top</p>', authorName: author.username });
    expect(await pinnedComment(db, 'another-essay')).toBeNull();
    await moderateComments(db, admin, [top], 'hide', { reason: 'other' });
    expect(await pinnedComment(db, ESSAY)).toBeNull();
    await moderateComments(db, admin, [top], 'restore');
    await unpinComment(db, admin, ESSAY);
    expect((await discussionState(db, ESSAY)).pinnedCommentId).toBeNull();
    await refused(unpinComment(db, admin, ESSAY), 'bad-input');
    expect((await listLog(db)).map((e) => e.action)).toEqual(['unpin', 'restore', 'hide', 'pin', 'reopen', 'close']);
  });
});

describe('the queue, users and the log', () => {
  it('sorts comments into held, flagged, recent and spam, with context and the author record', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db, { displayName: 'Author' });
    const flagger = await makeUser(db);
    const parent = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'the parent' });
    const held = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'held', parentId: parent });
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();
    const flagged = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'flagged' });
    await flagComment(db, { commentId: flagged, userId: flagger.id, reason: 'spam' });
    const spam = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'spam' });
    await moderateComments(db, admin, [spam], 'spam');
    const old = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'old', createdAt: Date.now() - 30 * 86_400_000 });

    expect(await queueCounts(db)).toEqual({ held: 1, flagged: 1, recent: 4, spam: 1 });
    const [heldItem] = await queueItems(db, 'held');
    expect(heldItem).toMatchObject({ id: held, parent: { id: parent, bodyHtml: '<p>the parent</p>', authorName: 'Author' } });
    expect(heldItem!.author).toMatchObject({ id: author.id, comments: 5, removals: 1 });
    expect((await queueItems(db, 'flagged'))[0]).toMatchObject({ id: flagged, openFlags: 1 });
    expect((await queueItems(db, 'spam')).map((i) => i.id)).toEqual([spam]);
    expect((await queueItems(db, 'recent')).map((i) => i.id)).not.toContain(old);
    expect((await userComments(db, author.id)).map((c) => c.id)).toContain(old);
  });

  it('searches users by username or display name, treating % and _ literally', async () => {
    await makeUser(db, { username: 'lin_wei', displayName: 'Lin Wei' });
    await makeUser(db, { username: 'linda', displayName: '100% Linda' });
    expect((await searchUsers(db, 'LIN')).map((u) => u.username).sort()).toEqual(['lin_wei', 'linda']);
    expect((await searchUsers(db, 'n_w')).map((u) => u.username)).toEqual(['lin_wei']);
    expect((await searchUsers(db, '100%')).map((u) => u.username)).toEqual(['linda']);
    expect(await searchUsers(db, 'zzz')).toEqual([]);
  });

  it('filters the log by admin, action and date', async () => {
    const alice = await makeAdmin(db, 'alice');
    const bob = await makeAdmin(db, 'bob');
    const author = await makeUser(db);
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'x' });
    await moderateComments(db, alice, [id], 'hide', { reason: 'spam' }, Date.UTC(2026, 0, 1, 12));
    await moderateComments(db, bob, [id], 'restore', {}, Date.UTC(2026, 0, 2, 12));
    await moderateComments(db, alice, [id], 'approve', {}, Date.UTC(2026, 0, 3, 12));
    expect((await listLog(db, { admin: 'alice' })).map((e) => e.action)).toEqual(['approve', 'hide']);
    expect((await listLog(db, { action: 'restore' })).map((e) => e.adminName)).toEqual(['bob']);
    expect((await listLog(db, { from: Date.UTC(2026, 0, 2), until: Date.UTC(2026, 0, 3) })).map((e) => e.action)).toEqual(['restore']);
    expect(await countLog(db, { admin: 'alice', action: 'hide' })).toBe(1);
    const other = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'y' });
    await moderateComments(db, bob, [other], 'spam', {}, Date.UTC(2026, 0, 4, 12));
    expect((await listLog(db, { target: { type: 'comment', id: String(id) } })).map((e) => e.action)).toEqual(['approve', 'restore', 'hide']);
    expect((await listLog(db, { target: { type: 'comment', id: String(other) } })).map((e) => e.action)).toEqual(['spam']);
  });
});

describe('activity and public statistics', () => {
  it('counts comments, flags and removals per day for 30 days, and removals per reason per month', async () => {
    const now = Date.UTC(2026, 2, 15, 12);
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const flagger = await makeUser(db);
    const a = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'a', createdAt: now - 86_400_000 });
    const b = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'b', createdAt: now });
    await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'too old', createdAt: now - 40 * 86_400_000 });
    await flagComment(db, { commentId: b, userId: flagger.id, reason: 'abuse' }, now);
    await moderateComments(db, admin, [a], 'hide', { reason: 'off-topic' }, now);
    await moderateComments(db, admin, [b], 'spam', {}, Date.UTC(2026, 1, 10));
    await moderateComments(db, admin, [b], 'approve', {}, now);
    const appeal = await submitAppeal(db, { userId: author.id, commentId: a, message: 'It answers the essay, please look again.' }, now);
    await answerAppeal(db, admin, appeal, 'Agreed: restored.', now);
    await moderateComments(db, admin, [a], 'restore', {}, now);

    const days = await activityByDay(db, now);
    expect(days).toHaveLength(30);
    expect(days[0]!.day).toBe('2026-02-14');
    expect(days.at(-1)).toEqual({ day: '2026-03-15', comments: 1, flags: 1, removals: 1 });
    expect(days.at(-2)).toEqual({ day: '2026-03-14', comments: 1, flags: 0, removals: 0 });
    expect(days.find((d) => d.day === '2026-02-10')).toBeUndefined();

    const months = await monthlyModeration(db, now);
    expect(months).toEqual([
      { month: '2026-03', byReason: { spam: 0, abuse: 0, 'off-topic': 1, other: 0 }, total: 1, approvals: 1, restorations: 1, appealsAnswered: 1, bans: 0 },
      { month: '2026-02', byReason: { spam: 1, abuse: 0, 'off-topic': 0, other: 0 }, total: 1, approvals: 0, restorations: 0, appealsAnswered: 0, bans: 0 },
    ]);
  });
});

describe('appeals', () => {
  it('takes an appeal about a removed comment of your own or your ban, and records the answer', async () => {
    const admin = await makeAdmin(db);
    const reader = await makeUser(db);
    const other = await makeUser(db);
    const removed = await makeComment(db, { essay: ESSAY, authorId: reader.id, body: 'I was only quoting.' });
    const shown = await makeComment(db, { essay: ESSAY, authorId: reader.id, body: 'Still up.' });
    const someoneElses = await makeComment(db, { essay: ESSAY, authorId: other.id, body: 'Not mine.' });
    await moderateComments(db, admin, [removed, someoneElses], 'hide', { reason: 'abuse' });
    expect((await appealableComments(db, reader.id)).map((c) => c.id)).toEqual([removed]);

    await refused(submitAppeal(db, { userId: reader.id, commentId: removed, message: 'short' }), 'bad-input');
    await refused(submitAppeal(db, { userId: reader.id, commentId: removed, message: 'x'.repeat(1001) }), 'bad-input');
    await refused(submitAppeal(db, { userId: reader.id, commentId: shown, message: 'Please look again at this.' }), 'bad-input');
    await refused(submitAppeal(db, { userId: reader.id, commentId: someoneElses, message: 'Please look again at this.' }), 'comment-not-found');
    await refused(submitAppeal(db, { userId: reader.id, commentId: null, message: 'I am not even banned here.' }), 'bad-input');
    const id = await submitAppeal(db, { userId: reader.id, commentId: removed, message: 'I was quoting the essay, not insulting anyone.' });
    await banUser(db, admin, reader.id);
    await submitAppeal(db, { userId: reader.id, commentId: null, message: 'The ban was a mistake, please.' });
    await submitAppeal(db, { userId: reader.id, commentId: removed, message: 'Another look, please.' });
    expect(await refused(submitAppeal(db, { userId: reader.id, commentId: removed, message: 'And a fourth one.' }), 'bad-input')).toMatch(/3 appeals waiting/);
    expect(await countOpenAppeals(db)).toBe(3);

    await refused(answerAppeal(db, admin, id, '   '), 'bad-input');
    await answerAppeal(db, admin, id, 'You are right: restored.', 9000);
    await refused(answerAppeal(db, admin, id, 'again'), 'bad-input');
    await refused(answerAppeal(db, admin, 4242, 'nobody'), 'bad-input');
    expect((await openAppeals(db)).map((a) => a.id)).not.toContain(id);
    expect((await appealsOf(db, reader.id)).find((a) => a.id === id)).toMatchObject({ answeredAt: 9000, answeredBy: admin.name, answer: 'You are right: restored.' });
    const [entry] = await listLog(db, { action: 'answer-appeal' });
    expect(entry).toMatchObject({ targetType: 'appeal', targetId: String(id), note: 'You are right: restored.' });
  });
});

describe('what the discussion shows after moderation', () => {
  it('keeps a removed comment with replies as a placeholder with its reason, and shows held comments to moderators only', async () => {
    const { loadDiscussionPage } = await import('../../src/features/discussion/page.ts');
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const replier = await makeUser(db);
    const parent = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'parent' });
    await makeComment(db, { essay: ESSAY, authorId: replier.id, body: 'reply', parentId: parent });
    const held = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'held' });
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();
    await moderateComments(db, admin, [parent], 'hide', { reason: 'abuse' });

    const essay = { slug: ESSAY, title: 'An essay', discussion: 'open' as const };
    const asReader = await loadDiscussionPage(db, { essay, sort: 'oldest', page: 1, viewerId: replier.id });
    expect(asReader.threads.map((n) => [n.comment.id, n.kind])).toEqual([[parent, 'removed']]);
    expect(removedPlaceholder(asReader.threads[0]!.comment.moderationReason)).toBe('[removed by a moderator: abuse]');
    const asModerator = await loadDiscussionPage(db, { essay, sort: 'oldest', page: 1, viewerId: admin.id, moderator: true });
    expect(asModerator.threads.map((n) => [n.comment.id, n.kind])).toEqual([[parent, 'removed'], [held, 'pending']]);
  });
});
