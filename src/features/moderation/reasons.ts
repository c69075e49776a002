// The reason categories a moderator or a flagging reader picks from, and how they read.
import { MODERATION_REASONS, type ModerationReason } from '../discussion/types.ts';

export { MODERATION_REASONS, type ModerationReason };

export const REASON_LABELS: Record<ModerationReason, string> = {
  spam: 'Spam',
  abuse: 'Abuse or harassment',
  'off-topic': 'Off-topic',
  other: 'Other',
};

/** A moderator's or a flagging reader's note. */
export const MAX_NOTE_LENGTH = 500;

export function isReason(value: unknown): value is ModerationReason {
  return typeof value === 'string' && (MODERATION_REASONS as readonly string[]).includes(value);
}

/** What a thread shows in place of a comment a moderator removed, so its replies still read. */
export function removedPlaceholder(reason: ModerationReason | null): string {
  return `[removed by a moderator: ${reason ?? 'other'}]`;
}
