// POST: close or reopen an essay's discussion; pin or unpin a comment.
import { getCollection } from 'astro:content';
import { database } from '../../../../db/connection.ts';
import { pinComment, setDiscussionClosed, unpinComment } from '../../../../db/discussion/discussions.ts';
import { ModerationError } from '../../../../db/moderation/moderation-errors.ts';
import { adminAction, idField } from '../../../features/moderation/http.ts';

export const prerender = false;

async function essayTitle(slug: string): Promise<string> {
  const essay = (await getCollection('essays')).find((e) => e.id === slug);
  if (!essay) throw new ModerationError('bad-input', 'There is no such essay.');
  return essay.data.title;
}

export const POST = adminAction(async ({ form, actor }) => {
  const db = database();
  switch (form.text('action')) {
    case 'close':
    case 'reopen': {
      const closing = form.text('action') === 'close';
      const title = await essayTitle(form.text('essay'));
      await setDiscussionClosed(db, actor, form.text('essay'), closing, form.text('note'));
      return `The discussion of “${title}” is ${closing ? 'closed' : 'open again'}.`;
    }
    case 'pin': {
      const id = idField(form, 'comment', 'comment');
      const essay = await pinComment(db, actor, id);
      return `Comment #${id} is pinned to the top of “${await essayTitle(essay).catch(() => essay)}”.`;
    }
    case 'unpin': {
      const title = await essayTitle(form.text('essay'));
      await unpinComment(db, actor, form.text('essay'));
      return `Nothing is pinned on “${title}” now.`;
    }
    default:
      throw new ModerationError('bad-input', 'Choose close, reopen, pin or unpin.');
  }
});
