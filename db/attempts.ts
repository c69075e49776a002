// Counts a reader's attempts at something costly or abusable (posting, editing, flagging) against
// rate limits. Attempts, not surviving rows: deleting what one posted frees no slot. Rows live in
// the attempts table of the sign-in throttle, keyed "<what>:<account id>", and are pruned as they
// leave the longest window (account ids are random and link to nothing once an account is gone).
import type { Db } from './client.ts';
import { perConnection } from './prepared.ts';
import { limitWait, type RateLimit } from '../src/lib/rate-limits.ts';

const statements = perConnection((client) => {
  const recent = client.prepare('select created_at from auth_attempts where key = ? and created_at > ?').pluck();
  const insert = client.prepare('insert into auth_attempts (key, created_at) values (?, ?)');
  const prune = client.prepare('delete from auth_attempts where key = ? and created_at <= ?');
  return client.transaction((key: string, limits: readonly RateLimit[], now: number): number => {
    const since = now - Math.max(...limits.map((l) => l.windowMs));
    prune.run(key, since);
    const wait = limitWait(recent.all(key, since) as number[], limits, now);
    if (wait === 0) insert.run(key, now);
    return wait;
  });
});

/** Records the attempt if the limits allow it and answers 0; otherwise records nothing and answers the wait in seconds. */
export function countAttempt(db: Db, key: string, limits: readonly RateLimit[], now: number): number {
  return statements(db).immediate(key, limits, now);
}
