// Every moderation rule and state change on comments, against a real migrated SQLite database:
// holds, the blocklist, flags, moderators' actions (also from two processes at once), pins and
// closing. Bans, roles, appeals, the queue and the figures: moderation-accounts-db.test.ts.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { addBlockedPhrase, listBlocklist, removeBlockedPhrase } from '../../db/moderation/blocklist.ts';
import { closeDatabase, createDatabase, openDatabase, type Db } from '../../db/client.ts';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { discussionState, pinComment, pinnedComment, setDiscussionClosed, unpinComment } from '../../db/discussion/discussions.ts';
import { isClosed } from '../../src/features/discussion/service.ts';
import { flagComment, flaggedIn, hasFlagged, openFlags } from '../../db/moderation/flags.ts';
import { decideNewCommentStatus, holdNote } from '../../db/moderation/holds.ts';
import { countLog, listLog } from '../../db/moderation/moderation-log.ts';
import { readHoldRules, saveHoldRules } from '../../db/moderation/moderation-settings.ts';
import { comments } from '../../db/schema.ts';
import { banUser } from '../../db/moderation/user-moderation.ts';
import { SIGNED_OUT } from '../../src/features/accounts/reader.ts';
import { flag } from '../../src/features/moderation/service.ts';
import { readerFor } from '../support/account-reader.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { makeAdmin, refused, rowsIn } from '../support/moderation.ts';
import { ROOT, tempDir } from '../support/paths.ts';

const ESSAY = 'an-essay';
let db: Db;
beforeEach(() => (db = createDatabase()));
const { status, user } = rowsIn(() => db);

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
    expect(refused(() => addBlockedPhrase(db, admin, 'buy now'), 'conflict')).toBe('"buy now" is already on the blocklist.');
    refused(() => addBlockedPhrase(db, admin, '   '), 'invalid');
    refused(() => addBlockedPhrase(db, admin, 'y'.repeat(101)), 'invalid');
    expect((await listBlocklist(db)).map((e) => e.phrase)).toEqual(['buy now']);
    await removeBlockedPhrase(db, admin, entry.id);
    expect(await listBlocklist(db)).toEqual([]);
    refused(() => removeBlockedPhrase(db, admin, entry.id), 'invalid');
    expect((await listLog(db)).map((e) => e.action)).toEqual(['blocklist-remove', 'blocklist-add']);
  });
});

describe('flags', () => {
  it('takes one flag per reader, and hides the comment pending review at three distinct readers', async () => {
    const author = await makeUser(db);
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'Provocative.' });
    const [a, b, c] = [await makeUser(db), await makeUser(db), await makeUser(db)];
    expect(await flagComment(db, { commentId: id, userId: a.id, reason: 'abuse', note: 'rude' })).toEqual({ openFlags: 1, hidden: false });
    expect(refused(() => flagComment(db, { commentId: id, userId: a.id, reason: 'spam' }), 'conflict')).toMatch(/already flagged/);
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

  it('refuses banned readers, own comments, hidden comments, missing comments and long notes', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    const reader = await makeUser(db);
    const id = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'x' });
    expect(refused(() => flagComment(db, { commentId: id, userId: author.id, reason: 'spam' }), 'forbidden')).toMatch(/your own comment/);
    refused(() => flagComment(db, { commentId: 9999, userId: reader.id, reason: 'spam' }), 'not-found');
    // The service checks the note before the attempt counts, the reader before both.
    expect(flag(db, readerFor(db, reader.id), { commentId: id, reason: 'spam', note: 'n'.repeat(501) })).toMatchObject({ ok: false, code: 'invalid', field: 'note' });
    expect(flag(db, SIGNED_OUT, { commentId: id, reason: 'spam' })).toMatchObject({ ok: false, code: 'signed-out' });
    const banning = readerFor(db, reader.id);
    await banUser(db, admin, reader.id);
    refused(() => flagComment(db, { commentId: id, userId: reader.id, reason: 'spam' }), 'banned');
    // The session that was read before the ban is refused inside the transaction all the same.
    expect(flag(db, banning, { commentId: id, reason: 'spam' })).toMatchObject({ ok: false, code: 'banned' });
    expect(flag(db, readerFor(db, reader.id), { commentId: id, reason: 'spam' })).toMatchObject({ ok: false, code: 'banned' });
    const other = await makeUser(db);
    await moderateComments(db, admin, [id], 'hide', { reason: 'other' });
    refused(() => flagComment(db, { commentId: id, userId: other.id, reason: 'spam' }), 'not-found');
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
    refused(() => moderateComments(db, admin, [id], 'hide', {}), 'invalid');
    refused(() => moderateComments(db, admin, [id], 'hide', { reason: 'abuse', note: 'n'.repeat(501) }), 'invalid');
    // Bulk: one missing id and the whole request is refused.
    expect(refused(() => moderateComments(db, admin, [id, 424242], 'spam'), 'not-found')).toBe(
      'There is no comment #424242: it may have been deleted for good.',
    );
    refused(() => moderateComments(db, admin, [], 'approve'), 'invalid');
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
    expect(refused(() => moderateComments(db, admin, [parent], 'restore'), 'conflict')).toMatch(/text is gone/);
    refused(() => moderateComments(db, admin, [lone], 'purge'), 'not-found');
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

describe('discussions: closing and pinning', () => {
  it('closes and reopens over the front matter, and pins one published top-level comment', async () => {
    const admin = await makeAdmin(db);
    const author = await makeUser(db);
    expect(await isClosed(db, { slug: ESSAY, title: ESSAY, discussion: 'open' })).toBe(false);
    expect(await isClosed(db, { slug: ESSAY, title: ESSAY, discussion: 'closed' })).toBe(true);
    await setDiscussionClosed(db, admin, ESSAY, true, 'cooling off');
    expect(await isClosed(db, { slug: ESSAY, title: ESSAY, discussion: 'open' })).toBe(true);
    await setDiscussionClosed(db, admin, ESSAY, false);
    expect(await isClosed(db, { slug: ESSAY, title: ESSAY, discussion: 'closed' })).toBe(false);

    const top = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'top' });
    const reply = await makeComment(db, { essay: ESSAY, authorId: author.id, body: 'reply', parentId: top });
    refused(() => pinComment(db, admin, reply), 'conflict');
    refused(() => pinComment(db, admin, 777), 'not-found');
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
    refused(() => unpinComment(db, admin, ESSAY), 'invalid');
    expect((await listLog(db)).map((e) => e.action)).toEqual(['unpin', 'restore', 'hide', 'pin', 'reopen', 'close']);
  });
});
