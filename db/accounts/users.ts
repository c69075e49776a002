// Accounts.
import { and, eq, ne, or } from 'drizzle-orm';
import { nameSkeleton } from '../../src/features/accounts/name-skeleton.ts';
import { usernameKey } from '../../src/features/accounts/rules.ts';
import type { Db } from '../client.ts';
import { users } from '../schema.ts';

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

/** A name's skeleton as stored: null when it has no letter or digit (nothing to mistake it for). */
export function storedSkeleton(name: string | null | undefined): string | null {
  return name ? nameSkeleton(name) || null : null;
}

function userRow(input: NewUser): typeof users.$inferInsert {
  return {
    id: input.id,
    username: input.username,
    usernameKey: usernameKey(input.username),
    displayName: input.displayName ?? null,
    passwordHash: input.passwordHash,
    role: input.role ?? 'reader',
    createdAt: Date.now(),
    usernameSkeleton: storedSkeleton(input.username),
    displayNameSkeleton: storedSkeleton(input.displayName),
  };
}

export async function insertUser(db: Db, input: NewUser): Promise<void> {
  db.insert(users).values(userRow(input)).run();
}

/** The database or a transaction: anything that can read. */
type Queryable = Pick<Db, 'select'>;

/**
 * Whether another account's username or display name looks like `name` (same skeleton): one
 * lookup on the two skeleton indexes. `exceptUserId` leaves out the account asking.
 */
export function lookAlikeTaken(db: Queryable, name: string | null | undefined, exceptUserId = ''): boolean {
  const skeleton = storedSkeleton(name);
  if (!skeleton) return false;
  return !!db
    .select({ id: users.id })
    .from(users)
    .where(and(or(eq(users.usernameSkeleton, skeleton), eq(users.displayNameSkeleton, skeleton)), ne(users.id, exceptUserId)))
    .limit(1)
    .get();
}

export async function findUserByUsername(db: Db, username: string) {
  return db.select().from(users).where(eq(users.usernameKey, usernameKey(username))).get();
}

export async function findUserById(db: Db, id: string) {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export type CreateOutcome = 'created' | 'taken' | 'username-look-alike' | 'display-name-look-alike';

/**
 * Inserts a new account unless its username is taken (ignoring case: the unique index decides)
 * or its username or display name looks like another account's. Checked and written in one
 * immediate transaction, so two sign-ups racing for look-alike names cannot both win.
 */
export async function createUser(db: Db, input: NewUser): Promise<CreateOutcome> {
  try {
    return db.transaction(
      (tx) => {
        if (tx.select({ id: users.id }).from(users).where(eq(users.usernameKey, usernameKey(input.username))).get()) return 'taken';
        if (lookAlikeTaken(tx, input.username, input.id)) return 'username-look-alike';
        if (lookAlikeTaken(tx, input.displayName, input.id)) return 'display-name-look-alike';
        tx.insert(users).values(userRow(input)).run();
        return 'created';
      },
      { behavior: 'immediate' },
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'taken';
    throw error;
  }
}

/**
 * Sets (or with null clears) a display name unless it looks like another account's username or
 * display name; looking like one's own username is fine. False when refused for that.
 */
export async function setDisplayName(db: Db, id: string, displayName: string | null): Promise<boolean> {
  return db.transaction(
    (tx) => {
      if (lookAlikeTaken(tx, displayName, id)) return false;
      tx.update(users).set({ displayName, displayNameSkeleton: storedSkeleton(displayName) }).where(eq(users.id, id)).run();
      return true;
    },
    { behavior: 'immediate' },
  );
}

/**
 * Writes the skeletons of rows that have none or an outdated one (accounts from before the
 * skeleton columns, or written without this module, or after the confusables table changed).
 * Run when the server starts; returns how many rows changed.
 */
export async function refreshNameSkeletons(db: Db): Promise<number> {
  const rows = db
    .select({ id: users.id, username: users.username, displayName: users.displayName, u: users.usernameSkeleton, d: users.displayNameSkeleton })
    .from(users)
    .all();
  let changed = 0;
  db.transaction((tx) => {
    for (const row of rows) {
      const u = storedSkeleton(row.username);
      const d = storedSkeleton(row.displayName);
      if (u === row.u && d === row.d) continue;
      tx.update(users).set({ usernameSkeleton: u, displayNameSkeleton: d }).where(eq(users.id, row.id)).run();
      changed++;
    }
  });
  return changed;
}
