// "New since your last visit", as rules (pure). One stored pair per reader and essay, never a row
// per comment: `seenAt`, the last load of the discussion that found something new, and `newSince`,
// the visit before it. Comments by others created after `newSince` are marked new.
//
// A load writes only when a comment newer than `seenAt` exists and the last write is a minute
// old (VISIT_GAP_MS), so a reader costs at most one write per change of the discussion, and at
// most one a minute: every write moves the database's data version, which empties every
// worker's render cache. Loads that write nothing belong to the visit before: "Show more",
// another sort, page 2 or a reload show the marks it began with (and anything newer) for
// VISIT_MS; after that the marks are gone, since the reader has been and read.
import type { Reader } from '../../accounts/reader.ts';
import { isAuthor } from '../rules.ts';

export const VISIT_MS = 30 * 60_000;
export const VISIT_GAP_MS = 60_000;

export interface Visit {
  seenAt: number;
  newSince: number;
}

export interface VisitDecision {
  /** Comments by others created after this are new to the reader; null: mark none. */
  marksFrom: number | null;
  /** What to store, or null to write nothing. */
  store: Visit | null;
}

/**
 * One load of an essay's discussion by a signed-in reader. The first ever marks nothing (all of
 * it would be new, which says nothing) and starts the record.
 */
export function visitOnLoad(stored: Visit | undefined, newestCommentAt: number | null, now: number): VisitDecision {
  if (!stored) return { marksFrom: null, store: { seenAt: now, newSince: now } };
  const somethingNew = newestCommentAt !== null && newestCommentAt > stored.seenAt;
  if (somethingNew && now - stored.seenAt >= VISIT_GAP_MS) return { marksFrom: stored.seenAt, store: { seenAt: now, newSince: stored.seenAt } };
  return { marksFrom: somethingNew || now - stored.seenAt <= VISIT_MS ? stored.newSince : null, store: null };
}

/** Whether a comment shows as new to this reader: published after `marksFrom`, and not their own. */
export function isNewTo(comment: { createdAt: number; authorId: string | null }, reader: Reader, marksFrom: number | null | undefined): boolean {
  return marksFrom !== null && marksFrom !== undefined && comment.createdAt > marksFrom && !isAuthor(comment, reader);
}
