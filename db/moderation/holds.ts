// Decides the status of a new comment: published, or pending (held for a moderator) and why.
// Comment creation calls `holdDecisionIn` inside its own transaction, so the rules, the author's
// standing and the blocklist are read in the same snapshot as the insert; hold-rules.ts decides.
import type { Db } from '../client.ts';
import { blocklistPhrasesIn } from './blocklist.ts';
import { holdRulesIn } from './moderation-settings.ts';
import { perConnection } from '../prepared.ts';
import { holdDecision, type HoldDecision } from '../../src/features/moderation/hold-rules.ts';

export { holdNote, type HoldDecision } from '../../src/features/moderation/hold-rules.ts';

// Asked by every new comment, so prepared once.
const standing = perConnection((client) => client.prepare('select role, trusted_at as trustedAt from users where id = ?'));

export function holdDecisionIn(db: Db, input: { authorId: string; bodySource: string }): HoldDecision {
  const author = standing(db).get(input.authorId) as { role: string; trustedAt: number | null } | undefined;
  return holdDecision({ rules: holdRulesIn(db), author, bodySource: input.bodySource, blocklist: () => blocklistPhrasesIn(db) });
}

export async function decideNewCommentStatus(db: Db, input: { authorId: string; bodySource: string }): Promise<HoldDecision> {
  return holdDecisionIn(db, input);
}
