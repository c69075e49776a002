// A signed-in reader loads an essay's discussion (the island or the discussion page): which
// comments are new to them, and the visit recorded when something new is there (visit-rules.ts).
import type { Db } from '../../../../db/client.ts';
import { findVisit, newestPublishedAt, saveVisit } from '../../../../db/discussion/visits.ts';
import type { Reader } from '../../accounts/reader.ts';
import { sharedRendering } from '../render-cache.ts';
import { visitOnLoad } from './visit-rules.ts';

/** The time after which comments are new to this reader (null: mark none), recording the visit when the rules say so. */
export async function openVisit(db: Db, reader: Reader, essay: string, now: number): Promise<number | null> {
  if (!reader.account) return null;
  const stored = findVisit(db, reader.account.id, essay);
  // The same for every reader until the database changes: read once per data version.
  const { value: newest } = await sharedRendering(db, `newest comment ${essay}`, async () => newestPublishedAt(db, essay));
  const decision = visitOnLoad(stored, newest, now);
  if (decision.store) saveVisit(db, reader.account.id, essay, decision.store);
  return decision.marksFrom;
}
