// The discussion's forms, as the routes read them (parseForm). The body is checked by the rules
// (checkBody: characters counted as a reader counts them), not here.
import { z } from 'astro/zod';
import { idField } from '../../http/form.ts';

/**
 * A new comment, or a reply to `parent`. A comment on a passage also names its block (`passage`)
 * and the words it quotes, with the text before and after them to tell repeats apart; the
 * passage rules check those (src/features/passages/anchoring.ts), not this schema.
 */
export const newCommentForm = z.object({
  essay: z.string().default(''),
  parent: z
    .union([z.literal(''), idField()], { error: 'That reply points at no comment.' })
    .default('')
    .transform((id) => (id === '' ? null : id)),
  body: z.string().default(''),
  passage: z.string().default(''),
  quote: z.string().default(''),
  quote_prefix: z.string().default(''),
  quote_suffix: z.string().default(''),
});

export const editCommentForm = z.object({
  body: z.string().default(''),
});

/** The state the reader wants (`liked=1` or `0`), never "toggle": a repeated request cannot flip it back. */
export const likeForm = z.object({
  // Exactly what the like button sends: anything else is a form the site never wrote (outside review).
  liked: z.enum(['0', '1'], 'That is neither a like nor an unlike.').transform((value) => value === '1'),
});
