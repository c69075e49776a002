// Brotli and gzip through Node's own zlib, at three efforts: what is compressed once and served
// for a whole deploy, once per database version, or once per response. The asynchronous calls
// run on libuv's thread pool, so a compression does not hold up other requests.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip, type BrotliOptions, type ZlibOptions } from 'node:zlib';
import type { Coding } from './accept-encoding.ts';

/**
 * - `static`: files of the build, compressed once by the build (the slowest, smallest Brotli).
 * - `shared`: a rendering many readers get until the database changes (the signed-out island):
 *   compressed a few times a second at most, ~7 ms for its 400 KB on this machine.
 * - `response`: one reader's response, compressed as it is sent: ~4 ms for 600 KB.
 */
export type Effort = 'static' | 'shared' | 'response';

const BROTLI_QUALITY: Record<Effort, number> = { static: constants.BROTLI_MAX_QUALITY, shared: 8, response: 4 };
const GZIP_LEVEL: Record<Effort, number> = { static: constants.Z_BEST_COMPRESSION, shared: constants.Z_BEST_COMPRESSION, response: 6 };

/** Bodies smaller than this go as they are: the coding's own overhead eats most of the gain. */
export const MIN_COMPRESS_BYTES = 1024;

const brotli = promisify<Buffer, BrotliOptions, Buffer>(brotliCompress);
const gzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gzip);

export function compress(body: Buffer, coding: Coding, effort: Effort): Promise<Buffer> {
  if (coding === 'br') {
    return brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY[effort],
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  return gzipAsync(body, { level: GZIP_LEVEL[effort] });
}
