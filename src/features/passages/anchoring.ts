// The server's side of anchoring, pure: reading the passage fields of a comment form into an anchor
// checked against the essay as built (validateAnchor), and finding stored anchors again on a new
// version of the essay (locate). The service and db/ call these; nothing here does I/O.
import { refuse, type Outcome } from '../refusal.ts';
import { locate, validateAnchor, type Anchor, type SubmittedAnchor } from './anchor-rules.ts';
import type { AnchorStatus, EssayPassages } from './blocks.ts';

/** The passage fields of the comment form, as typed (all optional: most comments quote nothing). */
export interface PassageFields {
  passage?: string;
  quote?: string;
  quote_prefix?: string;
  quote_suffix?: string;
}

/** What is stored with a new passage comment: the anchor, the words it quotes and where they stand now. */
export interface NewAnchor {
  anchor: Anchor;
  /** The words as the reader quoted them (the anchor's `exact`), kept for display whatever happens to the essay. */
  quote: string;
  start: number;
  end: number;
}

/** The fields as a SubmittedAnchor, or null when the form names no passage. */
export function submittedAnchor(fields: PassageFields): SubmittedAnchor | null {
  const block = (fields.passage ?? '').trim();
  if (block === '') return null;
  return { block, exact: fields.quote ?? '', prefix: fields.quote_prefix || undefined, suffix: fields.quote_suffix || undefined };
}

/**
 * The anchor a new comment is stored with, or null for a comment on no passage. Refused: a passage
 * on a reply (replies answer their comment), an essay the build has no passages for, and whatever
 * validateAnchor refuses (an unknown block, words not in it, an empty or over-long quote).
 */
export function checkPassage(submitted: SubmittedAnchor | null, context: { parentId: number | null; passages: EssayPassages | undefined }): Outcome<{ anchored: NewAnchor | null }> {
  if (submitted === null) return { ok: true, anchored: null };
  if (context.parentId !== null) return refuse('invalid', 'A reply answers its comment, not a passage: reply without a quote.', { field: 'passage' });
  if (!context.passages) return refuse('unavailable', 'Passages of this essay cannot be discussed just now. Post your comment without the quote, or try again later.', { field: 'passage' });
  const valid = validateAnchor(submitted, context.passages);
  if (!valid.ok) return valid;
  return { ok: true, anchored: { anchor: valid.anchor, quote: valid.anchor.exact, start: valid.start, end: valid.end } };
}

/** A stored anchor as re-anchoring reads it. */
export interface StoredAnchor {
  commentId: number;
  blockId: string;
  exact: string;
  prefix: string;
  suffix: string;
  version: string;
  status: AnchorStatus;
}

/** Where a stored anchor stands on a new version of its essay. */
export interface Relocation {
  commentId: number;
  status: AnchorStatus;
  block: string | null;
  start: number | null;
  end: number | null;
}

/**
 * Each anchor found again on the essay as it stands, from the anchor as made (or as a moderator
 * re-attached it), never from where an earlier version put it: so small edits cannot add up to a
 * move no single version would allow. What `locate` cannot place is detached.
 */
export function relocateAnchors(rows: readonly StoredAnchor[], essay: EssayPassages): Relocation[] {
  return rows.map((row) => {
    const found = locate({ block: row.blockId, exact: row.exact, prefix: row.prefix, suffix: row.suffix, version: row.version }, essay);
    return found.status === 'detached'
      ? { commentId: row.commentId, status: 'detached', block: null, start: null, end: null }
      : { commentId: row.commentId, status: found.status, block: found.block, start: found.start, end: found.end };
  });
}
