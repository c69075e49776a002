// The server's one connection, opened on first use from DATABASE_PATH.
// The start command has already migrated the file before the server listens.
import { openDatabase, type Db } from './client.ts';

export const DEFAULT_DATABASE_PATH = 'data/site.db';

let current: Db | undefined;

export function database(): Db {
  current ??= openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
  return current;
}
