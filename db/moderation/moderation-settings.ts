// The holding rules, kept in the settings table as one row per rule; missing rows mean the defaults.
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';
import { writeLog, type LogAuthor } from './moderation-log.ts';
import { settings } from '../schema.ts';
import { DEFAULT_HOLD_RULES, describeRules, isLinkLimit, type HoldRules } from '../../src/features/moderation/hold-rules.ts';

const KEYS = {
  firstComment: 'hold.first_comment',
  links: 'hold.links',
  linkLimit: 'hold.link_limit',
  blocklist: 'hold.blocklist',
} as const satisfies Record<keyof HoldRules, string>;

// Read by every new comment, so prepared once.
const RULE_KEYS = Object.values(KEYS);
const storedRules = perConnection((client) => client.prepare(`select key, value from settings where key in (${RULE_KEYS.map(() => '?').join(', ')})`));

/** The rules as a transaction sees them (synchronous, for use inside comment creation). */
export function holdRulesIn(db: Db): HoldRules {
  const rows = storedRules(db).all(...RULE_KEYS) as { key: string; value: string }[];
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const flag = (key: string, fallback: boolean) => (stored.has(key) ? stored.get(key) === 'on' : fallback);
  const limit = Number(stored.get(KEYS.linkLimit));
  return {
    firstComment: flag(KEYS.firstComment, DEFAULT_HOLD_RULES.firstComment),
    links: flag(KEYS.links, DEFAULT_HOLD_RULES.links),
    linkLimit: isLinkLimit(limit) ? limit : DEFAULT_HOLD_RULES.linkLimit,
    blocklist: flag(KEYS.blocklist, DEFAULT_HOLD_RULES.blocklist),
  };
}

export async function readHoldRules(db: Db): Promise<HoldRules> {
  return holdRulesIn(db);
}

/** Saves the rules (the link limit checked by the caller: isLinkLimit), logged. */
export function saveHoldRules(db: Db, author: LogAuthor, rules: HoldRules, now = Date.now()): void {
  const rows = [
    { key: KEYS.firstComment, value: rules.firstComment ? 'on' : 'off' },
    { key: KEYS.links, value: rules.links ? 'on' : 'off' },
    { key: KEYS.linkLimit, value: String(rules.linkLimit) },
    { key: KEYS.blocklist, value: rules.blocklist ? 'on' : 'off' },
  ];
  db.transaction((tx) => {
    for (const row of rows) {
      tx.insert(settings).values(row).onConflictDoUpdate({ target: settings.key, set: { value: row.value } }).run();
    }
    writeLog(tx, author, { action: 'rules', targetType: 'setting', targetId: 'hold', note: describeRules(rules) }, now);
  });
}
