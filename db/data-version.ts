// A token that changes whenever anything is committed to the database: SQLite's data_version
// moves on commits by other connections (another process, the admin command), total_changes()
// on this connection's own writes. Cheap enough to ask on every request.
import type { Statement } from 'better-sqlite3';
import type { Db } from './client.ts';

const statements = new WeakMap<Db, { data: Statement; own: Statement }>();

export async function dataVersion(db: Db): Promise<string> {
  let s = statements.get(db);
  if (!s) {
    s = { data: db.$client.prepare('pragma data_version').pluck(), own: db.$client.prepare('select total_changes()').pluck() };
    statements.set(db, s);
  }
  return `${s.data.get()}:${s.own.get()}`;
}
