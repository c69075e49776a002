// The audit log's words and what is read from them: the actions it records, which of them count
// as removals, its filter (read from a query string: the page and its CSV export share it), and
// the public page's monthly figures. Pure: db/moderation writes and reads the rows.
import { DAY_MS, parseDay } from './format.ts';
import { MODERATION_REASONS, type ModerationReason } from './reasons.ts';

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
  // A reader's comment linked to (or unlinked from) the correction it led to; the note names the correction.
  'link-correction',
  'unlink-correction',
  // A detached passage comment re-attached to a block (the note names it), or left detached.
  'reattach-passage',
  'leave-detached',
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

export type LogTargetType = 'comment' | 'user' | 'essay' | 'blocklist' | 'setting' | 'appeal';

/** Actions that take a comment out of public view: what the public page counts as removals. */
export const REMOVAL_ACTIONS: readonly LogAction[] = ['hide', 'spam', 'auto-hide'];
/** What else the public page counts, each in a column of its own. */
const COUNTED: Partial<Record<LogAction, 'approvals' | 'restorations' | 'appealsAnswered' | 'bans'>> = {
  approve: 'approvals',
  restore: 'restorations',
  'answer-appeal': 'appealsAnswered',
  ban: 'bans',
};
export const PUBLIC_ACTIONS: readonly LogAction[] = [...REMOVAL_ACTIONS, ...(Object.keys(COUNTED) as LogAction[])];

export interface LogFilter {
  admin?: string;
  action?: string;
  /** Inclusive bounds in Unix ms. */
  from?: number;
  until?: number;
  /** One comment's, user's, essay's… entries. */
  target?: { type: LogTargetType; id: string };
  limit?: number;
  offset?: number;
}

export interface LogQuery {
  filter: LogFilter;
  /** The values as typed, to refill the form. */
  values: { admin: string; action: string; from: string; to: string };
}

export function readLogQuery(params: URLSearchParams): LogQuery {
  const admin = (params.get('admin') ?? '').slice(0, 100);
  const rawAction = params.get('action') ?? '';
  const action = (LOG_ACTIONS as readonly string[]).includes(rawAction) ? rawAction : '';
  const from = parseDay(params.get('from'));
  const to = parseDay(params.get('to'));
  return {
    // "to" is inclusive: everything before the next midnight.
    filter: { admin: admin || undefined, action: action || undefined, from, until: to === undefined ? undefined : to + DAY_MS },
    values: { admin, action, from: from === undefined ? '' : params.get('from')!, to: to === undefined ? '' : params.get('to')! },
  };
}

export function logQueryString(values: LogQuery['values']): string {
  const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
  return params.size ? `?${params}` : '';
}

export interface MonthRemovals {
  /** YYYY-MM (UTC). */
  month: string;
  byReason: Record<ModerationReason, number>;
  total: number;
  /** Held or flagged comments a moderator let through. */
  approvals: number;
  /** Removed comments a moderator put back (on an appeal, an unban or second thoughts). */
  restorations: number;
  /** Appeals a moderator answered. */
  appealsAnswered: number;
  bans: number;
}

/** Log entries counted per month, action and reason, as the public page shows them: newest month first. */
export function tallyMonths(rows: readonly { month: string; action: string; reason: string | null; n: number }[]): MonthRemovals[] {
  const byMonth = new Map<string, MonthRemovals>();
  for (const row of rows) {
    let entry = byMonth.get(row.month);
    if (!entry) {
      const byReason = Object.fromEntries(MODERATION_REASONS.map((r) => [r, 0])) as Record<ModerationReason, number>;
      entry = { month: row.month, byReason, total: 0, approvals: 0, restorations: 0, appealsAnswered: 0, bans: 0 };
      byMonth.set(row.month, entry);
    }
    const column = COUNTED[row.action as LogAction];
    if (column) {
      entry[column] += row.n;
    } else if ((REMOVAL_ACTIONS as readonly string[]).includes(row.action)) {
      const reason = (MODERATION_REASONS as readonly string[]).includes(row.reason ?? '') ? (row.reason as ModerationReason) : 'other';
      entry.byReason[reason] += row.n;
      entry.total += row.n;
    }
  }
  return [...byMonth.values()].sort((a, b) => b.month.localeCompare(a.month));
}
