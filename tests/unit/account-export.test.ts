import { describe, expect, it } from 'vitest';
import type { AccountData } from '../../db/accounts/accounts.ts';
import { buildAccountExport, exportFileName } from '../../src/features/accounts/export.ts';
import { describeWait } from '../../src/lib/describe-wait.ts';

const DAY = Date.UTC(2026, 10, 22, 8, 30);

const data: AccountData = {
  account: { username: 'ada_l', displayName: 'Ada', role: 'reader', createdAt: DAY, bannedAt: null, trustedAt: DAY, repliesSeenAt: 0 },
  sessions: [{ id: 'the-secret-session-id', createdAt: DAY, lastUsedAt: DAY, device: 'Firefox on Linux', expiresAt: DAY / 1000 }],
  comments: [{ id: 3, essay: 'e', parentId: null, status: 'published', moderationReason: null, bodySource: 'Hi', likeCount: 2, createdAt: DAY, editedAt: null, passage: null }],
  likes: [{ commentId: 9, essay: 'e', createdAt: DAY }],
  flags: [{ commentId: 8, essay: 'e', reason: 'spam', note: null, createdAt: DAY, resolvedAt: null }],
  pollVotes: [{ poll: 'p', question: 'q', choice: 'c', createdAt: DAY }],
  appeals: [{ commentId: 3, message: 'Please look again.', createdAt: DAY, answeredAt: null, answer: null }],
  correctionLinks: [{ commentId: 3, essay: 'e', correction: '2026-11-22-a-fix', createdAt: DAY }],
  discussionVisits: [{ essay: 'e', seenAt: DAY, newSince: DAY - 3_600_000 }],
  moderationActions: [],
};

describe('the account export', () => {
  it('writes times as ISO 8601 and keeps every record', () => {
    const out = buildAccountExport(data, [{ device: 'Firefox on Linux', createdAt: DAY, lastUsedAt: DAY, expiresAt: DAY / 1000, current: true }], DAY);
    expect(out.exportedAt).toBe('2026-11-22T08:30:00.000Z');
    expect(out.account).toMatchObject({ username: 'ada_l', createdAt: '2026-11-22T08:30:00.000Z', bannedAt: null, repliesSeenAt: null });
    expect(out.sessions).toEqual([{ device: 'Firefox on Linux', createdAt: '2026-11-22T08:30:00.000Z', lastUsedAt: '2026-11-22T08:30:00.000Z', expiresAt: '2026-11-22T08:30:00.000Z', current: true }]);
    expect(out.comments).toMatchObject([{ id: 3, bodySource: 'Hi', createdAt: '2026-11-22T08:30:00.000Z', editedAt: null }]);
    expect([out.likes.length, out.flags.length, out.pollVotes.length]).toEqual([1, 1, 1]);
    expect(out.appeals).toEqual([{ commentId: 3, message: 'Please look again.', createdAt: '2026-11-22T08:30:00.000Z', answeredAt: null, answer: null }]);
    expect(out.commentsThatLedToCorrections).toEqual([{ commentId: 3, essay: 'e', correction: '2026-11-22-a-fix', createdAt: '2026-11-22T08:30:00.000Z' }]);
    expect(out.discussionVisits).toEqual([{ essay: 'e', lastVisit: '2026-11-22T08:30:00.000Z', newCommentsMarkedSince: '2026-11-22T07:30:00.000Z' }]);
    expect(JSON.stringify(out)).not.toContain('the-secret-session-id');
  });

  it('names the file after the account and the day', () => {
    expect(exportFileName('ada_l', DAY)).toBe('convenience-bargain-ada_l-2026-11-22.json');
  });
});

describe('describeWait', () => {
  it.each([
    [0.2, '1 second'],
    [1, '1 second'],
    [40, '40 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [900, '15 minutes'],
  ])('%s s reads "%s"', (seconds, text) => {
    expect(describeWait(seconds)).toBe(text);
  });
});
