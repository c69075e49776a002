// Signs out one of the reader's other sessions, named by its handle (never its id).
import type { APIRoute } from 'astro';
import { authContext } from '../../features/accounts/auth.ts';
import { revokeSession } from '../../features/accounts/sessions.ts';
import { readForm } from '../../http/form-body.ts';
import { refusalResponse } from '../../http/refusal-status.ts';
import { withNext } from '../../features/accounts/safe-next.ts';

export const prerender = false;

export const POST: APIRoute = async ({ locals, request, redirect }) => {
  if (!locals.reader.account) return redirect(withNext('/signin', '/account'), 303);
  const form = await readForm(request);
  if (!form.ok) return refusalResponse(form);
  const revoked = await revokeSession(authContext(), locals.reader.account.id, form.fields.text('session'));
  return redirect(`/account?done=${revoked ? 'revoked' : 'revoke-missing'}#sessions`, 303);
};
