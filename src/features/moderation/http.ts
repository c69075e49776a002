// The moderation pages' edge: who may open them, and how a page answers its own forms.
//
// Each page that shows a form handles its POST in its frontmatter (not an endpoint, not an Astro
// Action): the form is read through its schema, one service is called, and then either a 303 to
// where the form said to go, with the notice for the page there, or the same page rendered again
// with the refusal's status, its message and what was typed. It works the same without JavaScript,
// and a refused form never travels through a redirect or a cookie: it is simply the page again.
import type { APIContext, AstroCookies } from 'astro';
import { z } from 'astro/zod';
import type { Reader } from '../accounts/reader.ts';
import { safeNext, withNext } from '../accounts/safe-next.ts';
import { parseForm, type Typed } from '../../http/form.ts';
import { methodNotAllowed } from '../../http/methods.ts';
import { applyRefusal } from '../../http/refusal-status.ts';
import { refuse, type Refusal } from '../refusal.ts';
import { setNotice, takeNotice } from './flash.ts';
import type { PageForm } from './forms.ts';
import { whyNotFlag, whyNotModerate } from './rules.ts';

// Constant pages: nothing from the request is echoed into them.
const FORBIDDEN_PAGES = {
  'not-admin':
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not allowed</title><h1>Not allowed</h1><p>This part of the site is for moderators only. Nothing was changed.</p><p><a href="/">Back to the essays</a></p></html>',
  banned:
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not allowed</title><h1>Not allowed</h1><p>Your account is banned: you can read, and export or delete your data, but not take part or moderate. Nothing was changed.</p><p><a href="/moderation">How to appeal</a></p></html>',
};

function forbidden(reason: keyof typeof FORBIDDEN_PAGES): Response {
  return new Response(FORBIDDEN_PAGES[reason], { status: 403, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

/** Who may open a page: a moderator, a reader who may flag, or anyone signed in (appeals: banned readers too). */
export type Need = 'moderate' | 'flag' | 'signed-in';
const NEEDS: Record<Need, (reader: Reader) => Refusal | null> = {
  moderate: whyNotModerate,
  flag: whyNotFlag,
  'signed-in': (reader) => (reader.account ? null : refuse('signed-out', 'Sign in first.')),
};

interface Gate {
  locals: App.Locals;
  redirect: APIContext['redirect'];
}

/** Signed out: to sign-in, coming back to `next`; not allowed: a constant 403 page. Null: come in. */
function turnedAway(page: Gate, need: Need, next: string, status: 302 | 303): Response | null {
  const refusal = NEEDS[need](page.locals.reader);
  if (!refusal) return null;
  if (refusal.code === 'signed-out') return page.redirect(withNext('/signin', next), status);
  return forbidden(refusal.code === 'banned' ? 'banned' : 'not-admin');
}

/** For a moderation route that shows no form (the CSV export): the response to send instead, or null. */
export function gateAdmin(page: Gate & { url: URL }): Response | null {
  return turnedAway(page, 'moderate', `${page.url.pathname}${page.url.search}`, 302);
}

export interface Message {
  kind: 'notice' | 'error';
  text: string;
}

export interface PageState {
  reader: Reader;
  /** The notice of the form done a redirect ago, or the refusal of the form just posted. */
  message: Message | null;
  /** This request is a refused form (the response's status is already set). */
  refused: boolean;
  /** What was typed into the refused form (the one whose hidden `form` field is `form`, when given); {} otherwise. */
  typed(form?: string): Typed;
}

interface Page extends Gate {
  request: Request;
  url: URL;
  params: Record<string, string | undefined>;
  cookies: AstroCookies;
  response: { status?: number; headers: Headers };
}

// A notice waits for a page that shows it: the dashboard and the moderation pages, not an essay.
const SHOWS_NOTICES = /^\/(?:admin|moderation)(?:[/?#]|$)/;

const state = (reader: Reader, message: Message | null, refused = false, typed: Typed = {}): PageState => ({
  reader,
  message,
  refused,
  typed: (form) => (form === undefined || typed.form === form ? typed : {}),
});

/** The forms as one schema: one form as it is, several told apart by `action`. */
function schemaOf(forms: readonly PageForm[]) {
  if (forms.length === 1) return forms[0]!.schema;
  return z.discriminatedUnion('action', forms.map((f) => f.schema) as [z.ZodObject, ...z.ZodObject[]], 'Choose one of the actions this page offers.');
}

/** The form that takes `action`: its schema's `action` is that literal, or an enum holding it. */
function formFor(forms: readonly PageForm[], data: unknown): PageForm {
  if (forms.length === 1) return forms[0]!;
  const action = (data as { action: string }).action;
  return forms.find((f) => {
    const field = f.schema.shape.action;
    return (field instanceof z.ZodLiteral && field.values.has(action)) || (field instanceof z.ZodEnum && field.options.includes(action));
  })!;
}

/**
 * The start of every moderation page: the gate, then (for a POST) its form answered. Returns the
 * response to send instead (a redirect, a 403, or the 303 to the form's `return` once it was done), or what the
 * page needs to render: the reader, the message, and what was typed into a refused form.
 */
export async function openPage(page: Page, need: Need, forms: readonly PageForm[] = []): Promise<PageState | Response> {
  const here = `${page.url.pathname}${page.url.search}`;
  if (page.request.method !== 'POST') {
    const away = turnedAway(page, need, here, 302);
    if (away) return away;
    const notice = takeNotice(page.cookies);
    return state(page.locals.reader, notice ? { kind: 'notice', text: notice } : null);
  }
  if (forms.length === 0) return turnedAway(page, need, here, 303) ?? methodNotAllowed('GET, HEAD');
  // The form first: a signed-out reader is sent to sign in and then back where the form would have gone.
  const parsed = await parseForm(page.request, schemaOf(forms));
  const back = safeNext(parsed.typed.return, here);
  const away = turnedAway(page, need, back, 303);
  if (away) return away;
  const reader = page.locals.reader;
  const outcome = parsed.ok ? await formFor(forms, parsed.data).run(parsed.data, { reader, params: page.params }) : parsed.refusal;
  if (outcome.ok) {
    if (SHOWS_NOTICES.test(back)) setNotice(page.cookies, outcome.notice);
    return page.redirect(back, 303);
  }
  applyRefusal(page.response, outcome);
  return state(reader, { kind: 'error', text: outcome.message }, true, parsed.typed);
}
