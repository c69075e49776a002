// A page that shows a form answers its own POST: the form read through its schema, one service
// call, then either the service's result (the page redirects, 303) or the refusal, its status
// already set on the response, with what was typed so the page shows the form again in place.
// Page frontmatter rather than Astro Actions: it works the same without JavaScript, and a refused
// form is the page itself, rendered once with its message, status and the reader's input.
import type { z } from 'astro/zod';
import type { Outcome, Refusal } from '../features/refusal.ts';
import { parseForm, type Typed } from './form.ts';
import { applyRefusal } from './refusal-status.ts';

export interface FormPost<T extends object> {
  /** The service's result when the form was posted and accepted. */
  done: ({ ok: true } & T) | null;
  /** Why it was refused (the response's status is set). */
  refusal: Refusal | null;
  /** What the reader typed, to fill the form again. */
  typed: Typed;
}

export async function formPost<S extends z.ZodObject, T extends object>(
  page: { request: Request; response: { status?: number; headers: Headers } },
  schema: S,
  act: (data: z.output<S>) => Promise<Outcome<T>>,
): Promise<FormPost<T>> {
  if (page.request.method !== 'POST') return { done: null, refusal: null, typed: {} };
  const form = await parseForm(page.request, schema);
  const outcome = form.ok ? await act(form.data) : form.refusal;
  if (outcome.ok) return { done: outcome, refusal: null, typed: form.typed };
  applyRefusal(page.response, outcome);
  return { done: null, refusal: outcome, typed: form.typed };
}
