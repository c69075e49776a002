// What each open stream of one essay is sent for a run of its events. Every event is judged now,
// from the comment as it is now (delivery-rules.ts): its view for each audience is built once, by
// the thread builder and the one visibility rule, rendered once by the discussion's templates and
// encoded once; thousands of signed-out streams then get the same bytes. Only the streams of a
// comment's own author get a rendering made for them, and nothing made for a reader is shared.
import type { Db } from '../../../../db/client.ts';
import { pinnedComment } from '../../../../db/discussion/discussions.ts';
import { liveCommentStates, type LiveCommentState, type LiveEventRow } from '../../../../db/discussion/events.ts';
import { countComments } from '../../../../db/discussion/thread-reads.ts';
import type { Reader } from '../../accounts/reader.ts';
import { commentHtml } from '../comment-html.ts';
import { loadCommentNode } from '../page.ts';
import { isClosed } from '../service.ts';
import type { ThreadNode } from '../thread.ts';
import type { EssayInfo } from '../types.ts';
import { AUDIENCE_READERS, audienceOf, couldHaveSeen, isPrivileged, messageKind, sseFrame, type Audience, type LiveMessage, type SharedAudience } from './delivery-rules.ts';

/** A stream as a delivery sees it: who reads it (checked again for privileged renderings), and where it stands. */
export interface Recipient {
  /** The reader now: a signed-in stream's session and account are looked up again before it gets a privileged rendering. */
  currentReader(privileged: boolean): Reader | Promise<Reader>;
}

const encoder = new TextEncoder();

/** Kinds of event after which the essay's published comments may number differently. */
const COUNT_CHANGES = new Set(['comment-published', 'comment-held', 'comment-removed', 'comment-restored']);

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

  constructor(db: Db, essay: string, events: readonly LiveEventRow[], essayOf: (slug: string) => Promise<EssayInfo | null>, now = Date.now()) {
    this.db = db;
    this.essay = essay;
    this.events = events;
    this.essayOf = essayOf;
    this.now = now;
    this.states = liveCommentStates(db, events.map((e) => e.commentId));
  }

  /** The bytes this recipient gets for one event, or null when it is told nothing. */
  async frameFor(event: LiveEventRow, recipient: Recipient): Promise<Uint8Array | null> {
    const state = this.states.get(event.commentId);
    // The audience comes from the reader the stream opened with; a privileged one (the author, a
    // moderator) is asked again of the session as it is now, so a signed-out or demoted reader gets no more.
    let audience = audienceOf(await recipient.currentReader(false), state);
    let reader = isPrivileged(audience) ? await recipient.currentReader(true) : AUDIENCE_READERS[audience as SharedAudience];
    if (isPrivileged(audience)) {
      audience = audienceOf(reader, state);
      if (!isPrivileged(audience)) reader = AUDIENCE_READERS[audience as SharedAudience];
    }
    // A rendering for the author is theirs alone: keyed by their account, never handed to another audience.
    const key = `${event.seq} ${audience === 'own' ? `own ${reader.account!.id}` : audience}`;
    let frame = this.frames.get(key);
    if (!frame) this.frames.set(key, (frame = this.render(event, state, audience, reader)));
    return frame;
  }

  private async render(event: LiveEventRow, state: LiveCommentState | undefined, audience: Audience, reader: Reader): Promise<Uint8Array | null> {
    const view = state ? await this.viewOf(state, audience, reader) : null;
    const type = messageKind(event, view && { kind: view.node.kind, parent: view.parent }, couldHaveSeen(event.fromStatus, state, reader));
    if (type === null) return null;
    let message: LiveMessage;
    if (type === 'removed') message = { type, id: event.commentId };
    else if (type === 'likes') message = { type, id: event.commentId, count: state!.likeCount };
    else if (type === 'body') message = { type, id: event.commentId, html: state!.bodyHtml, edited: state!.editedAt };
    else message = { type, id: event.commentId, parent: view!.parent, html: await this.commentMarkup(view!.node, reader) };
    const { type: name, ...data } = message;
    return encoder.encode(sseFrame({ id: event.seq, event: name, data }));
  }

  /** How the audience sees the comment now, in its thread: a comment, a placeholder, or nothing. */
  private viewOf(state: LiveCommentState, audience: Audience, reader: Reader): Promise<View | null> {
    const key = `${state.id} ${audience === 'own' ? `own ${reader.account!.id}` : audience}`;
    let view = this.views.get(key);
    if (!view) {
      view = loadCommentNode(this.db, { rootId: state.rootId ?? state.id, commentId: state.id, reader }).then((found) => found && { node: found.node, parent: found.listOwner });
      this.views.set(key, view);
    }
    return view;
  }

  /** The comment alone (its replies stay where the page has them), as the thread renders it for this reader. */
  private async commentMarkup(node: ThreadNode, reader: Reader): Promise<string> {
    const { closed, pinnedId } = await this.discussionContext();
    return commentHtml({ ...node, replies: [] }, { essay: this.essay, reader, closed, now: this.now, flagged: new Set(), pinnedId }).markup;
  }

  private discussionContext(): Promise<{ closed: boolean; pinnedId: number | null }> {
    this.context ??= (async () => {
      const essay = await this.essayOf(this.essay);
      return { closed: essay ? await isClosed(this.db, essay) : true, pinnedId: (await pinnedComment(this.db, this.essay))?.id ?? null };
    })();
    return this.context;
  }

  /**
   * Sent once after the run to every stream of the essay, the same bytes for all, when the run may
   * have changed what is published: the comment count. This is the place for other per-essay
   * figures that follow the comments: the passages' counts in the margin (issue #12) belong here,
   * as `passages: { [blockId]: count }`, read in one indexed query; the page's script hands the
   * whole summary on as a `discussion:summary` DOM event (live-client.ts) for the margin to take.
   */
  async summaryFrame(): Promise<Uint8Array | null> {
    if (!this.events.some((e) => COUNT_CHANGES.has(e.kind))) return null;
    return encoder.encode(sseFrame({ event: 'summary', data: { count: await countComments(this.db, this.essay) } }));
  }
}
