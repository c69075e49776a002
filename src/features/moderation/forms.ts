// The moderation pages' forms: each reads its fields through its schema, calls one service and
// says what was done. A page lists the forms it shows and answers their POST itself (http.ts);
// forms that share a page are told apart by `action`.
import type { z } from 'astro/zod';
import { database } from '../../../db/connection.ts';
import type { Reader } from '../accounts/reader.ts';
import { parseId } from '../../http/form.ts';
import { refuse, type Outcome } from '../refusal.ts';
import { correctionsById } from '../reading/correction-index.ts';
import { essayTitles } from '../reading/essay-titles.ts';
import { builtPassages } from '../passages/service.ts';
import { describeRules } from './hold-rules.ts';
import { COMMENT_ACTION_LABELS, notFlaggable } from './rules.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

/** A form that was done, with the notice to show; or why not. */
export type Done = Outcome<{ notice: string }>;

export interface PageForm {
  schema: z.ZodObject;
  run(data: unknown, context: { reader: Reader; params: Record<string, string | undefined> }): Promise<Done>;
}

function pageForm<S extends z.ZodObject>(schema: S, run: (data: z.output<S>, context: Parameters<PageForm['run']>[1]) => Done | Promise<Done>): PageForm {
  return { schema, run: async (data, context) => run(data as z.output<S>, context) };
}

/** The outcome of a service with the notice its success reads as. */
function said<T extends object>(outcome: Outcome<T>, notice: (done: T) => string): Done {
  return outcome.ok ? { ok: true, notice: notice(outcome) } : outcome;
}

const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

export const commentActions = pageForm(schemas.commentActionForm, (data, { reader }) =>
  said(service.moderate(database(), reader, data), ({ done }) => `${COMMENT_ACTION_LABELS[data.action]}: done for ${done === 1 ? `comment #${data.ids[0]}` : `${done} comments`}.`),
);

export const closeDiscussion = pageForm(schemas.closeForm, async (data, { reader }) => {
  const closing = data.action === 'close';
  const outcome = service.setDiscussionOpen(database(), reader, { essay: data.essay, closed: closing, note: data.note }, await essayTitles());
  return said(outcome, ({ title }) => `The discussion of “${title}” is ${closing ? 'closed' : 'open again'}.`);
});

export const pinComment = pageForm(schemas.pinForm, async (data, { reader }) =>
  said(service.pin(database(), reader, data.comment, await essayTitles()), ({ title }) => `Comment #${data.comment} is pinned to the top of “${title}”.`),
);

export const unpinComment = pageForm(schemas.unpinForm, async (data, { reader }) =>
  said(service.unpin(database(), reader, data.essay, await essayTitles()), ({ title }) => `Nothing is pinned on “${title}” now.`),
);

export const banUser = pageForm(schemas.banForm, (data, { reader }) =>
  said(
    service.ban(database(), reader, data.user, { hideComments: data.hide, reason: data.reason, note: data.note }),
    ({ username, hidden }) => `${username} is banned${hidden ? `; ${count(hidden, 'comment', 'comments')} hidden` : ''}.`,
  ),
);

export const unbanUser = pageForm(schemas.unbanForm, (data, { reader }) =>
  said(
    service.unban(database(), reader, data.user, { restoreComments: data.restore }),
    ({ username, restored }) => `${username} is no longer banned${restored ? `; ${count(restored, 'comment', 'comments')} restored` : ''}.`,
  ),
);

export const addPhrase = pageForm(schemas.addPhraseForm, (data, { reader }) =>
  said(service.addPhrase(database(), reader, data.phrase), ({ phrase }) => `“${phrase}” is on the blocklist: new comments containing it wait for review.`),
);

export const removePhrase = pageForm(schemas.removePhraseForm, (data, { reader }) => said(service.removePhrase(database(), reader, data.id), () => 'The phrase is off the blocklist.'));

export const holdRules = pageForm(schemas.holdRulesForm, (data, { reader }) => {
  const rules = { firstComment: data.firstComment, links: data.links, linkLimit: data.linkLimit, blocklist: data.blocklist };
  return said(service.saveRules(database(), reader, rules), () => `Holding rules saved: ${describeRules(rules)}.`);
});

/** On /admin/comments/<id>: link that comment to the correction it led to, or remove the link. */
export const correctionLink = pageForm(schemas.correctionLinkForm, async (data, { reader, params }) => {
  const commentId = parseId(params.id);
  if (commentId === null) return refuse('not-found', 'There is no such comment.');
  const input = { commentId, correction: data.correction };
  if (data.action === 'unlink-correction') {
    return said(service.unlinkFromCorrection(database(), reader, input), ({ correction }) => `Comment #${commentId} is no longer linked to correction ${correction}.`);
  }
  const corrections = new Map([...(await correctionsById())].map(([id, c]) => [id, { id, essay: c.essay.id }]));
  return said(service.linkToCorrection(database(), reader, input, corrections), ({ correction }) => `Comment #${commentId} is linked to correction ${correction}: it shows “Led to a correction”.`);
});

/** On /admin/detached: re-attach a detached passage comment to a block of the essay as built, or leave it. */
export const reattachPassage = pageForm(schemas.reattachForm, (data, { reader }) =>
  said(service.reattach(database(), reader, { commentId: data.comment, block: data.passage.trim(), quote: data.quote }, builtPassages), ({ block }) => `Comment #${data.comment} is attached to ${block} again.`),
);

export const leaveDetached = pageForm(schemas.leaveDetachedForm, (data, { reader }) =>
  said(service.leaveAsDetached(database(), reader, data.comment), () => `Comment #${data.comment} stays on an earlier version of its passage.`),
);

export const answerAppeal = pageForm(schemas.answerForm, (data, { reader }) => said(service.answer(database(), reader, data.id, data.answer), () => `Appeal #${data.id} is answered.`));

// ---- readers' forms -------------------------------------------------------------------------

/** The flag form of /moderation/flag/<id>. */
export const flagComment = pageForm(schemas.flagForm, (data, { reader, params }) => {
  const commentId = parseId(params.id);
  if (commentId === null) return notFlaggable();
  return said(service.flag(database(), reader, { commentId, ...data }), ({ hidden }) =>
    hidden ? 'Thank you. Enough readers have flagged this comment that it is hidden until a moderator reviews it.' : 'Thank you: a moderator will look at this comment.',
  );
});

export const appeal = pageForm(schemas.appealForm, (data, { reader }) =>
  said(
    service.appeal(database(), reader, { commentId: data.about === 'ban' ? null : data.about, message: data.message }),
    () => 'Your appeal is with the moderators. Their answer will appear on this page.',
  ),
);
