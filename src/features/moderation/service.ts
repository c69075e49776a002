// What moderators and readers do in moderation, each as one function: authorise the reader, check
// what can be checked before any write, and run the change in db/moderation, whose transaction asks
// the rules again (rules.ts, account-rules.ts) and throws their refusal, rolling back. Each answers
// an Outcome: the result, or the one Refusal the edge turns into a status (src/http/refusal-status.ts).
import { countAttempt } from '../../../db/attempts.ts';
import type { Db } from '../../../db/client.ts';
import { pinComment, setDiscussionClosed, unpinComment } from '../../../db/discussion/discussions.ts';
import { answerAppeal, submitAppeal } from '../../../db/moderation/appeals.ts';
import { addBlockedPhrase, removeBlockedPhrase } from '../../../db/moderation/blocklist.ts';
import { moderateComments } from '../../../db/moderation/comment-moderation.ts';
import { linkCorrection, unlinkCorrection } from '../../../db/moderation/correction-links.ts';
import { leaveDetached, reattachPassage } from '../../../db/moderation/detached-passages.ts';
import { anchorOfComment } from '../../../db/discussion/passages.ts';
import { flagComment, type FlagResult } from '../../../db/moderation/flags.ts';
import { COMMAND_LINE } from '../../../db/moderation/moderation-log.ts';
import { saveHoldRules } from '../../../db/moderation/moderation-settings.ts';
import { banUser, createAdmin, setRole, unbanUser } from '../../../db/moderation/user-moderation.ts';
import type { Reader } from '../accounts/reader.ts';
import { refuse, Refusal, refusalOf, type Outcome } from '../refusal.ts';
import type { BanRequest, Role } from './account-rules.ts';
import { findCorrection, type CorrectionRef } from './correction-rules.ts';
import { holdRulesRefusal, type HoldRules } from './hold-rules.ts';
import type { ModerationReason } from './reasons.ts';
import { checkNote, cleanText, FLAG_RATE_LIMITS, flagRateRefusal, whyNotFlag, whyNotModerate, type CommentActionRequest } from './rules.ts';
import { checkPassage } from '../passages/anchoring.ts';
import { wholeBlockQuote } from '../passages/passage-rules.ts';
import type { PassagesOf } from '../passages/service.ts';
import { reviewRefusal } from './passage-review-rules.ts';

/** Runs the change; its result, or the refusal it threw (its transaction rolled back). */
function attempt<T extends object>(work: () => T): Outcome<T> {
  const result = refusalOf(work);
  return result instanceof Refusal ? result : { ok: true, ...result };
}

/** The change, made by a moderator only. */
function asModerator<T extends object>(reader: Reader, work: () => T): Outcome<T> {
  return whyNotModerate(reader) ?? attempt(work);
}

/** Essay slug → title: the essays a discussion can belong to (db/ does not know the content collection). */
export type Essays = ReadonlyMap<string, string>;

const noSuchEssay = (): Refusal => refuse('invalid', 'There is no such essay.', { field: 'essay' });

// ---- moderators -----------------------------------------------------------------------------

/** Approve, hide, mark as spam, restore or delete for good: all the comments, or none. */
export function moderate(db: Db, reader: Reader, request: CommentActionRequest, now = Date.now()): Outcome<{ done: number }> {
  return asModerator(reader, () => ({ done: moderateComments(db, reader, request.ids, request.action, request, now) }));
}

export function ban(db: Db, reader: Reader, userId: string, request: BanRequest = {}, now = Date.now()): Outcome<{ username: string; hidden: number }> {
  return asModerator(reader, () => banUser(db, reader, userId, request, now));
}

export function unban(db: Db, reader: Reader, userId: string, options: { restoreComments?: boolean } = {}, now = Date.now()): Outcome<{ username: string; restored: number }> {
  return asModerator(reader, () => unbanUser(db, reader, userId, options, now));
}

export function setDiscussionOpen(db: Db, reader: Reader, input: { essay: string; closed: boolean; note?: string | null }, essays: Essays): Outcome<{ title: string }> {
  const title = essays.get(input.essay);
  if (!title) return whyNotModerate(reader) ?? noSuchEssay();
  return asModerator(reader, () => (setDiscussionClosed(db, reader, input.essay, input.closed, input.note ?? null), { title }));
}

/** Pins a published top-level comment above its essay's discussion. */
export function pin(db: Db, reader: Reader, commentId: number, essays: Essays): Outcome<{ essay: string; title: string }> {
  return asModerator(reader, () => {
    const essay = pinComment(db, reader, commentId);
    return { essay, title: essays.get(essay) ?? essay };
  });
}

export function unpin(db: Db, reader: Reader, essay: string, essays: Essays): Outcome<{ title: string }> {
  const title = essays.get(essay);
  if (!title) return whyNotModerate(reader) ?? noSuchEssay();
  return asModerator(reader, () => (unpinComment(db, reader, essay), { title }));
}

export function addPhrase(db: Db, reader: Reader, raw: string, now = Date.now()): Outcome<{ phrase: string }> {
  return asModerator(reader, () => ({ phrase: addBlockedPhrase(db, reader, raw, now).phrase }));
}

export function removePhrase(db: Db, reader: Reader, id: number, now = Date.now()): Outcome {
  return asModerator(reader, () => (removeBlockedPhrase(db, reader, id, now), {}));
}

export function saveRules(db: Db, reader: Reader, rules: HoldRules, now = Date.now()): Outcome<{ rules: HoldRules }> {
  return whyNotModerate(reader) ?? holdRulesRefusal(rules) ?? attempt(() => (saveHoldRules(db, reader, rules, now), { rules }));
}

/** Correction id → the correction: every essay's entries (db/ does not know the content collection). */
export type Corrections = ReadonlyMap<string, CorrectionRef>;

/** Links a reader's comment to the correction of its essay that it led to. */
export function linkToCorrection(db: Db, reader: Reader, input: { commentId: number; correction: string }, corrections: Corrections, now = Date.now()): Outcome<{ correction: string }> {
  const denied = whyNotModerate(reader);
  if (denied) return denied;
  const correction = findCorrection(corrections, input.correction);
  if (correction instanceof Refusal) return correction;
  return attempt(() => (linkCorrection(db, reader, input.commentId, correction, now), { correction: correction.id }));
}

/** Removes that link; the correction and the comment stay, and the log keeps both entries. */
export function unlinkFromCorrection(db: Db, reader: Reader, input: { commentId: number; correction: string }, now = Date.now()): Outcome<{ correction: string }> {
  const correction = cleanText(input.correction);
  return asModerator(reader, () => (unlinkCorrection(db, reader, input.commentId, correction, now), { correction }));
}

/**
 * Re-attaches a detached passage comment to a block of its essay as built now: to the words given,
 * or, with none, to the block's first words (as a comment on a whole block quotes it). Checked as a
 * reader's quote is (validateAnchor); the comment's own quote stays the reader's.
 */
export function reattach(db: Db, reader: Reader, input: { commentId: number; block: string; quote: string }, passagesOf: PassagesOf, now = Date.now()): Outcome<{ block: string }> {
  const denied = whyNotModerate(reader);
  if (denied) return denied;
  const stored = anchorOfComment(db, input.commentId);
  const refused = reviewRefusal(input.commentId, stored, stored?.essay ?? '');
  if (refused) return refused;
  const passages = passagesOf(stored!.essay);
  const block = passages?.blocks.find((b) => b.id === input.block);
  const words = input.quote.trim() || (block ? wholeBlockQuote(block.text) : '');
  const checked = checkPassage({ block: input.block, exact: words }, { parentId: null, passages });
  if (!checked.ok) return checked;
  const anchored = checked.anchored!;
  return attempt(() => (reattachPassage(db, reader, input.commentId, stored!.essay, anchored, now), { block: anchored.anchor.block }));
}

/** Leaves a detached passage comment "on an earlier version of this passage", marked reviewed. */
export function leaveAsDetached(db: Db, reader: Reader, commentId: number, now = Date.now()): Outcome {
  return asModerator(reader, () => (leaveDetached(db, reader, commentId, now), {}));
}

export function answer(db: Db, reader: Reader, appealId: number, text: string, now = Date.now()): Outcome {
  return asModerator(reader, () => (answerAppeal(db, reader, appealId, text, now), {}));
}

// ---- readers --------------------------------------------------------------------------------

/**
 * Flags a comment for moderators. What the reader typed is checked before the attempt is counted,
 * so only a flag that could be taken uses up the rate limit, and every such attempt does.
 */
export function flag(db: Db, reader: Reader, input: { commentId: number; reason: ModerationReason; note?: string | null }, now = Date.now()): Outcome<FlagResult> {
  const denied = whyNotFlag(reader);
  if (denied) return denied;
  const note = checkNote(input.note);
  if (!note.ok) return note;
  const wait = countAttempt(db, `flag:${reader.account!.id}`, FLAG_RATE_LIMITS, now);
  if (wait > 0) return flagRateRefusal(wait);
  return attempt(() => flagComment(db, { commentId: input.commentId, userId: reader.account!.id, reason: input.reason, note: note.note }, now));
}

/** Asks moderators to look again at a comment of the reader's (commentId) or at their ban (null). Banned readers may. */
export function appeal(db: Db, reader: Reader, input: { commentId: number | null; message: string }, now = Date.now()): Outcome<{ id: number }> {
  if (!reader.account) return refuse('signed-out', 'Sign in to appeal a moderation decision.');
  const userId = reader.account.id;
  return attempt(() => ({ id: submitAppeal(db, { userId, ...input }, now) }));
}

// ---- the command line (trusted: it runs on the server, and is logged as such) ----------------

export function createAdminAccount(db: Db, input: { id: string; username: string; passwordHash: string }): Outcome {
  return attempt(() => (createAdmin(db, COMMAND_LINE, input), {}));
}

export function changeRole(db: Db, username: string, role: Role): Outcome {
  return attempt(() => (setRole(db, COMMAND_LINE, username, role), {}));
}
