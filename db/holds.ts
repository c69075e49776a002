// Decides the status of a new comment: published, or pending (held for a moderator) and why.
// Comment creation calls `holdDecisionIn` inside its own transaction, so the rules, the author's
// standing and the blocklist are read in the same snapshot as the insert.
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { blocklistPhrasesIn } from './blocklist.ts';
import type { Tx } from './moderation-log.ts';
import { holdRulesIn } from './moderation-settings.ts';
import { users } from './schema.ts';
import { HOLD_REASON_TEXT, holdReasons, type HoldReason } from '../src/lib/moderation/hold-rules.ts';

export interface HoldDecision {
  status: 'published' | 'pending';
  reasons: HoldReason[];
}

export function holdDecisionIn(tx: Db | Tx, input: { authorId: string; bodySource: string }): HoldDecision {
  const author = tx.select({ role: users.role, trustedAt: users.trustedAt }).from(users).where(eq(users.id, input.authorId)).get();
  // Admins moderate; nothing of theirs waits for themselves.
  if (author?.role === 'admin') return { status: 'published', reasons: [] };
  const rules = holdRulesIn(tx);
  const reasons = holdReasons({
    rules,
    trusted: author?.trustedAt != null,
    bodySource: input.bodySource,
    blocklist: rules.blocklist ? blocklistPhrasesIn(tx) : [],
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
