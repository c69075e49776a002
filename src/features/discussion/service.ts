// What a reader can do in a discussion, each as one function: authorise the reader, check the
// input, render Markdown once, write under the rules in db/. Routes only parse the request and
// turn the outcome into a response; every refusal carries an HTTP status and a message to show.
import type { Db } from '../../../db/client.ts';
import { deleteOwnComment, discussionClosedOverride, editComment, findComment, postComment } from '../../../db/discussion/comments.ts';
import { setLike } from '../../../db/discussion/likes.ts';
import { renderComment } from './markdown/render.ts';
import { canEdit, checkBody, EDIT_RATE_LIMITS, isDiscussionClosed, RATE_LIMITS } from './rules.ts';
import { countAttempt } from '../../../db/attempts.ts';

export interface Viewer {
  id: string;
  username: string;
  displayName: string | null;
  bannedAt: number | null;
  /** Admins get inline moderation controls on each comment. */
  role?: 'reader' | 'admin';
}

export interface EssayInfo {
  slug: string;
  title: string;
  discussion: 'open' | 'closed';
}

export type Refusal = { ok: false; status: number; message: string; retryAfterSeconds?: number };
export type Outcome<T> = ({ ok: true } & T) | Refusal;

const refuse = (status: number, message: string, retryAfterSeconds?: number): Refusal => ({ ok: false, status, message, retryAfterSeconds });

export const MESSAGES = {
  signedOut: 'Sign in to join the discussion.',
  banned: 'Your account is suspended: you can read the discussion but not take part in it.',
  unknownEssay: 'There is no essay with that address, so there is no discussion to join.',
  closed: 'This discussion is closed: it takes no new comments or likes.',
  parentMissing: 'The comment you replied to is no longer there. Your text is below: post it as a new comment if you like.',
  parentElsewhere: 'That reply points at a comment under another essay.',
  parentPending: 'The comment you replied to is awaiting moderation; replies can follow once it is published.',
  missing: 'That comment is no longer there.',
  notAuthor: 'Only the author of a comment can change it.',
  editWindow: 'Comments can be edited for 15 minutes after posting; that time has passed.',
  likeOwn: 'You cannot like your own comment.',
  likeUnpublished: 'Only published comments can be liked.',
} as const;

function rateLimited(wait: number): Refusal {
  return refuse(
    429,
    `You are posting faster than the discussion allows (5 comments a minute, 30 an hour; 10 edits a minute, 60 an hour). Wait ${wait} second${wait === 1 ? '' : 's'} and try again: your text is kept below.`,
    wait,
  );
}

function gate(viewer: Viewer | null): Refusal | null {
  if (!viewer) return refuse(401, MESSAGES.signedOut);
  if (viewer.bannedAt !== null) return refuse(403, MESSAGES.banned);
  return null;
}

export async function isClosed(db: Db, essay: EssayInfo): Promise<boolean> {
  return isDiscussionClosed(await discussionClosedOverride(db, essay.slug), essay.discussion);
}

export async function createComment(
  db: Db,
  input: { viewer: Viewer | null; essay: EssayInfo | null; parentId: number | null; body: unknown; now: number },
): Promise<Outcome<{ id: number; duplicate: boolean }>> {
  const denied = gate(input.viewer);
  if (denied) return denied;
  if (!input.essay) return refuse(404, MESSAGES.unknownEssay);
  if (await isClosed(db, input.essay)) return refuse(403, MESSAGES.closed);
  const body = checkBody(input.body);
  if (!body.ok) return refuse(400, body.message);
  // Cheap checks first: the attempt is counted (and refused when over the limit) before any rendering.
  const wait = countAttempt(db, `comment:${input.viewer!.id}`, RATE_LIMITS, input.now);
  if (wait > 0) return rateLimited(wait);
  const rendered = await renderComment(body.body);
  if (!rendered.ok) return refuse(rendered.status, rendered.message, rendered.retryAfterSeconds);
  const outcome = await postComment(db, {
    essay: input.essay.slug,
    authorId: input.viewer!.id,
    parentId: input.parentId,
    bodySource: body.body,
    bodyHtml: rendered.html,
    rendererVersion: rendered.rendererVersion,
    createdAt: input.now,
  });
  if (outcome.ok) return outcome;
  switch (outcome.reason) {
    case 'parent-missing':
      return refuse(404, MESSAGES.parentMissing);
    case 'parent-elsewhere':
      return refuse(400, MESSAGES.parentElsewhere);
    case 'parent-closed-to-replies':
      return refuse(409, MESSAGES.parentPending);
  }
}

export async function updateComment(
  db: Db,
  input: { viewer: Viewer | null; id: number; body: unknown; now: number },
): Promise<Outcome<{ essay: string }>> {
  const denied = gate(input.viewer);
  if (denied) return denied;
  const existing = await findComment(db, input.id);
  if (!existing || (existing.status !== 'published' && existing.status !== 'pending')) return refuse(404, MESSAGES.missing);
  // Who and may they, then how often and how big, before the Markdown is rendered.
  if (existing.authorId !== input.viewer!.id) return refuse(403, MESSAGES.notAuthor);
  if (!canEdit(existing.createdAt, input.now)) return refuse(403, MESSAGES.editWindow);
  const body = checkBody(input.body);
  if (!body.ok) return refuse(400, body.message);
  const wait = countAttempt(db, `edit:${input.viewer!.id}`, EDIT_RATE_LIMITS, input.now);
  if (wait > 0) return rateLimited(wait);
  const rendered = await renderComment(body.body);
  if (!rendered.ok) return refuse(rendered.status, rendered.message, rendered.retryAfterSeconds);
  const outcome = await editComment(db, {
    id: input.id,
    authorId: input.viewer!.id,
    bodySource: body.body,
    bodyHtml: rendered.html,
    rendererVersion: rendered.rendererVersion,
    now: input.now,
  });
  if (outcome.ok) return { ok: true, essay: existing.essay };
  if (outcome.reason === 'missing') return refuse(404, MESSAGES.missing);
  if (outcome.reason === 'not-author') return refuse(403, MESSAGES.notAuthor);
  return refuse(403, MESSAGES.editWindow);
}

/** Deleting one's own comment is allowed to banned readers too: it is their data. */
export async function removeComment(
  db: Db,
  input: { viewer: Viewer | null; id: number },
): Promise<Outcome<{ essay: string; rootId: number; rootRemains: boolean }>> {
  if (!input.viewer) return refuse(401, MESSAGES.signedOut);
  const outcome = await deleteOwnComment(db, { id: input.id, authorId: input.viewer.id });
  if (!outcome.ok) return outcome.reason === 'missing' ? refuse(404, MESSAGES.missing) : refuse(403, MESSAGES.notAuthor);
  return { ok: true, essay: outcome.essay, rootId: outcome.rootId, rootRemains: !outcome.removed.includes(outcome.rootId) };
}

export async function likeComment(
  db: Db,
  input: { viewer: Viewer | null; id: number; liked: boolean; essayOf: (slug: string) => Promise<EssayInfo | null>; now: number },
): Promise<Outcome<{ liked: boolean; likeCount: number; essay: string }>> {
  const denied = gate(input.viewer);
  if (denied) return denied;
  const target = await findComment(db, input.id);
  if (!target) return refuse(404, MESSAGES.missing);
  const essay = await input.essayOf(target.essay);
  if (!essay || (await isClosed(db, essay))) return refuse(403, MESSAGES.closed);
  const outcome = await setLike(db, { commentId: input.id, userId: input.viewer!.id, liked: input.liked, now: input.now });
  if (outcome.ok) return { ...outcome, essay: target.essay };
  if (outcome.reason === 'missing') return refuse(404, MESSAGES.missing);
  if (outcome.reason === 'own-comment') return refuse(403, MESSAGES.likeOwn);
  return refuse(403, MESSAGES.likeUnpublished);
}
