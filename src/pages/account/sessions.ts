// Signs out one of the reader's other sessions, named by its handle (never its id). The account
// page's form posts here: there is nothing to type, so a refusal is a plain answer, not a form.
import type { APIRoute } from 'astro';
import { authContext } from '../../features/accounts/auth.ts';
import { withNext } from '../../features/accounts/safe-next.ts';
import { revokeSchema } from '../../features/accounts/schemas.ts';
import { revokeSession } from '../../features/accounts/sessions.ts';
import { parseForm } from '../../http/form.ts';
import { ONLY_POST } from '../../http/methods.ts';
import { refusalResponse } from '../../http/refusal-status.ts';

export const prerender = false;

export const ALL = ONLY_POST;

export const POST: APIRoute = async ({ locals, request, redirect }) => {
  const { account } = locals.reader;
  if (!account) return redirect(withNext('/signin', '/account'), 303);
  const form = await parseForm(request, revokeSchema);
  if (!form.ok) return refusalResponse(form.refusal);
  const revoked = await revokeSession(authContext(), account.id, form.data.session);
  return redirect(`/account?done=${revoked ? 'revoked' : 'revoke-missing'}#sessions`, 303);
};
