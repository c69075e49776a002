// The moderation forms' fields. A schema checks a form's shape (ids are ids, a reason is one of
// the four, a checkbox is on or off); what the values may be (a note's length, a reason a hide
// needs, an appeal's length) is the rules' business, applied by the service, so the pages, the
// command line and the tests get the same answers. Forms that share a page are told apart by
// `action`, the value of the button that sent them (or a hidden field of that name).
import { z } from 'astro/zod';
import { idField, parseId } from '../../http/form.ts';
import { LINK_LIMIT_MESSAGE } from './hold-rules.ts';
import { MODERATION_REASONS, type ModerationReason } from './reasons.ts';
import { COMMENT_ACTIONS } from './rules.ts';

const text = () => z.string().default('');
const checkbox = () => z.string().optional().transform((value) => value === 'on');

/** A reason from a select that may offer "(none)": the reason, or null. */
const optionalReason = z
  .enum(['', ...MODERATION_REASONS], 'Choose a reason: spam, abuse, off-topic or other.')
  .optional()
  .transform((reason): ModerationReason | null => reason || null);

/** A number an admin types ("12", or "#12" as the dashboard shows it); refused with what was typed. */
const typedNumber = (label: string) =>
  z
    .string()
    .default('')
    .transform((raw, context) => {
      const typed = raw.trim();
      const id = parseId(typed.replace(/^#/, ''));
      if (id === null) context.addIssue({ code: 'custom', message: typed ? `"${typed.slice(0, 20)}" is not a ${label} number.` : `Give a ${label} number.` });
      return id ?? 0;
    });

// ---- the dashboard's forms ------------------------------------------------------------------

/** Approve, hide, mark as spam, restore or delete for good: one comment, or the queue's selection. */
export const commentActionForm = z.object({
  action: z.enum(COMMENT_ACTIONS, 'Choose what to do with the selected comments.'),
  ids: z.array(idField('comment')),
  reason: optionalReason,
  note: text(),
});

export const closeForm = z.object({ action: z.enum(['close', 'reopen']), essay: text(), note: text() });
export const pinForm = z.object({ action: z.literal('pin'), comment: typedNumber('comment') });
export const unpinForm = z.object({ action: z.literal('unpin'), essay: text() });

export const banForm = z.object({ action: z.literal('ban'), user: text(), hide: checkbox(), reason: optionalReason, note: text() });
export const unbanForm = z.object({ action: z.literal('unban'), user: text(), restore: checkbox() });

export const addPhraseForm = z.object({ action: z.literal('add'), phrase: text() });
export const removePhraseForm = z.object({ action: z.literal('remove'), id: idField('blocklist entry') });

export const holdRulesForm = z.object({
  action: z.literal('rules'),
  firstComment: checkbox(),
  links: checkbox(),
  blocklist: checkbox(),
  linkLimit: z.string().trim().regex(/^\d{1,6}$/, LINK_LIMIT_MESSAGE).transform(Number),
});

export const answerForm = z.object({ action: z.literal('answer'), id: idField('appeal'), answer: text() });

/** A comment's link to the correction it led to (the comment is the page's): made, or removed. */
export const correctionLinkForm = z.object({ action: z.enum(['link-correction', 'unlink-correction']), correction: text() });

/** A detached passage comment (/admin/detached): re-attached to a block of the essay as it stands (optionally to some of its words), or left as it is. */
export const reattachForm = z.object({ action: z.literal('reattach'), comment: idField('comment'), passage: text(), quote: text() });
export const leaveDetachedForm = z.object({ action: z.literal('leave'), comment: idField('comment') });

// ---- readers' forms -------------------------------------------------------------------------

export const flagForm = z.object({
  reason: z.enum(MODERATION_REASONS, 'Choose why you are flagging it: spam, abuse, off-topic or other.'),
  note: text(),
});

/** An appeal about a comment of the reader's (its number) or their ban. */
export const appealForm = z.object({
  about: z.union([z.literal('ban'), idField()], 'Choose the comment you are appealing about.'),
  message: text(),
});
