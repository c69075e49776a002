// A new comment or reply (/comments/new). GET: the form on its own page (Reply without
// JavaScript). POST: post it, then redirect to it (post/redirect/get), or, for the script, the
// rendered comment and where it goes. A refused comment comes back in its form with the text and
// the reason; the comment answered is quoted only where the reader may read it there.
import { countComments, findComment, locateComment } from '../../../../db/discussion/thread-reads.ts';
import type { ParsedForm } from '../../../http/form.ts';
import { parseId } from '../../../http/form.ts';
import { withNext } from '../../accounts/safe-next.ts';
import type { Refusal } from '../../refusal.ts';
import { submittedAnchor, type PassageFields } from '../../passages/anchoring.ts';
import { encodePassageCounts } from '../../passages/margin-rules.ts';
import { countPassageComments } from '../../passages/service.ts';
import { commentPageUrl, loadCommentNode } from '../page.ts';
import { mayQuoteAsParent, refusal } from '../rules.ts';
import type { newCommentForm } from '../schemas.ts';
import { createComment, isClosed } from '../service.ts';
import type { ThreadNode, ThreadRow } from '../thread.ts';
import type { EssayInfo } from '../types.ts';
import type { Answer, DiscussionRequest } from './answer.ts';
import type { z } from 'astro/zod';

export interface CommentFormProps {
  mode: 'new' | 'reply' | 'edit';
  essay: string;
  parentId?: number | null;
  commentId?: number;
  value: string;
  message: string | null;
  cancelHref: string;
  /** The passage a new comment quotes, as the form carries it (refilled as typed after a refusal). */
  passage?: PassageFormValue | null;
}

/** The passage fields of a comment form: the block, the words quoted, and the text either side of them. */
export interface PassageFormValue {
  block: string;
  quote: string;
  prefix: string;
  suffix: string;
}

/** The passage fields as typed, or null when the form names no passage. */
export function passageFormValue(typed: PassageFields): PassageFormValue | null {
  const block = typed.passage ?? '';
  return block === '' ? null : { block, quote: typed.quote ?? '', prefix: typed.quote_prefix ?? '', suffix: typed.quote_suffix ?? '' };
}

export type NewCommentView =
  | { kind: 'created'; node: ThreadNode; essay: string; closed: boolean }
  | {
      kind: 'form';
      essay: EssayInfo | null;
      form: CommentFormProps;
      /** The comment answered, where this reader may read it here. */
      quote: ThreadRow | null;
      /** Where to sign in, for a signed-out reader (their text stays in the form). */
      signIn: string | null;
    };

/** The form, refilled only from this request, with the reason it was refused. */
async function formView(
  request: DiscussionRequest,
  input: { essaySlug: string; essay: EssayInfo | null; parentId: number | null; body: string; refusal: Refusal | null; passage?: PassageFormValue | null },
): Promise<Answer<NewCommentView>> {
  const { db, reader } = request;
  const { essay, parentId } = input;
  const parent = essay && parentId !== null ? await findComment(db, parentId) : undefined;
  const shown = parent && parent.rootId !== null ? await loadCommentNode(db, { rootId: parent.rootId, commentId: parent.id, reader }) : null;
  const quote = shown && mayQuoteAsParent(shown.node.comment, reader) ? shown.node.comment : null;
  const form: CommentFormProps = {
    mode: parentId !== null ? 'reply' : 'new',
    essay: input.essaySlug,
    parentId,
    value: input.body,
    message: input.refusal?.message ?? null,
    cancelHref: parentId !== null ? `/comments/${parentId}` : essay ? commentPageUrl(essay.slug, 1) : '/',
    passage: input.passage ?? null,
  };
  const signIn = reader.account ? null : withNext('/signin', essay ? commentPageUrl(essay.slug, 1) : '/');
  return { view: { kind: 'form', essay, form, quote, signIn }, refusal: input.refusal };
}

export async function newCommentPage(request: DiscussionRequest, query: URLSearchParams): Promise<Answer<NewCommentView>> {
  const essaySlug = query.get('essay') ?? '';
  const essay = await request.essayOf(essaySlug);
  const parentId = parseId(query.get('parent'));
  if (essay && !request.reader.account) return { redirect: withNext('/signin', request.here) };
  return formView(request, { essaySlug, essay, parentId, body: '', refusal: essay ? null : refusal('unknown-essay') });
}

export async function postNewComment(request: DiscussionRequest, form: ParsedForm<z.output<typeof newCommentForm>>): Promise<Answer<NewCommentView>> {
  const { db, reader, now } = request;
  const essaySlug = form.typed.essay ?? '';
  const essay = await request.essayOf(essaySlug);
  const parentId = form.ok ? form.data.parent : parseId(form.typed.parent);
  const body = form.typed.body ?? '';
  const passage = passageFormValue(form.typed);
  const posted = form.ok
    ? await createComment(db, { reader, essay, parentId, body: form.data.body, now, passage: submittedAnchor(form.data), passagesOf: request.passagesOf })
    : form.refusal;
  if (!posted.ok) return formView(request, { essaySlug, essay, parentId, body, refusal: posted, passage });

  const stored = (await findComment(db, posted.id))!;
  if (!request.fragment) {
    // A passage comment goes back to its passage's page (where a reader without a script posts it from).
    const where = await locateComment(db, posted.id, reader, posted.passage);
    return { redirect: commentPageUrl(stored.essay, where?.page ?? 1, posted.id, posted.passage) };
  }
  const found = await loadCommentNode(db, { rootId: stored.rootId ?? posted.id, commentId: posted.id, reader });
  // Not shown to its own author (no such status today): send the reader to the thread instead.
  if (!found) return { redirect: commentPageUrl(stored.essay, 1) };
  return {
    view: { kind: 'created', node: found.node, essay: stored.essay, closed: essay ? await isClosed(db, essay) : false },
    status: posted.duplicate ? 200 : 201,
    headers: {
      'X-List-Owner': found.listOwner === null ? '' : String(found.listOwner),
      'X-Comment-Count': String(await countComments(db, stored.essay)),
      // The margin's counts as they are now, for the essay page's markers.
      'X-Passage-Counts': encodePassageCounts(countPassageComments(db, stored.essay)),
    },
  };
}
