// The audit log: every moderation action, written in the same transaction as the change it records.
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { moderationLog } from '../schema.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import type { LogAction, LogFilter, LogTargetType } from '../../src/features/moderation/audit-log.ts';

/** A write transaction (or the db itself) as drizzle hands it to `db.transaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Who an entry names: the moderating reader (their account), or the site itself, for what happens
 * without a moderator (holds and hides by flags) and what is done on the server's command line.
 */
export type LogAuthor = Reader | 'automatic' | 'command line';
export const AUTOMATIC: LogAuthor = 'automatic';
export const COMMAND_LINE: LogAuthor = 'command line';

/** The id of the account behind an author, or null for the site itself. */
export const authorId = (author: LogAuthor): string | null => (typeof author === 'string' ? null : (author.account?.id ?? null));

/** The log's columns for an author: the account's id and username, or the site's name for itself. */
export function authorColumns(author: LogAuthor): { adminId: string | null; adminName: string } {
  if (typeof author === 'string') return { adminId: null, adminName: author };
  // Services let only a signed-in moderator act: an entry without one is a bug, not a refusal.
  if (!author.account) throw new Error('A moderation log entry needs an account or the site as its author.');
  return { adminId: author.account.id, adminName: author.account.username };
}

export interface LogEntry {
  action: LogAction;
  targetType: LogTargetType;
  targetId: string | number;
  reason?: string | null;
  note?: string | null;
}

export function writeLog(tx: Tx | Db, author: LogAuthor, entry: LogEntry, now: number): void {
  tx.insert(moderationLog)
    .values({
      ...authorColumns(author),
      action: entry.action,
      targetType: entry.targetType,
      targetId: String(entry.targetId),
      reason: entry.reason ?? null,
      note: entry.note ?? null,
      createdAt: now,
    })
    .run();
}

export type LogRow = typeof moderationLog.$inferSelect;

function conditions(filter: LogFilter) {
  return and(
    filter.admin ? eq(moderationLog.adminName, filter.admin) : undefined,
    filter.action ? eq(moderationLog.action, filter.action) : undefined,
    filter.from !== undefined ? gte(moderationLog.createdAt, filter.from) : undefined,
    filter.until !== undefined ? lt(moderationLog.createdAt, filter.until) : undefined,
    filter.target ? and(eq(moderationLog.targetType, filter.target.type), eq(moderationLog.targetId, filter.target.id)) : undefined,
  );
}

/** Newest first. Without a limit, every matching entry (the CSV export). */
export async function listLog(db: Db, filter: LogFilter = {}): Promise<LogRow[]> {
  const query = db.select().from(moderationLog).where(conditions(filter)).orderBy(desc(moderationLog.createdAt), desc(moderationLog.id));
  if (filter.limit === undefined) return query.all();
  return query.limit(filter.limit).offset(filter.offset ?? 0).all();
}

export async function countLog(db: Db, filter: LogFilter = {}): Promise<number> {
  return db.select({ n: sql<number>`count(*)` }).from(moderationLog).where(conditions(filter)).get()!.n;
}

/** The names that appear in the log, for the admin filter. */
export async function logActorNames(db: Db): Promise<string[]> {
  const rows = db.selectDistinct({ name: moderationLog.adminName }).from(moderationLog).orderBy(moderationLog.adminName).all();
  return rows.map((r) => r.name);
}
