// GET: the audit log (filtered as on the page) as a CSV file.
import type { APIRoute } from 'astro';
import { database } from '../../../db/connection.ts';
import { listLog } from '../../../db/moderation/moderation-log.ts';
import { gateAdminPage } from '../../features/moderation/http.ts';
import { toCsv } from '../../lib/csv.ts';
import { readLogQuery } from '../../features/moderation/log-filter.ts';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const actor = gateAdminPage(context);
  if (actor instanceof Response) return actor;
  const entries = await listLog(database(), readLogQuery(context.url.searchParams).filter);
  const csv = toCsv(
    ['time_utc', 'admin', 'action', 'target_type', 'target_id', 'reason', 'note'],
    entries.map((e) => [new Date(e.createdAt).toISOString(), e.adminName, e.action, e.targetType, e.targetId, e.reason, e.note]),
  );
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="moderation-log-${new Date().toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
  });
};
