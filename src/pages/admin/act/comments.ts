// POST: approve, hide, mark as spam, restore or delete for good one or many comments.
import { database } from '../../../../db/connection.ts';
import { COMMENT_ACTION_LABELS, isCommentAction, moderateComments } from '../../../../db/moderation/comment-moderation.ts';
import { ModerationError } from '../../../../db/moderation/moderation-errors.ts';
import { adminAction } from '../../../features/moderation/http.ts';

export const prerender = false;

export const POST = adminAction(async ({ form, actor }) => {
  const action = form.text('action');
  if (!isCommentAction(action)) throw new ModerationError('bad-input', 'Choose what to do with the selected comments.');
  const raw = form.all('ids');
  const ids = raw.map(Number);
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw new ModerationError('bad-input', 'A selected comment number is not valid.');
  const done = await moderateComments(database(), actor, ids, action, { reason: form.text('reason') || null, note: form.text('note') });
  const what = done === 1 ? `comment #${ids[0]}` : `${done} comments`;
  return `${COMMENT_ACTION_LABELS[action]}: done for ${what}.`;
});
