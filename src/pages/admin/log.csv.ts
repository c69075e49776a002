// GET: the audit log (filtered as on the page) as a CSV file.
import type { APIRoute } from 'astro';
import { database } from '../../../db/connection.ts';
import { gateAdmin } from '../../features/moderation/http.ts';
import { logExport } from '../../features/moderation/views.ts';
import { ONLY_GET } from '../../http/methods.ts';
import { toCsv } from '../../lib/csv.ts';

export const prerender = false;

export const POST = ONLY_GET;

export const GET: APIRoute = async (context) => {
  const away = gateAdmin(context);
  if (away) return away;
  const entries = await logExport(database(), context.url.searchParams);
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
