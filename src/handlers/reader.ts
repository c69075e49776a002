// Gate for reader actions on moderation routes (flagging): signed in, and not banned.
import type { APIContext } from 'astro';
import { forbidden } from './moderation.ts';
import { signInThen } from '../lib/moderation/return-path.ts';

export function gateReader(context: { locals: App.Locals; redirect: APIContext['redirect'] }, here: string, status: 302 | 303): { id: string } | Response {
  const user = context.locals.user;
  if (!user) return context.redirect(signInThen(here), status);
  if (user.bannedAt) return forbidden('banned');
  return { id: user.id };
}
