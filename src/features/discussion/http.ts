// The discussion's request edge: what every discussion route reads from Astro, and how an
// Answer from a handler (routes/) becomes the response's status and headers.
import { database } from '../../../db/connection.ts';
import { applyRefusal } from '../../http/refusal-status.ts';
import { findEssay } from './essays.ts';
import { FRAGMENT_HEADER, isFragmentHeader } from './fragment.ts';
import type { DiscussionRequest, Shown } from './routes/answer.ts';

/** Requests from the discussion script ask for an HTML fragment instead of a whole page. */
export function wantsFragment(request: Request): boolean {
  return isFragmentHeader(request.headers.get(FRAGMENT_HEADER));
}

export function discussionRequest(astro: { request: Request; url: URL; locals: App.Locals }): DiscussionRequest {
  return {
    db: database(),
    reader: astro.locals.reader,
    fragment: wantsFragment(astro.request),
    now: Date.now(),
    essayOf: findEssay,
    here: astro.url.pathname + astro.url.search,
  };
}

/**
 * Sets the status and headers an answer asks for and returns its view. Never cached, since it
 * depends on the reader, unless the middleware knows better: a discussion page's plain 200 gets
 * its ETag and cache marks there (server/cacheable-routes.ts).
 */
export function respond<V>(response: { status: number; headers: Headers }, answer: Shown<V>): V {
  response.headers.set('Cache-Control', 'private, no-store');
  if (answer.refusal) applyRefusal(response, answer.refusal);
  else if (answer.status) response.status = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.headers.set(name, value);
  return answer.view;
}
