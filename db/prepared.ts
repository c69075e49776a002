// Statements for the hot paths, prepared once per connection and kept: building and preparing
// SQL on every request cost several times more than running it.
import type { Db } from './client.ts';

type Client = Db['$client'];

/** Returns a getter that makes `prepare(client)` the first time a connection asks (its statements, a cache of what it read), then reuses it. */
export function perConnection<T>(prepare: (client: Client, db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Client, T>();
  return (db) => {
    let prepared = cache.get(db.$client);
    if (prepared === undefined) cache.set(db.$client, (prepared = prepare(db.$client, db)));
    return prepared;
  };
}
