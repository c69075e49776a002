// A refused form answers with the refusal's status (and Retry-After when the reader must wait)
// and shows its message beside the field it concerns.
export interface Refusal {
  status: number;
  message: string;
  field?: string;
  retryAfterSeconds?: number;
}

export function answerRefusal(response: { status: number; headers: Headers }, refusal: Refusal): { error: string; field?: string } {
  response.status = refusal.status;
  if (refusal.retryAfterSeconds) response.headers.set('Retry-After', String(refusal.retryAfterSeconds));
  return { error: refusal.message, field: refusal.field };
}
