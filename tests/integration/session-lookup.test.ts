import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { sessions } from '../../db/schema.ts';
import { findSessionWithUser } from '../../db/accounts/session-lookup.ts';
import { createLucia } from '../../src/features/accounts/lucia.ts';
import { makeUser } from '../support/fixtures.ts';

describe('the session lookup behind lucia', () => {
  it('finds a session with its user in one query, and nothing for an unknown id', async () => {
    const db = createDatabase();
    const ada = await makeUser(db, { username: 'ada_l', displayName: 'Ada' });
    const lucia = createLucia(db, { secure: false });
    const made = await lucia.createSession(ada.id, { createdAt: 1, lastUsedAt: 2, device: 'Firefox on Linux' });

    const found = await findSessionWithUser(db, made.id);
    expect(found).toEqual({
      session: { id: made.id, userId: ada.id, expiresAt: Math.floor(made.expiresAt.getTime() / 1000), createdAt: 1, lastUsedAt: 2, device: 'Firefox on Linux' },
      user: { id: ada.id, username: 'ada_l', displayName: 'Ada', role: 'reader', bannedAt: null },
    });
    expect(await findSessionWithUser(db, 'no-such-session')).toBeNull();

    const { session, user } = await lucia.validateSession(made.id);
    expect(session).toMatchObject({ id: made.id, userId: ada.id, createdAt: 1, lastUsedAt: 2, device: 'Firefox on Linux' });
    expect(user).toMatchObject({ id: ada.id, username: 'ada_l', displayName: 'Ada', role: 'reader', bannedAt: null });
    closeDatabase(db);
  });

  it('lets lucia refuse and remove an expired session', async () => {
    const db = createDatabase();
    const ada = await makeUser(db);
    const lucia = createLucia(db, { secure: false });
    const made = await lucia.createSession(ada.id, { createdAt: 1, lastUsedAt: 1, device: 'x' });
    db.update(sessions).set({ expiresAt: Math.floor(Date.now() / 1000) - 10 }).where(eq(sessions.id, made.id)).run();
    expect(await lucia.validateSession(made.id)).toEqual({ session: null, user: null });
    expect(await findSessionWithUser(db, made.id)).toBeNull();
    closeDatabase(db);
  });
});
