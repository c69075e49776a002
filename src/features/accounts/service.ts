// The account flows behind the forms: each checks the input by the rules (rules.ts), checks the
// password where one is needed, and changes the database in one step. Each answers an Outcome:
// its result, or a Refusal whose code the page turns into a status at the edge.
import { randomUUID } from 'node:crypto';
import type { AstroCookies } from 'astro';
import { accountData, deleteAccount, replacePasswordHash, type AccountData } from '../../../db/accounts/accounts.ts';
import { createUser, findUserById, findUserByUsername, lookAlikeTaken, setDisplayName } from '../../../db/accounts/users.ts';
import { describeWait } from '../../lib/describe-wait.ts';
import { refuse, type Outcome, type Refusal } from '../refusal.ts';
import type { Browser, Client } from './client.ts';
import { buildAccountExport, exportFileName } from './export.ts';
import type { Account, Reader } from './reader.ts';
import { hashPassword, verifyNobody, verifyPassword } from './password.ts';
import { checkDisplayName, checkPassword, checkUsername, PASSWORD_MAX, whyNotRename } from './rules.ts';
import { endSession, listSessionsFor, rememberDevice, revokeOtherSessions, startSession, type AuthContext, type ListedSession, type Session } from './sessions.ts';
import { accountThrottleKeys, gateConfirmPassword, gateSignIn, gateSignUp } from './throttle.ts';

export const SIGN_IN_FAILED = 'That username and password do not match an account.';
const SIGN_IN_AGAIN = 'Please sign in again.';

function throttled(retryAfterSeconds: number): Refusal {
  return refuse('rate-limited', `Too many attempts. Please wait ${describeWait(retryAfterSeconds)} and try again.`, { retryAfterSeconds });
}

const taken = (username: string) => refuse('conflict', `The username “${username}” is taken: please choose another.`, { field: 'username' });

function lookAlike(field: 'username' | 'displayName', name: string): Refusal {
  const what = field === 'username' ? 'username' : 'display name';
  return refuse('conflict', `The ${what} “${name}” looks too much like the name of another account: please choose another.`, { field });
}

export interface SignUpInput {
  username: string;
  password: string;
  confirm: string;
  displayName: string;
}

export async function signUp(ctx: AuthContext, input: SignUpInput, client: Client): Promise<Outcome<{ userId: string }>> {
  const username = checkUsername(input.username);
  if (!username.ok) return username;
  const displayName = checkDisplayName(input.displayName);
  if (!displayName.ok) return displayName;
  const password = checkPassword(input.password, username.value);
  if (!password.ok) return password;
  if (input.confirm !== input.password) return refuse('invalid', 'The two passwords are not the same.', { field: 'confirm' });
  if (await findUserByUsername(ctx.db, username.value)) return taken(username.value);
  // Asked again when the row is written (createUser); asked here so a refusal costs no sign-up allowance.
  if (lookAlikeTaken(ctx.db, username.value)) return lookAlike('username', username.value);
  if (lookAlikeTaken(ctx.db, displayName.value)) return lookAlike('displayName', displayName.value ?? '');
  const gate = await gateSignUp(ctx.db, ctx.secret, client.address);
  if (!gate.allowed) return throttled(gate.retryAfterSeconds);
  const userId = randomUUID();
  const passwordHash = await hashPassword(password.value);
  const created = await createUser(ctx.db, { id: userId, username: username.value, displayName: displayName.value, passwordHash });
  if (created === 'created') return { ok: true, userId };
  if (created === 'display-name-look-alike') return lookAlike('displayName', displayName.value ?? '');
  return created === 'taken' ? taken(username.value) : lookAlike('username', username.value);
}

/**
 * Checks a username and password. Every wrong combination (unknown username, wrong password,
 * an absurdly long one) is the same refusal after the same work, so nothing tells which
 * usernames exist.
 */
export async function signIn(ctx: AuthContext, input: { username: string; password: string }, client: Client): Promise<Outcome<{ userId: string }>> {
  const gate = await gateSignIn(ctx.db, ctx.secret, input.username, client.address, client.knownDevice ?? null);
  if (!gate.allowed) return throttled(gate.retryAfterSeconds);
  if (input.password.length > PASSWORD_MAX * 4) return refuse('wrong-password', SIGN_IN_FAILED);
  const user = input.username.trim() ? await findUserByUsername(ctx.db, input.username.trim()) : undefined;
  const matches = user ? await verifyPassword(user.passwordHash, input.password) : await verifyNobody(input.password);
  if (!user || !matches) return refuse('wrong-password', SIGN_IN_FAILED);
  await gate.pass();
  return { ok: true, userId: user.id };
}

/** This browser signed in as `userId`: its session cookie, and the mark of a device the account knows (throttle.ts). */
async function signInHere(ctx: AuthContext, browser: Browser, userId: string, username: string): Promise<void> {
  await startSession(ctx, browser.cookies, userId, browser.userAgent);
  rememberDevice(ctx, browser.cookies, username);
}

/** The sign-up form: the account made, and the browser that made it signed in. */
export async function signUpBrowser(ctx: AuthContext, browser: Browser, input: SignUpInput): Promise<Outcome<{ userId: string }>> {
  const result = await signUp(ctx, input, browser);
  if (result.ok) await signInHere(ctx, browser, result.userId, input.username);
  return result;
}

/** The sign-in form: the password checked, and the browser signed in. */
export async function signInBrowser(ctx: AuthContext, browser: Browser, input: { username: string; password: string }): Promise<Outcome<{ userId: string }>> {
  const result = await signIn(ctx, input, browser);
  if (result.ok) await signInHere(ctx, browser, result.userId, input.username);
  return result;
}

/**
 * Ends this browser's session (and clears its cookie), or with `others` every other session of
 * its account, answering how many ended.
 */
export async function signOut(ctx: AuthContext, cookies: AstroCookies, session: Session | null, scope?: 'others'): Promise<Outcome<{ othersEnded: number | null }>> {
  if (scope !== 'others') {
    await endSession(ctx, cookies, session?.id ?? null);
    return { ok: true, othersEnded: null };
  }
  if (!session) return refuse('signed-out', SIGN_IN_AGAIN);
  return { ok: true, othersEnded: await revokeOtherSessions(ctx, session.userId, session.id) };
}

/**
 * Checks a signed-in reader's password before a change that needs it. Throttled per account,
 * not by the sign-in limits: outsiders can fill those, and they must not block the owner here.
 */
async function confirmPassword(ctx: AuthContext, account: Account, password: string): Promise<Refusal | null> {
  const user = await findUserById(ctx.db, account.id);
  if (!user) return refuse('signed-out', SIGN_IN_AGAIN);
  const gate = await gateConfirmPassword(ctx.db, ctx.secret, user.id);
  if (!gate.allowed) return throttled(gate.retryAfterSeconds);
  if (!(await verifyPassword(user.passwordHash, password))) return refuse('forbidden', 'That is not your current password.', { field: 'current' });
  await gate.pass();
  return null;
}

export interface PasswordChange {
  current: string;
  password: string;
  confirm: string;
}

/**
 * A new password, confirmed with the current one; every session of the account ends, the one
 * asking too, so a session id someone else has learned stops working with the old password.
 */
export async function changePassword(ctx: AuthContext, reader: Reader, input: PasswordChange): Promise<Outcome> {
  const { account } = reader;
  if (!account) return refuse('signed-out', SIGN_IN_AGAIN);
  const password = checkPassword(input.password, account.username);
  if (!password.ok) return password;
  if (input.confirm !== input.password) return refuse('invalid', 'The two new passwords are not the same.', { field: 'confirm' });
  const refused = await confirmPassword(ctx, account, input.current);
  if (refused) return refused;
  await replacePasswordHash(ctx.db, account.id, await hashPassword(password.value));
  return { ok: true };
}

/** The password form: the password changed, and this browser signed in again with a fresh session id. */
export async function changePasswordBrowser(ctx: AuthContext, browser: Browser, reader: Reader, input: PasswordChange): Promise<Outcome> {
  const result = await changePassword(ctx, reader, input);
  if (result.ok) await startSession(ctx, browser.cookies, reader.account!.id, browser.userAgent);
  return result;
}

export async function changeDisplayName(ctx: AuthContext, reader: Reader, raw: string): Promise<Outcome> {
  if (!reader.account) return refuse('signed-out', SIGN_IN_AGAIN);
  const suspended = whyNotRename(reader);
  if (suspended) return suspended;
  const displayName = checkDisplayName(raw);
  if (!displayName.ok) return displayName;
  if (!(await setDisplayName(ctx.db, reader.account.id, displayName.value))) return lookAlike('displayName', displayName.value ?? '');
  return { ok: true };
}

export async function deleteAccountWithPassword(ctx: AuthContext, reader: Reader, password: string): Promise<Outcome> {
  const { account } = reader;
  if (!account) return refuse('signed-out', SIGN_IN_AGAIN);
  const refused = await confirmPassword(ctx, account, password);
  if (refused) return refused;
  await deleteAccount(ctx.db, account.id, accountThrottleKeys(ctx.secret, { userId: account.id, username: account.username }));
  return { ok: true };
}

/** Everything kept about the reader, as the account page lists it; `sessionId` is this browser's session. */
export async function accountOverview(ctx: AuthContext, reader: Reader, sessionId: string): Promise<Outcome<{ data: AccountData; sessions: ListedSession[] }>> {
  const { account } = reader;
  const data = account ? await accountData(ctx.db, account.id) : undefined;
  if (!account || !data) return refuse('signed-out', SIGN_IN_AGAIN);
  return { ok: true, data, sessions: await listSessionsFor(ctx, account.id, sessionId) };
}

/** The same as one JSON download, and the file's name. */
export async function accountExport(ctx: AuthContext, reader: Reader, sessionId: string, now = Date.now()): Promise<Outcome<{ json: string; fileName: string }>> {
  const overview = await accountOverview(ctx, reader, sessionId);
  if (!overview.ok) return overview;
  const body = buildAccountExport(overview.data, overview.sessions, now);
  return { ok: true, json: JSON.stringify(body, null, 2), fileName: exportFileName(overview.data.account.username, now) };
}
