// Who is told what, as rules (pure): an event names a comment and what happened to it, never
// who may see it. Each event is judged when it is delivered, from the comment as it is then,
// with the one visibility rule (mayReadComment, through the thread builder), for each audience:
// signed-out and suspended readers share one rendering, readers in good standing another,
// moderators a third; only a comment's own author gets one made for them.
import { readerOf, SIGNED_OUT, type Reader } from '../../accounts/reader.ts';
import { AUDIENCE, isAuthor } from '../rules.ts';
import type { NodeKind } from '../thread.ts';
import type { CommentStatus } from '../types.ts';
import type { LiveEventKind } from './event-kinds.ts';

/** Everyone who sees a comment the same way, but its author. */
export type SharedAudience = 'public' | 'reader' | 'moderator';
export type Audience = SharedAudience | 'own';

/**
 * The reader each shared audience is rendered for. No account has an empty id, so nothing is
 * anybody's own; a suspended reader sees exactly what a signed-out one does (no reply, like or
 * flag controls, the same comments), so they share 'public'.
 */
export const AUDIENCE_READERS: Readonly<Record<SharedAudience, Reader>> = {
  public: SIGNED_OUT,
  reader: readerOf({ id: '', username: '', displayName: null, bannedAt: null, role: 'reader' }),
  moderator: readerOf({ id: '', username: '', displayName: null, bannedAt: null, role: 'admin' }),
};

export function audienceOf(reader: Reader, comment: { authorId: string | null } | undefined): Audience {
  if (comment && isAuthor(comment, reader)) return 'own';
  if (reader.may.moderate) return 'moderator';
  return reader.may.takePart ? 'reader' : 'public';
}

/** Audiences whose rendering shows more than a signed-out reader may read: their reader is confirmed before it is rendered for them. */
export const isPrivileged = (audience: Audience) => audience === 'own' || audience === 'moderator';

/**
 * Whether a signed-in stream may still be sent what it was opened for: its session (looked up again,
 * null when it is gone) is still there, unexpired, the same account's, and the account's standing is
 * what it was (not suspended or unsuspended since, the same role). Anything else closes the stream,
 * and the browser reconnects with the cookie it has now. A new display name changes no standing.
 */
export function keepsStanding(
  opened: Reader,
  now: { session: { userId: string; expiresAt: number }; user: { bannedAt: number | null; role: string } } | null,
  at: number,
): boolean {
  const account = opened.account;
  if (!account) return true;
  if (!now || now.session.userId !== account.id || now.session.expiresAt * 1000 <= at) return false;
  return (now.user.bannedAt !== null) === opened.banned && now.user.role === account.role;
}

/** Kinds of event after which the essay's published comments may number differently (a `summary` is worked out). */
export const COUNT_CHANGES: ReadonlySet<LiveEventKind> = new Set(['comment-published', 'comment-held', 'comment-removed', 'comment-restored']);

/**
 * What one stream is sent for one event. `html` is markup rendered by the discussion's templates;
 * a top-level comment on a passage names its block (`passage`), so that a page filtered to another
 * passage leaves it out.
 */
export type LiveMessage =
  | { type: 'comment'; id: number; parent: number | null; html: string; passage?: string }
  | { type: 'body'; id: number; html: string; edited: number | null; meta: string }
  | { type: 'removed'; id: number }
  | { type: 'likes'; id: number; count: number; text: string };

/** How the audience sees the comment now: the node the thread builder makes for it (null: not shown at all). */
export interface CommentView {
  kind: NodeKind;
  /** The comment whose reply list holds it (null: top level). */
  parent: number | null;
}

const isContent = (kind: NodeKind) => kind === 'comment' || kind === 'pending';

/**
 * What an event becomes for one audience, given how that audience sees the comment now.
 * A comment the audience does not see is only ever told as gone, and only when the audience
 * could have seen it before (`fromStatus`): a held comment's removal reaches no one who never saw it.
 */
export function messageKind(
  event: { kind: LiveEventKind; fromStatus: CommentStatus | null },
  view: CommentView | null,
  couldHaveSeen: boolean,
): LiveMessage['type'] | null {
  if (!view) return (event.kind === 'comment-removed' || event.kind === 'comment-held') && event.fromStatus !== null && couldHaveSeen ? 'removed' : null;
  if (event.kind === 'comment-edited') return isContent(view.kind) ? 'body' : null;
  if (event.kind === 'likes-changed') return view.kind === 'comment' ? 'likes' : null;
  return 'comment';
}

/**
 * The like-count events of a run that a later one about the same comment makes needless: every
 * such event is sent as the count is at the run (so the earlier ones would say the same), and one
 * reader toggling a like as fast as allowed would otherwise send every open page each toggle.
 */
export function supersededLikes(events: readonly { seq: number; kind: LiveEventKind; commentId: number }[]): Set<number> {
  const latest = new Map<number, number>();
  for (const e of events) if (e.kind === 'likes-changed') latest.set(e.commentId, Math.max(e.seq, latest.get(e.commentId) ?? 0));
  return new Set(events.filter((e) => e.kind === 'likes-changed' && e.seq < latest.get(e.commentId)!).map((e) => e.seq));
}

/**
 * Events about the discussion as a whole or a commenter, not one comment's content: every audience
 * is told the same bytes, or nothing. A changed discussion is told once after the run (`state`).
 */
export const DISCUSSION_WIDE: ReadonlySet<LiveEventKind> = new Set(['discussion-changed', 'author-renamed']);

/**
 * A display name change is told (as the author's new markup, for pages to put in place of the old)
 * while the comment the event names is published: the trigger names only essays where the author
 * has published comments, so the name goes only where every reader is shown it already.
 */
export const tellsRename = (comment: { status: CommentStatus; authorUsername: string | null } | undefined) =>
  comment !== undefined && comment.status === 'published' && comment.authorUsername !== null;

/**
 * Whether, after a run of events, each page must ask again for the parts of its discussion that
 * depend on the discussion's state and its reader (the form, the "closed" notice, the pinned
 * comment shown above the threads): the discussion changed, or the pinned comment did (its text,
 * its status, its author's name). A like changes none of them.
 */
export function refreshesDiscussion(
  events: readonly { kind: LiveEventKind; commentId: number; authorId?: string | null }[],
  pinned: { id: number; authorId: string | null } | null,
): boolean {
  return events.some((e) => {
    if (e.kind === 'discussion-changed') return true;
    if (!pinned || e.kind === 'likes-changed') return false;
    return e.kind === 'author-renamed' ? !!e.authorId && e.authorId === pinned.authorId : e.commentId === pinned.id;
  });
}

/** Whether the audience could have seen a comment in the status it had before (a placeholder counts: everyone sees those). */
export function couldHaveSeen(fromStatus: CommentStatus | null, comment: { authorId: string | null } | undefined, reader: Reader): boolean {
  if (fromStatus === null) return false;
  if (AUDIENCE[fromStatus] !== 'author and moderators') return true;
  return reader.may.moderate || (comment !== undefined && isAuthor(comment, reader));
}

// ---- streams ------------------------------------------------------------------------------------

/**
 * Open streams one process holds at most; one reader (account, or network when signed out); and
 * one network (an IPv4 address, an IPv6 /64: lib/client-network.ts) whoever is signed in there,
 * so that accounts made from one network cannot add up without bound (set high enough for an
 * office or a school behind one address). And the catch-ups (the costly part of an opening: every
 * event missed, rendered) one network may ask a process for in a minute: past it, a stream that
 * missed something is sent a `reset` instead, as one too far behind is. A script opening streams
 * from long ago over and over took a core with 40 connections (outside review); a network's
 * readers all reconnecting at once after a restart stay well within it. And the streams one network
 * may open in a minute, refused (429) before anything else is done: one address opening and closing
 * a thousand a second kept the server's main thread busy (outside review); ten a second is far more
 * than its readers' page loads.
 */
export const STREAM_LIMITS = { perProcess: 4_000, perReader: 8, perAddress: 64, catchUpsPerMinute: 120, opensPerMinute: 600 } as const;
/** How long a browser waits before it reconnects, and how often an idle stream hears from the server. */
export const RETRY_MS = 5_000;
export const HEARTBEAT_MS = 25_000;

export type Admission = 'ok' | 'server-full' | 'too-many';

export function admitStream(open: { total: number; forReader: number; fromAddress: number }): Admission {
  if (open.total >= STREAM_LIMITS.perProcess) return 'server-full';
  return open.forReader >= STREAM_LIMITS.perReader || open.fromAddress >= STREAM_LIMITS.perAddress ? 'too-many' : 'ok';
}

/** The limits a network's count this minute is held to. */
export type PerMinute = 'catchUpsPerMinute' | 'opensPerMinute';

/** Whether a network that did something `done` times this minute may again. */
export const mayAgain = (limit: PerMinute, done: number): boolean => done < STREAM_LIMITS[limit];

/** An event number from a Last-Event-ID header or `?since=`: a whole number, or null for junk. */
export function parseSeq(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/**
 * Where a stream starts: after `since`, when every event since is still kept; otherwise the page
 * must load the discussion again ('reset'): events were trimmed, or the number is from another
 * database (a restored backup, a future number).
 */
export function resumeFrom(since: number, window: { oldest: number | null; newest: number }): 'resume' | 'reset' {
  if (since > window.newest) return 'reset';
  if (since === window.newest) return 'resume';
  return window.oldest !== null && since >= window.oldest - 1 ? 'resume' : 'reset';
}

/** What a page too far behind says (the words travel with the `reset`, not in the page's script). */
export const RESET_TEXT = 'Much has changed in this discussion since the page was loaded: reload the page to see it.';

/** One Server-Sent Events message: an optional id (the cursor a reconnect resumes from), a type, JSON data. */
export function sseFrame(message: { id?: number; event: string; data: unknown }): string {
  return `${message.id === undefined ? '' : `id: ${message.id}\n`}event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}
