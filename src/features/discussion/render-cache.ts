// A small in-memory cache of renderings that are the same for many readers (the signed-out
// island's response, the threads readers share). An entry is good while the database is
// unchanged (its version token matches) and for at most `ttlMs`, so relative times ("3 minutes
// ago") never go stale for long. Oldest entries go first.

export interface CachedResponse {
  body: string;
  headers: [string, string][];
}

export class RenderCache<T = CachedResponse> {
  private readonly entries = new Map<string, { version: string; storedAt: number; value: T }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  // A few dozen entries: each holds a page of up to ~1 MB, and junk query strings make new keys.
  constructor(maxEntries = 32, ttlMs = 30_000) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
  }

  get(key: string, version: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || now - entry.storedAt > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, version: string, value: T, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { version, storedAt: now, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
