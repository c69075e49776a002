// The blocklist of words and phrases that hold a comment for review.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';
import { writeLog, type LogAuthor } from './moderation-log.ts';
import { blocklist } from '../schema.ts';
import { normalisePhrase, phraseGone, phraseTaken } from '../../src/features/moderation/blocklist.ts';

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

/** Adds the phrase in its normal form; an empty, oversized or listed phrase is refused (thrown). */
export function addBlockedPhrase(db: Db, author: LogAuthor, raw: string, now = Date.now()): BlocklistEntry {
  const checked = normalisePhrase(raw);
  if (!checked.ok) throw checked;
  return db.transaction(
    (tx) => {
      if (tx.select({ id: blocklist.id }).from(blocklist).where(eq(blocklist.phrase, checked.phrase)).get()) {
        throw phraseTaken(checked.phrase);
      }
      const row = tx.insert(blocklist).values({ phrase: checked.phrase, createdAt: now }).returning().get();
      writeLog(tx, author, { action: 'blocklist-add', targetType: 'blocklist', targetId: row.id, note: row.phrase }, now);
      return row;
    },
    { behavior: 'immediate' },
  );
}

export function removeBlockedPhrase(db: Db, author: LogAuthor, id: number, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const row = tx.delete(blocklist).where(eq(blocklist.id, id)).returning().get();
      if (!row) throw phraseGone();
      writeLog(tx, author, { action: 'blocklist-remove', targetType: 'blocklist', targetId: id, note: row.phrase }, now);
    },
    { behavior: 'immediate' },
  );
}
