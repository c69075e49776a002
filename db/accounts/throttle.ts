// Counting sign-in attempts per key (a keyed hash of a username, a client address, a pair of
// them, a device or an account: the caller hashes, this table never sees a plain value). Checking
// and recording happen in one transaction, so parallel guesses cannot slip past the limit between the two.
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { authAttempts } from '../schema.ts';

/** At most `limit` attempts under `key` within `windowMs` (by default the window of the call). */
export interface ThrottleRule {
  key: string;
  limit: number;
  windowMs?: number;
}

// Nothing is kept longer than this, whatever the window: no limiter may look back further.
export const ATTEMPT_RETENTION_MS = 24 * 60 * 60 * 1000;

export type AttemptDecision = { allowed: true; attemptIds: number[] } | { allowed: false; retryAfterMs: number };

/**
 * Counts an attempt against every rule, unless one of them is already at its limit within its
 * window (the rule's own, or `windowMs`): then nothing is recorded and the answer says how long
 * until a slot frees up.
 */
export async function recordAttempt(db: Db, rules: ThrottleRule[], windowMs: number, now = Date.now()): Promise<AttemptDecision> {
  return db.transaction((tx) => {
    const windows = rules.map((r) => r.windowMs ?? windowMs);
    tx.delete(authAttempts).where(lt(authAttempts.createdAt, now - Math.max(...windows, ATTEMPT_RETENTION_MS))).run();
    let retryAfterMs = 0;
    for (const [i, rule] of rules.entries()) {
      const window = windows[i]!;
      const since = now - window;
      tx.delete(authAttempts).where(and(eq(authAttempts.key, rule.key), lt(authAttempts.createdAt, since))).run();
      const recent = tx
        .select({ createdAt: authAttempts.createdAt })
        .from(authAttempts)
        .where(and(eq(authAttempts.key, rule.key), gte(authAttempts.createdAt, since)))
        .orderBy(asc(authAttempts.createdAt))
        .all();
      if (recent.length >= rule.limit) {
        // The attempt that must age out before the count is under the limit again.
        const freeing = recent[recent.length - rule.limit]!.createdAt;
        retryAfterMs = Math.max(retryAfterMs, freeing + window - now);
      }
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    const attemptIds = rules.map(
      (rule) => tx.insert(authAttempts).values({ key: rule.key, createdAt: now }).returning({ id: authAttempts.id }).get().id,
    );
    return { allowed: true, attemptIds };
  });
}

export async function forgetAttempts(db: Db, ids: number[]): Promise<void> {
  if (ids.length) db.delete(authAttempts).where(inArray(authAttempts.id, ids)).run();
}

export async function forgetKey(db: Db, key: string): Promise<void> {
  db.delete(authAttempts).where(eq(authAttempts.key, key)).run();
}
