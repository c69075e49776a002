// The account forms' fields. Each is text, '' when missing; what a username, password or display
// name may be is the rules' business (rules.ts), applied by the service so the pages, the command
// line and the tests get the same answers in the same order. Sign-in in particular checks nothing
// here: every wrong combination must read the same (service.ts).
import { z } from 'astro/zod';

const text = () => z.string().default('');

export const signInSchema = z.object({ username: text(), password: text() });

export const signUpSchema = z.object({ username: text(), displayName: text(), password: text(), confirm: text() });

export const displayNameSchema = z.object({ displayName: text() });

export const passwordSchema = z.object({ current: text(), password: text(), confirm: text() });

export const deleteSchema = z.object({ current: text() });

/** Sign out this session, or (`others`) every other session of the account. */
export const signOutSchema = z.object({ scope: z.enum(['others'], 'That is not a way to sign out.').optional() });

/** One of the reader's other sessions, by the handle the account page shows. */
export const revokeSchema = z.object({ session: text() });
