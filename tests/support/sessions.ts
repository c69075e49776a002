// Signs a test user in without the UI: a real lucia session in the server's database, as a cookie.
import type { Db } from '../../db/client.ts';
import { createLucia } from '../../src/auth/lucia.ts';

export async function sessionCookie(db: Db, userId: string): Promise<string> {
  const now = Date.now();
  const session = await createLucia(db, { secure: false }).createSession(userId, { createdAt: now, lastUsedAt: now, device: 'Test browser' });
  return `session=${session.id}`;
}
