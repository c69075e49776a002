// Compresses responses as they are sent, for what nothing compressed before: pages and fragments
// rendered for one reader, feeds, refusals. The body is gathered whole, then compressed in one
// call (Astro writes a page in many small pieces; a zlib stream would work per piece), and sent
// with its length.
//
// Left as they are: responses already encoded (the signed-out island comes compressed from its
// cache, static files from the build's copies), types that do not compress (images), live streams
// (text/event-stream), 1xx/204/206/304, `Cache-Control: no-transform`, and bodies under
// MIN_COMPRESS_BYTES. Every response of a compressible type says `Vary: Accept-Encoding`, whether
// or not this one was compressed, so no cache hands a compressed copy to a client that cannot read it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addToList, chooseEncoding, isCompressibleType, type Chosen } from './accept-encoding.ts';
import { compress, MIN_COMPRESS_BYTES } from './compress.ts';
import { absorbHead, headerText } from './response-head.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const UNCOMPRESSED_STATUSES = new Set([204, 206, 304]);

/**
 * Whether a response of a compressible type that nothing encoded yet, marking it `Vary:
 * Accept-Encoding` if so. Its coding is chosen by the caller.
 */
function compressible(res: ServerResponse): boolean {
  if (res.statusCode < 200 || UNCOMPRESSED_STATUSES.has(res.statusCode)) return false;
  if (res.hasHeader('content-encoding') || res.hasHeader('content-range')) return false;
  if (!isCompressibleType(headerText(res, 'content-type'))) return false;
  res.setHeader('Vary', addToList(headerText(res, 'vary'), 'Accept-Encoding'));
  return !/\bno-transform\b/i.test(headerText(res, 'cache-control'));
}

/** A written chunk as a Buffer, without copying a Uint8Array's bytes. */
function asBuffer(chunk: unknown, encoding?: BufferEncoding): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  const view = chunk as Uint8Array;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

export function withCompression(handler: Handler): Handler {
  return (req, res) => {
    const writeHead = res.writeHead;
    const write = res.write;
    const end = res.end;
    // undecided: the headers are not known yet; passing: sent as written; gathering: kept until end.
    let state: 'undecided' | 'passing' | 'gathering' | 'sending' = 'undecided';
    let coding: Chosen = 'identity';
    const chunks: Buffer[] = [];

    /** Decides from the headers whether the body is gathered for compression (true) or passes. */
    const decide = (): boolean => {
      state = 'passing';
      // A HEAD answer has no body to measure or compress: its headers go as the route set them.
      if (!compressible(res) || req.method === 'HEAD') return false;
      coding = chooseEncoding(req.headers['accept-encoding']);
      const declared = Number(headerText(res, 'content-length') || NaN);
      if (coding === 'identity' || declared < MIN_COMPRESS_BYTES) return false;
      state = 'gathering';
      return true;
    };

    const send = (body: Buffer, callback?: () => void) => {
      state = 'sending';
      res.setHeader('Content-Length', body.length);
      (end as (...a: unknown[]) => ServerResponse).call(res, body, callback);
    };

    const finish = (callback?: () => void) => {
      const body = Buffer.concat(chunks);
      chunks.length = 0;
      if (body.length < MIN_COMPRESS_BYTES || coding === 'identity') return send(body, callback);
      const packed = compress(body, coding, 'response');
      if (packed.length >= body.length) return send(body, callback);
      res.setHeader('Content-Encoding', coding);
      // A strong validator names these exact bytes; a compressed copy is only equivalent.
      const etag = headerText(res, 'etag');
      if (etag.startsWith('"')) res.setHeader('ETag', `W/${etag}`);
      send(packed, callback);
    };

    res.writeHead = function (this: ServerResponse, statusCode: number, ...args: unknown[]) {
      if (state !== 'undecided') return writeHead.call(this, statusCode, ...(args as []));
      absorbHead(this, statusCode, args as Parameters<typeof absorbHead>[2]);
      return decide() ? this : writeHead.call(this, this.statusCode);
    } as ServerResponse['writeHead'];

    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      if (state === 'undecided') decide();
      if (state !== 'gathering') return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
      const callback = rest.find((r): r is (error?: Error | null) => void => typeof r === 'function');
      if (chunk !== undefined && chunk !== null) chunks.push(asBuffer(chunk, encoding));
      if (callback) process.nextTick(callback);
      return true;
    } as ServerResponse['write'];

    res.end = function (this: ServerResponse, ...args: unknown[]) {
      if (state === 'undecided') decide();
      if (state !== 'gathering') return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      const callback = args.find((a): a is () => void => typeof a === 'function');
      const chunk = typeof args[0] === 'function' ? undefined : args[0];
      if (chunk !== undefined && chunk !== null) res.write(chunk as Buffer, typeof args[1] === 'string' ? (args[1] as BufferEncoding) : 'utf8');
      finish(callback);
      return this;
    } as ServerResponse['end'];

    handler(req, res);
  };
}
