// The discussion's one cache of renderings that are the same for many readers: the signed-out
// island's whole response (asked by the middleware) and the threads signed-in readers share
// (page-markup.ts). An entry is good while the database is unchanged (its data version matches)
// and for at most 30 s, so relative times ("3 minutes ago") never go stale for long. One cache
// per database connection: what one database said is never served for another.
import type { Db } from '../../../db/client.ts';
import { dataVersion } from '../../../db/data-version.ts';
import { perConnection } from '../../../db/prepared.ts';

export interface CachedResponse {
  body: string;
  headers: [string, string][];
}

/** A small map of renderings by key, each valid for one data version and `ttlMs`; oldest entries go first. */
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

// Keys start with what kind of rendering they hold ('island …', 'threads …'), so the kinds never meet.
const renderings = perConnection(() => new RenderCache<unknown>(64));

/**
 * The rendering kept under `key` for the database as it is now, or `render()`'s, kept for the
 * next reader unless `keep` says otherwise.
 */
export async function sharedRendering<T>(
  db: Db,
  key: string,
  render: () => Promise<T>,
  options: { now?: number; keep?: (value: T) => boolean } = {},
): Promise<{ value: T; hit: boolean }> {
  const now = options.now ?? Date.now();
  const version = await dataVersion(db);
  const cache = renderings(db);
  const kept = cache.get(key, version, now);
  if (kept !== undefined) return { value: kept as T, hit: true };
  const value = await render();
  if (options.keep?.(value) ?? true) cache.set(key, version, value, now);
  return { value, hit: false };
}

/**
 * The discussion island for a signed-out reader: the same for all of them until the database
 * changes, so served from memory instead of rendering ~400 comments again. Only a plain 200
 * without cookies is kept; the response says `x-render-cache: hit` or `miss`.
 */
export async function sharedIsland(db: Db, url: URL, render: () => Promise<Response>): Promise<Response> {
  let uncached: Response | null = null;
  const { value, hit } = await sharedRendering<CachedResponse | null>(
    db,
    `island ${url.pathname}${url.search}`,
    async () => {
      const response = await render();
      if (response.status !== 200 || response.headers.has('set-cookie')) {
        uncached = response;
        return null;
      }
      return { body: await response.text(), headers: [...response.headers.entries()] };
    },
    { keep: (response) => response !== null },
  );
  if (!value) return uncached!;
  return new Response(value.body, { status: 200, headers: [...value.headers, ['x-render-cache', hit ? 'hit' : 'miss']] });
}
