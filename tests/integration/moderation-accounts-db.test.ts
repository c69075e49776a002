// Moderation of accounts and what moderators read, against a real migrated SQLite database: bans
// and roles, appeals, the queue, user search, the log and its figures, and what the discussion
// shows after moderation. Comments, flags and holds: moderation-db.test.ts.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerAppeal, appealableComments, appealsOf, countOpenAppeals, openAppeals, submitAppeal } from '../../db/moderation/appeals.ts';
import { createDatabase, type Db } from '../../db/client.ts';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { flagComment } from '../../db/moderation/flags.ts';
import { COMMAND_LINE, countLog, listLog } from '../../db/moderation/moderation-log.ts';
import { queueCounts, queueItems, searchUsers, userComments } from '../../db/moderation/moderation-queue.ts';
import { activityByDay, monthlyModeration } from '../../db/moderation/moderation-stats.ts';
import { comments } from '../../db/schema.ts';
import { banUser, countAdmins, countHiddenWithBan, createAdmin, setRole, unbanUser } from '../../db/moderation/user-moderation.ts';
import { removedPlaceholder } from '../../src/features/moderation/reasons.ts';
import { readerAs } from '../support/discussion-readers.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { makeAdmin, refused, rowsIn } from '../support/moderation.ts';

const ESSAY = 'an-essay';
let db: Db;
beforeEach(() => (db = createDatabase()));
const { status, user } = rowsIn(() => db);

describe('bans and roles', () => {
  it('bans a reader (optionally hiding every comment of theirs) and unbans', async () => {
    const admin = await makeAdmin(db);
    const troll = await makeUser(db);
    const a = await makeComment(db, { essay: ESSAY, authorId: troll.id, body: 'a' });
    const b = await makeComment(db, { essay: ESSAY, authorId: troll.id, body: 'b' });
    expect(await banUser(db, admin, troll.id, { hideComments: true, reason: 'abuse', note: 'harassment' }, 7000)).toEqual({ username: troll.username, hidden: 2 });
    expect(user(troll.id).bannedAt).toBe(7000);
    expect([status(a)!.status, status(b)!.status]).toEqual(['hidden', 'hidden']);
    expect((await listLog(db)).map((e) => e.action).sort()).toEqual(['ban', 'hide', 'hide']);
    expect(refused(() => banUser(db, admin, troll.id), 'conflict')).toBe(`${troll.username} is already banned.`);
    await unbanUser(db, admin, troll.id);
    expect(user(troll.id).bannedAt).toBeNull();
    expect(refused(() => unbanUser(db, admin, troll.id), 'conflict')).toBe(`${troll.username} is not banned.`);
  });

  it('restores on unban, if asked, only the comments the ban hid and nobody has touched since', async () => {
    const admin = await makeAdmin(db);
    const troll = await makeUser(db);
    const body = (text: string) => makeComment(db, { essay: ESSAY, authorId: troll.id, body: text });
    const [kept, rehidden, purged, hiddenBefore, held] = [await body('kept'), await body('rehidden'), await body('purged'), await body('hidden before'), await body('held')];
    await makeComment(db, { essay: ESSAY, authorId: admin.id, body: 'a reply keeps the purged one as a placeholder', parentId: purged });
    await moderateComments(db, admin, [hiddenBefore], 'hide', { reason: 'spam' }, 1000);
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();

    expect(await banUser(db, admin, troll.id, { hideComments: true, reason: 'abuse' }, 7000)).toEqual({ username: troll.username, hidden: 4 });
    // Not the held one: readers never saw it, the ban's hide says so, and an unban leaves it.
    expect(await countHiddenWithBan(db, troll.id)).toBe(3);
    // After the ban a moderator restores one and hides it again, and deletes another for good.
    await moderateComments(db, admin, [rehidden], 'restore', {}, 8000);
    await moderateComments(db, admin, [rehidden], 'hide', { reason: 'other' }, 8001);
    await moderateComments(db, admin, [purged], 'purge', {}, 8002);
    expect(await countHiddenWithBan(db, troll.id)).toBe(1);

    expect(await unbanUser(db, admin, troll.id, { restoreComments: true }, 9000)).toMatchObject({ restored: 1 });
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
    expect(await unbanUser(db, admin, troll.id, {}, 9000)).toMatchObject({ restored: 0 });
    expect(status(a)!.status).toBe('hidden');
    // Banned again later, without hiding: nothing of the first ban comes back.
    await banUser(db, admin, troll.id, {}, 10_000);
    expect(await countHiddenWithBan(db, troll.id)).toBe(0);
    expect(await unbanUser(db, admin, troll.id, { restoreComments: true }, 11_000)).toMatchObject({ restored: 0 });
    expect(status(a)!.status).toBe('hidden');
  });

  it('refuses banning an admin, yourself or nobody, and demoting the last admin', async () => {
    const admin = await makeAdmin(db, 'solo');
    const other = await makeAdmin(db, 'other');
    expect(refused(() => banUser(db, admin, admin.id), 'conflict')).toBe('You cannot ban yourself.');
    expect(refused(() => banUser(db, admin, other.id), 'conflict')).toBe('other is an admin: demote them before banning.');
    expect(refused(() => banUser(db, admin, 'no-such-id'), 'not-found')).toBe('That account does not exist (any more).');
    const reader = await makeUser(db);
    expect(refused(() => banUser(db, admin, reader.id, { hideComments: true }), 'invalid')).toMatch(/Choose a reason/);
    await setRole(db, admin, 'other', 'reader');
    expect(await countAdmins(db)).toBe(1);
    expect(refused(() => setRole(db, admin, 'SOLO', 'reader'), 'conflict')).toMatch(/solo is the last admin/);
    expect(refused(() => setRole(db, admin, 'nobody', 'admin'), 'not-found')).toBe('"nobody" does not exist (any more).');
    expect(refused(() => setRole(db, admin, 'solo', 'admin'), 'conflict')).toBe('solo is already an admin.');
    expect(user(admin.id).role).toBe('admin');
    expect((await listLog(db)).map((e) => e.action)).toEqual(['demote']);
  });

  it('creates admins, refusing a taken username', async () => {
    await createAdmin(db, COMMAND_LINE, { id: 'admin-1', username: 'Root', passwordHash: 'h' });
    expect(user('admin-1')).toMatchObject({ role: 'admin', usernameKey: 'root' });
    expect(user('admin-1').trustedAt).not.toBeNull();
    expect(refused(() => createAdmin(db, COMMAND_LINE, { id: 'admin-2', username: 'root', passwordHash: 'h' }), 'invalid')).toMatch(/is taken/);
    expect((await listLog(db))[0]).toMatchObject({ action: 'create-admin', adminId: null, adminName: 'command line' });
    expect(await countAdmins(db)).toBe(1);
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

    refused(() => submitAppeal(db, { userId: reader.id, commentId: removed, message: 'short' }), 'invalid');
    refused(() => submitAppeal(db, { userId: reader.id, commentId: removed, message: 'x'.repeat(1001) }), 'invalid');
    refused(() => submitAppeal(db, { userId: reader.id, commentId: shown, message: 'Please look again at this.' }), 'invalid');
    refused(() => submitAppeal(db, { userId: reader.id, commentId: someoneElses, message: 'Please look again at this.' }), 'not-found');
    refused(() => submitAppeal(db, { userId: reader.id, commentId: null, message: 'I am not even banned here.' }), 'invalid');
    const id = await submitAppeal(db, { userId: reader.id, commentId: removed, message: 'I was quoting the essay, not insulting anyone.' });
    await banUser(db, admin, reader.id);
    await submitAppeal(db, { userId: reader.id, commentId: null, message: 'The ban was a mistake, please.' });
    await submitAppeal(db, { userId: reader.id, commentId: removed, message: 'Another look, please.' });
    expect(refused(() => submitAppeal(db, { userId: reader.id, commentId: removed, message: 'And a fourth one.' }), 'invalid')).toMatch(/3 appeals waiting/);
    expect(await countOpenAppeals(db)).toBe(3);

    refused(() => answerAppeal(db, admin, id, '   '), 'invalid');
    await answerAppeal(db, admin, id, 'You are right: restored.', 9000);
    refused(() => answerAppeal(db, admin, id, 'again'), 'invalid');
    refused(() => answerAppeal(db, admin, 4242, 'nobody'), 'invalid');
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
    const asReader = await loadDiscussionPage(db, { essay, sort: 'oldest', page: 1, reader: readerAs(replier) });
    expect(asReader.threads.map((n) => [n.comment.id, n.kind])).toEqual([[parent, 'removed']]);
    expect(removedPlaceholder(asReader.threads[0]!.comment.moderationReason)).toBe('[removed by a moderator: abuse]');
    const asModerator = await loadDiscussionPage(db, { essay, sort: 'oldest', page: 1, reader: readerAs(admin, { role: 'admin' }) });
    expect(asModerator.threads.map((n) => [n.comment.id, n.kind])).toEqual([[parent, 'removed'], [held, 'pending']]);
  });
});
