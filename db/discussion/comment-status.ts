// The one place that decides the status of a new comment: the moderation hold rules (first comment
// of an untrusted reader, 3+ links, the blocklist; see db/moderation/holds.ts) say published or pending, and a
// held comment keeps why in its moderation note for the queue.
import type { CommentStatus } from '../schema.ts';
import type { Db } from '../client.ts';
import { holdDecisionIn, holdNote } from '../moderation/holds.ts';

export interface NewCommentFacts {
  authorId: string;
  essay: string;
  bodySource: string;
  now: number;
}

export interface InitialState {
  status: CommentStatus;
  moderationNote: string | null;
}

export function initialStatus(db: Db, facts: NewCommentFacts): InitialState {
  const decision = holdDecisionIn(db, facts);
  return { status: decision.status, moderationNote: holdNote(decision.reasons) };
}
