// The ballot form: every value sent for each question of the polls (a radio group sends one; the
// ballot rule in polls.ts refuses a question answered twice rather than picking an answer), the
// page to return to, and whether the server island drew the form. Whether the answers fit the
// poll is the rule's business, applied by the service after it has checked who is voting.
import { z } from 'astro/zod';
import { POLLS } from './polls.ts';

const answerFields: Record<string, z.ZodArray<z.ZodString>> = Object.fromEntries(
  POLLS.flatMap((poll) => poll.questions).map((question) => [question.id, z.array(z.string())]),
);

export const ballotSchema = z.object({
  ...answerFields,
  return: z.string().default(''),
  via: z.string().default(''),
});
