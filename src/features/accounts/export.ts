// The JSON download of a reader's data: the same records as the account page, times as ISO 8601,
// session ids left out (they are the secrets in the cookies, not facts about the reader).
import type { AccountData } from '../../../db/accounts/accounts.ts';

interface ExportSession {
  device: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  current: boolean;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function buildAccountExport(data: AccountData, sessions: ExportSession[], now: number) {
  return {
    exportedAt: iso(now),
    about: 'Everything The Convenience Bargain stores about this account. Times are UTC.',
    account: {
      ...data.account,
      createdAt: iso(data.account.createdAt),
      bannedAt: iso(data.account.bannedAt),
      trustedAt: iso(data.account.trustedAt),
      repliesSeenAt: data.account.repliesSeenAt ? iso(data.account.repliesSeenAt) : null,
    },
    sessions: sessions.map((s) => ({
      device: s.device,
      createdAt: iso(s.createdAt),
      lastUsedAt: iso(s.lastUsedAt),
      expiresAt: iso(s.expiresAt * 1000),
      current: s.current,
    })),
    comments: data.comments.map((c) => ({ ...c, createdAt: iso(c.createdAt), editedAt: iso(c.editedAt) })),
    likes: data.likes.map((l) => ({ ...l, createdAt: iso(l.createdAt) })),
    flags: data.flags.map((f) => ({ ...f, createdAt: iso(f.createdAt), resolvedAt: iso(f.resolvedAt) })),
    pollVotes: data.pollVotes.map((v) => ({ ...v, createdAt: iso(v.createdAt) })),
    appeals: data.appeals.map((a) => ({ ...a, createdAt: iso(a.createdAt), answeredAt: iso(a.answeredAt) })),
    commentsThatLedToCorrections: data.correctionLinks.map((l) => ({ ...l, createdAt: iso(l.createdAt) })),
    // "New since your last visit": per essay, the visit that last found new comments, and the one before it.
    discussionVisits: data.discussionVisits.map((v) => ({ essay: v.essay, lastVisit: iso(v.seenAt), newCommentsMarkedSince: iso(v.newSince) })),
    moderationActions: data.moderationActions.map((m) => ({ ...m, createdAt: iso(m.createdAt) })),
  };
}

export function exportFileName(username: string, now: number): string {
  return `convenience-bargain-${username}-${new Date(now).toISOString().slice(0, 10)}.json`;
}
