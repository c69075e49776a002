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
  /** Writes what waits now. */
  flush(owner: Owner): void;
}

export function writeBatch<Owner extends object, Value>(write: (owner: Owner, values: Value[]) => void, delayMs: number): WriteBatch<Owner, Value> {
  const waiting = new WeakMap<Owner, { values: Map<string, Value>; timer: ReturnType<typeof setTimeout> | null }>();
  const of = (owner: Owner) => {
    let w = waiting.get(owner);
    if (!w) waiting.set(owner, (w = { values: new Map(), timer: null }));
    return w;
  };
  const flush = (owner: Owner) => {
    const w = of(owner);
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    if (w.values.size === 0) return;
    const values = [...w.values.values()];
    w.values.clear();
    write(owner, values);
  };
  return {
    add(owner, key, value) {
      const w = of(owner);
      w.values.set(key, value);
      w.timer ??= setTimeout(() => flush(owner), delayMs);
      w.timer.unref?.();
    },
    pending: (owner, key) => waiting.get(owner)?.values.get(key),
    flush,
  };
}
