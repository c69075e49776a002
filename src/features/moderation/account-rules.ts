// Moderation's decisions about accounts, each written once: who may be banned, unbanned, promoted
// or demoted, and what a reader may appeal. Pure: db/moderation calls them inside the transaction
// that reads the rows, so two admins cannot race past them.
import { refuse, type Outcome, type Refusal } from '../refusal.ts';
import type { CommentStatus } from '../discussion/types.ts';
import { checkNote, cleanText } from './rules.ts';
import { isReason, type ModerationReason } from './reasons.ts';

export type Role = 'reader' | 'admin';

interface Account {
  id: string;
  username: string;
  role: Role;
  bannedAt: number | null;
}

/** Asked by id ("That account") or by the name typed on the command line. */
export const noSuchAccount = (name?: string): Refusal => refuse('not-found', `${name === undefined ? 'That account' : `"${name}"`} does not exist (any more).`);

/** A promotion or demotion: not to the role held, not a banned account to admin, never the last admin away. */
export function roleRefusal(user: Account, role: Role, admins: number): Refusal | null {
  if (user.role === role) return refuse('conflict', `${user.username} is already ${role === 'admin' ? 'an admin' : 'a reader'}.`);
  if (role === 'admin' && user.bannedAt) return refuse('conflict', `${user.username} is banned: unban them before promoting.`);
  if (role === 'reader' && admins <= 1) return refuse('conflict', `${user.username} is the last admin: promote someone else first, or the site has no moderator.`);
  return null;
}

export interface BanRequest {
  /** Hide every published or held comment of theirs, with `reason`. */
  hideComments?: boolean;
  reason?: string | null;
  note?: string | null;
}

/** The ban's reason and note, checked: a reason is needed when comments are hidden with it. */
export function checkBan(request: BanRequest): Outcome<{ hideComments: boolean; reason: ModerationReason | null; note: string | null }> {
  if (request.reason && !isReason(request.reason)) return refuse('invalid', 'Choose a reason: spam, abuse, off-topic or other.', { field: 'reason' });
  const reason = request.reason ? (request.reason as ModerationReason) : null;
  if (request.hideComments && !reason) return refuse('invalid', 'Choose a reason to show on the comments you hide.', { field: 'reason' });
  const checked = checkNote(request.note);
  return checked.ok ? { ok: true, hideComments: !!request.hideComments, reason, note: checked.note } : checked;
}

/** Admins are demoted before a ban, and nobody bans themselves. */
export function banRefusal(user: Account, byId: string | null): Refusal | null {
  if (user.id === byId) return refuse('conflict', 'You cannot ban yourself.');
  if (user.role === 'admin') return refuse('conflict', `${user.username} is an admin: demote them before banning.`);
  if (user.bannedAt) return refuse('conflict', `${user.username} is already banned.`);
  return null;
}

export const unbanRefusal = (user: Account): Refusal | null => (user.bannedAt ? null : refuse('conflict', `${user.username} is not banned.`));

/**
 * The note a ban writes on each comment it hides. An unban finds the comments to restore by it (the
 * last word on each in the log), so those that were held when the ban came say so and stay hidden.
 */
export const banHideNote = (username: string, wasHeld: boolean): string => `with the ban of ${username}${wasHeld ? ', while held for review' : ''}`;
export const unbanRestoreNote = (username: string): string => `with the unban of ${username}`;

/** A new admin account from the command line: not a taken name, nor one that looks like another. */
export function newAdminRefusal(username: string, taken: { exactly: boolean; lookAlike: boolean }): Refusal | null {
  if (taken.exactly) return refuse('invalid', `The username "${username}" is taken: use \`promote ${username}\` to make that account an admin.`);
  if (taken.lookAlike) return refuse('invalid', `The username "${username}" looks too much like the name of another account: choose another.`);
  return null;
}

// ---- appeals --------------------------------------------------------------------------------

export const APPEAL_MIN = 10;
export const APPEAL_MAX = 1000;
export const ANSWER_MAX = 1000;
/** Open appeals one reader may have at once: enough for real cases, too few to flood the queue. */
export const OPEN_APPEALS_PER_READER = 3;

/** The statuses an appeal can be about: held, hidden or marked as spam (and its text still there). */
export const APPEALABLE_STATUSES: readonly CommentStatus[] = ['pending', 'hidden', 'spam'];

/** An appeal's message, cleaned (rules.ts, cleanText), between the bounds. */
export function checkAppealMessage(raw: string): Outcome<{ message: string }> {
  const message = cleanText(raw);
  if (message.length < APPEAL_MIN) {
    return refuse('invalid', `Say in a sentence or two why moderators should look again (at least ${APPEAL_MIN} characters).`, { field: 'message' });
  }
  if (message.length > APPEAL_MAX) return refuse('invalid', `An appeal can be at most ${APPEAL_MAX} characters (this one has ${message.length}).`, { field: 'message' });
  return { ok: true, message };
}

/**
 * Whether this reader may appeal about comment #commentId (null: about their ban), given the comment
 * or the reader's ban and their open appeals, as the appeal's transaction reads them.
 */
export function appealRefusal(
  readerId: string,
  about: { commentId: number; comment: { authorId: string | null; status: CommentStatus } | undefined } | { commentId: null; bannedAt: number | null },
  openAppeals: number,
): Refusal | null {
  if (about.commentId !== null) {
    const { comment, commentId } = about;
    if (!comment || comment.authorId !== readerId) return refuse('not-found', 'You can appeal only about a comment of your own.', { field: 'about' });
    if (comment.status === 'published' || comment.status === 'deleted') {
      const state = comment.status === 'published' ? 'shown to everyone' : 'deleted by you';
      return refuse('invalid', `Comment #${commentId} is ${state}: there is nothing to appeal.`, { field: 'about' });
    }
  } else if (!about.bannedAt) {
    return refuse('invalid', 'Choose the comment you are appealing about.', { field: 'about' });
  }
  if (openAppeals >= OPEN_APPEALS_PER_READER) {
    return refuse('invalid', `You have ${openAppeals} appeals waiting for an answer; please wait for one before sending another.`);
  }
  return null;
}

/** A moderator's answer to an appeal, cleaned like every moderation text (rules.ts, cleanText). */
export function checkAnswer(raw: string): Outcome<{ answer: string }> {
  const answer = cleanText(raw);
  if (!answer) return refuse('invalid', 'Write the answer the reader will see.', { field: 'answer' });
  if (answer.length > ANSWER_MAX) return refuse('invalid', `An answer can be at most ${ANSWER_MAX} characters.`, { field: 'answer' });
  return { ok: true, answer };
}

/** An appeal is answered once. */
export function answerRefusal(id: number, appeal: { answeredAt: number | null } | undefined): Refusal | null {
  if (!appeal) return refuse('invalid', `There is no appeal #${id}.`);
  return appeal.answeredAt ? refuse('invalid', `Appeal #${id} has already been answered.`) : null;
}
