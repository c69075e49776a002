// Like or unlike (/comments/<id>/like; the form says which). Without JavaScript: back to the
// comment; with it: the re-rendered like button. A refused like changes nothing and says why.
import type { z } from 'astro/zod';
import { locateComment } from '../../../../db/discussion/thread-reads.ts';
import type { ParsedForm } from '../../../http/form.ts';
import { withNext } from '../../accounts/safe-next.ts';
import { commentPageUrl } from '../page.ts';
import { refusal } from '../rules.ts';
import type { likeForm } from '../schemas.ts';
import { likeComment } from '../service.ts';
import type { Answer, DiscussionRequest } from './answer.ts';

export type LikeView =
  | { kind: 'button'; commentId: number; liked: boolean; likeCount: number }
  | { kind: 'refused'; message: string; /** Where the reader goes on from the message. */ back: { href: string; label: string } };

export async function postLike(request: DiscussionRequest, id: number | null, form: ParsedForm<z.output<typeof likeForm>>): Promise<Answer<LikeView>> {
  const { db, reader, now } = request;
  const liked = !form.ok ? form.refusal : id === null ? refusal('missing') : await likeComment(db, { reader, id, liked: form.data.liked, essayOf: request.essayOf, now });
  if (!liked.ok) {
    const comment = id !== null ? `/comments/${id}` : '/';
    const back = reader.account ? { href: comment, label: 'Back to the comment' } : { href: withNext('/signin', comment), label: 'Sign in to join the discussion' };
    return { view: { kind: 'refused', message: liked.message, back }, refusal: liked };
  }
  if (!request.fragment) {
    const where = await locateComment(db, id!, reader);
    return { redirect: commentPageUrl(liked.essay, where?.page ?? 1, id!) };
  }
  return { view: { kind: 'button', commentId: id!, liked: liked.liked, likeCount: liked.likeCount } };
}
