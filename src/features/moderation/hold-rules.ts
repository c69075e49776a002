// Which new comments wait for a moderator. The rules and their defaults are the ones the
// public /moderation page states; admins switch them in the dashboard (settings table).
import { refuse, type Refusal } from '../refusal.ts';
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

export const MIN_LINK_LIMIT = 1;
export const MAX_LINK_LIMIT = 50;

export const isLinkLimit = (n: number): boolean => Number.isInteger(n) && n >= MIN_LINK_LIMIT && n <= MAX_LINK_LIMIT;
export const LINK_LIMIT_MESSAGE = `The link limit must be a whole number from ${MIN_LINK_LIMIT} to ${MAX_LINK_LIMIT}.`;

/** Rules an admin saves: the link limit within its bounds. */
export function holdRulesRefusal(rules: HoldRules): Refusal | null {
  return isLinkLimit(rules.linkLimit) ? null : refuse('invalid', LINK_LIMIT_MESSAGE, { field: 'linkLimit' });
}

/** The rules as the audit log and the admin's notice state them. */
export function describeRules(rules: HoldRules): string {
  const onOff = (v: boolean) => (v ? 'on' : 'off');
  return `first comment ${onOff(rules.firstComment)}; ${rules.linkLimit}+ links ${onOff(rules.links)}; blocklist ${onOff(rules.blocklist)}`;
}

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

export interface HoldDecision {
  status: 'published' | 'pending';
  reasons: HoldReason[];
}

/**
 * A new (or edited) comment's status: admins moderate, so nothing of theirs waits for themselves;
 * anyone else's waits when a rule holds it. `blocklist` is asked for only when its rule is on.
 */
export function holdDecision(input: Omit<HoldInput, 'trusted' | 'blocklist'> & { author: { role: string; trustedAt: number | null } | undefined; blocklist: () => readonly string[] }): HoldDecision {
  if (input.author?.role === 'admin') return { status: 'published', reasons: [] };
  const reasons = holdReasons({
    rules: input.rules,
    trusted: input.author?.trustedAt != null,
    bodySource: input.bodySource,
    blocklist: input.rules.blocklist ? input.blocklist() : [],
  });
  return { status: reasons.length ? 'pending' : 'published', reasons };
}

/** Kept as the held comment's moderation note, so the queue says why it waits. */
export function holdNote(reasons: readonly HoldReason[]): string | null {
  return reasons.length ? `held: ${reasons.map((r) => HOLD_REASON_TEXT[r]).join(', ')}` : null;
}
