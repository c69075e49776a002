// Builds the nested discussion from the flat rows of one page: pure, no I/O.
// Every row appears at most once; a row that may not be shown (another reader's pending
// comment, a hidden or deleted one) survives only as a placeholder that keeps its visible
// replies in place, and disappears with no visible replies under it.
import type { Reader } from '../accounts/reader.ts';
import { mayReadComment } from './rules.ts';
import type { CommentStatus, ModerationReason } from './types.ts';
import type { AnchorStatus } from '../passages/blocks.ts';

export const SORTS = ['oldest', 'newest', 'liked'] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_SORT: Sort = 'oldest';

/** Replies nest up to this depth (top level is 0); deeper ones are listed flat at this depth. */
export const MAX_DISPLAY_DEPTH = 5;

export function parseSort(value: string | null | undefined): Sort {
  return (SORTS as readonly string[]).includes(value ?? '') ? (value as Sort) : DEFAULT_SORT;
}

export interface ThreadRow {
  id: number;
  essay: string;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  authorId: string | null;
  authorUsername: string | null;
  authorName: string | null;
  bodyHtml: string;
  status: CommentStatus;
  moderationReason: ModerationReason | null;
  likeCount: number;
  createdAt: number;
  editedAt: number | null;
  /** Whether the reader looking at the page likes this comment. */
  liked: boolean;
  /** Ids of the corrections of its essay this comment led to, as a moderator linked them (none when absent). */
  corrections?: readonly string[];
  /** The passage of the essay a top-level comment is about, if any. */
  passage?: CommentPassage | null;
}

/** A passage comment's quote, as the reader quoted it, and where it stands in the essay now. */
export interface CommentPassage {
  quote: string;
  /** The block and the words' offsets in its text; null when detached ("on an earlier version of this passage"). */
  block: string | null;
  start: number | null;
  end: number | null;
  status: AnchorStatus;
}

/**
 * comment: an ordinary published comment. pending: the reader's own comment awaiting moderation.
 * deleted / removed / withheld: placeholders that keep visible replies in their place.
 */
export type NodeKind = 'comment' | 'pending' | 'deleted' | 'removed' | 'withheld';

export interface ThreadNode {
  comment: ThreadRow;
  kind: NodeKind;
  displayDepth: number;
  /** Set when the node is shown flat below the depth cap: whom it answers. */
  replyingTo: { id: number; username: string | null } | null;
  replies: ThreadNode[];
}

function ownKind(row: ThreadRow, reader: Reader): NodeKind | null {
  if (!mayReadComment(row, reader)) return null;
  return row.status === 'published' ? 'comment' : 'pending';
}

function placeholderKind(row: ThreadRow): NodeKind {
  if (row.status === 'deleted') return 'deleted';
  if (row.status === 'pending') return 'withheld';
  return 'removed';
}

const byOldest = (a: ThreadRow, b: ThreadRow) => a.createdAt - b.createdAt || a.id - b.id;
const COMPARE: Record<Sort, (a: ThreadRow, b: ThreadRow) => number> = {
  oldest: byOldest,
  newest: (a, b) => b.createdAt - a.createdAt || b.id - a.id,
  liked: (a, b) => b.likeCount - a.likeCount || byOldest(a, b),
};

/**
 * Top-level threads come in the chosen sort order; replies read as a conversation, oldest first.
 */
export function buildThreads(rows: readonly ThreadRow[], options: { sort: Sort; reader: Reader }): ThreadNode[] {
  const { reader } = options;
  const byId = new Map<number, ThreadRow>();
  for (const row of rows) byId.set(row.id, row);
  const children = new Map<number | null, ThreadRow[]>();
  for (const row of byId.values()) {
    // A row whose parent is not on the page (it should not happen) is kept, at the top level.
    const parent = row.parentId !== null && byId.has(row.parentId) ? row.parentId : null;
    const list = children.get(parent);
    if (list) list.push(row);
    else children.set(parent, [row]);
  }

  const build = (row: ThreadRow, depth: number): ThreadNode | null => {
    const replies = collectReplies(row, depth);
    const kind = ownKind(row, reader) ?? (replies.length > 0 ? placeholderKind(row) : null);
    if (kind === null) return null;
    return { comment: row, kind, displayDepth: depth, replyingTo: null, replies };
  };

  const collectReplies = (row: ThreadRow, depth: number): ThreadNode[] => {
    const direct = [...(children.get(row.id) ?? [])].sort(byOldest);
    if (depth < MAX_DISPLAY_DEPTH) {
      return direct.map((child) => build(child, depth + 1)).filter((n): n is ThreadNode => n !== null);
    }
    // At the cap the whole subtree is listed flat, depth first (each reply right after what it
    // answers), every one saying whom it answers.
    const flatten = (parent: ThreadRow): ThreadNode[] => {
      const out: ThreadNode[] = [];
      for (const child of [...(children.get(parent.id) ?? [])].sort(byOldest)) {
        const subtree = flatten(child);
        const kind = ownKind(child, reader) ?? (subtree.length > 0 ? placeholderKind(child) : null);
        if (kind !== null) {
          out.push({ comment: child, kind, displayDepth: MAX_DISPLAY_DEPTH, replyingTo: replyTarget(parent, reader), replies: [] });
        }
        out.push(...subtree);
      }
      return out;
    };
    return flatten(row);
  };

  return [...(children.get(null) ?? [])]
    .sort(COMPARE[options.sort])
    .map((row) => build(row, 0))
    .filter((n): n is ThreadNode => n !== null);
}

/** Whom a flattened reply answers: the name only where the reader may see that comment itself. */
function replyTarget(parent: ThreadRow, reader: Reader): { id: number; username: string | null } {
  return { id: parent.id, username: ownKind(parent, reader) ? parent.authorUsername : null };
}

/** Every node of a forest, depth first, in display order. */
export function* walkThreads(nodes: readonly ThreadNode[]): Generator<ThreadNode> {
  for (const node of nodes) {
    yield node;
    yield* walkThreads(node.replies);
  }
}

/** The node for one comment, with the id of the node whose reply list holds it (null: top level). */
export function findNode(nodes: readonly ThreadNode[], id: number, parent: ThreadNode | null = null): { node: ThreadNode; listOwner: number | null } | null {
  for (const node of nodes) {
    if (node.comment.id === id) return { node, listOwner: parent ? parent.comment.id : null };
    const found = findNode(node.replies, id, node);
    if (found) return found;
  }
  return null;
}
