// A reader's comment linked to the correction it led to, on a real migrated SQLite database: the
// admin links and unlinks (each logged), wrong and unknown corrections and deleted comments are
// refused with nothing written, the link survives an edit and goes when the comment goes (by its
// author, for good by a moderator, or with the account) while the log stays; the comment shows the
// mark wherever a reader may read it, and its author finds it in "Replies to you".
import { eq } from 'drizzle-orm';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { accountData, deleteAccount } from '../../db/accounts/accounts.ts';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { allLinkedComments, countUnreadLinks, linksOfComment, linksToAuthor } from '../../db/moderation/correction-links.ts';
import { listLog } from '../../db/moderation/moderation-log.ts';
import { listThread } from '../../db/discussion/thread-reads.ts';
import { comments, correctionLinks } from '../../db/schema.ts';
import { SIGNED_OUT } from '../../src/features/accounts/reader.ts';
import { loadDiscussionMarkup } from '../../src/features/discussion/page-markup.ts';
import { loadReplies, unreadReplies } from '../../src/features/discussion/page.ts';
import { removeComment, updateComment } from '../../src/features/discussion/service.ts';
import { linkToCorrection, unlinkFromCorrection, type Corrections } from '../../src/features/moderation/service.ts';
import { fingerprint } from '../support/db-fingerprint.ts';
import { suspended } from '../support/discussion-readers.ts';
import { ada, bob, db, ESSAY, essayOf, idOf, now, OTHER, postOk, useDiscussionWorld } from '../support/discussion-world.ts';
import { makeAdmin, type TestAdmin } from '../support/moderation.ts';

useDiscussionWorld();

const FIX = '2026-11-29-account-cancellation';
const OTHER_FIX = '2026-11-29-registered-accounts';
const SECOND_FIX = '2026-11-29-real-name-dates';
const CORRECTIONS: Corrections = new Map([
  [FIX, { id: FIX, essay: ESSAY.slug }],
  [SECOND_FIX, { id: SECOND_FIX, essay: ESSAY.slug }],
  [OTHER_FIX, { id: OTHER_FIX, essay: OTHER.slug }],
]);

const link = (admin: TestAdmin, commentId: number, correction = FIX, at = now) => linkToCorrection(db, admin, { commentId, correction }, CORRECTIONS, at);
const linksNow = () => db.select().from(correctionLinks).all();
const markOf = async (commentId: number, reader = SIGNED_OUT) => {
  const { threadsHtml } = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader, now });
  const doc = parseHTML(`<!doctype html><html><body>${threadsHtml}</body></html>`).document;
  return [...doc.querySelectorAll(`#comment-${commentId} > article .comment-correction`)].map((a) => [a.textContent, a.getAttribute('href')]);
};

describe('linking a comment to the correction it led to', () => {
  it('links, shows the mark linking to the entry, logs it, and unlinks (logged too)', async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'The account could be cancelled from 2017 on, see the report.');
    expect(await markOf(id)).toEqual([]);

    expect(link(admin, id)).toMatchObject({ ok: true, correction: FIX });
    expect(linksNow()).toEqual([{ correctionId: FIX, commentId: id, linkedBy: admin.id, createdAt: now }]);
    expect((await listThread(db, id, SIGNED_OUT))[0]!.corrections).toEqual([FIX]);
    expect(await markOf(id)).toEqual([['Led to a correction', `/essays/${ESSAY.slug}/#${FIX}`]]);
    expect(await linksOfComment(db, id)).toEqual([{ correctionId: FIX, commentId: id, linkedByName: admin.username, createdAt: now }]);
    expect(await listLog(db, { target: { type: 'comment', id: String(id) } })).toMatchObject([
      { action: 'link-correction', adminId: admin.id, adminName: admin.username, targetType: 'comment', targetId: String(id), note: FIX },
    ]);

    // A second correction of the same essay: the comment names both.
    expect(link(admin, id, SECOND_FIX)).toMatchObject({ ok: true });
    expect(await markOf(id)).toEqual([['Led to corrections: 2026-11-29-account-cancellation, 2026-11-29-real-name-dates', null]]);

    expect(unlinkFromCorrection(db, admin, { commentId: id, correction: SECOND_FIX }, now + 1)).toMatchObject({ ok: true, correction: SECOND_FIX });
    expect(unlinkFromCorrection(db, admin, { commentId: id, correction: FIX }, now + 2)).toMatchObject({ ok: true, correction: FIX });
    expect(linksNow()).toEqual([]);
    expect(await markOf(id)).toEqual([]);
    expect((await listLog(db, { target: { type: 'comment', id: String(id) } })).map((e) => [e.action, e.note])).toEqual([
      ['unlink-correction', FIX],
      ['unlink-correction', SECOND_FIX],
      ['link-correction', SECOND_FIX],
      ['link-correction', FIX],
    ]);
  });

  it('refuses an unknown correction, one of another essay, a missing or deleted comment, a taken correction, and a missing link, writing nothing', async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'A comment that pointed out an error.');
    const other = await postOk(bob, 'Another comment.');
    const parent = await postOk(bob, 'A comment its author deletes, with a reply kept.');
    await postOk(ada, 'The reply.', { parentId: parent });
    expect(await removeComment(db, { reader: bob, id: parent })).toMatchObject({ ok: true });
    expect(link(admin, other)).toMatchObject({ ok: true });
    const before = fingerprint(db);

    expect(link(admin, id, '2026-11-29-no-such-fix')).toMatchObject({ ok: false, code: 'invalid', field: 'correction', message: 'There is no correction “2026-11-29-no-such-fix”.' });
    expect(link(admin, id, '   ')).toMatchObject({ ok: false, code: 'invalid', message: 'Choose the correction the comment led to.' });
    expect(link(admin, id, OTHER_FIX)).toMatchObject({ ok: false, code: 'invalid', field: 'correction' });
    expect(link(admin, 999_999)).toMatchObject({ ok: false, code: 'not-found' });
    expect(link(admin, parent, SECOND_FIX)).toMatchObject({ ok: false, code: 'conflict', message: `Comment #${parent} was deleted; only a comment that is still there can be linked to a correction.` });
    expect(link(admin, id)).toMatchObject({ ok: false, code: 'conflict', message: `Correction ${FIX} is already linked to comment #${other}; remove that link first.` });
    expect(link(admin, other)).toMatchObject({ ok: false, code: 'conflict', message: `Comment #${other} is already linked to correction ${FIX}.` });
    expect(unlinkFromCorrection(db, admin, { commentId: id, correction: FIX })).toMatchObject({ ok: false, code: 'not-found' });

    expect(fingerprint(db)).toBe(before);
  });

  it('lets only a moderator in good standing link or unlink', async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'A comment.');
    const before = fingerprint(db);
    expect(linkToCorrection(db, SIGNED_OUT, { commentId: id, correction: FIX }, CORRECTIONS)).toMatchObject({ ok: false, code: 'signed-out' });
    expect(linkToCorrection(db, bob, { commentId: id, correction: FIX }, CORRECTIONS)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(linkToCorrection(db, suspended(admin), { commentId: id, correction: FIX }, CORRECTIONS)).toMatchObject({ ok: false, code: 'banned' });
    // Even an unknown correction is refused as not allowed first: a reader learns nothing about them.
    expect(linkToCorrection(db, bob, { commentId: id, correction: 'nonsense' }, CORRECTIONS)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(fingerprint(db)).toBe(before);
    expect(link(admin, id)).toMatchObject({ ok: true });
    const linked = fingerprint(db);
    expect(unlinkFromCorrection(db, bob, { commentId: id, correction: FIX })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(unlinkFromCorrection(db, SIGNED_OUT, { commentId: id, correction: FIX })).toMatchObject({ ok: false, code: 'signed-out' });
    expect(fingerprint(db)).toBe(linked);
  });
});

describe('the link and the comment', () => {
  it('survives the comment being edited', async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'First words.');
    expect(link(admin, id, FIX, now + 1000)).toMatchObject({ ok: true });
    expect(await updateComment(db, { essayOf, reader: ada, id, body: 'Better words.', now: now + 2000 })).toMatchObject({ ok: true });
    expect(db.select().from(comments).where(eq(comments.id, id)).get()).toMatchObject({ bodySource: 'Better words.' });
    expect(linksNow()).toMatchObject([{ correctionId: FIX, commentId: id }]);
    expect(await markOf(id)).toEqual([['Led to a correction', `/essays/${ESSAY.slug}/#${FIX}`]]);
  });

  it('goes when the author deletes the comment, with replies (a placeholder) or without, and the log stays', async () => {
    const admin = await makeAdmin(db);
    const alone = await postOk(ada, 'No replies here.');
    const answered = await postOk(ada, 'This one has a reply.');
    const reply = await postOk(bob, 'A reply.', { parentId: answered });
    expect(link(admin, alone, FIX)).toMatchObject({ ok: true });
    expect(link(admin, answered, SECOND_FIX)).toMatchObject({ ok: true });

    expect(await removeComment(db, { reader: ada, id: answered })).toMatchObject({ ok: true });
    expect(db.select().from(comments).where(eq(comments.id, answered)).get()).toMatchObject({ status: 'deleted' });
    expect(linksNow().map((l) => l.commentId)).toEqual([alone]);
    expect(await markOf(answered)).toEqual([]);
    expect(await markOf(reply)).toEqual([]);

    expect(await removeComment(db, { reader: ada, id: alone })).toMatchObject({ ok: true });
    expect(linksNow()).toEqual([]);
    expect((await listLog(db, { action: 'link-correction' })).map((e) => e.targetId).sort()).toEqual([String(alone), String(answered)].sort());
  });

  it('goes when a moderator deletes the comment for good, placeholder or not', async () => {
    const admin = await makeAdmin(db);
    const alone = await postOk(ada, 'No replies here.');
    const answered = await postOk(ada, 'This one has a reply.');
    await postOk(bob, 'A reply.', { parentId: answered });
    link(admin, alone, FIX);
    link(admin, answered, SECOND_FIX);
    await moderateComments(db, admin, [alone, answered], 'purge');
    expect(db.select().from(comments).where(eq(comments.id, answered)).get()).toMatchObject({ bodyHtml: '' });
    expect(linksNow()).toEqual([]);
    expect(await countUnreadLinks(db, idOf(ada))).toBe(0);
    expect(await listLog(db, { action: 'link-correction' })).toHaveLength(2);
  });

  it('goes with the account of its author; an erased admin leaves the link without a name', async () => {
    const admin = await makeAdmin(db);
    const alone = await postOk(ada, 'No replies here.');
    const answered = await postOk(ada, 'This one has a reply.');
    await postOk(bob, 'A reply.', { parentId: answered });
    const bobs = await postOk(bob, 'Bob saw it too.', { essay: OTHER });
    link(admin, alone, FIX);
    link(admin, answered, SECOND_FIX);
    link(admin, bobs, OTHER_FIX);
    // Until then, the account's data names the comments of theirs that led to corrections.
    expect((await accountData(db, idOf(ada)))!.correctionLinks.map((l) => [l.commentId, l.correction]).sort()).toEqual(
      [[alone, FIX], [answered, SECOND_FIX]].sort(),
    );

    expect(await deleteAccount(db, idOf(ada))).toBe(true);
    expect(linksNow()).toMatchObject([{ correctionId: OTHER_FIX, commentId: bobs }]);
    expect(await listLog(db, { action: 'link-correction' })).toHaveLength(3);

    expect(await deleteAccount(db, admin.id)).toBe(true);
    expect(linksNow()).toMatchObject([{ correctionId: OTHER_FIX, commentId: bobs, linkedBy: null }]);
    expect(await linksOfComment(db, bobs)).toMatchObject([{ correctionId: OTHER_FIX, linkedByName: null }]);
  });

  it('is shown only where the comment may be read: not on a hidden one, to its author on a held one', async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'Pointed out an error.');
    expect(link(admin, id)).toMatchObject({ ok: true });

    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, id)).run();
    expect(await markOf(id, SIGNED_OUT)).toEqual([]);
    expect(await markOf(id, bob)).toEqual([]);
    expect(await markOf(id, ada)).toEqual([['Led to a correction', `/essays/${ESSAY.slug}/#${FIX}`]]);
    expect((await linksToAuthor(db, idOf(ada))).map((l) => l.correctionId)).toEqual([FIX]);

    await moderateComments(db, admin, [id], 'hide', { reason: 'off-topic' });
    expect(await markOf(id, ada)).toEqual([]);
    // The link stays (a restored comment shows it again), but its author is not pointed at a comment they cannot open.
    expect(linksNow()).toHaveLength(1);
    expect(await linksToAuthor(db, idOf(ada))).toEqual([]);
    expect(await countUnreadLinks(db, idOf(ada))).toBe(0);
    expect((await allLinkedComments(db)).map((l) => [l.commentId, l.status])).toEqual([[id, 'hidden']]);

    await moderateComments(db, admin, [id], 'restore');
    expect(await markOf(id, bob)).toEqual([['Led to a correction', `/essays/${ESSAY.slug}/#${FIX}`]]);
  });
});

describe('"Replies to you"', () => {
  it('counts a new link as unread for the comment’s author only, lists it, and looking marks it read', async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'Pointed out an error.');
    expect(await unreadReplies(db, ada)).toBe(0);
    await postOk(bob, 'A reply to Ada.', { parentId: id });
    expect(await unreadReplies(db, ada)).toBe(1);

    expect(link(admin, id, FIX, now + 5000)).toMatchObject({ ok: true });
    expect(await unreadReplies(db, ada)).toBe(2);
    expect(await unreadReplies(db, bob)).toBe(0);
    expect(await unreadReplies(db, SIGNED_OUT)).toBe(0);

    const seen = await loadReplies(db, ada.account!, now + 6000);
    expect(seen.corrections).toMatchObject([{ correctionId: FIX, commentId: id, essay: ESSAY.slug, createdAt: now + 5000 }]);
    expect(seen.replies).toHaveLength(1);
    expect(await unreadReplies(db, ada)).toBe(0);
    // Still listed, no longer new.
    const again = await loadReplies(db, ada.account!, now + 7000);
    expect(again.corrections).toHaveLength(1);
    expect(again.seenBefore).toBe(now + 6000);
  });
});
