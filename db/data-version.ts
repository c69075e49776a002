// A token that changes whenever anything is committed to the database: SQLite's data_version
// moves on commits by other connections (another process, the admin command), total_changes()
// on this connection's own writes. Cheap enough to ask on every request.
import type { Db } from './client.ts';
import { perConnection } from './prepared.ts';

const statements = perConnection((client) => ({ data: client.prepare('pragma data_version').pluck(), own: client.prepare('select total_changes()').pluck() }));

/** The token now, asked synchronously (better-sqlite3 is), for callers that may not wait. */
export function dataVersionNow(db: Db): string {
  const s = statements(db);
  return `${s.data.get()}:${s.own.get()}`;
}

export async function dataVersion(db: Db): Promise<string> {
  return dataVersionNow(db);
}
