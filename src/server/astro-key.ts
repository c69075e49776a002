// Server-island URLs carry props encrypted with ASTRO_KEY, baked in at build time. Without a
// fixed key every build would make a new one and pages cached from an older build would
// ask for islands the server can no longer decrypt. So: use ASTRO_KEY if set, or else a
// key made once and kept beside the database.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { webcrypto } from 'node:crypto';
import { parseAstroKey } from '../lib/config.ts';

export function keyFileFor(databasePath: string): string {
  return join(dirname(resolve(databasePath)), 'astro-key');
}

export async function resolveAstroKey(configured: string | null, databasePath: string): Promise<string> {
  if (configured) return configured;
  const file = keyFileFor(databasePath);
  if (existsSync(file)) return parseAstroKey(readFileSync(file, 'utf8').trim());
  const key = await webcrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const encoded = Buffer.from(await webcrypto.subtle.exportKey('raw', key)).toString('base64');
  writeFileSync(file, encoded + '\n', { mode: 0o600 });
  return encoded;
}
