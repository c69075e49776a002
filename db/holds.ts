// Decides the status of a new comment: published, or pending (held for a moderator) and why.
// Comment creation calls this inside its own flow; only the rules live here.
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { blocklistPhrases } from './blocklist.ts';
import { readHoldRules } from './moderation-settings.ts';
import { users } from './schema.ts';
import { HOLD_REASON_TEXT, holdReasons, type HoldReason } from '../src/lib/moderation/hold-rules.ts';

export interface HoldDecision {
  status: 'published' | 'pending';
  reasons: HoldReason[];
}

export async function decideNewCommentStatus(db: Db, input: { authorId: string; bodySource: string }): Promise<HoldDecision> {
  const author = db.select({ role: users.role, trustedAt: users.trustedAt }).from(users).where(eq(users.id, input.authorId)).get();
  // Admins moderate; nothing of theirs waits for themselves.
  if (author?.role === 'admin') return { status: 'published', reasons: [] };
  const rules = await readHoldRules(db);
  const reasons = holdReasons({
    rules,
    trusted: author?.trustedAt != null,
    bodySource: input.bodySource,
    blocklist: rules.blocklist ? await blocklistPhrases(db) : [],
  });
  return { status: reasons.length ? 'pending' : 'published', reasons };
}

/** Kept as the held comment's moderation note, so the queue says why it waits. */
export function holdNote(reasons: readonly HoldReason[]): string | null {
  return reasons.length ? `held: ${reasons.map((r) => HOLD_REASON_TEXT[r]).join(', ')}` : null;
}
