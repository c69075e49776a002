// Which new comments wait for a moderator. The rules and their defaults are the ones the
// public /moderation page states; admins switch them in the dashboard (settings table).
import { blocklistMatches } from './blocklist.ts';

export interface HoldRules {
  /** Hold every comment of an account until a moderator has approved one of them. */
  firstComment: boolean;
  /** Hold a comment with `linkLimit` or more links. */
  links: boolean;
  linkLimit: number;
  /** Hold a comment containing a blocklisted word or phrase. */
  blocklist: boolean;
}

export const DEFAULT_HOLD_RULES: HoldRules = { firstComment: true, links: true, linkLimit: 3, blocklist: true };

export type HoldReason = 'first-comment' | 'links' | 'blocklist';

export const HOLD_REASON_TEXT: Record<HoldReason, string> = {
  'first-comment': 'first comment of a new account',
  links: 'many links',
  blocklist: 'matches the blocklist',
};

// Markdown links, autolinks and bare addresses all count; a Markdown link whose text is its own
// address ([https://a.b](https://a.b)) counts once, because the bracket part is skipped first.
const MARKDOWN_LINK = /\[[^\]]*\]\(\s*<?[^)\s]+>?[^)]*\)/g;
const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s<>()]+/gi;

export function countLinks(markdown: string): number {
  const markdownLinks = markdown.match(MARKDOWN_LINK) ?? [];
  const rest = markdown.replace(MARKDOWN_LINK, ' ');
  return markdownLinks.length + (rest.match(BARE_URL) ?? []).length;
}

export interface HoldInput {
  rules: HoldRules;
  /** Admins and accounts with an approved comment are trusted. */
  trusted: boolean;
  bodySource: string;
  blocklist: readonly string[];
}

export function holdReasons(input: HoldInput): HoldReason[] {
  const reasons: HoldReason[] = [];
  const { rules } = input;
  if (rules.firstComment && !input.trusted) reasons.push('first-comment');
  if (rules.links && countLinks(input.bodySource) >= rules.linkLimit) reasons.push('links');
  if (rules.blocklist && blocklistMatches(input.bodySource, input.blocklist).length > 0) reasons.push('blocklist');
  return reasons;
}
