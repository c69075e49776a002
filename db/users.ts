// Accounts.
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { users } from './schema.ts';

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
