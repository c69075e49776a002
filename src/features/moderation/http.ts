// Request helpers shared by the moderation routes: authorise first, then act, then redirect (post/redirect/get).
import type { APIContext, APIRoute, AstroCookies } from 'astro';
import { ModerationError, type ModerationErrorCode } from '../../../db/moderation/moderation-errors.ts';
import type { Actor } from '../../../db/moderation/moderation-log.ts';
import { adminAccess } from './admin-access.ts';
import { setFlash, takeFlash, type Flash } from './flash.ts';
import { readForm, type FormFields } from '../../http/form-body.ts';
import { refusalResponse } from '../../http/refusal-status.ts';
import type { Refusal } from '../refusal.ts';
import { safeNext, withNext } from '../accounts/safe-next.ts';

// Constant pages: nothing from the request is echoed into them.
const FORBIDDEN_PAGES = {
  'not-admin':
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not allowed</title><h1>Not allowed</h1><p>This part of the site is for moderators only. Nothing was changed.</p><p><a href="/">Back to the essays</a></p></html>',
  banned:
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not allowed</title><h1>Not allowed</h1><p>Your account is banned: you can read, and export or delete your data, but not take part or moderate. Nothing was changed.</p><p><a href="/moderation">How to appeal</a></p></html>',
};

export function forbidden(reason: 'not-admin' | 'banned'): Response {
  return new Response(FORBIDDEN_PAGES[reason], { status: 403, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

/** For admin pages (GET): the acting admin, or the response to send instead. */
export function gateAdminPage(context: { locals: App.Locals; url: URL; redirect: APIContext['redirect'] }): Actor | Response {
  const access = adminAccess(context.locals.reader.account);
  if (access.ok) return access.actor;
  if (access.reason === 'signed-out') return context.redirect(withNext('/signin', `${context.url.pathname}${context.url.search}`), 302);
  return forbidden(access.reason);
}

/**
 * The start of every admin page: the role check, then the last form's message (a refused form's
 * page answers with the refusal's status). Returns the response to send instead when not allowed.
 */
export function openAdminPage(astro: {
  locals: App.Locals;
  url: URL;
  redirect: APIContext['redirect'];
  cookies: AstroCookies;
  response: { status?: number };
}): { actor: Actor; flash: Flash | null } | Response {
  const actor = gateAdminPage(astro);
  if (actor instanceof Response) return actor;
  const flash = takeFlash(astro.cookies);
  if (flash?.status) astro.response.status = flash.status;
  return { actor, flash };
}

const ERROR_STATUS: Record<ModerationErrorCode, number> = {
  'comment-not-found': 404,
  'user-not-found': 404,
  'comment-purged': 409,
  'comment-deleted-by-author': 409,
  'already-flagged': 409,
  'own-comment': 403,
  banned: 403,
  'ban-admin': 409,
  'ban-self': 409,
  'already-banned': 409,
  'not-banned': 409,
  'last-admin': 409,
  'already-that-role': 409,
  'bad-input': 400,
  'phrase-exists': 409,
  'not-pinnable': 409,
  'rate-limited': 429,
};

/** Redirects back with the refusal's message, its status and what was typed. */
export function refuse(cookies: AstroCookies, error: ModerationError, form: FormFields): void {
  const { return: _back, ...fields } = form.values();
  setFlash(cookies, { kind: 'error', text: error.message, status: ERROR_STATUS[error.code], form: form.text('form') || undefined, fields });
}

/** A body that is not a readable form, or too large: a plain 4xx, never a 500. */
export function unreadable(result: Refusal): Response {
  return refusalResponse(result);
}

export interface ActionInput {
  form: FormFields;
  actor: Actor & { id: string };
  context: APIContext;
}

type FormOutcome = string | { notice: string; to: string };
type FormContext = Pick<APIContext, 'request' | 'cookies' | 'redirect'>;

/**
 * Runs the change and redirects (303): onwards with the notice, or to `refusedTo` with the refusal.
 * Pages that show no flash (an essay, for the island's inline controls) get no notice.
 */
async function settle(
  context: FormContext,
  form: FormFields,
  route: { back: string; refusedTo: string; noticeShown: boolean },
  run: (form: FormFields) => Promise<FormOutcome>,
): Promise<Response> {
  try {
    const result = await run(form);
    const { notice, to } = typeof result === 'string' ? { notice: result, to: route.back } : result;
    if (route.noticeShown) setFlash(context.cookies, { kind: 'notice', text: notice, form: form.text('form') || undefined });
    return context.redirect(to, 303);
  } catch (error) {
    if (!(error instanceof ModerationError)) throw error;
    refuse(context.cookies, error, form);
    return context.redirect(route.refusedTo, 303);
  }
}

/** A reader's form posted to an on-demand page (the caller has checked who they are). */
export async function readerForm(context: FormContext, back: string, run: (form: FormFields) => Promise<FormOutcome>): Promise<Response> {
  const read = await readForm(context.request);
  if (!read.ok) return unreadable(read);
  return settle(context, read.fields, { back, refusedTo: back, noticeShown: true }, run);
}

/** A POST handler for an admin form. `run` returns the notice to show (and optionally where to go). */
export function adminAction(run: (input: ActionInput) => Promise<FormOutcome>): APIRoute {
  return async (context) => {
    const read = await readForm(context.request);
    if (!read.ok) return unreadable(read);
    const back = safeNext(read.fields.text('return'), '/admin');
    const access = adminAccess(context.locals.reader.account);
    if (!access.ok) return access.reason === 'signed-out' ? context.redirect(withNext('/signin', back), 303) : forbidden(access.reason);
    // Inline controls return to an essay, which shows no messages: a refusal goes to the queue instead.
    const onDashboard = back === '/admin' || back.startsWith('/admin/') || back.startsWith('/admin?') || back.startsWith('/admin#');
    const route = { back, refusedTo: onDashboard ? back : '/admin', noticeShown: onDashboard };
    return settle(context, read.fields, route, (form) => run({ form, actor: access.actor, context }));
  };
}

/** A whole number from a form field, or a refusal naming the field. */
export function idField(form: FormFields, name: string, label: string): number {
  const raw = form.text(name).trim().replace(/^#/, '');
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) {
    throw new ModerationError('bad-input', raw ? `"${raw.slice(0, 20)}" is not a ${label} number.` : `Give a ${label} number.`);
  }
  return id;
}
