// Serves the build's static files from the `.br` and `.gz` copies the build wrote beside them
// (precompress-integration.ts), in front of the Node adapter's own static handler, which knows
// nothing of them. Whatever this layer does not serve (no copy, a client that takes neither
// coding, a Range or a precondition other than If-None-Match/If-Modified-Since) goes on to the
// adapter, which sends the file as it is, with the same headers as here.
import { createReadStream, readdirSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { addToList, chooseEncoding, isCompressibleType, type Coding } from './accept-encoding.ts';

// The types the adapter (the `send` package) gives these files, so a compressed copy is labelled
// as the original would be.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export const SUFFIX: Record<Coding, string> = { br: '.br', gzip: '.gz' };

/** The Content-Type of a build file worth compressing, or null. */
export function compressibleFileType(path: string): string | null {
  const type = TYPES[extname(path).toLowerCase()];
  return type && isCompressibleType(type) ? type : null;
}

export interface StaticFile {
  /** The original file on disk. */
  file: string;
  type: string;
  /** The compressed copies beside it. */
  codings: Coding[];
  /** Vite's hashed assets never change under the same name. */
  immutable: boolean;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Every URL path the adapter would answer with a file that has compressed copies. With
 * `trailingSlash: 'ignore'` a folder's index.html answers `/folder/` and `/folder` alike.
 */
export function indexPrecompressed(clientDir: string): Map<string, StaticFile> {
  const index = new Map<string, StaticFile>();
  let files: string[];
  try {
    files = [...walk(clientDir)];
  } catch {
    return index; // No build yet: the adapter answers (with its own error) as before.
  }
  const present = new Set(files);
  for (const file of files) {
    const type = compressibleFileType(file);
    if (!type) continue;
    const codings = (Object.keys(SUFFIX) as Coding[]).filter((coding) => present.has(file + SUFFIX[coding]));
    if (codings.length === 0) continue;
    const urlPath = '/' + relative(clientDir, file).split(sep).join('/');
    const entry: StaticFile = { file, type, codings, immutable: urlPath.startsWith('/_astro/') };
    index.set(urlPath, entry);
    if (urlPath.endsWith('/index.html')) {
      const folder = urlPath.slice(0, -'index.html'.length);
      index.set(folder, entry);
      if (folder !== '/') index.set(folder.slice(0, -1), entry);
    }
  }
  return index;
}

function requestPath(url: string): string | null {
  const end = url.search(/[?#]/);
  const raw = end === -1 ? url : url.slice(0, end);
  try {
    return decodeURI(raw);
  } catch {
    return null;
  }
}

/** The adapter's validator for a file, so a copy and its original revalidate alike. */
const etagOf = (size: number, mtime: Date) => `W/"${size.toString(16)}-${mtime.getTime().toString(16)}"`;

/** If-None-Match (weak comparison) or, without it, If-Modified-Since, as RFC 9110 §13.2.2 orders them. */
function notModified(req: IncomingMessage, etag: string, mtime: Date): boolean {
  const tags = req.headers['if-none-match'];
  if (tags !== undefined) {
    const bare = etag.replace(/^W\//, '');
    return tags.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === bare);
  }
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

/** The file with compressed copies a GET or HEAD asks for, if any. */
export function precompressedFile(index: Map<string, StaticFile>, req: IncomingMessage): StaticFile | undefined {
  if (index.size === 0 || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  const path = requestPath(req.url ?? '/');
  return path === null ? undefined : index.get(path);
}

/**
 * Answers a GET or HEAD for a precompressed file and resolves true, or resolves false having
 * written nothing but `Vary` (the next handler's answer depends on Accept-Encoding all the same).
 */
export async function servePrecompressed(entry: StaticFile, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  res.setHeader('Vary', addToList(res.getHeader('Vary') as string | undefined, 'Accept-Encoding'));
  // Ranges and the rarer preconditions: the adapter handles them, on the original.
  if (req.headers.range || req.headers['if-match'] || req.headers['if-unmodified-since'] || req.headers['if-range']) return false;
  const coding = chooseEncoding(req.headers['accept-encoding'], entry.codings);
  if (coding === 'identity') return false;

  let handle;
  try {
    // Opened first, then measured: the length sent is the length of the bytes read, even if a
    // new build replaces the files meanwhile.
    handle = await open(entry.file + SUFFIX[coding], 'r');
    const [copy, original] = await Promise.all([handle.stat(), stat(entry.file)]);
    const etag = etagOf(original.size, original.mtime);
    res.setHeader('Cache-Control', entry.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0');
    res.setHeader('Last-Modified', original.mtime.toUTCString());
    res.setHeader('ETag', etag);
    if (notModified(req, etag, original.mtime)) {
      await handle.close();
      res.writeHead(304).end();
      return true;
    }
    res.setHeader('Content-Type', entry.type);
    res.setHeader('Content-Encoding', coding);
    res.setHeader('Content-Length', copy.size);
    if (req.method === 'HEAD') {
      await handle.close();
      res.writeHead(200).end();
      return true;
    }
    res.writeHead(200);
    const stream = createReadStream(entry.file, { fd: handle, start: 0, end: Math.max(copy.size - 1, 0) });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
    return true;
  } catch {
    await handle?.close().catch(() => {});
    // The copy vanished (a build in progress): the adapter sends the original, if any.
    if (!res.headersSent) {
      for (const name of ['Cache-Control', 'Last-Modified', 'ETag']) res.removeHeader(name);
      return false;
    }
    res.destroy();
    return true;
  }
}

/** The static layer in front of `next`: precompressed copies where it can, `next` for everything else. */
export function withPrecompressedStatic(
  next: (req: IncomingMessage, res: ServerResponse) => void,
  clientDir: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const index = indexPrecompressed(clientDir);
  return (req, res) => {
    const entry = precompressedFile(index, req);
    if (!entry) return next(req, res);
    servePrecompressed(entry, req, res).then(
      (served) => {
        if (!served) next(req, res);
      },
      () => {
        if (!res.headersSent) next(req, res);
      },
    );
  };
}
