// Session rows beyond what lucia itself reads and writes: the list a reader sees, revoking one
// or all the others, and the occasional "last used" stamp.
import { and, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { sessions } from '../schema.ts';

export interface SessionRow {
  id: string;
  createdAt: number;
  lastUsedAt: number;
  device: string;
  /** Seconds, as lucia stores it. */
  expiresAt: number;
}

export async function listSessions(db: Db, userId: string): Promise<SessionRow[]> {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      device: sessions.device,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastUsedAt))
    .all();
}

export interface SessionTouch {
  id: string;
  lastUsedAt: number;
  /** In seconds, lucia's unit. */
  expiresAt: number;
}

/** Marks sessions used and slides their expiry, in one transaction; a session ended meanwhile is left ended. */
export function touchSessions(db: Db, touches: readonly SessionTouch[]): void {
  db.transaction((tx) => {
    for (const { id, lastUsedAt, expiresAt } of touches) tx.update(sessions).set({ lastUsedAt, expiresAt }).where(eq(sessions.id, id)).run();
  });
}

/** Ends one of the reader's own sessions; someone else's session id changes nothing. */
export async function deleteSessionOf(db: Db, userId: string, sessionId: string): Promise<boolean> {
  return db.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId))).run().changes > 0;
}

export async function deleteOtherSessions(db: Db, userId: string, keepSessionId: string): Promise<number> {
  return db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))).run().changes;
}
