import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const made: string[] = [];
// Removed when the process that made them ends (a test worker, a benchmark): a run of the suite
// would otherwise leave hundreds of databases behind, the benchmark's at 130 MB each.
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for one test's database and browser profile, removed when this process exits. */
export function tempDir(prefix = 'tcb-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
