// A real auth context over a fresh migrated in-memory database, for the account flow tests.
import { randomBytes } from 'node:crypto';
import { createDatabase } from '../../db/client.ts';
import { createLucia } from '../../src/features/accounts/lucia.ts';
import type { AuthContext } from '../../src/features/accounts/sessions.ts';

export function testAuthContext(): AuthContext {
  const db = createDatabase();
  return { db, lucia: createLucia(db, { secure: false }), secret: randomBytes(32) };
}

export const CLIENT = { address: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' };
