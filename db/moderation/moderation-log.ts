// The audit log: every moderation action, written in the same transaction as the change it records.
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { moderationLog } from '../schema.ts';

/** A write transaction (or the db itself) as drizzle hands it to `db.transaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Who did it: an admin, or the site itself (adminId null) for automatic holds and hides. */
export interface Actor {
  id: string | null;
  name: string;
}

export const AUTOMATIC: Actor = { id: null, name: 'automatic' };
export const COMMAND_LINE: Actor = { id: null, name: 'command line' };

export const LOG_ACTIONS = [
  'approve',
  'hide',
  'spam',
  'restore',
  'purge',
  'auto-hide',
  'ban',
  'unban',
  'create-admin',
  'promote',
  'demote',
  'close',
  'reopen',
  'pin',
  'unpin',
  'blocklist-add',
  'blocklist-remove',
  'rules',
  'answer-appeal',
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

/** Actions that take a comment out of public view: what the public page counts as removals. */
export const REMOVAL_ACTIONS: readonly LogAction[] = ['hide', 'spam', 'auto-hide'];

export interface LogEntry {
  action: LogAction;
  targetType: 'comment' | 'user' | 'essay' | 'blocklist' | 'setting' | 'appeal';
  targetId: string | number;
  reason?: string | null;
  note?: string | null;
}

export function writeLog(tx: Tx | Db, actor: Actor, entry: LogEntry, now: number): void {
  tx.insert(moderationLog)
    .values({
      adminId: actor.id,
      adminName: actor.name,
      action: entry.action,
      targetType: entry.targetType,
      targetId: String(entry.targetId),
      reason: entry.reason ?? null,
      note: entry.note ?? null,
      createdAt: now,
    })
    .run();
}

export interface LogFilter {
  admin?: string;
  action?: string;
  /** Inclusive bounds in Unix ms. */
  from?: number;
  until?: number;
  /** One comment's, user's, essay's… entries. */
  target?: { type: LogRow['targetType']; id: string };
  limit?: number;
  offset?: number;
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
