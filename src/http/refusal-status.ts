// The edge: each refusal code's HTTP status, in one table, and how a refusal sets a response.
import type { Refusal, RefusalCode } from '../features/refusal.ts';

export const REFUSAL_STATUS: Record<RefusalCode, number> = {
  'signed-out': 401,
  banned: 403,
  forbidden: 403,
  'not-found': 404,
  gone: 410,
  invalid: 400,
  conflict: 409,
  closed: 403,
  'wrong-password': 401,
  'rate-limited': 429,
  'too-large': 413,
  unsupported: 415,
  unavailable: 503,
};

/** Sets the status (and Retry-After) of a page that shows a refused form again. */
export function applyRefusal(response: { status?: number; headers: Headers }, refusal: Refusal): void {
  response.status = REFUSAL_STATUS[refusal.code];
  if (refusal.retryAfterSeconds) response.headers.set('Retry-After', String(refusal.retryAfterSeconds));
}

/** A refusal as a plain response, for endpoints that render no form. */
export function refusalResponse(refusal: Refusal): Response {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (refusal.retryAfterSeconds) headers['retry-after'] = String(refusal.retryAfterSeconds);
  return new Response(refusal.message, { status: REFUSAL_STATUS[refusal.code], headers });
}
