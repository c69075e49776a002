// A small in-memory cache of rendered responses that are the same for every signed-out reader.
// An entry is good while the database is unchanged (its version token matches) and for at most
// `ttlMs`, so relative times ("3 minutes ago") never go stale for long. Oldest entries go first.

export interface CachedResponse {
  body: string;
  headers: [string, string][];
}

export class RenderCache {
  private readonly entries = new Map<string, { version: string; storedAt: number; response: CachedResponse }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(maxEntries = 256, ttlMs = 30_000) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
  }

  get(key: string, version: string, now = Date.now()): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || now - entry.storedAt > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.response;
  }

  set(key: string, version: string, response: CachedResponse, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { version, storedAt: now, response });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
