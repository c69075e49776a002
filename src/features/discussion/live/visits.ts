// A signed-in reader loads an essay's discussion (the island or the discussion page): which
// comments are new to them, and their visit, moved on when the rules say so (visit-rules.ts).
// Moved visits wait and are written together, FLUSH_MS later, in one transaction
// (lib/write-batch.ts says why); a visit lost with the process only marks too much once.
import type { Db } from '../../../../db/client.ts';
import { findVisit, newestPublishedAt, saveVisits, type Visit } from '../../../../db/discussion/visits.ts';
import type { Reader } from '../../accounts/reader.ts';
import { writeBatch } from '../../../lib/write-batch.ts';
import { sharedRendering } from '../render-cache.ts';
import { visitOnLoad } from './visit-rules.ts';

export const FLUSH_MS = 5_000;

type WaitingVisit = { userId: string; essay: string } & Visit;
const visits = writeBatch<Db, WaitingVisit>((db, waiting) => {
  if (db.$client.open) saveVisits(db, waiting); // a closed database writes nothing
}, FLUSH_MS);

/** The time after which comments are new to this reader (null: mark none); the visit is noted when the rules move it. */
export async function openVisit(db: Db, reader: Reader, essay: string, now: number): Promise<number | null> {
  if (!reader.account) return null;
  const userId = reader.account.id;
  const key = `${userId}\n${essay}`;
  const stored = visits.pending(db, key) ?? findVisit(db, userId, essay);
  // The same for every reader until the database changes: read once per data version.
  const { value: newest } = await sharedRendering(db, `newest comment ${essay}`, async () => newestPublishedAt(db, essay));
  const decision = visitOnLoad(stored, newest, now);
  if (decision.store) visits.add(db, key, { userId, essay, ...decision.store });
  return decision.marksFrom;
}

/** Writes the visits waiting to be written, in one transaction. */
export function flushVisits(db: Db): void {
  visits.flush(db);
}
