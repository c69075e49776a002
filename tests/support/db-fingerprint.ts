// "Nothing changed": a digest of every row of the tables a request could write, so a test can
// say a refused request left the database exactly as it was.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.ts';

// Sign-in throttling rows and session touches are bookkeeping, not the reader's data.
const IGNORED = new Set(['auth_attempts', 'sessions', '__drizzle_migrations', 'sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);

export function fingerprint(db: Db): string {
  const sqlite = db.$client;
  const tables = sqlite
    .prepare<[], { name: string }>(`select name from sqlite_master where type = 'table' order by name`)
    .all()
    .map((t) => t.name)
    .filter((name) => !IGNORED.has(name));
  const hash = createHash('sha256');
  for (const table of tables) {
    hash.update(table);
    for (const row of sqlite.prepare(`select * from "${table}" order by rowid`).raw().all()) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

/** Which tables differ between two moments (for a failure message that says what was written). */
export function tableCounts(db: Db): Record<string, number> {
  const sqlite = db.$client;
  const out: Record<string, number> = {};
  for (const { name } of sqlite.prepare<[], { name: string }>(`select name from sqlite_master where type = 'table' order by name`).all()) {
    if (!IGNORED.has(name)) out[name] = (sqlite.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n;
  }
  return out;
}
