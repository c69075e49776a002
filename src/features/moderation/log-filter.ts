// The audit log's filter, read from a query string (the page and its CSV export share it).
import { LOG_ACTIONS, type LogFilter } from '../../../db/moderation/moderation-log.ts';
import { DAY_MS, parseDay } from './format.ts';

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
