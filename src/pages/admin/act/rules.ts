// POST: switch the holding rules on or off, and set how many links hold a comment.
import { database } from '../../../../db/connection.ts';
import { ModerationError } from '../../../../db/moderation/moderation-errors.ts';
import { describeRules, MAX_LINK_LIMIT, MIN_LINK_LIMIT, saveHoldRules } from '../../../../db/moderation/moderation-settings.ts';
import { adminAction } from '../../../features/moderation/http.ts';

export const prerender = false;

export const POST = adminAction(async ({ form, actor }) => {
  const raw = form.text('linkLimit').trim();
  const linkLimit = Number(raw);
  if (!/^\d+$/.test(raw) || linkLimit < MIN_LINK_LIMIT || linkLimit > MAX_LINK_LIMIT) {
    throw new ModerationError('bad-input', `The link limit must be a whole number from ${MIN_LINK_LIMIT} to ${MAX_LINK_LIMIT}.`);
  }
  const rules = {
    firstComment: form.text('firstComment') === 'on',
    links: form.text('links') === 'on',
    linkLimit,
    blocklist: form.text('blocklist') === 'on',
  };
  await saveHoldRules(database(), actor, rules);
  return `Holding rules saved: ${describeRules(rules)}.`;
});
