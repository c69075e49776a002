// The one way a feature says "no": a code the edge maps to an HTTP status (src/http/refusal-status.ts),
// a message for the reader, the form field it concerns and, for limits, when to try again.
// Services return it; code inside a transaction throws it, which rolls the transaction back, and
// the service that opened the transaction returns what was thrown (`refusalOf`).
export type RefusalCode =
  | 'signed-out'
  | 'banned'
  | 'forbidden'
  | 'not-found'
  | 'gone'
  | 'invalid'
  | 'conflict'
  | 'closed'
  | 'wrong-password'
  | 'rate-limited'
  | 'too-large'
  | 'unsupported'
  | 'unavailable';

export class Refusal extends Error {
  override name = 'Refusal';
  readonly ok = false;
  readonly code: RefusalCode;
  /** The form field the message is about, so the form can point at it. */
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: RefusalCode, message: string, details: { field?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.code = code;
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** What a service answers: its result, or why not. */
export type Outcome<T extends object = object> = ({ ok: true } & T) | Refusal;

export function refuse(code: RefusalCode, message: string, details?: { field?: string; retryAfterSeconds?: number }): Refusal {
  return new Refusal(code, message, details);
}

/** Runs `work`; a Refusal it throws (rolling back any transaction inside) is returned instead. */
export function refusalOf<T>(work: () => T): T | Refusal {
  try {
    return work();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
}
