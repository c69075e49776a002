// Writes that can wait a few seconds, gathered per database and written together: every write
// moves the database's data version, which empties every worker's render caches, so a crowd of
// readers whose small stamps (a visit, a session's "last used") each wrote at once would keep
// the caches empty. Until a batch is written, `pending` answers from what waits; what waits is
// lost with the process, which only ever costs a stamp.

export interface WriteBatch<Owner extends object, Value> {
  /** Queues `value` under `key` (a later one for the same key replaces it); written within `delayMs`. */
  add(owner: Owner, key: string, value: Value): void;
  /** What waits under `key`, if anything. */
  pending(owner: Owner, key: string): Value | undefined;
  /** Writes what waits now; if the write fails, it throws and what waited waits for another try. */
  flush(owner: Owner): void;
}

export function writeBatch<Owner extends object, Value>(write: (owner: Owner, values: Value[]) => void, delayMs: number): WriteBatch<Owner, Value> {
  const waiting = new WeakMap<Owner, { values: Map<string, Value>; timer: ReturnType<typeof setTimeout> | null }>();
  const of = (owner: Owner) => {
    let w = waiting.get(owner);
    if (!w) waiting.set(owner, (w = { values: new Map(), timer: null }));
    return w;
  };
  const schedule = (owner: Owner) => {
    const w = of(owner);
    w.timer ??= setTimeout(() => {
      try {
        flush(owner);
      } catch (error) {
        // From a timer nothing may throw: it would take the server down. The batch waits for
        // another try (flush put it back); the usual cause is a database another process holds
        // for longer than busy_timeout.
        console.error('A batch of waiting writes failed; trying again shortly:', error);
      }
    }, delayMs);
    w.timer.unref?.();
  };
  const flush = (owner: Owner) => {
    const w = of(owner);
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    if (w.values.size === 0) return;
    const entries = [...w.values];
    w.values.clear();
    try {
      write(owner, entries.map(([, value]) => value));
    } catch (error) {
      // Nothing is lost to a failed write: what failed waits again, unless a newer value came meanwhile.
      for (const [key, value] of entries) if (!w.values.has(key)) w.values.set(key, value);
      schedule(owner);
      throw error;
    }
  };
  return {
    add(owner, key, value) {
      of(owner).values.set(key, value);
      schedule(owner);
    },
    pending: (owner, key) => waiting.get(owner)?.values.get(key),
    flush,
  };
}
