// POST: add a phrase to the blocklist or remove one.
import { addBlockedPhrase, removeBlockedPhrase } from '../../../../db/moderation/blocklist.ts';
import { database } from '../../../../db/connection.ts';
import { ModerationError } from '../../../../db/moderation/moderation-errors.ts';
import { adminAction, idField } from '../../../features/moderation/http.ts';

export const prerender = false;

export const POST = adminAction(async ({ form, actor }) => {
  switch (form.text('action')) {
    case 'add': {
      const entry = await addBlockedPhrase(database(), actor, form.text('phrase'));
      return `“${entry.phrase}” is on the blocklist: new comments containing it wait for review.`;
    }
    case 'remove':
      await removeBlockedPhrase(database(), actor, idField(form, 'id', 'blocklist entry'));
      return 'The phrase is off the blocklist.';
    default:
      throw new ModerationError('bad-input', 'Choose add or remove.');
  }
});
