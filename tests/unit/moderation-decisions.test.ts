// Moderation's decisions as pure functions (rules.ts, account-rules.ts, hold-rules.ts, audit-log.ts)
// and the forms' schemas: each answered once here, whatever route, island or query asks it.
import { describe, expect, it } from 'vitest';
import { readerOf, SIGNED_OUT } from '../../src/features/accounts/reader.ts';
import { appealRefusal, banRefusal, checkBan, roleRefusal } from '../../src/features/moderation/account-rules.ts';
import { tallyMonths } from '../../src/features/moderation/audit-log.ts';
import { DEFAULT_HOLD_RULES, holdDecision, holdNote, holdRulesRefusal } from '../../src/features/moderation/hold-rules.ts';
import {
  checkCommentAction,
  commentActionRefusal,
  FLAG_STANDING_MS,
  FLAG_THRESHOLD,
  flagRefusal,
  flagsHide,
  flagTally,
  offeredActions,
  pinRefusal,
  whyNotFlag,
  whyNotModerate,
} from '../../src/features/moderation/rules.ts';
import { appealForm, commentActionForm, flagForm, holdRulesForm, pinForm } from '../../src/features/moderation/schemas.ts';

const account = (role: 'reader' | 'admin', bannedAt: number | null = null) => readerOf({ id: `${role}-1`, username: role, displayName: null, role, bannedAt });

describe('who moderates and who flags', () => {
  it('lets an admin in good standing moderate, and says why anyone else may not', () => {
    expect(whyNotModerate(account('admin'))).toBeNull();
    expect(whyNotModerate(SIGNED_OUT)).toMatchObject({ code: 'signed-out' });
    expect(whyNotModerate(account('reader'))).toMatchObject({ code: 'forbidden' });
    expect(whyNotModerate(account('admin', 5))).toMatchObject({ code: 'banned' });
    expect(whyNotFlag(account('reader'))).toBeNull();
    expect(whyNotFlag(SIGNED_OUT)).toMatchObject({ code: 'signed-out' });
    expect(whyNotFlag(account('reader', 5))).toMatchObject({ code: 'banned' });
  });
});

describe('actions on comments', () => {
  it('takes each id once, needs a reason to hide, records spam as the reason of spam, and caps the note and the batch', () => {
    expect(checkCommentAction({ ids: [3, 3, 4], action: 'approve', reason: 'abuse', note: '  ' })).toEqual({ ok: true, ids: [3, 4], reason: null, note: null });
    expect(checkCommentAction({ ids: [3], action: 'hide' })).toMatchObject({ ok: false, code: 'invalid', field: 'reason' });
    expect(checkCommentAction({ ids: [3], action: 'hide', reason: 'other', note: ' why ' })).toEqual({ ok: true, ids: [3], reason: 'other', note: 'why' });
    expect(checkCommentAction({ ids: [3], action: 'spam' })).toMatchObject({ ok: true, reason: 'spam' });
    expect(checkCommentAction({ ids: [], action: 'spam' })).toMatchObject({ ok: false, message: 'Select at least one comment.' });
    expect(checkCommentAction({ ids: Array.from({ length: 201 }, (_, i) => i + 1), action: 'spam' })).toMatchObject({ ok: false, code: 'invalid' });
    expect(checkCommentAction({ ids: [3], action: 'hide', reason: 'spam', note: 'n'.repeat(501) })).toMatchObject({ ok: false, field: 'note' });
  });

  it('refuses acting on a missing comment, anything but purging one its author deleted, and restoring text that is gone', () => {
    expect(commentActionRefusal(7, undefined, 'approve')).toMatchObject({ code: 'not-found' });
    expect(commentActionRefusal(7, { status: 'deleted', bodyHtml: '<p>x</p>' }, 'hide')).toMatchObject({ code: 'conflict' });
    expect(commentActionRefusal(7, { status: 'deleted', bodyHtml: '<p>x</p>' }, 'purge')).toBeNull();
    expect(commentActionRefusal(7, { status: 'hidden', bodyHtml: '' }, 'restore')).toMatchObject({ code: 'conflict', message: expect.stringContaining('text is gone') });
    expect(commentActionRefusal(7, { status: 'hidden', bodyHtml: '' }, 'spam')).toBeNull();
  });

  it('offers what may be done to a comment as it stands', () => {
    expect(offeredActions({ status: 'pending', openFlags: 0, purged: false })).toEqual({ approve: true, restore: false, hide: true, spam: true, purge: true });
    expect(offeredActions({ status: 'published', openFlags: 0, purged: false }).approve).toBe(false);
    expect(offeredActions({ status: 'published', openFlags: 2, purged: false }).approve).toBe(true);
    expect(offeredActions({ status: 'spam', openFlags: 0, purged: false })).toMatchObject({ restore: true, spam: false, hide: false });
    expect(offeredActions({ status: 'hidden', openFlags: 0, purged: true })).toEqual({ approve: false, restore: false, hide: false, spam: false, purge: true });
  });

  it('pins only a published top-level comment', () => {
    expect(pinRefusal(1, { status: 'published', depth: 0 })).toBeNull();
    expect(pinRefusal(1, { status: 'published', depth: 1 })).toMatchObject({ code: 'conflict', message: expect.stringContaining('a reply') });
    expect(pinRefusal(1, { status: 'pending', depth: 0 })).toMatchObject({ code: 'conflict', message: expect.stringContaining('pending') });
    expect(pinRefusal(1, undefined)).toMatchObject({ code: 'not-found' });
  });
});

describe('flags', () => {
  const now = 10 * FLAG_STANDING_MS;
  const reader = { role: 'reader' as const, trustedAt: 1, createdAt: now, bannedAt: null };
  const newcomer = { ...reader, trustedAt: null };

  it('counts readers in good standing only, and names the reason most of them give', () => {
    const old = { ...newcomer, createdAt: now - FLAG_STANDING_MS };
    const flags = [
      { reason: 'spam' as const, flagger: reader },
      { reason: 'abuse' as const, flagger: old },
      { reason: 'abuse' as const, flagger: { ...reader, role: 'admin' as const, trustedAt: null } },
      { reason: 'spam' as const, flagger: newcomer },
      { reason: 'spam' as const, flagger: { ...reader, bannedAt: 5 } },
    ];
    expect(flagTally(flags, now)).toEqual({ count: 3, topReason: 'abuse' });
    expect(flagTally([], now)).toEqual({ count: 0, topReason: 'other' });
  });

  it('hides at the threshold, but never an admin\'s comment', () => {
    expect(flagsHide('reader', FLAG_THRESHOLD - 1)).toBe(false);
    expect(flagsHide('reader', FLAG_THRESHOLD)).toBe(true);
    expect(flagsHide(null, FLAG_THRESHOLD)).toBe(true);
    expect(flagsHide('admin', 50)).toBe(false);
  });

  it('refuses a missing or banned flagger, a comment out of view, and one\'s own comment', () => {
    const comment = { status: 'published' as const, authorId: 'someone' };
    expect(flagRefusal({ id: 'me', bannedAt: null }, comment)).toBeNull();
    expect(flagRefusal(undefined, comment)).toMatchObject({ code: 'not-found' });
    expect(flagRefusal({ id: 'me', bannedAt: 3 }, comment)).toMatchObject({ code: 'banned' });
    expect(flagRefusal({ id: 'me', bannedAt: null }, { ...comment, status: 'pending' })).toMatchObject({ code: 'not-found' });
    expect(flagRefusal({ id: 'someone', bannedAt: null }, comment)).toMatchObject({ code: 'forbidden' });
  });
});

describe('holding new comments', () => {
  const input = { rules: DEFAULT_HOLD_RULES, bodySource: 'Fine words.', blocklist: () => ['scam'] };

  it('never holds an admin, holds a newcomer, and reads the blocklist only while its rule is on', () => {
    expect(holdDecision({ ...input, author: { role: 'admin', trustedAt: null }, bodySource: 'scam' })).toEqual({ status: 'published', reasons: [] });
    expect(holdDecision({ ...input, author: { role: 'reader', trustedAt: null } })).toEqual({ status: 'pending', reasons: ['first-comment'] });
    expect(holdDecision({ ...input, author: undefined })).toMatchObject({ status: 'pending' });
    const unread = () => {
      throw new Error('read while the rule is off');
    };
    const rules = { ...DEFAULT_HOLD_RULES, blocklist: false };
    expect(holdDecision({ rules, author: { role: 'reader', trustedAt: 1 }, bodySource: 'scam', blocklist: unread })).toEqual({ status: 'published', reasons: [] });
    expect(holdNote(['first-comment', 'blocklist'])).toBe('held: first comment of a new account, matches the blocklist');
    expect(holdNote([])).toBeNull();
  });

  it('keeps the link limit within its bounds', () => {
    expect(holdRulesRefusal({ ...DEFAULT_HOLD_RULES, linkLimit: 50 })).toBeNull();
    expect(holdRulesRefusal({ ...DEFAULT_HOLD_RULES, linkLimit: 0 })).toMatchObject({ code: 'invalid', field: 'linkLimit' });
    expect(holdRulesRefusal({ ...DEFAULT_HOLD_RULES, linkLimit: 51 })).toMatchObject({ code: 'invalid' });
  });
});

describe('accounts', () => {
  const user = { id: 'u', username: 'ursula', role: 'reader' as const, bannedAt: null };

  it('bans neither an admin, nor oneself, nor twice; a reason goes with hidden comments', () => {
    expect(banRefusal(user, 'admin-id')).toBeNull();
    expect(banRefusal(user, 'u')).toMatchObject({ message: 'You cannot ban yourself.' });
    expect(banRefusal({ ...user, role: 'admin' }, 'admin-id')).toMatchObject({ code: 'conflict' });
    expect(banRefusal({ ...user, bannedAt: 1 }, 'admin-id')).toMatchObject({ message: 'ursula is already banned.' });
    expect(checkBan({ hideComments: true })).toMatchObject({ ok: false, field: 'reason' });
    expect(checkBan({ reason: 'nonsense' })).toMatchObject({ ok: false, field: 'reason' });
    expect(checkBan({ hideComments: true, reason: 'spam', note: ' x ' })).toEqual({ ok: true, hideComments: true, reason: 'spam', note: 'x' });
  });

  it('never demotes the last admin, nor promotes a banned account', () => {
    expect(roleRefusal({ ...user, role: 'admin' }, 'reader', 1)).toMatchObject({ message: expect.stringContaining('last admin') });
    expect(roleRefusal({ ...user, role: 'admin' }, 'reader', 2)).toBeNull();
    expect(roleRefusal({ ...user, bannedAt: 1 }, 'admin', 2)).toMatchObject({ message: expect.stringContaining('unban them') });
    expect(roleRefusal(user, 'reader', 2)).toMatchObject({ message: 'ursula is already a reader.' });
  });

  it('takes an appeal about one\'s own held or removed comment, or one\'s ban, three open at most', () => {
    const mine = { authorId: 'u', status: 'hidden' as const };
    expect(appealRefusal('u', { commentId: 4, comment: mine }, 2)).toBeNull();
    expect(appealRefusal('u', { commentId: 4, comment: mine }, 3)).toMatchObject({ message: expect.stringContaining('3 appeals waiting') });
    expect(appealRefusal('u', { commentId: 4, comment: { ...mine, authorId: 'v' } }, 0)).toMatchObject({ code: 'not-found' });
    expect(appealRefusal('u', { commentId: 4, comment: { ...mine, status: 'published' } }, 0)).toMatchObject({ code: 'invalid' });
    expect(appealRefusal('u', { commentId: null, bannedAt: null }, 0)).toMatchObject({ code: 'invalid' });
    expect(appealRefusal('u', { commentId: null, bannedAt: 9 }, 0)).toBeNull();
  });
});

describe('the public figures', () => {
  it('counts removals by reason (unknown reasons as other) and the other columns, newest month first', () => {
    const months = tallyMonths([
      { month: '2026-02', action: 'hide', reason: 'abuse', n: 2 },
      { month: '2026-03', action: 'auto-hide', reason: null, n: 1 },
      { month: '2026-03', action: 'spam', reason: 'spam', n: 4 },
      { month: '2026-03', action: 'approve', reason: null, n: 3 },
      { month: '2026-03', action: 'ban', reason: 'abuse', n: 1 },
      { month: '2026-03', action: 'pin', reason: null, n: 7 },
    ]);
    expect(months.map((m) => m.month)).toEqual(['2026-03', '2026-02']);
    expect(months[0]).toEqual({ month: '2026-03', byReason: { spam: 4, abuse: 0, 'off-topic': 0, other: 1 }, total: 5, approvals: 3, restorations: 0, appealsAnswered: 0, bans: 1 });
    expect(months[1]).toMatchObject({ total: 2, byReason: { abuse: 2 } });
  });
});

describe('the forms', () => {
  it('reads ids as ids, a reason as one of the four, and an admin\'s typed comment number with or without #', () => {
    expect(commentActionForm.safeParse({ action: 'hide', ids: ['12', '13'], reason: 'abuse' }).data).toEqual({ action: 'hide', ids: [12, 13], reason: 'abuse', note: '' });
    expect(commentActionForm.safeParse({ action: 'hide', ids: ['-1'] }).success).toBe(false);
    expect(commentActionForm.safeParse({ action: 'obliterate', ids: ['1'] }).success).toBe(false);
    expect(commentActionForm.safeParse({ action: 'spam', ids: ['1'], reason: '' }).data?.reason).toBeNull();
    expect(flagForm.safeParse({ reason: 'boring' }).error?.issues[0]?.message).toBe('Choose why you are flagging it: spam, abuse, off-topic or other.');
    expect(pinForm.safeParse({ action: 'pin', comment: ' #42 ' }).data?.comment).toBe(42);
    expect(pinForm.safeParse({ action: 'pin', comment: 'abc' }).error?.issues[0]?.message).toBe('"abc" is not a comment number.');
    expect(holdRulesForm.safeParse({ action: 'rules', linkLimit: 'lots' }).success).toBe(false);
    expect(holdRulesForm.safeParse({ action: 'rules', linkLimit: ' 4 ', links: 'on' }).data).toEqual({ action: 'rules', linkLimit: 4, links: true, firstComment: false, blocklist: false });
    expect(appealForm.safeParse({ about: 'ban', message: 'x' }).data?.about).toBe('ban');
    expect(appealForm.safeParse({ about: '17', message: 'x' }).data?.about).toBe(17);
    expect(appealForm.safeParse({ about: 'mine' }).success).toBe(false);
  });
});
