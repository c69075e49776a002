// The blocklist of words and phrases that hold a comment for review.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';
import { ModerationError } from './moderation-errors.ts';
import { writeLog, type Actor } from './moderation-log.ts';
import { blocklist } from '../schema.ts';
import { normalisePhrase } from '../../src/features/moderation/blocklist.ts';

export type BlocklistEntry = typeof blocklist.$inferSelect;

export async function listBlocklist(db: Db): Promise<BlocklistEntry[]> {
  return db.select().from(blocklist).orderBy(asc(blocklist.phrase)).all();
}

// Read by every new comment while the blocklist rule is on, so prepared once.
const phrases = perConnection((client) => client.prepare('select phrase from blocklist').pluck());

/** Synchronous, for use inside a transaction (comment creation). */
export function blocklistPhrasesIn(db: Db): string[] {
  return phrases(db).all() as string[];
}

export async function blocklistPhrases(db: Db): Promise<string[]> {
  return blocklistPhrasesIn(db);
}

export async function addBlockedPhrase(db: Db, actor: Actor, raw: string, now = Date.now()): Promise<BlocklistEntry> {
  const checked = normalisePhrase(raw);
  if (!checked.ok) throw new ModerationError('bad-input', checked.message);
  return db.transaction(
    (tx) => {
      if (tx.select({ id: blocklist.id }).from(blocklist).where(eq(blocklist.phrase, checked.phrase)).get()) {
        throw new ModerationError('phrase-exists', `"${checked.phrase}" is already on the blocklist.`);
      }
      const row = tx.insert(blocklist).values({ phrase: checked.phrase, createdAt: now }).returning().get();
      writeLog(tx, actor, { action: 'blocklist-add', targetType: 'blocklist', targetId: row.id, note: row.phrase }, now);
      return row;
    },
    { behavior: 'immediate' },
  );
}

export async function removeBlockedPhrase(db: Db, actor: Actor, id: number, now = Date.now()): Promise<void> {
  db.transaction(
    (tx) => {
      const row = tx.delete(blocklist).where(eq(blocklist.id, id)).returning().get();
      if (!row) throw new ModerationError('bad-input', 'That phrase is no longer on the blocklist.');
      writeLog(tx, actor, { action: 'blocklist-remove', targetType: 'blocklist', targetId: id, note: row.phrase }, now);
    },
    { behavior: 'immediate' },
  );
}
