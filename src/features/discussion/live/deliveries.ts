// What each open stream of one essay is sent for a run of its events. Every event is judged now,
// from the comment as it is now (delivery-rules.ts): its view for each audience is built once, by
// the thread builder and the one visibility rule, rendered once by the discussion's templates and
// encoded once; thousands of signed-out streams then get the same bytes. A comment's markup is
// rendered once a run for each audience, however many of its events ask. Only the streams of a
// comment's own author get a rendering made for them, and nothing made for a reader is shared
// (a restored comment is rendered once per set of marks, liked or flagged, for the readers who left them).
import type { Db } from '../../../../db/client.ts';
import { discussionState, pinnedComment } from '../../../../db/discussion/discussions.ts';
import { liveCommentStates, readerMarks, type LiveCommentState, type LiveEventRow, type ReaderMarks } from '../../../../db/discussion/events.ts';
import { countComments } from '../../../../db/discussion/thread-reads.ts';
import { encodePassageCounts } from '../../passages/margin-rules.ts';
import { countPassageComments } from '../../passages/service.ts';
import type { Reader } from '../../accounts/reader.ts';
import { authorHtml, commentHtml, likeCountText, metaHtml } from '../comment-html.ts';
import { loadCommentNode } from '../page.ts';
import { isClosed } from '../service.ts';
import type { ThreadNode } from '../thread.ts';
import type { EssayInfo } from '../types.ts';
import {
  AUDIENCE_READERS,
  audienceOf,
  couldHaveSeen,
  COUNT_CHANGES,
  DISCUSSION_WIDE,
  isPrivileged,
  messageKind,
  refreshesDiscussion,
  sseFrame,
  supersededLikes,
  tellsRename,
  type Audience,
  type LiveMessage,
  type SharedAudience,
} from './delivery-rules.ts';

/** A stream as a delivery sees it: who it was opened for, and whether that still holds. */
export interface Recipient {
  /** The reader the stream was opened with. */
  readonly opened: Reader;
  /**
   * Whether the stream may still be sent what its reader was sent: a signed-in stream's session
   * and account are looked up again (once a delivery run); if the session ended or the account's
   * standing changed, the stream is closed and this says false. A signed-out stream: true, at once.
   */
  confirm(): boolean | Promise<boolean>;
}

const encoder = new TextEncoder();

/**
 * The essay's `summary` message, as its text: the published comments' count and the margin's
 * passage counts (published comments per block, encoded as the island's `data-passage-counts`: one
 * indexed query). The same for every audience: it counts only what everyone may read.
 */
export async function summaryFrame(db: Db, essay: string): Promise<string> {
  return sseFrame({ event: 'summary', data: { count: await countComments(db, essay), passages: encodePassageCounts(countPassageComments(db, essay)) } });
}

/** A comment as one audience sees it; the author's own view is theirs alone, keyed by their account. */
const seenAs = (commentId: number, audience: Audience, reader: Reader) => `${commentId} ${audience === 'own' ? `own ${reader.account!.id}` : audience}`;

interface View {
  node: ThreadNode;
  parent: number | null;
}

export class EssayDelivery {
  private readonly db: Db;
  private readonly essay: string;
  private readonly events: readonly LiveEventRow[];
  private readonly essayOf: (slug: string) => Promise<EssayInfo | null>;
  private readonly now: number;
  private readonly states: Map<number, LiveCommentState>;
  private context: Promise<{ closed: boolean; pinnedId: number | null }> | null = null;
  private readonly views = new Map<string, Promise<View | null>>();
  private readonly frames = new Map<string, Promise<Uint8Array | null>>();
  /** A comment's markup per audience (and marks), whichever event asks: each event is told as the comment is now. */
  private readonly markups = new Map<string, Promise<string>>();
  private readonly marks = new Map<number, Map<string, ReaderMarks>>();
  /** Like-count events a later one in this run repeats: told to nobody. */
  private readonly superseded: Set<number>;

  constructor(db: Db, essay: string, events: readonly LiveEventRow[], essayOf: (slug: string) => Promise<EssayInfo | null>, now = Date.now()) {
    this.db = db;
    this.essay = essay;
    this.events = events;
    this.essayOf = essayOf;
    this.now = now;
    this.states = liveCommentStates(db, events.map((e) => e.commentId));
    this.superseded = supersededLikes(events);
  }

  /** The bytes this recipient gets for one event, or null when it is told nothing (or was closed: its reader changed). */
  async frameFor(event: LiveEventRow, recipient: Recipient): Promise<Uint8Array | null> {
    if (this.superseded.has(event.seq)) return null;
    const state = this.states.get(event.commentId);
    if (DISCUSSION_WIDE.has(event.kind)) return this.wideFrame(event, state);
    const opened = recipient.opened;
    const audience = audienceOf(opened, state);
    const privileged = isPrivileged(audience);
    // A signed-in stream is sent nothing more once its session ended or its standing changed
    // (confirm closes it): a privileged rendering is not even made before that is known; any other
    // only once there is something to send, so a comment this reader does not see costs no lookup.
    if (privileged && !(await recipient.confirm())) return null;
    const reader = privileged ? opened : AUDIENCE_READERS[audience as SharedAudience];
    const account = opened.account;
    // A restored comment comes back liked and flagged as this reader left it; readers who left the
    // same marks share the rendering (it shows nothing else of theirs).
    const marks = event.kind === 'comment-restored' && account && (audience === 'reader' || audience === 'moderator') ? this.marksOf(event.commentId).get(account.id) : undefined;
    // A rendering for the author is theirs alone: keyed by their account, never handed to another audience.
    const key = `${event.seq} ${audience === 'own' ? `own ${reader.account!.id}` : audience}${marks ? ` ${marks.liked} ${marks.flagged}` : ''}`;
    let frame = this.frames.get(key);
    if (!frame) this.frames.set(key, (frame = this.render(event, state, audience, reader, marks)));
    const bytes = await frame;
    if (bytes && !privileged && account && !(await recipient.confirm())) return null;
    return bytes;
  }

  private async render(event: LiveEventRow, state: LiveCommentState | undefined, audience: Audience, reader: Reader, marks?: ReaderMarks): Promise<Uint8Array | null> {
    const view = state ? await this.viewOf(state, audience, reader) : null;
    const type = messageKind(event, view && { kind: view.node.kind, parent: view.parent }, couldHaveSeen(event.fromStatus, state, reader));
    if (type === null) return null;
    let message: LiveMessage;
    if (type === 'removed') message = { type, id: event.commentId };
    else if (type === 'likes') message = { type, id: event.commentId, count: state!.likeCount, text: likeCountText(state!.likeCount) };
    else if (type === 'body') {
      // The header too, as the thread now writes it ("edited" with its time): the same for the audience.
      const meta = metaHtml(view!.node, audience === 'own', this.now).markup;
      message = { type, id: event.commentId, html: state!.bodyHtml, edited: state!.editedAt, meta };
    } else {
      const { node, parent } = view!;
      const passage = parent === null ? node.comment.passage?.block : null;
      // Rendered once a run however many events ask (a comment hidden and restored over and over).
      const key = `${seenAs(state!.id, audience, reader)}${marks ? ` ${marks.liked} ${marks.flagged}` : ''}`;
      let html = this.markups.get(key);
      if (!html) this.markups.set(key, (html = this.commentMarkup(node, reader, marks)));
      message = { type, id: event.commentId, parent, html: await html, ...(passage ? { passage } : {}) };
    }
    const { type: name, ...data } = message;
    return encoder.encode(sseFrame({ id: event.seq, event: name, data }));
  }

  /** An event about the discussion or a commenter: the same bytes for every stream (a changed discussion is told after the run). */
  private wideFrame(event: LiveEventRow, state: LiveCommentState | undefined): Promise<Uint8Array | null> {
    const key = String(event.seq);
    let frame = this.frames.get(key);
    if (!frame) {
      let bytes: Uint8Array | null = null;
      if (event.kind === 'author-renamed' && tellsRename(state)) {
        const author = { authorUsername: state!.authorUsername, authorName: state!.authorName };
        const data = { href: `/u/${encodeURIComponent(author.authorUsername!)}`, html: authorHtml(author).markup, label: `Comment by ${author.authorName || author.authorUsername}` };
        bytes = encoder.encode(sseFrame({ id: event.seq, event: 'name', data }));
      }
      this.frames.set(key, (frame = Promise.resolve(bytes)));
    }
    return frame;
  }

  /** Who had liked or flagged a comment: one indexed query per restored comment and run. */
  private marksOf(commentId: number): Map<string, ReaderMarks> {
    let found = this.marks.get(commentId);
    if (!found) this.marks.set(commentId, (found = readerMarks(this.db, commentId)));
    return found;
  }

  /** How the audience sees the comment now, in its thread: a comment, a placeholder, or nothing. */
  private viewOf(state: LiveCommentState, audience: Audience, reader: Reader): Promise<View | null> {
    const key = seenAs(state.id, audience, reader);
    let view = this.views.get(key);
    if (!view) {
      view = loadCommentNode(this.db, { rootId: state.rootId ?? state.id, commentId: state.id, reader }).then((found) => found && { node: found.node, parent: found.listOwner });
      this.views.set(key, view);
    }
    return view;
  }

  /** The comment alone (its replies stay where the page has them), as the thread renders it for this reader (and the marks they left). */
  private async commentMarkup(node: ThreadNode, reader: Reader, marks?: ReaderMarks): Promise<string> {
    const { closed, pinnedId } = await this.discussionContext();
    const comment = marks?.liked ? { ...node.comment, liked: true } : node.comment;
    const flagged = new Set(marks?.flagged ? [node.comment.id] : []);
    return commentHtml({ ...node, comment, replies: [] }, { essay: this.essay, reader, closed, now: this.now, flagged, pinnedId }).markup;
  }

  private discussionContext(): Promise<{ closed: boolean; pinnedId: number | null }> {
    this.context ??= (async () => {
      const essay = await this.essayOf(this.essay);
      return { closed: essay ? await isClosed(this.db, essay) : true, pinnedId: (await pinnedComment(this.db, this.essay))?.id ?? null };
    })();
    return this.context;
  }

  /**
   * The essay's `summary` after this run, when the run may have changed what is published (null:
   * it cannot have). Which streams are sent it is the watcher's to decide (only those whose page
   * does not show it already: watcher.ts).
   */
  summary(): Promise<string> | null {
    return this.events.some((e) => COUNT_CHANGES.has(e.kind)) ? summaryFrame(this.db, this.essay) : null;
  }

  /**
   * Sent once after the run to every stream of the essay, the same bytes for all, when the
   * discussion or its pinned comment changed: a `state` (no data): each page asks for the parts
   * that follow from it (the form, the "closed" notice, the pinned comment) as its own reader sees them.
   */
  async state(): Promise<Uint8Array | null> {
    return (await this.changesDiscussion()) ? encoder.encode(sseFrame({ event: 'state', data: {} })) : null;
  }

  /** Whether the discussion or its pinned comment changed in this run (the pin is read only when a comment event could concern it). */
  private async changesDiscussion(): Promise<boolean> {
    const events = this.events.map((e) => ({ kind: e.kind, commentId: e.commentId, authorId: this.states.get(e.commentId)?.authorId }));
    if (refreshesDiscussion(events, null)) return true;
    if (!events.some((e) => e.kind !== 'likes-changed')) return false;
    const { pinnedCommentId: pinnedId } = await discussionState(this.db, this.essay);
    if (pinnedId === null) return false;
    const pinned = this.states.get(pinnedId) ?? liveCommentStates(this.db, [pinnedId]).get(pinnedId);
    return refreshesDiscussion(events, { id: pinnedId, authorId: pinned?.authorId ?? null });
  }
}
