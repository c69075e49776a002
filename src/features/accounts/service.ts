// The account flows behind the forms: each validates, checks the password where one is needed,
// and changes the database in one step. Pages only read the form and render the outcome.
import { randomUUID } from 'node:crypto';
import { deleteAccount, replacePasswordHash } from '../../../db/accounts/accounts.ts';
import { createUser, findUserById, findUserByUsername, lookAlikeTaken, setDisplayName } from '../../../db/accounts/users.ts';
import { checkDisplayName, checkPassword, checkUsername, PASSWORD_MAX } from './rules.ts';
import { describeWait } from '../../lib/describe-wait.ts';
import type { Client } from './client.ts';
import { hashPassword, verifyNobody, verifyPassword } from './password.ts';
import type { AuthContext } from './sessions.ts';
import { accountThrottleKeys, gateConfirmPassword, gateSignIn, gateSignUp } from './throttle.ts';

export type Failure<F extends string = string> = {
  ok: false;
  status: 400 | 401 | 403 | 404 | 409 | 429;
  message: string;
  /** The field the message is about, so the form can point at it. */
  field?: F;
  retryAfterSeconds?: number;
};

export const SIGN_IN_FAILED = 'That username and password do not match an account.';

function throttled(retryAfterSeconds: number): Failure<never> {
  return {
    ok: false,
    status: 429,
    message: `Too many attempts. Please wait ${describeWait(retryAfterSeconds)} and try again.`,
    retryAfterSeconds,
  };
}

export interface SignUpInput {
  username: string;
  password: string;
  confirm: string;
  displayName: string;
}

export async function signUp(
  ctx: AuthContext,
  input: SignUpInput,
  client: Client,
): Promise<{ ok: true; userId: string } | Failure<'username' | 'password' | 'confirm' | 'displayName'>> {
  const username = checkUsername(input.username);
  if (!username.ok) return { ok: false, status: 400, message: username.message, field: 'username' };
  const displayName = checkDisplayName(input.displayName);
  if (!displayName.ok) return { ok: false, status: 400, message: displayName.message, field: 'displayName' };
  const password = checkPassword(input.password, username.value);
  if (!password.ok) return { ok: false, status: 400, message: password.message, field: 'password' };
  if (input.confirm !== input.password) {
    return { ok: false, status: 400, message: 'The two passwords are not the same.', field: 'confirm' };
  }
  if (await findUserByUsername(ctx.db, username.value)) return taken(username.value);
  // Asked again when the row is written (createUser); asked here so a refusal costs no sign-up allowance.
  if (lookAlikeTaken(ctx.db, username.value)) return usernameLookAlike(username.value);
  if (lookAlikeTaken(ctx.db, displayName.value)) return displayNameLookAlike(displayName.value ?? '');
  const gate = await gateSignUp(ctx.db, ctx.secret, client.address);
  if (!gate.allowed) return throttled(gate.retryAfterSeconds);
  const userId = randomUUID();
  const passwordHash = await hashPassword(password.value);
  const created = await createUser(ctx.db, { id: userId, username: username.value, displayName: displayName.value, passwordHash });
  if (created === 'created') return { ok: true, userId };
  if (created === 'display-name-look-alike') return displayNameLookAlike(displayName.value ?? '');
  return created === 'taken' ? taken(username.value) : usernameLookAlike(username.value);
}

function taken(username: string): Failure<'username'> {
  return { ok: false, status: 409, message: `The username “${username}” is taken: please choose another.`, field: 'username' };
}

function usernameLookAlike(username: string): Failure<'username'> {
  return {
    ok: false,
    status: 409,
    message: `The username “${username}” looks too much like the name of another account: please choose another.`,
    field: 'username',
  };
}

function displayNameLookAlike(displayName: string): Failure<'displayName'> {
  return {
    ok: false,
    status: 409,
    message: `The display name “${displayName}” looks too much like the name of another account: please choose another.`,
    field: 'displayName',
  };
}

export async function signIn(
  ctx: AuthContext,
  input: { username: string; password: string },
  client: Client,
): Promise<{ ok: true; userId: string } | Failure> {
  const gate = await gateSignIn(ctx.db, ctx.secret, input.username, client.address, client.knownDevice ?? null);
  if (!gate.allowed) return throttled(gate.retryAfterSeconds);
  const failed: Failure = { ok: false, status: 401, message: SIGN_IN_FAILED };
  if (input.password.length > PASSWORD_MAX * 4) return failed;
  const user = input.username.trim() ? await findUserByUsername(ctx.db, input.username.trim()) : undefined;
  const matches = user ? await verifyPassword(user.passwordHash, input.password) : await verifyNobody(input.password);
  if (!user || !matches) return failed;
  await gate.pass();
  return { ok: true, userId: user.id };
}

/**
 * Checks a signed-in reader's password before a change that needs it. Throttled per account,
 * not by the sign-in limits: outsiders can fill those, and they must not block the owner here.
 */
async function confirmPassword(ctx: AuthContext, userId: string, password: string): Promise<true | Failure<'current'>> {
  const user = await findUserById(ctx.db, userId);
  if (!user) return { ok: false, status: 401, message: 'Please sign in again.' };
  const gate = await gateConfirmPassword(ctx.db, ctx.secret, user.id);
  if (!gate.allowed) return throttled(gate.retryAfterSeconds);
  if (!(await verifyPassword(user.passwordHash, password))) {
    return { ok: false, status: 403, message: 'That is not your current password.', field: 'current' };
  }
  await gate.pass();
  return true;
}

export async function changePassword(
  ctx: AuthContext,
  who: { userId: string; username: string; sessionId: string },
  input: { current: string; password: string; confirm: string },
): Promise<{ ok: true } | Failure<'current' | 'password' | 'confirm'>> {
  const password = checkPassword(input.password, who.username);
  if (!password.ok) return { ok: false, status: 400, message: password.message, field: 'password' };
  if (input.confirm !== input.password) {
    return { ok: false, status: 400, message: 'The two new passwords are not the same.', field: 'confirm' };
  }
  const confirmed = await confirmPassword(ctx, who.userId, input.current);
  if (confirmed !== true) return confirmed;
  await replacePasswordHash(ctx.db, who.userId, await hashPassword(password.value), who.sessionId);
  return { ok: true };
}

export async function changeDisplayName(ctx: AuthContext, userId: string, raw: string): Promise<{ ok: true } | Failure<'displayName'>> {
  const displayName = checkDisplayName(raw);
  if (!displayName.ok) return { ok: false, status: 400, message: displayName.message, field: 'displayName' };
  if (!(await setDisplayName(ctx.db, userId, displayName.value))) return displayNameLookAlike(displayName.value ?? '');
  return { ok: true };
}

export async function deleteAccountWithPassword(
  ctx: AuthContext,
  who: { userId: string; username: string },
  password: string,
): Promise<{ ok: true } | Failure<'current'>> {
  const confirmed = await confirmPassword(ctx, who.userId, password);
  if (confirmed !== true) return confirmed;
  await deleteAccount(ctx.db, who.userId, accountThrottleKeys(ctx.secret, who));
  return { ok: true };
}
