// Accounts.
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { users } from './schema.ts';

/** What the site shows of an account, to its owner and to moderators: name, role, age and standing. */
export const ACCOUNT_COLUMNS = {
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  createdAt: users.createdAt,
  bannedAt: users.bannedAt,
  trustedAt: users.trustedAt,
};

export interface NewUser {
  id: string;
  username: string;
  displayName?: string | null;
  passwordHash: string;
  role?: 'reader' | 'admin';
}

export async function insertUser(db: Db, input: NewUser): Promise<void> {
  db.insert(users)
    .values({
      id: input.id,
      username: input.username,
      usernameKey: input.username.toLowerCase(),
      displayName: input.displayName ?? null,
      passwordHash: input.passwordHash,
      role: input.role ?? 'reader',
      createdAt: Date.now(),
    })
    .run();
}

export async function findUserByUsername(db: Db, username: string) {
  return db.select().from(users).where(eq(users.usernameKey, username.toLowerCase())).get();
}

export async function findUserById(db: Db, id: string) {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/** Inserts a new account; false when the username (ignoring case) is already taken. */
export async function createUser(db: Db, input: NewUser): Promise<boolean> {
  try {
    await insertUser(db, input);
    return true;
  } catch (error) {
    // The unique index decides, so two sign-ups racing for one name cannot both win.
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
    throw error;
  }
}

export async function setDisplayName(db: Db, id: string, displayName: string | null): Promise<void> {
  db.update(users).set({ displayName }).where(eq(users.id, id)).run();
}
