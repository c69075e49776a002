// Brotli and gzip through Node's own zlib, at three efforts: what is compressed once and served
// for a whole deploy, once per database version, or once per response.
//
// On this thread, in one call each. zlib's asynchronous calls run on libuv's threads but come back
// to this one for every 16 KB of output, so under load each compression waited on the busy event
// loop several times while holding its encoder (megabytes of window and hash tables), fifty of
// them at once: in this machine's benchmark the signed-in island ran at about half the rate it
// runs at with the same compression done here, and used more memory. Here one encoder lives at a
// time; the work is the same, and other cores serve other workers (WORKERS).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Coding } from './accept-encoding.ts';

/**
 * - `static`: files of the build, compressed once by the build (the slowest, smallest Brotli).
 * - `shared`: a rendering many readers get until the database changes (the signed-out island):
 *   compressed a few times a second at most, ~7 ms for its 400 KB on this machine.
 * - `response`: one reader's response, compressed as it is sent. Quality 3: the signed-in
 *   island's 570 KB in ~3.1 ms (median of 30 on this machine) to 58.8 KB; quality 4 took ~4.9 ms
 *   for 56.5 KB, about as long as rendering the page, and 2 took as long as 3 for 61 KB.
 *   Smaller markup makes every quality cheaper.
 */
export type Effort = 'static' | 'shared' | 'response';

const BROTLI_QUALITY: Record<Effort, number> = { static: constants.BROTLI_MAX_QUALITY, shared: 8, response: 3 };
const GZIP_LEVEL: Record<Effort, number> = { static: constants.Z_BEST_COMPRESSION, shared: constants.Z_BEST_COMPRESSION, response: 6 };

/** Bodies smaller than this go as they are: the coding's own overhead eats most of the gain. */
export const MIN_COMPRESS_BYTES = 1024;

/** The smallest window that holds the whole body (up to Brotli's default, 4 MB): less memory, the same size. */
const windowBits = (bytes: number) => Math.min(22, Math.max(16, Math.ceil(Math.log2(bytes + 1))));

export function compress(body: Buffer, coding: Coding, effort: Effort): Buffer {
  if (coding === 'br') {
    return brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY[effort],
        [constants.BROTLI_PARAM_LGWIN]: windowBits(body.length),
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  return gzipSync(body, { level: GZIP_LEVEL[effort] });
}
