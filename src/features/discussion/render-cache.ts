// The discussion's one cache of renderings that are the same for many readers: the signed-out
// island's whole response (asked by the middleware) and the threads signed-in readers share
// (page-markup.ts). An entry is good while the database is unchanged (its data version matches)
// and for at most 30 s, so relative times ("3 minutes ago") never go stale for long. One cache
// per database connection: what one database said is never served for another.
import type { Db } from '../../../db/client.ts';
import { dataVersion, dataVersionNow } from '../../../db/data-version.ts';
import { perConnection } from '../../../db/prepared.ts';
import { chooseEncoding, type Coding } from '../../server/accept-encoding.ts';
import { compress, MIN_COMPRESS_BYTES } from '../../server/compress.ts';
import { ISLAND_PATH } from '../../server/cacheable-routes.ts';
import { contentTag, matchesTag, SHARED_CACHE_CONTROL, varyOf } from '../../server/conditional-get.ts';
import type { ReadyAnswer, ReadyRequest } from '../../server/ready-answers.ts';
import { namesCookie } from '../../server/shared-cache-guard.ts';

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

/** Where the signed-out island of `url` is kept: its address and query (which carry the island's props). */
const islandKey = (url: URL) => `island ${url.pathname}${url.search}`;

/** The kept island as an answer to a reader with these validators and codings. */
function islandAnswer(island: SharedIsland, hit: boolean, ifNoneMatch: string | null | undefined, acceptEncoding: string | null | undefined): ReadyAnswer {
  const marks: [string, string][] = [
    ['etag', island.etag],
    ['cache-control', SHARED_CACHE_CONTROL],
    ['vary', varyOf('island')],
    ['x-render-cache', hit ? 'hit' : 'miss'],
  ];
  if (matchesTag(ifNoneMatch ?? null, island.etag)) return { status: 304, headers: marks, body: null };
  const coding = island.body.length < MIN_COMPRESS_BYTES ? 'identity' : chooseEncoding(acceptEncoding ?? null);
  const body = coding === 'identity' ? island.body : encodedCopy(island, coding);
  const encoding: [string, string][] = coding === 'identity' ? [] : [['content-encoding', coding]];
  return { status: 200, headers: [...island.headers, ...marks, ...encoding, ['content-length', String(body.length)]], body };
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
    islandKey(url),
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
  const answer = islandAnswer(value, hit, requestHeaders.get('if-none-match'), requestHeaders.get('accept-encoding'));
  return new Response(answer.body as Uint8Array<ArrayBuffer> | null, { status: answer.status, headers: answer.headers });
}

/**
 * The signed-out island for a request the server has not handed to Astro yet
 * (server/ready-answers.ts), if it is kept for the database as it is now; null leaves the request
 * to Astro, which renders and keeps it. A request that names the session cookie at all, with a
 * value or without, is not a signed-out reader's: Astro's middleware decides what it gets. Only an
 * address that is the island's path itself is looked up, parsed as Astro parses it, so the key is
 * the one sharedIsland() kept it under.
 */
export function keptIsland(db: Db, sessionCookie: string, request: ReadyRequest, now = Date.now()): ReadyAnswer | null {
  const { url: address, headers } = request;
  if (!address.startsWith(ISLAND_PATH) || namesCookie(headers.cookie, sessionCookie)) return null;
  const url = new URL(address, 'http://site.invalid');
  if (url.pathname !== ISLAND_PATH) return null;
  const kept = renderings(db).get(islandKey(url), dataVersionNow(db), now) as SharedIsland | null | undefined;
  return kept ? islandAnswer(kept, true, headers['if-none-match'], headers['accept-encoding']) : null;
}
