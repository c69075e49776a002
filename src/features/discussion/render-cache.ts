// The discussion's one cache of renderings that are the same for many readers: the signed-out
// island's whole response (asked by the middleware) and the threads signed-in readers share
// (page-markup.ts). An entry is good while the database is unchanged (its data version matches)
// and for at most 30 s, so relative times ("3 minutes ago") never go stale for long. One cache
// per database connection: what one database said is never served for another.
import type { Db } from '../../../db/client.ts';
import { dataVersion } from '../../../db/data-version.ts';
import { perConnection } from '../../../db/prepared.ts';
import { chooseEncoding, type Coding } from '../../server/accept-encoding.ts';
import { compress, MIN_COMPRESS_BYTES } from '../../server/compress.ts';
import { contentTag, matchesTag, notModified, SHARED_CACHE_CONTROL, varyOf } from '../../server/conditional-get.ts';

/**
 * A small map of renderings by key, each valid for one data version and `ttlMs`, bounded by count
 * and by bytes (each entry weighed when stored); oldest entries go first.
 */
export class RenderCache<T> {
  private readonly entries = new Map<string, { version: string; storedAt: number; value: T; bytes: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private heldBytes = 0;

  // A few dozen entries: each holds a page of up to ~1 MB, and junk query strings make new keys.
  constructor(maxEntries = 32, ttlMs = 30_000, maxBytes = Number.POSITIVE_INFINITY) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
    this.maxBytes = maxBytes;
  }

  get(key: string, version: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || now - entry.storedAt > this.ttlMs) {
      this.drop(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Keeps `value` for `version`, which must be the database's version now: the versions only move
   * on, so every entry of another version can never be served again and goes at once, instead of
   * holding memory until its key is asked for or pushed out.
   */
  set(key: string, version: string, value: T, now = Date.now(), bytes = 0): void {
    for (const [k, entry] of this.entries) if (entry.version !== version || k === key) this.drop(k);
    this.entries.set(key, { version, storedAt: now, value, bytes });
    this.heldBytes += bytes;
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.heldBytes <= this.maxBytes) break;
      this.drop(k);
    }
  }

  private drop(key: string): void {
    this.heldBytes -= this.entries.get(key)?.bytes ?? 0;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the kept entries weigh, as weighed when stored. */
  get bytes(): number {
    return this.heldBytes;
  }
}

// Keys start with what kind of rendering they hold ('island …', 'threads …'), so the kinds never meet.
// At most 24 MB a process: with the ~135 MB a server holds idle, a worker stays under 200 MB.
export const RENDER_CACHE_BYTES = 24 * 1024 * 1024;
const renderings = perConnection(() => new RenderCache<unknown>(64, 30_000, RENDER_CACHE_BYTES));
// Renderings under way, by data version and key.
const inFlight = perConnection(() => new Map<string, Promise<unknown>>());

/**
 * The rendering kept under `key` for the database as it is now, or `render()`'s, kept for the
 * next reader unless `keep` says otherwise.
 */
export async function sharedRendering<T>(
  db: Db,
  key: string,
  render: () => Promise<T>,
  options: { now?: number; keep?: (value: T) => boolean; weigh?: (value: T) => number } = {},
): Promise<{ value: T; hit: boolean }> {
  const now = options.now ?? Date.now();
  const version = await dataVersion(db);
  const cache = renderings(db);
  const kept = cache.get(key, version, now);
  if (kept !== undefined) return { value: kept as T, hit: true };
  const keep = (value: T) => options.keep?.(value) ?? true;
  // Readers who arrive while the same rendering is under way wait for it rather than render it
  // again: after a write, fifty readers at once would otherwise make (and compress) fifty copies.
  const flights = inFlight(db);
  const flight = `${version}\n${key}`;
  const underWay = flights.get(flight) as Promise<T> | undefined;
  if (underWay) {
    const value = await underWay.catch(() => undefined);
    // A rendering that failed, or is not for sharing: this reader's own comes next.
    if (value !== undefined && keep(value)) return { value, hit: true };
  }
  const rendering = render();
  if (!underWay) flights.set(flight, rendering);
  try {
    const value = await rendering;
    // A rendering the database moved on under is already stale: not kept, and not allowed to push out newer ones.
    if (keep(value) && (await dataVersion(db)) === version) cache.set(key, version, value, now, options.weigh?.(value) ?? 0);
    return { value, hit: false };
  } finally {
    if (flights.get(flight) === rendering) flights.delete(flight);
  }
}

// Set per answer from the cache, never kept from the rendering: the island's own "private,
// no-store" is for the reader it was rendered for, and the length depends on the coding.
const PER_ANSWER = new Set(['cache-control', 'content-length', 'content-encoding', 'etag', 'vary']);

/** The signed-out island as kept: its bytes, validator, and compressed copies made on first demand. */
interface SharedIsland {
  headers: [string, string][];
  body: Buffer;
  etag: string;
  encoded: Map<Coding, Buffer>;
}

/** The copy of `island` in `coding`, compressed for the first reader who takes it and kept. */
function encodedCopy(island: SharedIsland, coding: Coding): Buffer {
  let copy = island.encoded.get(coding);
  if (!copy) island.encoded.set(coding, (copy = compress(island.body, coding, 'shared')));
  return copy;
}

/**
 * The discussion island for a signed-out reader: the same for all of them until the database
 * changes, so served from memory instead of rendering ~400 comments again, compressed (Brotli or
 * gzip, as the reader's Accept-Encoding prefers) once per rendering and kept with it. Its ETag is
 * a digest of the bytes, so every server process gives the same rendering the same tag, and a
 * matching If-None-Match is a 304 without rendering while the rendering is kept. Marked for
 * shared caches (SHARED_CACHE_CONTROL). Only a plain 200 without cookies is kept; the response
 * says `x-render-cache: hit` or `miss`.
 */
export async function sharedIsland(db: Db, url: URL, render: () => Promise<Response>, requestHeaders: Headers = new Headers()): Promise<Response> {
  let uncached: Response | null = null;
  const { value, hit } = await sharedRendering<SharedIsland | null>(
    db,
    `island ${url.pathname}${url.search}`,
    async () => {
      const response = await render();
      if (response.status !== 200 || response.headers.has('set-cookie')) {
        uncached = response;
        return null;
      }
      const body = Buffer.from(await response.arrayBuffer());
      const headers = [...response.headers.entries()].filter(([name]) => !PER_ANSWER.has(name));
      return { headers, body, etag: contentTag(body), encoded: new Map() };
    },
    // Its bytes, and room for the compressed copies made later (a tenth of them each).
    { keep: (island) => island !== null, weigh: (island) => (island ? Math.ceil(island.body.length * 1.2) : 0) },
  );
  if (!value) return uncached!;
  const marks: [string, string][] = [
    ['etag', value.etag],
    ['cache-control', SHARED_CACHE_CONTROL],
    ['vary', varyOf('island')],
    ['x-render-cache', hit ? 'hit' : 'miss'],
  ];
  if (matchesTag(requestHeaders.get('if-none-match'), value.etag)) return notModified(Object.fromEntries(marks));
  const coding = value.body.length < MIN_COMPRESS_BYTES ? 'identity' : chooseEncoding(requestHeaders.get('accept-encoding'));
  const body = coding === 'identity' ? value.body : encodedCopy(value, coding);
  const encoding: [string, string][] = coding === 'identity' ? [] : [['content-encoding', coding]];
  return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers: [...value.headers, ...marks, ...encoding, ['content-length', String(body.length)]] });
}
