// A refused moderation request. Thrown inside a transaction, it rolls the whole request back,
// so "a clear message and nothing changed" is one mechanism; handlers show `message`.
export type ModerationErrorCode =
  | 'comment-not-found'
  | 'comment-purged'
  | 'comment-deleted-by-author'
  | 'user-not-found'
  | 'already-flagged'
  | 'own-comment'
  | 'banned'
  | 'ban-admin'
  | 'ban-self'
  | 'already-banned'
  | 'not-banned'
  | 'last-admin'
  | 'already-that-role'
  | 'bad-input'
  | 'phrase-exists'
  | 'not-pinnable'
  | 'rate-limited';

export class ModerationError extends Error {
  override name = 'ModerationError';
  readonly code: ModerationErrorCode;
  constructor(code: ModerationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
