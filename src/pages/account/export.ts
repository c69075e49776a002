// Downloads everything stored about the signed-in reader as one JSON file.
import type { APIRoute } from 'astro';
import { authContext } from '../../features/accounts/auth.ts';
import { withNext } from '../../features/accounts/safe-next.ts';
import { accountExport } from '../../features/accounts/service.ts';
import { ONLY_GET } from '../../http/methods.ts';

export const prerender = false;

export const POST = ONLY_GET;

export const GET: APIRoute = async ({ locals, redirect }) => {
  const { reader, session } = locals;
  if (!reader.account || !session) return redirect(withNext('/signin', '/account'), 302);
  const download = await accountExport(authContext(), reader, session.id);
  if (!download.ok) return redirect('/signin', 302);
  return new Response(download.json, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${download.fileName}"`,
      'Cache-Control': 'private, no-store',
    },
  });
};
