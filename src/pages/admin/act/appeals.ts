// POST: answer an appeal (the reader sees the answer; the log records it).
import { answerAppeal } from '../../../../db/moderation/appeals.ts';
import { database } from '../../../../db/connection.ts';
import { adminAction, idField } from '../../../features/moderation/http.ts';

export const prerender = false;

export const POST = adminAction(async ({ form, actor }) => {
  const id = idField(form, 'id', 'appeal');
  await answerAppeal(database(), actor, id, form.text('answer'));
  return `Appeal #${id} is answered.`;
});
