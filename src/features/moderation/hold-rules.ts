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
// A link's target may hold one level of balanced parentheses, as Wikipedia addresses do.
// Both patterns run on every new comment inside the write transaction, so both must stay linear in
// the body's length (the linter's regexp/no-super-linear-* rules check them): the link text stops
// at the next "[", the target at a "(" two deep, so however many attempts fail, each character
// is read by a bounded number of them. The earlier form let every "[" scan to the end of the
// body and backtrack there: a minute for 10,000 characters of "[](a".
const MARKDOWN_LINK = /\[[^[\]]*\]\(\s*(?:[^()\s]|\([^()]*\))(?:[^()]|\([^()]*\))*\)/g;
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
