// The markup of comments, their like buttons and the inline moderation controls, as escaped
// templates rather than one Astro component per comment: the island's first page holds hundreds
// of comments, and a component each was a large part of its time (see "How it holds up" in the README).
// The .astro components that show one comment or one like button render through these too; the
// pages' data layer (page-markup.ts) renders with them, so they live beside it, not among the components.
import type { Reader } from '../accounts/reader.ts';
import { isAuthor, whyNotDelete, whyNotEdit, whyNotLike } from './rules.ts';
import { MAX_DISPLAY_DEPTH, type Sort, type ThreadNode } from './thread.ts';
import { html, trusted, type Html } from '../../lib/html-template.ts';
import { MODERATION_REASONS, REASON_LABELS, removedPlaceholder } from '../moderation/reasons.ts';
import { absoluteTime, relativeTime } from './relative-time.ts';
import { correctionInEssay } from '../reading/essay-corrections.ts';
import { isNewTo } from './live/visit-rules.ts';
import { MarkupBytes } from './markup-bytes.ts';
import { passageQuoteHtml } from '../passages/quote-html.ts';

export interface ThreadContext {
  essay: string;
  reader: Reader;
  closed: boolean;
  now: number;
  /** Comment ids the reader has flagged. */
  flagged?: ReadonlySet<number>;
  /** The essay's pinned comment, if any. */
  pinnedId?: number | null;
  /** Comments by others created after this are new to the reader since their last visit (live/visit-rules.ts). */
  newSince?: number | null;
  /**
   * `compact`: each comment's controls as letters (`data-acts`, see Control) that the island's
   * script draws from the island's templates (controlTemplatesHtml); only where a script runs,
   * so only in the island. The discussion pages, which readers without JavaScript use, keep `full`.
   */
  controls?: 'full' | 'compact';
}

/** What is the same for every comment of one rendering, worked out once. */
interface Reading extends ThreadContext {
  essayParam: string;
}

function reading(ctx: ThreadContext): Reading {
  return { ...ctx, essayParam: encodeURIComponent(ctx.essay) };
}

/** "3 hours ago", with the exact time in the tooltip and the datetime attribute. */
export function timeHtml(time: number, now: number): Html {
  return html`<time datetime="${new Date(time).toISOString()}" title="${absoluteTime(time)}">${relativeTime(time, now)}</time>`;
}

export interface LikeButtonProps {
  commentId: number;
  liked: boolean;
  likeCount: number;
  /** False for one's own comment, signed-out readers, banned readers and closed discussions. */
  canLike: boolean;
}

/** "Liked by 2 people", or nothing for none (the live discussion sends it with a new count). */
export function likeCountText(likeCount: number): string {
  // Plain digits below 1,000: Intl formatting per comment showed up in the island's profile.
  const digits = likeCount < 1000 ? String(likeCount) : likeCount.toLocaleString('en');
  return likeCount === 0 ? '' : likeCount === 1 ? 'Liked by 1 person' : `Liked by ${digits} people`;
}

/**
 * A real <button aria-pressed> in a form: it works without JavaScript, and it posts the state
 * wanted (its own name and value, not "toggle"), so a repeated or crossed request cannot flip it
 * the wrong way. Kept small (the heart is drawn by the stylesheet): a signed-in reader's page
 * carries one per comment.
 */
export function likeButtonHtml({ commentId, liked, likeCount, canLike }: LikeButtonProps): Html {
  const countText = likeCountText(likeCount);
  return canLike ? likeFormHtml(commentId, liked, countText) : countOnlyHtml(countText);
}

/** The like count of a comment the reader may not like (their own, or with the discussion closed). */
const countOnlyHtml = (countText: string) => (countText ? html`<span class="like-count like-form">${countText}</span>` : html``);

/** `id` is a comment's id, or `{id}` in the island's templates (controlTemplatesHtml). */
function likeFormHtml(id: number | string, liked: boolean, countText: string): Html {
  const countId = `likes-${id}`;
  return html`<form method="post" action="/comments/${id}/like" class="like-form" data-like-form><button name="liked" value="${liked ? '0' : '1'}" class="like-button" aria-pressed="${liked ? 'true' : 'false'}"${countText && html` aria-describedby="${countId}"`}>Like</button>${countText && html`<span class="like-count" id="${countId}">${countText}</span>`}</form>`;
}

/**
 * A comment's controls for one reader, a letter each, in the order they show: like (`l`, or `L`
 * when liked), reply (`r`), edit (`e`), delete (`d`), flag (`f`, or `F` when flagged: one page per
 * flag keeps the thread light). The island sends the letters and its script draws them (a
 * signed-in reader's island was a third larger with every control written out in every comment).
 */
export type Control = 'l' | 'L' | 'r' | 'e' | 'd' | 'f' | 'F';
export const CONTROLS: readonly Control[] = ['l', 'L', 'r', 'e', 'd', 'f', 'F'];

// Each control shows where the discussion's rule for it allows it (rules.ts), the same rule the
// service and the database ask when the action is taken (a published comment takes replies).
function controlsOf(node: ThreadNode, own: boolean, r: Reading): Control[] {
  const c = node.comment;
  const published = node.kind === 'comment';
  const controls: Control[] = [];
  if (published && !r.closed && whyNotLike(c, r.reader) === null) controls.push(c.liked ? 'L' : 'l');
  if (published && !r.closed && r.reader.may.takePart) controls.push('r');
  if (own && whyNotEdit(c, r.reader, r.now, r.closed) === null) controls.push('e');
  if (own && whyNotDelete(c, r.reader) === null) controls.push('d');
  if (published && r.reader.may.flag && !own) controls.push(r.flagged?.has(c.id) ? 'F' : 'f');
  return controls;
}

/** One control's markup; `id` as in likeFormHtml, the like count only for a like control. */
function controlHtml(control: Control, id: number | string, essayParam: string, countText = ''): Html {
  switch (control) {
    case 'l':
    case 'L':
      return likeFormHtml(id, control === 'L', countText);
    case 'r':
      return html`<a class="comment-reply" href="/comments/new?essay=${essayParam}&amp;parent=${id}" data-reply="${id}">Reply</a>`;
    case 'e':
      return html`<a class="comment-edit" href="/comments/${id}/edit" data-edit="${id}">Edit</a>`;
    case 'd':
      return html`<a class="comment-delete" href="/comments/${id}/delete" data-delete="${id}">Delete</a>`;
    case 'f':
      return html`<a class="flag-link" href="/moderation/flag/${id}">Flag</a>`;
    case 'F':
      return html`<span class="flag-done">Flagged</span>`;
  }
}

/**
 * Each control once, for `{id}`, as the island's script takes them to draw a compact comment's
 * letters (thread-dom.ts, drawControls): the markup is written here alone, for both.
 */
export function controlTemplatesHtml(essay: string): Html {
  const essayParam = encodeURIComponent(essay);
  return html`${CONTROLS.map((control) => html`<template data-control="${control}">${controlHtml(control, '{id}', essayParam)}</template>`)}`;
}

const REASON_OPTIONS = trusted(MODERATION_REASONS.map((r) => html`<option value="${r}">${REASON_LABELS[r]}</option>`).join(''));

/**
 * Inline moderation for moderators only: approve a held comment, hide with a reason, pin or unpin
 * a top-level one. Each posts to the comment's admin page, which checks the role again and, once
 * done, comes back to the comment (`return`); a refusal is shown there, with the comment in context.
 */
function adminControlsHtml(node: ThreadNode, r: Reading): Html {
  const { id, status, parentId } = node.comment;
  const back = html`<input type="hidden" name="return" value="/essays/${r.essay}/#comment-${id}">`;
  const pinned = r.pinnedId === id;
  return html`<div class="admin-controls" aria-label="Moderate comment #${id}" role="group">${
    status === 'pending' &&
    html`<form method="post" action="/admin/comments/${id}"><input type="hidden" name="ids" value="${id}">${back}<button name="action" value="approve">Approve</button></form>`
  }${
    (status === 'published' || status === 'pending') &&
    html`<form method="post" action="/admin/comments/${id}"><input type="hidden" name="ids" value="${id}">${back}<label for="inline-reason-${id}">Reason</label><select id="inline-reason-${id}" name="reason">${REASON_OPTIONS}</select><button name="action" value="hide">Hide</button></form>`
  }${
    status === 'published' &&
    parentId === null &&
    html`<form method="post" action="/admin/comments/${id}">${back}<input type="hidden" name="essay" value="${r.essay}"><input type="hidden" name="comment" value="${id}"><button name="action" value="${pinned ? 'unpin' : 'pin'}">${pinned ? 'Unpin' : 'Pin to top'}</button></form>`
  }<a href="/admin/comments/${id}">Moderate #${id} in the dashboard</a></div>`;
}

function placeholderText(node: ThreadNode): string {
  if (node.kind === 'deleted') return '[deleted]';
  if (node.kind === 'removed') return removedPlaceholder(node.comment.moderationReason);
  return '[awaiting moderation]';
}

/**
 * "Led to a correction", linking to the entry in the essay, for a comment a moderator linked to one
 * (/admin/comments/<id>). Part of the comment's shared markup: it is drawn only where the
 * comment itself is (never on a placeholder), so it reaches exactly the readers who may read the comment.
 */
function correctionMarkHtml(c: ThreadNode['comment']): Html | null {
  const ids = c.corrections;
  if (!ids || ids.length === 0) return null;
  if (ids.length === 1) return html`<a class="comment-correction" href="${correctionInEssay(c.essay, ids[0]!)}">Led to a correction</a>`;
  return html`<span class="comment-correction">Led to corrections: ${ids.map((id, i) => html`${i > 0 && ', '}<a href="${correctionInEssay(c.essay, id)}">${id}</a>`)}</span>`;
}

/** A comment's author as its header shows them (the live discussion sends it again when they change their name). */
export function authorHtml(c: { authorUsername: string | null; authorName: string | null }): Html {
  return c.authorUsername
    ? html`<a class="comment-author" href="/u/${encodeURIComponent(c.authorUsername)}">${c.authorName || c.authorUsername}</a>${
        // The username beside a display name: display names are chosen freely, usernames are unique.
        c.authorName && html` <span class="comment-handle">@${c.authorUsername}</span>`
      }`
    : html`<span class="comment-author">[deleted account]</span>`;
}

/** A comment's header (author, time, "edited", marks): the live discussion sends it again with an edit. */
export function metaHtml(node: ThreadNode, own: boolean, now: number): Html {
  const c = node.comment;
  const to = node.replyingTo;
  return html`<header class="comment-meta">${authorHtml(c)}${
    to && html`<a class="replying-to" href="#comment-${to.id}">replying to ${to.username ? `@${to.username}` : 'a removed comment'}</a>`
  }<a class="comment-permalink" href="#comment-${c.id}"><span class="sr-only">Link to this comment, posted </span>${timeHtml(c.createdAt, now)}</a>${
    c.editedAt !== null && html`<span class="comment-edited" title="Edited ${new Date(c.editedAt).toISOString()}">edited</span>`
  }${correctionMarkHtml(c)}${
    node.kind === 'pending' &&
    html`<strong class="comment-pending">${own ? 'Awaiting moderation: only you can see this.' : 'Held for review: only moderators can see this.'}</strong>`
  }</header>`;
}

function actionsHtml(node: ThreadNode, own: boolean, r: Reading): Html {
  const c = node.comment;
  const controls = controlsOf(node, own, r);
  const countText = node.kind === 'comment' ? likeCountText(c.likeCount) : '';
  // Moderators' threads are their own (page-markup.ts), and their controls are forms to the dashboard: written out.
  if (r.controls === 'compact' && controls.length > 0 && !r.reader.may.moderate) {
    return html`<footer class="comment-actions" data-acts="${controls.join('')}">${countText}</footer>`;
  }
  const liking = controls[0] === 'l' || controls[0] === 'L';
  return html`<footer class="comment-actions">${!liking && countOnlyHtml(countText)}${controls.map((control) => controlHtml(control, c.id, r.essayParam, countText))}${
    r.reader.may.moderate && adminControlsHtml(node, r)
  }</footer>`;
}

// A comment new since the reader's last visit says so in words (for screen readers too), before its article.
const NEW_MARK = trusted('<strong class="comment-new-mark">New<span class="sr-only"> since your last visit</span></strong>');

function liOpen(node: ThreadNode, own: boolean, fresh = false): Html {
  return html`<li id="comment-${node.comment.id}" class="comment comment-${node.kind}${own ? ' comment-own' : ''}${fresh ? ' comment-new' : ''}" data-comment-id="${node.comment.id}" data-depth="${node.displayDepth}" tabindex="-1">${fresh && NEW_MARK}`;
}

/** Whether this reader sees the comment marked new: a published comment of another's, after their last visit. */
const isNewHere = (node: ThreadNode, r: Reading) => node.kind === 'comment' && isNewTo(node.comment, r.reader, r.newSince);

/** Where one reader's markup can differ from another's: a comment's opening tag (`comment-own`, the "new" mark) and its actions. */
interface Slot {
  readonly node: ThreadNode;
  readonly part: 'open' | 'footer';
  /** The markup for the reader the threads were compiled for (for sharing: one who wrote, liked and flagged none of it). */
  readonly html: string;
}
type Part = string | Slot;

/**
 * Threads rendered once, with the reader-dependent parts as slots: fillThreads() turns them into
 * markup for one reader, re-rendering only the comments that reader wrote, liked or flagged.
 */
export interface CompiledThreads {
  readonly context: ThreadContext;
  readonly parts: readonly Part[];
}

function renderSlot(node: ThreadNode, part: Slot['part'], r: Reading): string {
  const own = isAuthor(node.comment, r.reader);
  return (part === 'open' ? liOpen(node, own, isNewHere(node, r)) : actionsHtml(node, own, r)).markup;
}

function emit(out: Part[], part: Part): void {
  const last = out.length - 1;
  if (typeof part === 'string' && typeof out[last] === 'string') out[last] += part;
  else out.push(part);
}

/** One comment and its replies, recursively; placeholders keep replies in place. */
function compileNode(node: ThreadNode, r: Reading, out: Part[]): void {
  const c = node.comment;
  const own = isAuthor(c, r.reader);
  const isContent = node.kind === 'comment' || node.kind === 'pending';
  const label = isContent ? `Comment by ${c.authorName || c.authorUsername || 'a former member'}` : 'Removed comment';
  emit(out, { node, part: 'open', html: renderSlot(node, 'open', r) });
  if (isContent) {
    emit(out, html`<article aria-label="${label}">${metaHtml(node, own, r.now)}${passageQuoteHtml(r.essay, c.passage)}<div class="comment-body">${trusted(c.bodyHtml)}</div>`.markup);
    emit(out, { node, part: 'footer', html: renderSlot(node, 'footer', r) });
    emit(out, '</article>');
  } else {
    emit(out, html`<article aria-label="${label}"><p class="comment-placeholder">${placeholderText(node)}</p></article>`.markup);
  }
  if (node.replies.length > 0) {
    emit(out, `<ol class="${node.displayDepth < MAX_DISPLAY_DEPTH ? 'replies' : 'replies replies-flat'}">`);
    for (const reply of node.replies) compileNode(reply, r, out);
    emit(out, '</ol>');
  }
  emit(out, '</li>');
}

export function compileThreads(threads: readonly ThreadNode[], context: ThreadContext): CompiledThreads {
  const r = reading(context);
  const parts: Part[] = [];
  for (const node of threads) compileNode(node, r, parts);
  return { context, parts };
}

/** The reader the compiled threads are filled in for: who they are, what they liked and flagged, what is new to them, and when. */
export interface ReaderState {
  reader: Reader;
  liked: ReadonlySet<number>;
  flagged: ReadonlySet<number>;
  now: number;
  newSince?: number | null;
}

/** What is the same for every comment of one reader's filling, worked out once. */
function readingFor(context: ThreadContext, reader: ReaderState): Reading {
  return reading({ ...context, reader: reader.reader, flagged: reader.flagged, now: reader.now, newSince: reader.newSince });
}

/**
 * The reader's own markup for a slot, or null where the shared markup is theirs too: a comment
 * they wrote, liked or flagged, or one new to them. fillThreads and fillThreadBytes both ask here.
 */
function readerSlot(slot: Pick<Slot, 'node' | 'part'>, reader: ReaderState, r: Reading): string | null {
  const c = slot.node.comment;
  const liked = reader.liked.has(c.id);
  const theirs = isAuthor(c, reader.reader) || liked || reader.flagged.has(c.id) || (slot.part === 'open' && isNewHere(slot.node, r));
  return theirs ? renderSlot(liked === c.liked ? slot.node : { ...slot.node, comment: { ...c, liked } }, slot.part, r) : null;
}

/**
 * The markup of compiled threads; for `reader`, the comments they wrote, liked or flagged are
 * rendered afresh (threads compiled for one reader need no reader here). Only valid when the
 * threads were compiled for a reader of the same standing (see page-markup.ts).
 */
export function fillThreads(compiled: CompiledThreads, reader?: ReaderState): string {
  if (!reader) return compiled.parts.map((part) => (typeof part === 'string' ? part : part.html)).join('');
  const r = readingFor(compiled.context, reader);
  let out = '';
  for (const part of compiled.parts) out += typeof part === 'string' ? part : (readerSlot(part, reader, r) ?? part.html);
  return out;
}

/** A slot of encoded threads: its comment and part, and where its shared markup lies in the bytes. */
export interface EncodedSlot {
  readonly node: ThreadNode;
  readonly part: Slot['part'];
  readonly start: number;
  readonly end: number;
}

/** Compiled threads as UTF-8 bytes for the reader they were compiled for, with where each slot lies. */
export interface EncodedThreads {
  readonly context: ThreadContext;
  readonly bytes: Buffer;
  readonly slots: readonly EncodedSlot[];
  /** The comments on these threads. */
  readonly ids: ReadonlySet<number>;
  /** Where to look for one reader's slots without visiting every slot: by comment, by author, by time. */
  readonly index: {
    readonly byComment: ReadonlyMap<number, readonly number[]>;
    readonly byAuthor: ReadonlyMap<string, readonly number[]>;
    /** The opening slots, newest comment first. */
    readonly newestFirst: readonly number[];
  };
}

/** Encodes compiled threads once, to be filled in for many readers by fillThreadBytes. */
export function encodeThreads(compiled: CompiledThreads): EncodedThreads {
  const pieces: Buffer[] = [];
  const slots: EncodedSlot[] = [];
  const byComment = new Map<number, number[]>();
  const byAuthor = new Map<string, number[]>();
  // A slot is rendered again from its node alone, never from the comment's body or its replies:
  // the nodes kept with the bytes go without them, so a kept rendering holds its markup once.
  const slim = new Map<ThreadNode, ThreadNode>();
  const slimmed = (node: ThreadNode) => slim.get(node) ?? slim.set(node, { ...node, comment: { ...node.comment, bodyHtml: '' }, replies: [] }).get(node)!;
  let at = 0;
  for (const part of compiled.parts) {
    const piece = Buffer.from(typeof part === 'string' ? part : part.html, 'utf8');
    if (typeof part !== 'string') {
      const { id, authorId } = part.node.comment;
      const i = slots.push({ node: slimmed(part.node), part: part.part, start: at, end: at + piece.length }) - 1;
      byComment.set(id, [...(byComment.get(id) ?? []), i]);
      if (authorId !== null) byAuthor.set(authorId, [...(byAuthor.get(authorId) ?? []), i]);
    }
    pieces.push(piece);
    at += piece.length;
  }
  const newestFirst = slots.flatMap((slot, i) => (slot.part === 'open' ? [i] : [])).sort((a, b) => slots[b]!.node.comment.createdAt - slots[a]!.node.comment.createdAt);
  return { context: compiled.context, bytes: Buffer.concat(pieces, at), slots, ids: new Set(byComment.keys()), index: { byComment, byAuthor, newestFirst } };
}

/** The slots that may be the reader's own (readerSlot decides), in order: those of comments they wrote, liked, flagged, or that are new to them. */
function candidateSlots(threads: EncodedThreads, reader: ReaderState): number[] {
  const { byComment, byAuthor, newestFirst } = threads.index;
  const found = new Set<number>();
  const add = (list: readonly number[] | undefined) => list?.forEach((i) => found.add(i));
  for (const id of reader.liked) add(byComment.get(id));
  for (const id of reader.flagged) add(byComment.get(id));
  if (reader.reader.account) add(byAuthor.get(reader.reader.account.id));
  if (reader.newSince !== null && reader.newSince !== undefined) {
    for (const i of newestFirst) {
      if (threads.slots[i]!.node.comment.createdAt <= reader.newSince) break;
      found.add(i);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * fillThreads on encoded threads: the same markup as UTF-8 chunks, the shared bytes sliced (not
 * copied) around the few slots that are the reader's own.
 */
export function fillThreadBytes(threads: EncodedThreads, reader?: ReaderState): Uint8Array[] {
  if (!reader) return [threads.bytes];
  const r = readingFor(threads.context, reader);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const i of candidateSlots(threads, reader)) {
    const slot = threads.slots[i]!;
    const mine = readerSlot(slot, reader, r);
    if (mine === null) continue;
    out.push(threads.bytes.subarray(from, slot.start), Buffer.from(mine, 'utf8'));
    from = slot.end;
  }
  out.push(threads.bytes.subarray(from));
  return out;
}

/**
 * For the island: a reader's own parts of shared threads kept apart from them, so that the threads
 * go as the shared bytes, compressed once for every reader (server/gzip-join.ts). Each comment
 * with a part of the reader's own ("new" to them, theirs, liked or flagged: readerSlot) comes as
 * its `<li>`, with its class, its mark and its footer, in a template the island's script puts in
 * place (thread-dom.ts, applyMine); nothing when there is none.
 */
export function readerPartsHtml(threads: EncodedThreads, reader: ReaderState): string {
  const r = readingFor(threads.context, reader);
  const mine = new Map<number, { open?: string; footer?: string }>();
  for (const i of candidateSlots(threads, reader)) {
    const slot = threads.slots[i]!;
    const markup = readerSlot(slot, reader, r);
    if (markup === null) continue;
    const id = slot.node.comment.id;
    mine.set(id, { ...mine.get(id), [slot.part]: markup });
  }
  if (mine.size === 0) return '';
  const sharedOpen = (id: number) => {
    const open = threads.index.byComment.get(id)!.map((i) => threads.slots[i]!).find((slot) => slot.part === 'open')!;
    return threads.bytes.toString('utf8', open.start, open.end);
  };
  let out = '<template data-mine>';
  for (const [id, parts] of mine) out += `${parts.open ?? sharedOpen(id)}${parts.footer ?? ''}</li>`;
  return `${out}</template>`;
}

export function commentHtml(node: ThreadNode, ctx: ThreadContext): Html {
  return trusted(fillThreads(compileThreads([node], ctx)));
}

export interface ThreadListFrame {
  essay: string;
  sort: Sort;
  page: number;
  hasMore: boolean;
  /** The passage the list is filtered to ("On this passage"): the next page keeps to it. */
  passage?: string | null;
}

export interface ThreadListProps extends ThreadContext, ThreadListFrame {
  threads: readonly ThreadNode[];
}

/** The markup before and after the threads of one page: the list, and the "Show more" link to the next. */
function frameParts(frame: ThreadListFrame): [before: string, after: string] {
  const next = new URLSearchParams({ ...(frame.passage ? { passage: frame.passage } : {}), page: String(frame.page + 1), ...(frame.sort === 'oldest' ? {} : { sort: frame.sort }) });
  return [
    html`<ol class="threads" data-threads data-page="${frame.page}">`.markup,
    html`</ol>${
      frame.hasMore && html`<p class="show-more" data-show-more><a href="/discussion/${encodeURIComponent(frame.essay)}/?${next.toString()}">Show more comments</a></p>`
    }`.markup,
  ];
}

/**
 * The list around the threads of one page, and the "Show more" link to the next: a plain link to
 * the on-demand page without JavaScript, fetched and appended in place with it.
 */
export function threadListFrame(frame: ThreadListFrame, items: string): Html {
  const [before, after] = frameParts(frame);
  return trusted(before + items + after);
}

/** threadListFrame around threads already encoded (fillThreadBytes). */
export function threadListBytes(frame: ThreadListFrame, items: readonly Uint8Array[]): MarkupBytes {
  const [before, after] = frameParts(frame);
  return MarkupBytes.of(before, ...items, after);
}

export function threadListHtml(props: ThreadListProps): Html {
  return threadListFrame(props, fillThreads(compileThreads(props.threads, props)));
}
