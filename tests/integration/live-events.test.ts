// The discussion's change log is written by triggers (migration 0005): every write path records
// what happened to which comment, the services', moderation's, account deletion's and a raw
// statement's alike; re-rendering stored comments records nothing; old rows are trimmed.
import { describe, expect, it } from 'vitest';
import { eventWindow, eventsAfter, latestEventSeq } from '../../db/discussion/events.ts';
import { deleteAccount } from '../../db/accounts/accounts.ts';
import { rerenderStaleComments } from '../../db/discussion/comment-lists.ts';
import { createDatabase, closeDatabase } from '../../db/client.ts';
import { likeComment, removeComment, updateComment } from '../../src/features/discussion/service.ts';
import { setDisplayName } from '../../db/accounts/users.ts';
import { ban, moderate, pin, setDiscussionOpen, unban, unpin } from '../../src/features/moderation/service.ts';
import { readerAs } from '../support/discussion-readers.ts';
import { ada, bob, db, essayOf, ESSAY, now, OTHER, postOk, useDiscussionWorld } from '../support/discussion-world.ts';
import { makeUser } from '../support/fixtures.ts';
import { makeAdmin } from '../support/moderation.ts';

useDiscussionWorld();

/** The events recorded after `seq`, as [kind, comment, status before]. */
const since = (seq: number) => eventsAfter(db, seq, 1000).map((e) => [e.kind, e.commentId, e.fromStatus]);

describe('the change log', () => {
  it('exists after the migrations with its triggers (a migration that rebuilds comments must make them again)', () => {
    const triggers = db.$client.prepare("select name from sqlite_master where type = 'trigger' order by name").pluck().all();
    expect(triggers).toEqual([
      'discussion_events_author_renamed',
      'discussion_events_comment_added',
      'discussion_events_comment_deleted',
      'discussion_events_comment_edited',
      'discussion_events_discussion_added',
      'discussion_events_discussion_changed',
      'discussion_events_discussion_removed',
      'discussion_events_likes_changed',
      'discussion_events_status_changed',
      'discussion_events_trim',
    ]);
    expect(latestEventSeq(db)).toBe(0);
  });

  it('records a published comment, an edit, a like and an unlike, with the essay', async () => {
    const id = await postOk(ada, 'First');
    await updateComment(db, { essayOf, reader: ada, id, body: 'First, edited', now: now + 1000 });
    await likeComment(db, { reader: bob, id, liked: true, essayOf, now: now + 2000 });
    await likeComment(db, { reader: bob, id, liked: true, essayOf, now: now + 2500 }); // no change: no event
    await likeComment(db, { reader: bob, id, liked: false, essayOf, now: now + 3000 });
    expect(since(0)).toEqual([
      ['comment-published', id, null],
      ['comment-edited', id, null],
      ['likes-changed', id, null],
      ['likes-changed', id, null],
    ]);
    expect(eventsAfter(db, 0, 10).every((e) => e.essay === ESSAY.slug)).toBe(true);
  });

  it('records a held comment as held, its approval as published, and an edit held again', async () => {
    const newcomer = readerAs(await makeUser(db, { trusted: false }));
    const id = await postOk(newcomer, 'Hello from a new account');
    const admin = await makeAdmin(db);
    expect(moderate(db, admin, { ids: [id], action: 'approve' }).ok).toBe(true);
    const newer = readerAs(await makeUser(db, { trusted: false }));
    const other = await postOk(newer, 'Another first comment');
    expect(since(0)).toEqual([
      ['comment-held', id, null],
      ['comment-published', id, 'pending'],
      ['comment-held', other, null],
    ]);
  });

  it('records hiding, spam, restoring and deleting for good by a moderator, with the status before', async () => {
    const admin = await makeAdmin(db);
    const a = await postOk(ada, 'To hide');
    const b = await postOk(ada, 'To mark as spam');
    const start = latestEventSeq(db);
    moderate(db, admin, { ids: [a], action: 'hide', reason: 'abuse' });
    moderate(db, admin, { ids: [b], action: 'spam' });
    moderate(db, admin, { ids: [a], action: 'restore' });
    moderate(db, admin, { ids: [a], action: 'purge' });
    expect(since(start)).toEqual([
      ['comment-removed', a, 'published'],
      ['comment-removed', b, 'published'],
      ['comment-restored', a, 'hidden'],
      ['comment-removed', a, 'published'],
    ]);
  });

  it("records the author's delete: a comment with replies becomes a placeholder, one without goes, and an emptied placeholder goes too", async () => {
    const parent = await postOk(ada, 'Parent');
    const reply = await postOk(bob, 'Reply', { parentId: parent });
    const start = latestEventSeq(db);
    expect((await removeComment(db, { reader: ada, id: parent })).ok).toBe(true);
    expect((await removeComment(db, { reader: bob, id: reply })).ok).toBe(true);
    expect(since(start)).toEqual([
      ['comment-removed', parent, 'published'],
      ['comment-removed', reply, 'published'],
      ['comment-removed', parent, 'deleted'],
    ]);
  });

  it('records a ban hiding the reader’s comments and an unban restoring them', async () => {
    const admin = await makeAdmin(db);
    const a = await postOk(bob, 'One');
    const b = await postOk(bob, 'Two');
    const start = latestEventSeq(db);
    expect(ban(db, admin, bob.account!.id, { hideComments: true, reason: 'spam' }).ok).toBe(true);
    expect(unban(db, admin, bob.account!.id, { restoreComments: true }).ok).toBe(true);
    const kinds = since(start);
    expect(kinds.filter(([k]) => k === 'comment-removed').map(([, id]) => id).sort()).toEqual([a, b].sort());
    expect(kinds.filter(([k]) => k === 'comment-restored').map(([, id]) => id).sort()).toEqual([a, b].sort());
  });

  it('records account deletion taking the comments away', async () => {
    const a = await postOk(bob, 'Mine');
    const start = latestEventSeq(db);
    expect(await deleteAccount(db, bob.account!.id)).toBe(true);
    expect(since(start)).toEqual([['comment-removed', a, 'published']]);
  });

  it('records a change made by a raw statement too (another process, the admin command)', async () => {
    const a = await postOk(ada, 'Raw');
    const start = latestEventSeq(db);
    db.$client.prepare("update comments set status = 'hidden' where id = ?").run(a);
    expect(since(start)).toEqual([['comment-removed', a, 'published']]);
  });

  it('records closing, reopening, pinning and unpinning (and a pinned comment deleted for good) as changes of the discussion, about no one comment', async () => {
    const admin = await makeAdmin(db);
    const essays = new Map([[ESSAY.slug, ESSAY.title]]);
    const a = await postOk(ada, 'To pin');
    const start = latestEventSeq(db);
    expect(setDiscussionOpen(db, admin, { essay: ESSAY.slug, closed: true }, essays).ok).toBe(true);
    expect(setDiscussionOpen(db, admin, { essay: ESSAY.slug, closed: true }, essays).ok).toBe(true); // no change: no event
    expect(setDiscussionOpen(db, admin, { essay: ESSAY.slug, closed: false }, essays).ok).toBe(true);
    expect(pin(db, admin, a, essays).ok).toBe(true);
    expect(unpin(db, admin, ESSAY.slug, essays).ok).toBe(true);
    expect(pin(db, admin, a, essays).ok).toBe(true);
    moderate(db, admin, { ids: [a], action: 'purge' });
    const changed = ['discussion-changed', 0, null];
    // The foreign key's SET NULL (an update of the pin) runs before the delete's own trigger.
    expect(since(start)).toEqual([changed, changed, changed, changed, changed, changed, ['comment-removed', a, 'published']]);
    expect(eventsAfter(db, start, 10).every((e) => e.essay === ESSAY.slug)).toBe(true);
  });

  it('records a display name change once per essay where the account has published comments (the latest named), none where it has only held or hidden ones', async () => {
    const admin = await makeAdmin(db);
    await postOk(ada, 'One here');
    const latest = await postOk(ada, 'Two here');
    const elsewhere = await postOk(ada, 'Under the other essay', { essay: OTHER });
    moderate(db, admin, { ids: [elsewhere], action: 'hide', reason: 'abuse' });
    await postOk(bob, 'Bob is here too');
    const start = latestEventSeq(db);
    expect(await setDisplayName(db, ada.account!.id, 'Ada Lovelace')).toBe(true);
    expect(await setDisplayName(db, ada.account!.id, 'Ada Lovelace')).toBe(true); // the same name: no event
    expect(since(start)).toEqual([['author-renamed', latest, null]]);
    expect(eventsAfter(db, start, 10)[0]!.essay).toBe(ESSAY.slug);
  });

  it('records nothing when stored comments are rendered again by a newer renderer', async () => {
    await postOk(ada, 'Old renderer');
    const start = latestEventSeq(db);
    db.$client.prepare('update comments set renderer_version = 0').run();
    expect(await rerenderStaleComments(db, 99, (source) => `<p>${source}!</p>`)).toBe(1);
    expect(since(start)).toEqual([]);
  });
});

describe('trimming the change log', () => {
  const insert = (at: number) => db.$client.prepare("insert into discussion_events (essay, kind, comment_id, at) values ('e', 'likes-changed', 1, ?)").run(at);

  it('drops events older than a day when every 256th arrives, and keeps the sequence going', () => {
    const old = Date.now() - 2 * 86_400_000;
    db.$client.transaction(() => {
      for (let i = 0; i < 250; i++) insert(old);
      for (let i = 0; i < 5; i++) insert(Date.now());
    })();
    expect(eventWindow(db)).toEqual({ oldest: 1, newest: 255 });
    insert(Date.now()); // the 256th
    expect(eventWindow(db)).toEqual({ oldest: 251, newest: 256 });
  });

  it('keeps at most the last 100,000 however young', () => {
    const fresh = createDatabase();
    try {
      const add = fresh.$client.prepare("insert into discussion_events (essay, kind, comment_id, at) values ('e', 'likes-changed', 1, ?)");
      fresh.$client.transaction(() => {
        for (let i = 0; i < 100_352; i++) add.run(Date.now());
      })();
      expect(eventWindow(fresh)).toEqual({ oldest: 100_352 - 100_000, newest: 100_352 });
    } finally {
      closeDatabase(fresh);
    }
  });
});
