// A refused form answers with the refusal's status (and Retry-After when the reader must wait)
// and shows its message beside the field it concerns.
import { Refusal as FeatureRefusal } from '../features/refusal.ts';
import { REFUSAL_STATUS } from './refusal-status.ts';

type Legacy = { status: number; message: string; field?: string; retryAfterSeconds?: number };

export function answerRefusal(response: { status: number; headers: Headers }, refusal: Legacy | FeatureRefusal): { error: string; field?: string } {
  response.status = refusal instanceof FeatureRefusal ? REFUSAL_STATUS[refusal.code] : refusal.status;
  if (refusal.retryAfterSeconds) response.headers.set('Retry-After', String(refusal.retryAfterSeconds));
  return { error: refusal.message, field: refusal.field };
}
