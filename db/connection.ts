// The server's one connection, opened on first use from DATABASE_PATH.
// The start command has already migrated the file before the server listens.
import { openDatabase, type Db } from './client.ts';

export const DEFAULT_DATABASE_PATH = 'data/site.db';

let current: Db | undefined;

export function database(): Db {
  current ??= openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
  return current;
}

/**
 * Whether `error` is SQLite saying another connection held the database for longer than this one
 * would wait (busy_timeout, db/client.ts): the server's workers and the admin command share the
 * file, so a write can time out under load. That is "try again shortly" (503), not a fault.
 * Drizzle wraps the driver's error, so the causes are followed.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(?:BUSY|LOCKED)/.test(code)) return true;
  }
  return false;
}
