// POST: ban (optionally hiding every comment of theirs) or unban a reader (optionally restoring them).
import { database } from '../../../../db/connection.ts';
import { ModerationError } from '../../../../db/moderation/moderation-errors.ts';
import { banUser, unbanUser } from '../../../../db/moderation/user-moderation.ts';
import { adminAction } from '../../../features/moderation/http.ts';

export const prerender = false;

export const POST = adminAction(async ({ form, actor }) => {
  const userId = form.text('user');
  const name = form.text('username') || 'The account';
  switch (form.text('action')) {
    case 'ban': {
      const { hidden } = await banUser(database(), actor, userId, {
        hideComments: form.text('hide') === 'on',
        reason: form.text('reason') || null,
        note: form.text('note'),
      });
      return `${name} is banned${hidden ? `; ${hidden === 1 ? '1 comment' : `${hidden} comments`} hidden` : ''}.`;
    }
    case 'unban': {
      const { restored } = await unbanUser(database(), actor, userId, { restoreComments: form.text('restore') === 'on' });
      return `${name} is no longer banned${restored ? `; ${restored === 1 ? '1 comment' : `${restored} comments`} restored` : ''}.`;
    }
    default:
      throw new ModerationError('bad-input', 'Choose ban or unban.');
  }
});
