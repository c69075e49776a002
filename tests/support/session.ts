// Signs a test user in without the UI: a real lucia session in the test's database.
import type { Db } from '../../db/client.ts';
import { createLucia } from '../../src/features/accounts/lucia.ts';

export async function sessionCookie(db: Db, userId: string): Promise<{ name: string; value: string }> {
  const now = Date.now();
  const session = await createLucia(db, { secure: false }).createSession(userId, { createdAt: now, lastUsedAt: now, device: 'Test browser' });
  return { name: 'session', value: session.id };
}
