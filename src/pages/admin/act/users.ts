// POST: ban (optionally hiding every comment of theirs) or unban a reader.
import { database } from '../../../../db/connection.ts';
import { ModerationError } from '../../../../db/moderation-errors.ts';
import { banUser, unbanUser } from '../../../../db/user-moderation.ts';
import { adminAction, field } from '../../../handlers/moderation.ts';

export const prerender = false;

export const POST = adminAction(async ({ form, actor }) => {
  const userId = field(form, 'user');
  const name = field(form, 'username') || 'The account';
  switch (field(form, 'action')) {
    case 'ban': {
      const { hidden } = await banUser(database(), actor, userId, {
        hideComments: field(form, 'hide') === 'on',
        reason: field(form, 'reason') || null,
        note: field(form, 'note'),
      });
      return `${name} is banned${hidden ? `; ${hidden === 1 ? '1 comment' : `${hidden} comments`} hidden` : ''}.`;
    }
    case 'unban':
      await unbanUser(database(), actor, userId);
      return `${name} is no longer banned.`;
    default:
      throw new ModerationError('bad-input', 'Choose ban or unban.');
  }
});
