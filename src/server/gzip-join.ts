// One gzip body joined from parts compressed at different times: a large part many responses
// share, compressed once, between the few bytes that are one reader's, compressed as they are sent.
// A gzip member is a header, one deflate stream and a trailer (RFC 1952); a deflate stream is a
// sequence of blocks, and a block may stand on its own (RFC 1951: back references are optional).
// So each part is compressed by Node's zlib on its own and ended with a sync flush (an empty
// stored block: byte-aligned, not final), the parts' blocks follow each other, an empty final block
// ends the stream, and the trailer carries the CRC-32 and length of all the parts. This is how
// zlib's own examples/gzjoin.c joins streams; a part loses only the matches it could have had in
// the parts before it. The signed-in discussion island is the one user (middleware.ts).
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** A part compressed once, to be joined into many bodies. */
export interface SharedPart {
  readonly bytes: Buffer;
  /** `bytes` as raw deflate blocks, ended by a sync flush. */
  readonly deflated: Buffer;
}

// Magic, deflate, no flags, no time, no extra flags, unknown OS (RFC 1952, 2.3).
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
// An empty final block with fixed codes: the end of the deflate stream.
const FINAL_BLOCK = deflateRawSync(Buffer.alloc(0));

const blocks = (bytes: Buffer, level: number) => deflateRawSync(bytes, { level, finishFlush: constants.Z_SYNC_FLUSH });

/** A part to share: compressed hard, once (`level` 9 by default). */
export function sharedPart(bytes: Buffer, level: number = constants.Z_BEST_COMPRESSION): SharedPart {
  return { bytes, deflated: blocks(bytes, level) };
}

/**
 * The gzip body of `parts` in order: shared parts as they were compressed, the others (one
 * reader's bytes) compressed now at `level`, consecutive ones together.
 */
export function joinGzip(parts: readonly (Buffer | SharedPart)[], level = 6): Buffer {
  const out: Buffer[] = [HEADER];
  let crc = 0;
  let length = 0;
  let pending: Buffer[] = [];
  const flushPending = () => {
    if (pending.length === 0) return;
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    if (bytes.length > 0) out.push(blocks(bytes, level));
  };
  for (const part of parts) {
    const bytes = Buffer.isBuffer(part) ? part : part.bytes;
    crc = crc32(bytes, crc);
    length += bytes.length;
    if (Buffer.isBuffer(part)) pending.push(part);
    else {
      flushPending();
      out.push(part.deflated);
    }
  }
  flushPending();
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  // ISIZE is the length modulo 2^32.
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  out.push(FINAL_BLOCK, trailer);
  return Buffer.concat(out);
}
