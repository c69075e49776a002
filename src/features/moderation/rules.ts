// Moderation's decisions, each written once: who moderates, what an action does to a comment and
// when it is refused, when readers' flags take a comment out of view, what may be pinned. Pure (no
// I/O): services ask them before they write, db/moderation asks them again inside the transaction
// that reads the rows they judge, and the pages ask them what to offer. Bans, roles and appeals:
// account-rules.ts.
import type { Reader } from '../accounts/reader.ts';
import type { CommentStatus } from '../discussion/types.ts';
import { refuse, type Outcome, type Refusal } from '../refusal.ts';
import { describeWait } from '../../lib/describe-wait.ts';
import { xmlSafeText } from '../../lib/xml-text.ts';
import type { RateLimit } from '../../lib/rate-limits.ts';
import { MAX_NOTE_LENGTH, type ModerationReason } from './reasons.ts';

// ---- who moderates --------------------------------------------------------------------------

/** Moderating takes an admin in good standing; null when this reader may. */
export function whyNotModerate(reader: Reader): Refusal | null {
  if (!reader.account) return refuse('signed-out', 'Sign in with a moderator account to do that.');
  if (reader.banned) return refuse('banned', 'Your account is banned: you can read, and export or delete your data, but not take part or moderate.');
  return reader.may.moderate ? null : refuse('forbidden', 'This part of the site is for moderators only. Nothing was changed.');
}

// ---- free text ------------------------------------------------------------------------------

// Every free-text field of moderation (notes, flag notes, appeals, answers, blocked phrases) is
// cleaned, not refused, before its length is judged: characters XML forbids (NUL and the other C0
// controls but tab and newlines, U+FFFE, U+FFFF, lone surrogates) would break the pages and feeds
// that show it, and bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) can
// reorder what a moderator reads ("‮" makes the rest read right to left). Neither is typed on
// purpose, so dropping them keeps the writer's words without them; the marks U+200E, U+200F
// and U+061C stay, as right-to-left writing needs them and they cannot reorder letters.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Free text without XML-forbidden characters and bidi controls, trimmed. */
export function cleanText(raw: string): string {
  return xmlSafeText(raw).replace(BIDI_CONTROLS, '').trim();
}

/** A moderator's note (on a hide, a ban, a closed discussion) or a flag's: cleaned, null when empty. */
export function checkNote(note: string | null | undefined): Outcome<{ note: string | null }> {
  const trimmed = cleanText(note ?? '');
  if (trimmed.length > MAX_NOTE_LENGTH) {
    return refuse('invalid', `The note can be at most ${MAX_NOTE_LENGTH} characters (it has ${trimmed.length}).`, { field: 'note' });
  }
  return { ok: true, note: trimmed || null };
}

// ---- the queue ------------------------------------------------------------------------------

/** held: waiting for review; flagged: open flags on a shown or held comment; recent: the last days; spam. */
export const QUEUE_TABS = ['held', 'flagged', 'recent', 'spam'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

export function isQueueTab(value: unknown): value is QueueTab {
  return typeof value === 'string' && (QUEUE_TABS as readonly string[]).includes(value);
}

export const QUEUE_PAGE_SIZE = 50;
/** "Recent" looks back this far. */
export const RECENT_DAYS = 7;

// ---- actions on comments --------------------------------------------------------------------

export const COMMENT_ACTIONS = ['approve', 'hide', 'spam', 'restore', 'purge'] as const;
export type CommentAction = (typeof COMMENT_ACTIONS)[number];

export const COMMENT_ACTION_LABELS: Record<CommentAction, string> = {
  approve: 'Approve',
  hide: 'Hide',
  spam: 'Mark as spam',
  restore: 'Restore',
  purge: 'Delete for good',
};

export function isCommentAction(value: unknown): value is CommentAction {
  return typeof value === 'string' && (COMMENT_ACTIONS as readonly string[]).includes(value);
}

/** Comments one request may act on at once. */
export const MAX_BULK = 200;

export interface CommentActionRequest {
  ids: readonly number[];
  action: CommentAction;
  reason?: ModerationReason | null;
  note?: string | null;
}

/** The request made whole (each id once, the reason the action records, the note) or why not. */
export function checkCommentAction(request: CommentActionRequest): Outcome<{ ids: number[]; reason: ModerationReason | null; note: string | null }> {
  const ids = [...new Set(request.ids)];
  if (ids.length === 0) return refuse('invalid', 'Select at least one comment.', { field: 'ids' });
  if (ids.length > MAX_BULK) return refuse('invalid', `At most ${MAX_BULK} comments at once.`, { field: 'ids' });
  const checked = checkNote(request.note);
  if (!checked.ok) return checked;
  if (request.action === 'hide' && !request.reason) {
    return refuse('invalid', 'Choose a reason for hiding: spam, abuse, off-topic or other.', { field: 'reason' });
  }
  const reason = request.action === 'hide' ? request.reason! : request.action === 'spam' ? 'spam' : null;
  return { ok: true, ids, reason, note: checked.note };
}

/** A comment deleted for good keeps an empty row (a placeholder for its replies): its text is gone. */
export const isPurged = (comment: { bodyHtml: string }): boolean => comment.bodyHtml === '';

/** Why `action` cannot be applied to comment #id as it stands (undefined: no such comment), or null. */
export function commentActionRefusal(id: number, comment: { status: CommentStatus; bodyHtml: string } | undefined, action: CommentAction): Refusal | null {
  if (!comment) return refuse('not-found', `There is no comment #${id}: it may have been deleted for good.`);
  if (comment.status === 'deleted' && action !== 'purge') {
    return refuse('conflict', `Comment #${id} was deleted by its author; it can only be deleted for good.`);
  }
  if (isPurged(comment) && (action === 'approve' || action === 'restore')) {
    return refuse('conflict', `Comment #${id} was deleted for good; its text is gone and cannot be restored.`);
  }
  return null;
}

/**
 * What each action leaves: the comment's status (purge removes the row, or empties it when it has
 * replies), whether the reason and note are kept, whether the comment's open flags are settled by
 * the decision, and whether it vouches for the author (an approved comment lifts the first-comment hold).
 */
export const ACTION_EFFECTS: Readonly<Record<CommentAction, { status: CommentStatus | null; settlesFlags: boolean; trustsAuthor: boolean }>> = {
  approve: { status: 'published', settlesFlags: true, trustsAuthor: true },
  restore: { status: 'published', settlesFlags: true, trustsAuthor: false },
  hide: { status: 'hidden', settlesFlags: true, trustsAuthor: false },
  spam: { status: 'spam', settlesFlags: true, trustsAuthor: false },
  purge: { status: null, settlesFlags: false, trustsAuthor: false },
};

/** The actions a moderator is offered for a comment as it stands (delete for good always is). */
export function offeredActions(comment: { status: CommentStatus; openFlags: number; purged: boolean }): Record<CommentAction, boolean> {
  const { status, openFlags, purged } = comment;
  return {
    approve: !purged && (status === 'pending' || (status === 'published' && openFlags > 0)),
    restore: !purged && (status === 'hidden' || status === 'spam'),
    hide: status === 'published' || status === 'pending',
    spam: !purged && status !== 'spam' && status !== 'deleted',
    purge: true,
  };
}

// ---- flags ----------------------------------------------------------------------------------

/** Distinct readers in good standing whose open flags take a published comment out of view. */
export const FLAG_THRESHOLD = 3;
/** Flags count only from readers in good standing: an approved comment, or an account this old. */
export const FLAG_STANDING_MS = 3 * 24 * 60 * 60 * 1000;
/** Per reader: enough for a bad thread, too few to sweep a discussion. */
export const FLAG_RATE_LIMITS: readonly RateLimit[] = [
  { windowMs: 60 * 60_000, max: 10 },
  { windowMs: 24 * 60 * 60_000, max: 30 },
];

const BANNED_FLAGGER = 'Your account is banned: you can read, but not flag comments.';

/** Flagging takes a signed-in reader in good standing; null when this reader may. */
export function whyNotFlag(reader: Reader): Refusal | null {
  if (!reader.account) return refuse('signed-out', 'Sign in to flag a comment.');
  return reader.may.flag ? null : refuse('banned', BANNED_FLAGGER);
}

export function flagRateRefusal(waitSeconds: number): Refusal {
  return refuse('rate-limited', `You have sent many flags in a short time. Wait ${describeWait(waitSeconds)} and flag again; moderators see the flags you have sent.`, {
    retryAfterSeconds: waitSeconds,
  });
}

/** Why this reader cannot flag this comment (read in the flag's transaction), or null. */
export function flagRefusal(
  flagger: { id: string; bannedAt: number | null } | undefined,
  comment: { status: CommentStatus; authorId: string | null } | undefined,
): Refusal | null {
  if (!flagger) return refuse('not-found', 'Your account no longer exists.');
  if (flagger.bannedAt) return refuse('banned', BANNED_FLAGGER);
  if (!comment || comment.status !== 'published') return notFlaggable();
  if (comment.authorId === flagger.id) return refuse('forbidden', 'You cannot flag your own comment; you can edit or delete it.');
  return null;
}

/** Only a published comment is flagged (a missing one, or one already out of view, is not). */
export const notFlaggable = (): Refusal => refuse('not-found', 'That comment is not shown any more, so there is nothing to flag.');

export const alreadyFlagged = (): Refusal => refuse('conflict', 'You have already flagged this comment; a moderator will look at it.');

export interface Flagger {
  role: 'reader' | 'admin';
  trustedAt: number | null;
  createdAt: number;
  bannedAt: number | null;
}

/** A flag counts toward hiding when its reader is not banned and trusted, an admin, or not new. */
export function inGoodStanding(flagger: Flagger, now: number): boolean {
  return flagger.bannedAt === null && (flagger.role === 'admin' || flagger.trustedAt !== null || flagger.createdAt <= now - FLAG_STANDING_MS);
}

/** The open flags that count, and the reason most of them give (ties: the first in order). */
export function flagTally(flags: readonly { reason: ModerationReason; flagger: Flagger }[], now: number): { count: number; topReason: ModerationReason } {
  const byReason = new Map<ModerationReason, number>();
  for (const f of flags) if (inGoodStanding(f.flagger, now)) byReason.set(f.reason, (byReason.get(f.reason) ?? 0) + 1);
  const ranked = [...byReason].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return { count: ranked.reduce((sum, [, n]) => sum + n, 0), topReason: ranked[0]?.[0] ?? 'other' };
}

/** Whether the flags take the comment out of view: an admin's comment never is, a moderator reads them instead. */
export function flagsHide(authorRole: 'reader' | 'admin' | null, counted: number): boolean {
  return authorRole !== 'admin' && counted >= FLAG_THRESHOLD;
}

/** What a hide by flags notes on the comment (the queue shows it) and in the log. */
export const flagHideNotes = (counted: number) => ({ comment: `hidden after ${counted} reader flags`, log: `${counted} reader flags` });

// ---- pins -----------------------------------------------------------------------------------

/** Only a published top-level comment is pinned above a discussion. */
export function pinRefusal(id: number, comment: { status: CommentStatus; depth: number } | undefined): Refusal | null {
  if (!comment) return refuse('not-found', `There is no comment #${id}.`);
  if (comment.status !== 'published' || comment.depth !== 0) {
    return refuse('conflict', `Only a published top-level comment can be pinned; #${id} is ${comment.depth ? 'a reply' : comment.status}.`);
  }
  return null;
}

export const nothingPinned = (): Refusal => refuse('invalid', 'No comment is pinned on that essay.');
