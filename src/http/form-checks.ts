// What every form post must be before any route reads it, asked by the middleware of every POST
// and by the direct posts (features/discussion/direct-posts.ts) before they act: a standard form
// type, a declared length within FORM_LIMIT (browsers always say it, so a chunked body is refused
// rather than buffered without bound), and bytes that read as text.
import { FORM_LIMIT } from './form-body.ts';
import { formEncodingProblem } from './form-encoding.ts';

export const FORM_TYPES = /^(?:application\/x-www-form-urlencoded|multipart\/form-data)/i;

/** Why a post cannot be read as a form, with its status. */
export interface FormProblem {
  status: 400 | 411 | 413 | 415;
  message: string;
}

/** What is wrong with a post before a byte of it is read: its type and declared length. */
export function formHeadProblem(type: string, declaredLength: string | null | undefined): FormProblem | null {
  // Every POST route of the site takes a form; anything else (JSON, text, no type) is refused
  // before a route reads a byte of it, so no route can answer it with what it has stored.
  if (!FORM_TYPES.test(type)) return { status: 415, message: 'This address takes a standard form submission.' };
  if (declaredLength === null || declaredLength === undefined) return { status: 411, message: 'A form submission must say its length.' };
  if (Number(declaredLength) > FORM_LIMIT) return tooLarge;
  return null;
}

/** What is wrong with its bytes, read up to FORM_LIMIT (null when there were more). */
export function formBodyProblem(bytes: Uint8Array | null, type: string): FormProblem | null {
  if (!bytes || bytes.length > FORM_LIMIT) return tooLarge;
  const problem = formEncodingProblem(bytes, type);
  return problem ? { status: 400, message: `That form submission could not be read: ${problem}` } : null;
}

const tooLarge: FormProblem = { status: 413, message: 'That form submission is too large.' };
