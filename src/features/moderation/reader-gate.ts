// Gate for reader actions on moderation routes (flagging): signed in, and not banned.
import type { APIContext } from 'astro';
import { forbidden } from './http.ts';
import { withNext } from '../accounts/safe-next.ts';

export function gateReader(context: { locals: App.Locals; redirect: APIContext['redirect'] }, here: string, status: 302 | 303): { id: string } | Response {
  const user = context.locals.reader.account;
  if (!user) return context.redirect(withNext('/signin', here), status);
  if (user.bannedAt) return forbidden('banned');
  return { id: user.id };
}
