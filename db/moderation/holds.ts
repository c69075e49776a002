// Decides the status of a new comment: published, or pending (held for a moderator) and why.
// Comment creation calls `holdDecisionIn` inside its own transaction, so the rules, the author's
// standing and the blocklist are read in the same snapshot as the insert.
import type { Db } from '../client.ts';
import { blocklistPhrasesIn } from './blocklist.ts';
import { holdRulesIn } from './moderation-settings.ts';
import { perConnection } from '../prepared.ts';
import { HOLD_REASON_TEXT, holdReasons, type HoldReason } from '../../src/features/moderation/hold-rules.ts';

export interface HoldDecision {
  status: 'published' | 'pending';
  reasons: HoldReason[];
}

// Asked by every new comment, so prepared once.
const standing = perConnection((client) => client.prepare('select role, trusted_at as trustedAt from users where id = ?'));

export function holdDecisionIn(db: Db, input: { authorId: string; bodySource: string }): HoldDecision {
  const author = standing(db).get(input.authorId) as { role: string; trustedAt: number | null } | undefined;
  // Admins moderate; nothing of theirs waits for themselves.
  if (author?.role === 'admin') return { status: 'published', reasons: [] };
  const rules = holdRulesIn(db);
  const reasons = holdReasons({
    rules,
    trusted: author?.trustedAt != null,
    bodySource: input.bodySource,
    blocklist: rules.blocklist ? blocklistPhrasesIn(db) : [],
  });
  return { status: reasons.length ? 'pending' : 'published', reasons };
}

export async function decideNewCommentStatus(db: Db, input: { authorId: string; bodySource: string }): Promise<HoldDecision> {
  return holdDecisionIn(db, input);
}

/** Kept as the held comment's moderation note, so the queue says why it waits. */
export function holdNote(reasons: readonly HoldReason[]): string | null {
  return reasons.length ? `held: ${reasons.map((r) => HOLD_REASON_TEXT[r]).join(', ')}` : null;
}
