import { describe, expect, it } from 'vitest';
import { REFUSAL_STATUS } from '../../src/http/refusal-status.ts';
import {
  canEdit,
  checkBody,
  isDiscussionClosed,
  mayQuoteAsParent,
  mayReadComment,
  parsePage,
  rateLimitWait,
  refusal,
  statusesFor,
  whyNotDelete,
  whyNotEdit,
  whyNotLike,
  whyNotReplyTo,
} from '../../src/features/discussion/rules.ts';
import { relativeTime } from '../../src/features/discussion/relative-time.ts';
import { readerAs, SIGNED_OUT, suspended } from '../support/discussion-readers.ts';

describe('the discussion rules', () => {
  it('refuses empty, whitespace-only and over-long bodies, counting characters not UTF-16 units', () => {
    expect(checkBody('')).toMatchObject({ ok: false });
    expect(checkBody(' \n\t ')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
    expect(checkBody(undefined)).toMatchObject({ ok: false });
    expect(checkBody('x'.repeat(10_000))).toMatchObject({ ok: true });
    expect(checkBody('x'.repeat(10_001))).toMatchObject({ ok: false, message: expect.stringContaining('10,001') });
    expect(checkBody('😀'.repeat(10_000))).toMatchObject({ ok: true });
    expect(checkBody('a\r\nb  \n')).toEqual({ ok: true, body: 'a\nb' });
  });

  it('refuses a body a reader would see nothing of, like an empty one, and keeps any that draws', () => {
    const empty = checkBody('');
    for (const body of ['\u200B', '\u3164', '\u2800', '\u00AD', '\u200B \u3164\n\u2800\u00AD\uFEFF\u2060\u115F\uFFA0', '\u0301']) {
      expect(checkBody(body)).toMatchObject({ ok: false, code: 'invalid', field: 'body', message: (empty as { message: string }).message });
    }
    for (const body of ['.', '😀', '\u200Bx', 'é', '\u3164—']) expect(checkBody(body)).toMatchObject({ ok: true });
  });

  it('lets a moderator’s setting override the front matter', () => {
    expect(isDiscussionClosed(null, 'open')).toBe(false);
    expect(isDiscussionClosed(null, 'closed')).toBe(true);
    expect(isDiscussionClosed(true, 'open')).toBe(true);
    expect(isDiscussionClosed(false, 'closed')).toBe(false);
  });

  it('allows edits for 15 minutes', () => {
    expect(canEdit(0, 15 * 60_000)).toBe(true);
    expect(canEdit(0, 15 * 60_000 + 1)).toBe(false);
  });

  it('waits out 5 comments a minute and 30 an hour', () => {
    const now = 10_000_000;
    expect(rateLimitWait([now - 1000, now - 2000, now - 3000, now - 4000], now)).toBe(0);
    expect(rateLimitWait([now - 1000, now - 2000, now - 3000, now - 4000, now - 50_000], now)).toBe(10);
    const hour = Array.from({ length: 30 }, (_, i) => now - 120_000 - i * 1000);
    expect(rateLimitWait(hour, now)).toBe(3600 - 120 - 29);
  });

  it('refuses with a code the edge maps to the statuses the routes always answered', () => {
    const statuses = Object.fromEntries(
      (['signed-out', 'banned', 'unknown-essay', 'closed', 'parent-missing', 'parent-elsewhere', 'parent-pending', 'missing', 'not-author', 'edit-window', 'like-own', 'like-unpublished'] as const).map((r) => [r, REFUSAL_STATUS[refusal(r).code]]),
    );
    expect(statuses).toEqual({
      'signed-out': 401,
      banned: 403,
      'unknown-essay': 404,
      closed: 403,
      'parent-missing': 404,
      'parent-elsewhere': 400,
      'parent-pending': 409,
      missing: 404,
      'not-author': 403,
      'edit-window': 403,
      'like-own': 403,
      'like-unpublished': 403,
    });
  });

  it('reads junk page numbers as page 1', () => {
    expect(parsePage('3')).toBe(3);
    for (const junk of ['0', '-1', '1.5', 'abc', '', null, '1e9']) expect(parsePage(junk)).toBe(1);
  });

  it('says how long ago, in words', () => {
    expect(relativeTime(0, 30_000)).toBe('just now');
    expect(relativeTime(0, 3 * 3_600_000)).toBe('3 hours ago');
    expect(relativeTime(0, 86_400_000)).toBe('yesterday');
  });
});

describe('who may do what with a comment', () => {
  const ada = readerAs({ id: 'ada' });
  const bob = readerAs({ id: 'bob' });
  const admin = readerAs({ id: 'mod' }, { role: 'admin' });
  const comment = (status: string, authorId: string | null = 'ada') => ({ status, authorId, essay: 'e', createdAt: 0 });

  it('lets everyone read a published comment, a held one only its author and moderators, the rest nobody', () => {
    const who = (status: string) => [SIGNED_OUT, ada, bob, admin, suspended(admin)].map((r) => mayReadComment(comment(status), r));
    expect(who('published')).toEqual([true, true, true, true, true]);
    // A suspended admin does not moderate, so reads held comments no more than any reader.
    expect(who('pending')).toEqual([false, true, false, true, false]);
    for (const status of ['hidden', 'spam', 'deleted']) expect(who(status), status).toEqual([false, false, false, false, false]);
    expect(statusesFor('everyone')).toEqual(['published']);
    expect(statusesFor('author and moderators')).toEqual(['pending']);
  });

  it('quotes above a reply form only what takes replies, or the reader\'s own held comment', () => {
    expect(mayQuoteAsParent(comment('published'), bob)).toBe(true);
    expect(mayQuoteAsParent(comment('pending'), ada)).toBe(true);
    expect(mayQuoteAsParent(comment('pending'), admin)).toBe(false);
    expect(mayQuoteAsParent(comment('hidden'), ada)).toBe(false);
  });

  it('takes replies under a published comment of the same essay only; a held one is missing to whoever may not read it', () => {
    expect(whyNotReplyTo(comment('published'), 'e', bob)).toBeNull();
    expect(whyNotReplyTo(comment('published'), 'other', bob)).toBe('parent-elsewhere');
    expect(whyNotReplyTo(comment('pending'), 'e', ada)).toBe('parent-pending');
    expect(whyNotReplyTo(comment('pending'), 'e', admin)).toBe('parent-pending');
    expect(whyNotReplyTo(comment('pending'), 'e', bob)).toBe('parent-missing');
    for (const status of ['hidden', 'spam', 'deleted']) expect(whyNotReplyTo(comment(status), 'e', ada)).toBe('parent-missing');
    expect(whyNotReplyTo(undefined, 'e', bob)).toBe('parent-missing');
  });

  it('lets the author edit a shown comment within the window, while in good standing', () => {
    expect(whyNotEdit(comment('published'), ada, 15 * 60_000, false)).toBeNull();
    expect(whyNotEdit(comment('pending'), ada, 0, false)).toBeNull();
    expect(whyNotEdit(comment('published'), ada, 15 * 60_000 + 1, false)).toBe('edit-window');
    expect(whyNotEdit(comment('published'), bob, 0, false)).toBe('not-author');
    expect(whyNotEdit(comment('published'), admin, 0, false)).toBe('not-author');
    expect(whyNotEdit(comment('hidden'), ada, 0, false)).toBe('missing');
    // Someone else's held comment is missing to a reader who may not read it, "not yours" to a moderator.
    expect(whyNotEdit(comment('pending'), bob, 0, false)).toBe('missing');
    expect(whyNotEdit(comment('pending'), admin, 0, false)).toBe('not-author');
    expect(whyNotEdit(comment('published'), suspended(ada), 0, false)).toBe('banned');
    expect(whyNotEdit(comment('published'), SIGNED_OUT, 0, false)).toBe('signed-out');
  });

  it('takes no edit while the discussion is closed, with the reason every closed action gives', () => {
    // Inside the window, by the author: only the closing stands in the way, and reopening lifts it.
    expect(whyNotEdit(comment('published'), ada, 60_000, true)).toBe('closed');
    expect(whyNotEdit(comment('pending'), ada, 0, true)).toBe('closed');
    expect(whyNotEdit(comment('published'), ada, 60_000, false)).toBeNull();
    expect(refusal(whyNotEdit(comment('published'), ada, 60_000, true)!)).toMatchObject({ code: 'closed', message: expect.stringContaining('closed') });
    // Past the window the window is the reason (reopening would not help); others' comments stay theirs or missing.
    expect(whyNotEdit(comment('published'), ada, 15 * 60_000 + 1, true)).toBe('edit-window');
    expect(whyNotEdit(comment('published'), bob, 0, true)).toBe('not-author');
    expect(whyNotEdit(comment('pending'), bob, 0, true)).toBe('missing');
    expect(whyNotEdit(comment('published'), suspended(ada), 0, true)).toBe('banned');
    expect(whyNotEdit(comment('published'), SIGNED_OUT, 0, true)).toBe('signed-out');
  });

  it('lets the author delete at any time, suspended or not', () => {
    expect(whyNotDelete(comment('hidden'), suspended(ada))).toBeNull();
    expect(whyNotDelete(comment('published'), bob)).toBe('not-author');
    expect(whyNotDelete(comment('pending'), bob)).toBe('missing');
    expect(whyNotDelete(comment('hidden'), bob)).toBe('missing');
    expect(whyNotDelete(comment('pending'), admin)).toBe('not-author');
    expect(whyNotDelete(comment('deleted', null), ada)).toBe('missing');
    expect(whyNotDelete(comment('published'), SIGNED_OUT)).toBe('signed-out');
  });

  it('takes likes on others\' published comments from readers in good standing', () => {
    expect(whyNotLike(comment('published'), bob)).toBeNull();
    expect(whyNotLike(comment('published'), ada)).toBe('like-own');
    expect(whyNotLike(comment('pending'), bob)).toBe('missing');
    expect(whyNotLike(comment('pending'), admin)).toBe('like-unpublished');
    expect(whyNotLike(undefined, bob)).toBe('missing');
    expect(whyNotLike(comment('published'), suspended(bob))).toBe('banned');
    expect(whyNotLike(comment('published'), SIGNED_OUT)).toBe('signed-out');
  });
});

describe('absolute times', () => {
  it('reads as a date and a UTC time', async () => {
    const { absoluteTime } = await import('../../src/features/discussion/relative-time.ts');
    expect(absoluteTime(Date.UTC(2026, 10, 22, 8, 5))).toBe('22 November 2026, 08:05 UTC');
  });
});
