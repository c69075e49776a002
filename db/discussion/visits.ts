// "New since your last visit": one row per reader and essay (discussion_visits). The rule that
// decides when it moves is src/features/discussion/live/visit-rules.ts; this only reads and writes it.
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';

export interface Visit {
  /** The last load of the discussion that found a comment newer than the visit before. */
  seenAt: number;
  /** The visit before that: comments by others created after it are marked new. */
  newSince: number;
}

const statements = perConnection((client) => ({
  find: client.prepare('select seen_at as seenAt, new_since as newSince from discussion_visits where user_id = ? and essay = ?'),
  // An account deleted since its visit was noted writes nothing (and fails nothing).
  save: client.prepare(
    `insert into discussion_visits (user_id, essay, seen_at, new_since)
      select @userId, @essay, @seenAt, @newSince where exists (select 1 from users where id = @userId)
      on conflict (user_id, essay) do update set seen_at = excluded.seen_at, new_since = excluded.new_since`,
  ),
  all: client.prepare('select essay, seen_at as seenAt, new_since as newSince from discussion_visits where user_id = ? order by essay'),
  // Read once per data version (the caller caches it): the essay's comments by index, their times from the rows.
  newest: client.prepare("select max(created_at) from comments where essay = ? and status = 'published'").pluck(),
}));

export function findVisit(db: Db, userId: string, essay: string): Visit | undefined {
  return statements(db).find.get(userId, essay) as Visit | undefined;
}

/** Writes many visits in one transaction: one change of the data version for all of them. */
export function saveVisits(db: Db, visits: readonly ({ userId: string; essay: string } & Visit)[]): void {
  const { save } = statements(db);
  db.$client.transaction(() => {
    for (const visit of visits) save.run(visit);
  })();
}

/** Every visit row of one reader, for the account page and the export. */
export function visitsOf(db: Db, userId: string): ({ essay: string } & Visit)[] {
  return statements(db).all.all(userId) as ({ essay: string } & Visit)[];
}

/** When the essay's newest published comment was posted, or null when it has none. */
export function newestPublishedAt(db: Db, essay: string): number | null {
  return (statements(db).newest.get(essay) as number | null) ?? null;
}
