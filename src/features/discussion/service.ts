// What a reader can do in a discussion, each as one function: ask the rules whether this reader
// may, check the input, render the Markdown once, write through db/discussion (which asks the
// rules again inside its transaction). Each returns an Outcome: its result, or the Refusal that
// says why not. Routes only parse the request and turn the outcome into a response.
import type { Db } from '../../../db/client.ts';
import { countAttempt } from '../../../db/attempts.ts';
import { deleteOwnComment, editComment, postComment } from '../../../db/discussion/comment-writes.ts';
import { discussionClosedOverride } from '../../../db/discussion/discussions.ts';
import { setLike } from '../../../db/discussion/likes.ts';
import { findComment } from '../../../db/discussion/thread-reads.ts';
import type { Reader } from '../accounts/reader.ts';
import type { Outcome } from '../refusal.ts';
import type { SubmittedAnchor } from '../passages/anchor-rules.ts';
import { checkPassage } from '../passages/anchoring.ts';
import { builtPassages, type PassagesOf } from '../passages/service.ts';
import { renderComment } from './markdown/render.ts';
import { checkBody, EDIT_RATE_LIMITS, isDiscussionClosed, LIKE_RATE_LIMITS, RATE_LIMITS, rateLimited, refusal, refusalFor, whyNotEdit, whyNotTakePart } from './rules.ts';
import type { EssayInfo } from './types.ts';

/** Whether the essay's discussion takes no new comments, edits or likes: the stored setting, under the rule. */
export async function isClosed(db: Db, essay: EssayInfo): Promise<boolean> {
  return isDiscussionClosed(await discussionClosedOverride(db, essay.slug), essay.discussion);
}

/** Whether a comment's discussion (by its essay's slug) is closed; an essay no longer there takes nothing either, as for likes. */
export async function isClosedFor(db: Db, slug: string, essayOf: (slug: string) => Promise<EssayInfo | null>): Promise<boolean> {
  const essay = await essayOf(slug);
  return !essay || (await isClosed(db, essay));
}

/** The body checked, the attempt counted against the limits, then (only then) the Markdown rendered. */
async function prepareBody(db: Db, raw: unknown, limit: { key: string; limits: typeof RATE_LIMITS; now: number; author: string }): Promise<Outcome<{ source: string; html: string; rendererVersion: number }>> {
  const body = checkBody(raw);
  if (!body.ok) return body;
  const wait = countAttempt(db, limit.key, limit.limits, limit.now);
  if (wait > 0) return rateLimited(wait);
  // One render at a time per account, so a few accounts cannot keep the worker's queue full.
  const rendered = await renderComment(body.body, limit.author);
  return rendered.ok ? { ok: true, source: body.body, html: rendered.html, rendererVersion: rendered.rendererVersion } : rendered;
}

/**
 * A comment or reply; a top-level comment may quote a passage of its essay (`passage`), checked
 * against the essay as built (`passagesOf`, the server's passage index unless a test gives one)
 * and stored with the comment in its transaction. Everything else is the same for both.
 */
export async function createComment(
  db: Db,
  input: { reader: Reader; essay: EssayInfo | null; parentId: number | null; body: unknown; now: number; passage?: SubmittedAnchor | null; passagesOf?: PassagesOf },
): Promise<Outcome<{ id: number; duplicate: boolean; passage?: string }>> {
  const out = refusalFor(whyNotTakePart(input.reader));
  if (out) return out;
  if (!input.essay) return refusal('unknown-essay');
  if (await isClosed(db, input.essay)) return refusal('closed');
  const submitted = input.passage ?? null;
  const anchored = checkPassage(submitted, { parentId: input.parentId, passages: submitted ? (input.passagesOf ?? builtPassages)(input.essay.slug) : undefined });
  if (!anchored.ok) return anchored;
  const author = input.reader.account!.id;
  // Cheap checks first: the attempt is counted (and refused when over the limit) before any rendering.
  const body = await prepareBody(db, input.body, { key: `comment:${author}`, limits: RATE_LIMITS, now: input.now, author });
  if (!body.ok) return body;
  const posted = await postComment(db, {
    reader: input.reader,
    essay: input.essay.slug,
    authorId: author,
    parentId: input.parentId,
    bodySource: body.source,
    bodyHtml: body.html,
    rendererVersion: body.rendererVersion,
    createdAt: input.now,
    anchor: anchored.anchored,
  });
  const passage = anchored.anchored?.anchor.block;
  return posted.ok && passage ? { ...posted, passage } : posted;
}

/** The author's edit; `essayOf` gives the comment's essay, whose discussion must be open (as for a like). */
export async function updateComment(
  db: Db,
  input: { reader: Reader; id: number; body: unknown; now: number; essayOf: (slug: string) => Promise<EssayInfo | null> },
): Promise<Outcome<{ essay: string; rootId: number }>> {
  const existing = await findComment(db, input.id);
  // Who and may they, then how often and how big, before the Markdown is rendered.
  const notNow = refusalFor(whyNotEdit(existing, input.reader, input.now, existing ? await isClosedFor(db, existing.essay, input.essayOf) : false));
  if (notNow) return notNow;
  const body = await prepareBody(db, input.body, { key: `edit:${input.reader.account!.id}`, limits: EDIT_RATE_LIMITS, now: input.now, author: input.reader.account!.id });
  if (!body.ok) return body;
  const saved = await editComment(db, { id: input.id, reader: input.reader, bodySource: body.source, bodyHtml: body.html, rendererVersion: body.rendererVersion, now: input.now });
  return saved.ok ? { ok: true, essay: existing!.essay, rootId: existing!.rootId ?? input.id } : saved;
}

/** Deleting one's own comment is allowed to suspended readers too: it is their data. */
export async function removeComment(db: Db, input: { reader: Reader; id: number }): Promise<Outcome<{ essay: string; rootId: number; rootRemains: boolean }>> {
  const removed = await deleteOwnComment(db, input);
  if (!removed.ok) return removed;
  return { ok: true, essay: removed.essay, rootId: removed.rootId, rootRemains: !removed.removed.includes(removed.rootId) };
}

export async function likeComment(
  db: Db,
  input: { reader: Reader; id: number; liked: boolean; essayOf: (slug: string) => Promise<EssayInfo | null>; now: number },
): Promise<Outcome<{ liked: boolean; likeCount: number; essay: string }>> {
  const out = refusalFor(whyNotTakePart(input.reader));
  if (out) return out;
  const wait = countAttempt(db, `like:${input.reader.account!.id}`, LIKE_RATE_LIMITS, input.now);
  if (wait > 0) return rateLimited(wait, 'liking');
  const target = await findComment(db, input.id);
  if (!target) return refusal('missing');
  const essay = await input.essayOf(target.essay);
  if (!essay || (await isClosed(db, essay))) return refusal('closed');
  const liked = await setLike(db, { commentId: input.id, reader: input.reader, liked: input.liked, now: input.now });
  return liked.ok ? { ...liked, essay: target.essay } : liked;
}
