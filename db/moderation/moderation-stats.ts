// Counts for the dashboard's activity chart and the public /moderation page: aggregates only.
import { and, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { comments, flags, moderationLog } from '../schema.ts';
import type { DayActivity } from '../../src/features/moderation/activity-chart.ts';
import { PUBLIC_ACTIONS, REMOVAL_ACTIONS, tallyMonths, type MonthRemovals } from '../../src/features/moderation/audit-log.ts';

const DAY = 86_400_000;

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** One row per UTC day for the last `days` days, today included, zeros where nothing happened. */
export async function activityByDay(db: Db, now = Date.now(), days = 30): Promise<DayActivity[]> {
  const start = Date.parse(utcDay(now - (days - 1) * DAY));
  const dayOf = (column: unknown) => sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
  const tally = (rows: { day: string; n: number }[]) => new Map(rows.map((r) => [r.day, r.n]));
  const commentDays = tally(
    db.select({ day: dayOf(comments.createdAt), n: sql<number>`count(*)` }).from(comments).where(gte(comments.createdAt, start)).groupBy(sql`1`).all(),
  );
  const flagDays = tally(db.select({ day: dayOf(flags.createdAt), n: sql<number>`count(*)` }).from(flags).where(gte(flags.createdAt, start)).groupBy(sql`1`).all());
  const removalDays = tally(
    db
      .select({ day: dayOf(moderationLog.createdAt), n: sql<number>`count(*)` })
      .from(moderationLog)
      .where(and(gte(moderationLog.createdAt, start), inArray(moderationLog.action, [...REMOVAL_ACTIONS])))
      .groupBy(sql`1`)
      .all(),
  );
  return Array.from({ length: days }, (_, i) => {
    const day = utcDay(start + i * DAY);
    return { day, comments: commentDays.get(day) ?? 0, flags: flagDays.get(day) ?? 0, removals: removalDays.get(day) ?? 0 };
  });
}

/** Removals per reason per month, newest month first, for the public page: no names, no ids. */
export async function monthlyModeration(db: Db, now = Date.now(), months = 12): Promise<MonthRemovals[]> {
  const since = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - (months - 1), 1);
  const rows = db
    .select({
      month: sql<string>`strftime('%Y-%m', ${moderationLog.createdAt} / 1000, 'unixepoch')`,
      action: moderationLog.action,
      reason: moderationLog.reason,
      n: sql<number>`count(*)`,
    })
    .from(moderationLog)
    .where(and(gte(moderationLog.createdAt, since), inArray(moderationLog.action, [...PUBLIC_ACTIONS])))
    .groupBy(sql`1`, moderationLog.action, moderationLog.reason)
    .all();
  return tallyMonths(rows);
}
