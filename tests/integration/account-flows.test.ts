// Sign up, sign in, sessions and password changes through the real flows and a real database.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dataVersion } from '../../db/data-version.ts';
import { sessions, users } from '../../db/schema.ts';
import { findUserByUsername } from '../../db/accounts/users.ts';
import { changeDisplayName, changePassword, signIn, signUp, type SignUpInput } from '../../src/features/accounts/service.ts';
import { ARGON2_OPTIONS, dummyHash } from '../../src/features/accounts/password.ts';
import {
  checkSession,
  flushSessionTouches,
  listSessionsFor,
  revokeOtherSessions,
  revokeSession,
  sessionHandle,
  TOUCH_FLUSH_MS,
  TOUCH_INTERVAL_MS,
  type AuthContext,
} from '../../src/features/accounts/sessions.ts';
import { readerFor } from '../support/account-reader.ts';
import { CLIENT, testAuthContext } from '../support/auth-context.ts';

const PASSWORD = 'kettle-on-the-hob';
let ctx: AuthContext;

beforeEach(() => {
  ctx = testAuthContext();
});

const signUpAs = (username: string, extra: Partial<{ password: string; confirm: string; displayName: string }> = {}) =>
  signUp(ctx, { username, password: extra.password ?? PASSWORD, confirm: extra.confirm ?? extra.password ?? PASSWORD, displayName: extra.displayName ?? '' }, CLIENT);
const userCount = () => ctx.db.select().from(users).all().length;
const newSession = async (userId: string, at = Date.now()) =>
  ctx.lucia.createSession(userId, { createdAt: at, lastUsedAt: at, device: 'Firefox on Linux' });

describe('sign up', () => {
  it('creates an account with an argon2id hash at OWASP’s cost', async () => {
    const result = await signUpAs('Ada_L', { displayName: '  Ada Lovelace ' });
    expect(result.ok).toBe(true);
    const row = await findUserByUsername(ctx.db, 'ada_l');
    expect(row).toMatchObject({ username: 'Ada_L', usernameKey: 'ada_l', displayName: 'Ada Lovelace', role: 'reader' });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
    expect(ARGON2_OPTIONS).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('refuses a taken username without regard to case: 409, nothing written', async () => {
    await signUpAs('ada_l');
    expect(await signUpAs('ADA_L')).toMatchObject({ ok: false, code: 'conflict', field: 'username', message: expect.stringMatching(/taken/) });
    expect(userCount()).toBe(1);
  });

  const BASE: SignUpInput = { username: 'ada_l', password: PASSWORD, confirm: PASSWORD, displayName: '' };
  it.each<[string, Partial<SignUpInput>, string]>([
    ['an invalid username', { username: 'no spaces' }, 'username'],
    ['a reserved username', { username: 'Admin' }, 'username'],
    ['a short password', { password: 'short', confirm: 'short' }, 'password'],
    ['a common password', { password: 'password123', confirm: 'password123' }, 'password'],
    ['the username as password', { username: 'correct-horse', password: 'Correct-Horse', confirm: 'Correct-Horse' }, 'password'],
    ['a mismatched confirmation', { confirm: 'something-else-entirely' }, 'confirm'],
    ['a display name with a bidi override', { displayName: 'Ada\u202E' }, 'displayName'],
  ])('refuses %s with 400 and writes nothing', async (_, input, field) => {
    expect(await signUp(ctx, { ...BASE, ...input }, CLIENT)).toMatchObject({ ok: false, code: 'invalid', field });
    expect(userCount()).toBe(0);
  });

  it('lets only one of two simultaneous sign-ups for a name win', async () => {
    const results = await Promise.all([signUpAs('Racer'), signUpAs('racer')]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: 'conflict' });
    expect(userCount()).toBe(1);
  });
});

describe('sign in', () => {
  it('accepts the right password, whatever the username’s case', async () => {
    const made = await signUpAs('Ada_L');
    expect(await signIn(ctx, { username: ' ada_l ', password: PASSWORD }, CLIENT)).toEqual({ ok: true, userId: made.ok && made.userId });
  });

  it('accepts the password however its accents are encoded', async () => {
    const composed = 'caf\u00e9-au-lait-please';
    await signUpAs('accented', { password: composed });
    const decomposed = 'cafe\u0301-au-lait-please';
    expect(await signIn(ctx, { username: 'accented', password: decomposed }, CLIENT)).toMatchObject({ ok: true });
    expect(await signIn(ctx, { username: 'accented', password: 'cafe-au-lait-please' }, CLIENT)).toMatchObject({ code: 'wrong-password' });
  });

  it('lets a banned reader sign in (to read, export or delete their data)', async () => {
    const made = await signUpAs('banned_reader');
    ctx.db.update(users).set({ bannedAt: Date.now() }).where(eq(users.username, 'banned_reader')).run();
    expect(await signIn(ctx, { username: 'banned_reader', password: PASSWORD }, CLIENT)).toEqual({ ok: true, userId: made.ok && made.userId });
    const session = await newSession(made.ok ? made.userId : '');
    expect((await checkSession(ctx, session.id)).user).toMatchObject({ username: 'banned_reader', bannedAt: expect.any(Number) });
  });

  it('checks unknown usernames against a hash of the same cost', async () => {
    expect(await dummyHash()).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('sessions', () => {
  it('treats a forged, expired or missing session as signed out, with a blank cookie', async () => {
    const made = await signUpAs('ada_l');
    const userId = made.ok ? made.userId : '';
    expect(await checkSession(ctx, null)).toEqual({ user: null, session: null, cookie: null });

    const forged = await checkSession(ctx, 'x'.repeat(40));
    expect(forged).toMatchObject({ user: null, session: null, cookie: { name: 'session', value: '' } });
    expect((await checkSession(ctx, '\u0000;" OR 1=1 --')).user).toBeNull();

    const old = await newSession(userId);
    ctx.db.update(sessions).set({ expiresAt: Math.floor(Date.now() / 1000) - 1 }).where(eq(sessions.id, old.id)).run();
    expect(await checkSession(ctx, old.id)).toMatchObject({ user: null, session: null, cookie: { value: '' } });
    expect(ctx.db.select().from(sessions).where(eq(sessions.id, old.id)).get()).toBeUndefined();
  });

  it('stamps "last used" at most every few minutes, sliding the expiry to 30 days', async () => {
    const made = await signUpAs('ada_l');
    const t0 = Date.now();
    const session = await newSession(made.ok ? made.userId : '', t0);
    const stored = () => ctx.db.select().from(sessions).where(eq(sessions.id, session.id)).get()!;
    const before = stored();

    const soon = await checkSession(ctx, session.id, t0 + TOUCH_INTERVAL_MS - 1);
    expect(soon.user).toMatchObject({ username: 'ada_l' });
    expect(soon.cookie).toBeNull();
    expect(stored()).toEqual(before);

    const later = t0 + TOUCH_INTERVAL_MS + 1;
    const version = await dataVersion(ctx.db);
    const touched = await checkSession(ctx, session.id, later);
    expect(touched.cookie).toMatchObject({ name: 'session', value: session.id, attributes: { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 30 * 86400 } });
    expect(touched.session?.lastUsedAt).toBe(later);
    // The stamp waits to be written with others: reading a page changed nothing in the database
    // (whose every change empties the render caches), and the next request finds it waiting.
    expect(await dataVersion(ctx.db)).toBe(version);
    expect(stored()).toEqual(before);
    const again = await checkSession(ctx, session.id, later + 1_000);
    expect(again.cookie).toBeNull();
    expect(again.session?.lastUsedAt).toBe(later);

    flushSessionTouches(ctx.db);
    expect(stored().lastUsedAt).toBe(later);
    expect(stored().expiresAt).toBe(Math.floor((later + 30 * 86400_000) / 1000));
    expect((await checkSession(ctx, session.id, later + 2_000)).cookie).toBeNull();
  });

  it('writes waiting stamps together within a few seconds, and never brings back a session ended meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const made = await signUpAs('ada_l');
      const userId = made.ok ? made.userId : '';
      const t0 = Date.now();
      const [kept, ended] = [await newSession(userId, t0), await newSession(userId, t0)];
      const later = t0 + TOUCH_INTERVAL_MS + 1;
      await checkSession(ctx, kept.id, later);
      await checkSession(ctx, ended.id, later);
      ctx.db.delete(sessions).where(eq(sessions.id, ended.id)).run();
      vi.advanceTimersByTime(TOUCH_FLUSH_MS);
      expect(ctx.db.select().from(sessions).where(eq(sessions.id, kept.id)).get()?.lastUsedAt).toBe(later);
      expect(ctx.db.select().from(sessions).where(eq(sessions.id, ended.id)).get()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('lists sessions by handle, never by id, and revokes only the reader’s own', async () => {
    const ada = await signUpAs('ada_l');
    const bob = await signUpAs('bob_b');
    const adaId = ada.ok ? ada.userId : '';
    const here = await newSession(adaId);
    const phone = await newSession(adaId);
    const bobs = await newSession(bob.ok ? bob.userId : '');

    const listed = await listSessionsFor(ctx, adaId, here.id);
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(here.id);
    expect(listed.find((s) => s.current)?.handle).toBe(sessionHandle(here.id));

    expect(await revokeSession(ctx, adaId, sessionHandle(bobs.id))).toBe(false);
    expect(await revokeSession(ctx, adaId, 'made-up')).toBe(false);
    expect(await revokeSession(ctx, adaId, sessionHandle(phone.id))).toBe(true);
    expect((await ctx.lucia.validateSession(phone.id)).session).toBeNull();
    expect((await ctx.lucia.validateSession(bobs.id)).session).not.toBeNull();
  });

  it('signs out everywhere else, keeping this session', async () => {
    const ada = await signUpAs('ada_l');
    const adaId = ada.ok ? ada.userId : '';
    const here = await newSession(adaId);
    await newSession(adaId);
    await newSession(adaId);
    expect(await revokeOtherSessions(ctx, adaId, here.id)).toBe(2);
    expect((await listSessionsFor(ctx, adaId, here.id)).map((s) => s.current)).toEqual([true]);
  });
});

describe('changing the password', () => {
  async function setUp() {
    const made = await signUpAs('ada_l');
    const userId = made.ok ? made.userId : '';
    const here = await newSession(userId);
    const elsewhere = await newSession(userId);
    return { reader: readerFor(ctx.db, userId), here, elsewhere };
  }
  const NEW = 'lighthouse-keeper-tea';

  // Every session ends, the one asking too (its browser gets a fresh one: changePasswordBrowser),
  // so a session id someone else learned stops working.
  it('needs the current password, then ends every session, this one too', async () => {
    const { reader, here, elsewhere } = await setUp();
    expect(await changePassword(ctx, reader, { current: PASSWORD, password: NEW, confirm: NEW })).toEqual({ ok: true });
    expect((await ctx.lucia.validateSession(here.id)).session).toBeNull();
    expect((await ctx.lucia.validateSession(elsewhere.id)).session).toBeNull();
    expect(await signIn(ctx, { username: 'ada_l', password: PASSWORD }, CLIENT)).toMatchObject({ code: 'wrong-password' });
    expect(await signIn(ctx, { username: 'ada_l', password: NEW }, CLIENT)).toMatchObject({ ok: true });
  });

  it.each([
    ['a wrong current password', { current: 'not-my-password', password: NEW, confirm: NEW }, 'forbidden', 'current'],
    ['a weak new password', { current: PASSWORD, password: 'qwertyuiop', confirm: 'qwertyuiop' }, 'invalid', 'password'],
    ['a mismatched confirmation', { current: PASSWORD, password: NEW, confirm: NEW + 'x' }, 'invalid', 'confirm'],
  ])('refuses %s and changes nothing', async (_, input, code, field) => {
    const { reader, elsewhere } = await setUp();
    const hashBefore = (await findUserByUsername(ctx.db, 'ada_l'))!.passwordHash;
    expect(await changePassword(ctx, reader, input)).toMatchObject({ ok: false, code, field });
    expect((await findUserByUsername(ctx.db, 'ada_l'))!.passwordHash).toBe(hashBefore);
    expect((await ctx.lucia.validateSession(elsewhere.id)).session).not.toBeNull();
  });

  it('throttles guesses at the current password, per account', async () => {
    const { reader } = await setUp();
    for (let i = 0; i < 5; i++) {
      expect(await changePassword(ctx, reader, { current: `guess-number-${i}`, password: NEW, confirm: NEW })).toMatchObject({ code: 'forbidden' });
    }
    expect(await changePassword(ctx, reader, { current: PASSWORD, password: NEW, confirm: NEW })).toMatchObject({ code: 'rate-limited' });
  });
});

describe('display name', () => {
  it('is saved, cleared, or refused when it carries control characters', async () => {
    const made = await signUpAs('ada_l');
    const reader = readerFor(ctx.db, made.ok ? made.userId : '');
    expect(await changeDisplayName(ctx, reader, ' Countess ')).toEqual({ ok: true });
    expect((await findUserByUsername(ctx.db, 'ada_l'))!.displayName).toBe('Countess');
    expect(await changeDisplayName(ctx, reader, 'A\u0000B')).toMatchObject({ ok: false, code: 'invalid' });
    expect((await findUserByUsername(ctx.db, 'ada_l'))!.displayName).toBe('Countess');
    expect(await changeDisplayName(ctx, reader, '')).toEqual({ ok: true });
    expect((await findUserByUsername(ctx.db, 'ada_l'))!.displayName).toBeNull();
  });

  it('stays as it is while the account is suspended (it is shown to everyone beside their comments)', async () => {
    const made = await signUpAs('ada_l');
    const userId = made.ok ? made.userId : '';
    await changeDisplayName(ctx, readerFor(ctx.db, userId), 'Countess');
    ctx.db.update(users).set({ bannedAt: Date.now() }).where(eq(users.id, userId)).run();
    const version = await dataVersion(ctx.db);
    expect(await changeDisplayName(ctx, readerFor(ctx.db, userId), 'Visit spam example dot com')).toMatchObject({ ok: false, code: 'banned' });
    expect((await findUserByUsername(ctx.db, 'ada_l'))!.displayName).toBe('Countess');
    expect(await dataVersion(ctx.db)).toBe(version);
  });
});
