// The live discussion's pure rules: who is told what, when a page asks for its discussion's state
// again, where a stream resumes, the limits, the message format, and when "new since your last
// visit" moves on.
import { describe, expect, it } from 'vitest';
import {
  admitStream,
  AUDIENCE_READERS,
  audienceOf,
  couldHaveSeen,
  DISCUSSION_WIDE,
  messageKind,
  parseSeq,
  refreshesDiscussion,
  resumeFrom,
  sseFrame,
  STREAM_LIMITS,
  supersededLikes,
  tellsRename,
} from '../../src/features/discussion/live/delivery-rules.ts';
import { isNewTo, VISIT_GAP_MS, VISIT_MS, visitOnLoad } from '../../src/features/discussion/live/visit-rules.ts';
import { readerAs, SIGNED_OUT, suspended } from '../support/discussion-readers.ts';

const ada = readerAs({ id: 'ada' });
const admin = readerAs({ id: 'mod' }, { role: 'admin' });
const byAda = { authorId: 'ada' };

describe('the discussion and its commenters', () => {
  const on = (kind: Parameters<typeof refreshesDiscussion>[0][number]['kind'], commentId = 7, authorId: string | null = 'ada') => ({ kind, commentId, authorId });
  const pinned = { id: 7, authorId: 'ada' };

  it('tell every audience the same: a changed discussion, a new name', () => {
    expect([...DISCUSSION_WIDE].sort()).toEqual(['author-renamed', 'discussion-changed']);
  });

  it('ask pages for their state again when the discussion changed, or its pinned comment did (not for a like)', () => {
    expect(refreshesDiscussion([on('discussion-changed', 0)], null)).toBe(true);
    expect(refreshesDiscussion([on('comment-edited')], pinned)).toBe(true);
    expect(refreshesDiscussion([on('comment-removed')], pinned)).toBe(true);
    expect(refreshesDiscussion([on('comment-restored')], pinned)).toBe(true);
    expect(refreshesDiscussion([on('likes-changed')], pinned)).toBe(false);
    expect(refreshesDiscussion([on('comment-edited', 8)], pinned)).toBe(false);
    expect(refreshesDiscussion([on('comment-edited')], null)).toBe(false);
    // The pinned comment's author renamed (the event names another of their comments), or someone else.
    expect(refreshesDiscussion([on('author-renamed', 9)], pinned)).toBe(true);
    expect(refreshesDiscussion([on('author-renamed', 9, 'bob')], pinned)).toBe(false);
    expect(refreshesDiscussion([on('author-renamed', 9, null)], { id: 7, authorId: null })).toBe(false);
    expect(refreshesDiscussion([], pinned)).toBe(false);
  });

  it('tell a new name only while the comment the event names is published, by an account that still exists', () => {
    expect(tellsRename({ status: 'published', authorUsername: 'ada' })).toBe(true);
    for (const status of ['pending', 'hidden', 'spam', 'deleted'] as const) expect(tellsRename({ status, authorUsername: 'ada' })).toBe(false);
    expect(tellsRename({ status: 'published', authorUsername: null })).toBe(false);
    expect(tellsRename(undefined)).toBe(false);
  });
});

describe('audiences', () => {
  it('are the author, moderators, readers in good standing, and everyone else (signed out or suspended)', () => {
    expect(audienceOf(ada, byAda)).toBe('own');
    expect(audienceOf(admin, byAda)).toBe('moderator');
    expect(audienceOf(readerAs({ id: 'bob' }), byAda)).toBe('reader');
    expect(audienceOf(suspended(readerAs({ id: 'bob' })), byAda)).toBe('public');
    expect(audienceOf(SIGNED_OUT, byAda)).toBe('public');
    // A suspended author is still the author of their own comment.
    expect(audienceOf(suspended(ada), byAda)).toBe('own');
    expect(audienceOf(ada, undefined)).toBe('reader');
  });

  it("render the shared audiences for readers that own nothing", () => {
    for (const reader of Object.values(AUDIENCE_READERS)) expect(audienceOf(reader, { authorId: null })).not.toBe('own');
    expect(AUDIENCE_READERS.moderator.may.moderate).toBe(true);
    expect(AUDIENCE_READERS.reader.may.takePart).toBe(true);
  });
});

describe('what an event becomes', () => {
  const shown = { kind: 'comment' as const, parent: null };
  it('a comment the audience sees: the comment, its body after an edit, its count after a like', () => {
    expect(messageKind({ kind: 'comment-published', fromStatus: null }, shown, false)).toBe('comment');
    expect(messageKind({ kind: 'comment-edited', fromStatus: null }, shown, false)).toBe('body');
    expect(messageKind({ kind: 'likes-changed', fromStatus: null }, shown, false)).toBe('likes');
    expect(messageKind({ kind: 'comment-removed', fromStatus: 'published' }, { kind: 'removed', parent: 3 }, true)).toBe('comment');
    expect(messageKind({ kind: 'comment-edited', fromStatus: null }, { kind: 'deleted', parent: null }, true)).toBeNull();
  });

  it('a comment the audience does not see: gone, if they could have seen it before; otherwise nothing', () => {
    expect(messageKind({ kind: 'comment-removed', fromStatus: 'published' }, null, true)).toBe('removed');
    expect(messageKind({ kind: 'comment-held', fromStatus: 'published' }, null, true)).toBe('removed');
    expect(messageKind({ kind: 'comment-removed', fromStatus: 'pending' }, null, false)).toBeNull();
    expect(messageKind({ kind: 'comment-held', fromStatus: null }, null, false)).toBeNull();
    expect(messageKind({ kind: 'comment-published', fromStatus: 'pending' }, null, true)).toBeNull();
    expect(messageKind({ kind: 'comment-edited', fromStatus: null }, null, true)).toBeNull();
  });

  it('a held comment was seen only by its author and moderators; anything else by everyone (placeholders too)', () => {
    expect(couldHaveSeen('pending', byAda, SIGNED_OUT)).toBe(false);
    expect(couldHaveSeen('pending', byAda, readerAs({ id: 'bob' }))).toBe(false);
    expect(couldHaveSeen('pending', byAda, ada)).toBe(true);
    expect(couldHaveSeen('pending', undefined, admin)).toBe(true);
    expect(couldHaveSeen('published', undefined, SIGNED_OUT)).toBe(true);
    expect(couldHaveSeen('hidden', undefined, SIGNED_OUT)).toBe(true);
    expect(couldHaveSeen(null, byAda, ada)).toBe(false);
  });
});

describe('likes in one run', () => {
  it('are told once per comment, by the last of them; nothing else is passed over', () => {
    const run = [
      { seq: 1, kind: 'likes-changed', commentId: 7 },
      { seq: 2, kind: 'comment-edited', commentId: 7 },
      { seq: 3, kind: 'likes-changed', commentId: 8 },
      { seq: 4, kind: 'likes-changed', commentId: 7 },
      { seq: 5, kind: 'likes-changed', commentId: 7 },
      { seq: 6, kind: 'comment-published', commentId: 9 },
    ] as const;
    expect([...supersededLikes(run)].sort()).toEqual([1, 4]);
    expect(supersededLikes(run.filter((e) => e.kind !== 'likes-changed'))).toEqual(new Set());
  });
});

describe('streams', () => {
  it('resume after an event still kept, and start again otherwise', () => {
    expect(resumeFrom(10, { oldest: 5, newest: 20 })).toBe('resume');
    expect(resumeFrom(4, { oldest: 5, newest: 20 })).toBe('resume');
    expect(resumeFrom(3, { oldest: 5, newest: 20 })).toBe('reset');
    expect(resumeFrom(20, { oldest: 5, newest: 20 })).toBe('resume');
    expect(resumeFrom(21, { oldest: 5, newest: 20 })).toBe('reset');
    expect(resumeFrom(0, { oldest: null, newest: 0 })).toBe('resume');
    expect(resumeFrom(3, { oldest: null, newest: 9 })).toBe('reset');
  });

  it('take whole event numbers only', () => {
    expect(parseSeq('42')).toBe(42);
    expect(parseSeq(' 7 ')).toBe(7);
    for (const junk of ['', '-1', '1.5', '1e3', '0x10', 'abc', '9'.repeat(16), null, undefined]) expect(parseSeq(junk)).toBeNull();
  });

  it(`are limited to ${STREAM_LIMITS.perProcess} a process, ${STREAM_LIMITS.perReader} a reader and ${STREAM_LIMITS.perAddress} an address`, () => {
    expect(admitStream({ total: 0, forReader: 0, fromAddress: 0 })).toBe('ok');
    expect(admitStream({ total: 10, forReader: STREAM_LIMITS.perReader - 1, fromAddress: 10 })).toBe('ok');
    expect(admitStream({ total: 10, forReader: STREAM_LIMITS.perReader, fromAddress: 10 })).toBe('too-many');
    expect(admitStream({ total: 100, forReader: 0, fromAddress: STREAM_LIMITS.perAddress - 1 })).toBe('ok');
    expect(admitStream({ total: 100, forReader: 0, fromAddress: STREAM_LIMITS.perAddress })).toBe('too-many');
    expect(admitStream({ total: STREAM_LIMITS.perProcess, forReader: 0, fromAddress: 0 })).toBe('server-full');
  });

  it('write Server-Sent Events: the id a reconnect resumes from, the type, one line of JSON', () => {
    expect(sseFrame({ id: 7, event: 'comment', data: { id: 3, html: '<p>a\nb</p>' } })).toBe('id: 7\nevent: comment\ndata: {"id":3,"html":"<p>a\\nb</p>"}\n\n');
    expect(sseFrame({ event: 'summary', data: { count: 2 } })).toBe('event: summary\ndata: {"count":2}\n\n');
  });
});

describe('new since your last visit', () => {
  const T = 1_800_000_000_000;

  it('marks nothing on the first visit, and records it', () => {
    expect(visitOnLoad(undefined, T - 5, T)).toEqual({ marksFrom: null, store: { seenAt: T, newSince: T } });
  });

  it('marks what came after the last visit when something new is there, and moves the visit on (one write)', () => {
    const stored = { seenAt: T, newSince: T - 1000 };
    expect(visitOnLoad(stored, T + 10, T + 3_600_000)).toEqual({ marksFrom: T, store: { seenAt: T + 3_600_000, newSince: T } });
  });

  it('writes nothing when nothing is new: the same marks for the rest of the visit, then none', () => {
    const stored = { seenAt: T, newSince: T - 1000 };
    expect(visitOnLoad(stored, T - 1, T + 60_000)).toEqual({ marksFrom: T - 1000, store: null });
    expect(visitOnLoad(stored, T - 1, T + VISIT_MS + 1)).toEqual({ marksFrom: null, store: null });
  });

  it('writes at most once a minute: a new comment within the minute joins the visit before', () => {
    const stored = { seenAt: T, newSince: T - 1000 };
    expect(visitOnLoad(stored, T + 5, T + VISIT_GAP_MS - 1)).toEqual({ marksFrom: T - 1000, store: null });
    expect(visitOnLoad(stored, T + 5, T + VISIT_GAP_MS).store).not.toBeNull();
  });

  it("marks others' comments after the time, never the reader's own", () => {
    expect(isNewTo({ createdAt: T + 1, authorId: 'bob' }, ada, T)).toBe(true);
    expect(isNewTo({ createdAt: T, authorId: 'bob' }, ada, T)).toBe(false);
    expect(isNewTo({ createdAt: T + 1, authorId: 'ada' }, ada, T)).toBe(false);
    expect(isNewTo({ createdAt: T + 1, authorId: 'bob' }, ada, null)).toBe(false);
  });
});
