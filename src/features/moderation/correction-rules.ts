// When a moderator may link a reader's comment to a correction of an essay, and unlink it. Pure:
// the service finds the correction among the essays' entries, db/moderation/correction-links.ts
// reads the comment and the link in its transaction and asks these again before it writes.
import { refuse, type Refusal } from '../refusal.ts';
import { cleanText, isPurged } from './rules.ts';

/** A correction as a link needs it: its permanent id and the essay whose front matter holds it. */
export interface CorrectionRef {
  id: string;
  essay: string;
}

/** The correction an admin chose (its id as sent), among the essays' entries; or why not. */
export function findCorrection(corrections: ReadonlyMap<string, CorrectionRef>, typed: string): CorrectionRef | Refusal {
  const id = cleanText(typed);
  if (!id) return refuse('invalid', 'Choose the correction the comment led to.', { field: 'correction' });
  return corrections.get(id) ?? refuse('invalid', `There is no correction “${id.slice(0, 80)}”.`, { field: 'correction' });
}

/**
 * Why comment #id cannot be linked to `correction` (undefined comment: no such comment), given the
 * comment the correction is already linked to (one comment per correction), or null. A held or
 * hidden comment may be linked (it may still have led to the correction; readers see the mark only
 * where they may read the comment), a deleted one not: its text is gone.
 */
export function linkRefusal(
  id: number,
  comment: { essay: string; status: string; bodyHtml: string } | undefined,
  correction: CorrectionRef,
  linkedTo: number | null,
): Refusal | null {
  if (!comment) return refuse('not-found', `There is no comment #${id}: it may have been deleted for good.`);
  if (comment.status === 'deleted' || isPurged(comment)) return refuse('conflict', `Comment #${id} was deleted; only a comment that is still there can be linked to a correction.`);
  if (comment.essay !== correction.essay) {
    return refuse('invalid', `Correction ${correction.id} is to another essay: a comment can be linked only to a correction of the essay it is under.`, { field: 'correction' });
  }
  if (linkedTo === id) return refuse('conflict', `Comment #${id} is already linked to correction ${correction.id}.`, { field: 'correction' });
  if (linkedTo !== null) return refuse('conflict', `Correction ${correction.id} is already linked to comment #${linkedTo}; remove that link first.`, { field: 'correction' });
  return null;
}

/** Unlinking needs the link: none between the two is a refusal, not a silent success. */
export const notLinked = (id: number, correction: string): Refusal =>
  refuse('not-found', `Comment #${id} is not linked to correction ${correction.slice(0, 80)}.`, { field: 'correction' });
