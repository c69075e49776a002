// Downloads everything stored about the signed-in reader as one JSON file.
import type { APIRoute } from 'astro';
import { accountData } from '../../../db/accounts/accounts.ts';
import { authContext } from '../../features/accounts/auth.ts';
import { listSessionsFor } from '../../features/accounts/sessions.ts';
import { buildAccountExport, exportFileName } from '../../features/accounts/export.ts';
import { withNext } from '../../features/accounts/safe-next.ts';

export const prerender = false;

export const GET: APIRoute = async ({ locals, redirect }) => {
  const { session } = locals;
  const user = locals.reader.account;
  if (!user || !session) return redirect(withNext('/signin', '/account'), 302);
  const ctx = authContext();
  const data = await accountData(ctx.db, user.id);
  if (!data) return redirect('/signin', 302);
  const now = Date.now();
  const body = buildAccountExport(data, await listSessionsFor(ctx, user.id, session.id), now);
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName(user.username, now)}"`,
      'Cache-Control': 'private, no-store',
    },
  });
};
