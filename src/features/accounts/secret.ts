// The server's secret for keyed hashes (the sign-in limiter's keys). Derived from ASTRO_KEY
// when that is set; otherwise made once and kept beside the database, readable by its owner only.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function secretFileFor(databasePath: string): string {
  return join(dirname(resolve(databasePath)), 'auth-secret');
}

export function loadAuthSecret(env: Record<string, string | undefined>, databasePath: string): Buffer {
  const astroKey = env.ASTRO_KEY?.trim();
  if (astroKey) return createHmac('sha256', astroKey).update('the-convenience-bargain/auth-throttle').digest();
  const file = secretFileFor(databasePath);
  if (existsSync(file)) {
    const stored = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (stored.length >= 32) return stored;
  }
  const made = randomBytes(32);
  writeFileSync(file, made.toString('base64') + '\n', { mode: 0o600 });
  return made;
}
