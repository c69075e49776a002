// The limiter's secret: from ASTRO_KEY, or a file made once beside the database.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAuthSecret, secretFileFor } from '../../src/features/accounts/secret.ts';
import { tempDir } from '../support/paths.ts';

describe('loadAuthSecret', () => {
  it('makes a 32-byte secret once, readable by its owner only, and reuses it', () => {
    const databasePath = join(tempDir(), 'site.db');
    const first = loadAuthSecret({}, databasePath);
    expect(first).toHaveLength(32);
    const file = secretFileFor(databasePath);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first);
    expect(loadAuthSecret({}, databasePath)).toEqual(first);
  });

  it('derives it from ASTRO_KEY when set, without writing a file', () => {
    const databasePath = join(tempDir(), 'site.db');
    const env = { ASTRO_KEY: 'N0bN2b3aJ0m6x7Q8cYQw3o5XvG0b1Zq7oK2m4t6u8w0=' };
    const secret = loadAuthSecret(env, databasePath);
    expect(secret).toEqual(loadAuthSecret(env, join(tempDir(), 'elsewhere.db')));
    expect(secret).not.toEqual(Buffer.from(env.ASTRO_KEY, 'base64'));
    expect(() => statSync(secretFileFor(databasePath))).toThrow();
  });
});
