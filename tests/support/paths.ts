import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh folder for one test's database and browser profile, removed with the OS temp dir. */
export function tempDir(prefix = 'tcb-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
