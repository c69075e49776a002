// A signed-in reader loads an essay's discussion (the island or the discussion page): which
// comments are new to them, and their visit, moved on when the rules say so (visit-rules.ts).
// Moved visits wait here and are written together, FLUSH_MS later, in one transaction: every
// write moves the database's data version and empties every worker's render cache, so a crowd of
// readers arriving costs one such change every few seconds, not one each. Until then this
// process answers from what waits; a visit lost with the process only marks too much once.
import type { Db } from '../../../../db/client.ts';
import { findVisit, newestPublishedAt, saveVisits, type Visit } from '../../../../db/discussion/visits.ts';
import type { Reader } from '../../accounts/reader.ts';
import { sharedRendering } from '../render-cache.ts';
import { visitOnLoad } from './visit-rules.ts';

export const FLUSH_MS = 5_000;

interface Waiting {
  visits: Map<string, { userId: string; essay: string } & Visit>;
  timer: ReturnType<typeof setTimeout> | null;
}
const waiting = new WeakMap<Db, Waiting>();

function waitingFor(db: Db): Waiting {
  let w = waiting.get(db);
  if (!w) waiting.set(db, (w = { visits: new Map(), timer: null }));
  return w;
}

/** The time after which comments are new to this reader (null: mark none); the visit is noted when the rules move it. */
export async function openVisit(db: Db, reader: Reader, essay: string, now: number): Promise<number | null> {
  if (!reader.account) return null;
  const userId = reader.account.id;
  const w = waitingFor(db);
  const key = `${userId}\n${essay}`;
  const stored = w.visits.get(key) ?? findVisit(db, userId, essay);
  // The same for every reader until the database changes: read once per data version.
  const { value: newest } = await sharedRendering(db, `newest comment ${essay}`, async () => newestPublishedAt(db, essay));
  const decision = visitOnLoad(stored, newest, now);
  if (decision.store) {
    w.visits.set(key, { userId, essay, ...decision.store });
    w.timer ??= setTimeout(() => flushVisits(db), FLUSH_MS);
    w.timer.unref?.();
  }
  return decision.marksFrom;
}

/** Writes the visits waiting to be written, in one transaction (a closed database writes nothing). */
export function flushVisits(db: Db): void {
  const w = waitingFor(db);
  if (w.timer) clearTimeout(w.timer);
  w.timer = null;
  if (w.visits.size === 0 || !db.$client.open) return;
  const visits = [...w.visits.values()];
  w.visits.clear();
  saveVisits(db, visits);
}
