// The one place that decides the status of a new comment. Moderation plugs its hold rules in
// here (first comment of an untrusted reader, blocklisted phrases …); until then, published.
import type { CommentStatus } from './schema.ts';
import type { Db } from './client.ts';
import type { Tx } from './comment-retraction.ts';

export interface NewCommentFacts {
  authorId: string;
  essay: string;
  bodySource: string;
  now: number;
}

export function initialStatus(_tx: Db | Tx, _facts: NewCommentFacts): CommentStatus {
  return 'published';
}
