// Reviewing detached passage comments (/admin/detached): which comment a moderator may re-attach or
// leave. Pure: db/moderation/detached-passages.ts asks inside its transaction.
import type { AnchorStatus } from '../passages/blocks.ts';
import { refuse, type Refusal } from '../refusal.ts';

/**
 * Why comment #id cannot be reviewed now: it quotes no passage, its passage is in the essay as it
 * stands (re-anchoring found it, or another moderator re-attached it first), or the re-attachment
 * was checked against another essay than the comment's.
 */
export function reviewRefusal(id: number, anchor: { status: AnchorStatus; essay: string } | undefined, essay: string): Refusal | null {
  if (!anchor) return refuse('not-found', `Comment #${id} does not quote a passage.`);
  if (anchor.status !== 'detached') return refuse('conflict', `Comment #${id} is attached to its passage already: nothing to review.`);
  if (anchor.essay !== essay) return refuse('invalid', `Comment #${id} belongs to another essay.`, { field: 'passage' });
  return null;
}
